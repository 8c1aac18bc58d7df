import { ErrorCode, ServerError } from "@colyseus/core";
import { verifySignature } from "../../shared/crypto/sign.ts";
import { cleanName, joinOptions, rejoinMessage } from "../../shared/protocol/messages.ts";
import { hostTokenMatches } from "../host-token.ts";
import { nicknameSkeleton } from "../nicknames.ts";
import { Player } from "../schema.ts";
import type { ClassroomState } from "../schema.ts";

/** Who a connection is. */
export type Seat =
  | { kind: "player"; playerId: string }
  | { kind: "host" }
  | { kind: "projector" };

/**
 * An ordinary refusal (nickname taken, game locked…): the joining client reads `message`. A
 * ServerError is not printed with a stack by Colyseus; the room logs it as one line.
 */
export function refusal(message: string): ServerError {
  return new ServerError(ErrorCode.AUTH_FAILED, message);
}

export interface SeatRules {
  code: string;
  state: ClassroomState;
  hostTokenHash(): string | null;
  playersPerSession: number;
  /** Projector screens open at once (a projector needs no token). */
  projectorsPerSession: number;
  /** Why nobody new may join the running round right now (the late-joiner cap), or null. */
  lateJoinRefusal(): string | null;
}

/**
 * The seats of one classroom: who each connection is, the player records, nicknames (no two that
 * look alike), registered keys, and how a student takes their own seat back.
 */
export class Seats {
  private readonly bySession = new Map<string, Seat>();
  /** The connection each player's seat was last given to: a late leave of an older connection must not unseat them. */
  private readonly owners = new Map<string, string>();
  /** Connections open right now (a dropped one waiting to come back is not). */
  private readonly live = new Set<string>();
  private readonly hostConsoles = new Set<string>();
  /** Each connection's reconnection token (it changes on every join and reconnection): a restore re-arms seats with it. */
  private readonly tokens = new Map<string, string>();
  /** ed25519 public keys the players' browsers registered (hex), by player. */
  readonly publicKeys = new Map<string, string>();
  private readonly skeletons = new Map<string, string>();
  /** Players who had a message accepted: a player who leaves for good without one leaves no record. */
  private readonly acted = new Set<string>();
  private nextNumber = 1;
  private readonly rules: SeatRules;

  constructor(rules: SeatRules) {
    this.rules = rules;
  }

  /** Decides who a joining connection is, or throws a refusal with the reason in words. */
  admit(rawOptions: unknown): Seat {
    const parsed = joinOptions.safeParse(rawOptions);
    if (!parsed.success) throw refusal("Join with a nickname, a host token, or as the projector.");
    const options = parsed.data;
    const { state } = this.rules;
    if ("hostToken" in options) {
      if (!hostTokenMatches(options.hostToken, this.rules.hostTokenHash())) throw refusal("That host token is not valid for this game.");
      return { kind: "host" };
    }
    if ("projector" in options) {
      if (this.count("projector") >= this.rules.projectorsPerSession) throw refusal(`This game already has ${this.rules.projectorsPerSession} projector screens open: close one first.`);
      return { kind: "projector" };
    }
    if (state.phase === "ended") throw refusal("This game has ended.");
    const cleaned = cleanName(options.name);
    if ("reason" in cleaned) throw refusal(cleaned.reason);
    const name = cleaned.name;
    const lookalikeId = this.skeletons.get(nicknameSkeleton(name));
    const lookalike = lookalikeId ? state.players.get(lookalikeId) : undefined;
    if (lookalike) {
      // Your own seat back, after the reconnection window or from a reopened browser: prove it with your key.
      if (options.publicKey && options.proof && this.ownsSeat(lookalike, name, options.publicKey, options.proof)) {
        const owner = this.owners.get(lookalike.id);
        if (owner && this.live.has(owner)) throw refusal(`"${lookalike.name}" is playing in another tab or device right now.`);
        return { kind: "player", playerId: lookalike.id };
      }
      if (lookalike.name.toLowerCase() === name.toLowerCase()) throw refusal(`The nickname "${name}" is taken in this game: pick another.`);
      throw refusal(`"${name}" looks too much like "${lookalike.name}", who is already in this game: pick another nickname.`);
    }
    if (state.locked) throw refusal("This game is locked: ask your teacher to unlock it.");
    if (state.players.size >= this.rules.playersPerSession) throw refusal(`This game is full (${this.rules.playersPerSession} players).`);
    const late = this.rules.lateJoinRefusal();
    if (late) throw refusal(late);
    // A headless bot (npm run bots) is seated as a bot: a b-id, marked everywhere, apart from the students.
    const bot = options.bot === true;
    const player = this.addPlayer(bot ? this.nextBotId() : `p${this.nextNumber++}`, name, bot);
    if (options.publicKey) this.publicKeys.set(player.id, options.publicKey);
    return { kind: "player", playerId: player.id };
  }

  /** The joining browser holds the key registered for `player`'s seat: it signed the name it typed with it. */
  private ownsSeat(player: Player, typedName: string, publicKey: string, proof: string): boolean {
    const registered = this.publicKeys.get(player.id);
    return registered === publicKey && verifySignature(publicKey, rejoinMessage(this.rules.code, typedName), proof);
  }

  /** A new player record (a student or a bot) with its nickname reserved. */
  addPlayer(id: string, name: string, bot: boolean): Player {
    const player = new Player({ id, name, bot });
    this.rules.state.players.set(id, player);
    this.skeletons.set(nicknameSkeleton(name), id);
    return player;
  }

  /** A fresh id for a bot: "b12" (numbers shared with players, so ids never collide). */
  nextBotId(): string {
    return `b${this.nextNumber++}`;
  }

  nameTaken(name: string): boolean {
    return this.skeletons.has(nicknameSkeleton(name));
  }

  /** Seats a connection; a player's seat is now held by it. */
  seat(sessionId: string, seat: Seat, reconnectionToken?: string): void {
    this.bySession.set(sessionId, seat);
    if (reconnectionToken) this.tokens.set(sessionId, reconnectionToken);
    this.live.add(sessionId);
    if (seat.kind === "player") {
      this.owners.set(seat.playerId, sessionId);
      this.setConnected(seat.playerId, true);
    }
    if (seat.kind === "host") this.hostConsoles.add(sessionId);
    this.syncHostConnected();
  }

  of(sessionId: string): Seat | undefined {
    return this.bySession.get(sessionId);
  }

  /** The connection dropped but may come back within the window. */
  dropped(sessionId: string): void {
    const seat = this.bySession.get(sessionId);
    this.live.delete(sessionId);
    if (seat?.kind === "player" && this.owners.get(seat.playerId) === sessionId) this.setConnected(seat.playerId, false);
    if (seat?.kind === "host") this.hostConsoles.delete(sessionId);
    this.syncHostConnected();
  }

  /** It came back in time. */
  returned(sessionId: string, reconnectionToken?: string): void {
    const seat = this.bySession.get(sessionId);
    if (!seat) return;
    if (reconnectionToken) this.tokens.set(sessionId, reconnectionToken);
    this.live.add(sessionId);
    if (seat.kind === "player") this.setConnected(seat.playerId, true);
    if (seat.kind === "host") this.hostConsoles.add(sessionId);
    this.syncHostConnected();
  }

  /**
   * The connection is gone for good. In the lobby the player's seat is freed; mid-game the record
   * stays for the results — unless they never did anything. Returns the player removed, if any.
   */
  left(sessionId: string, inLobby: boolean): string | null {
    const seat = this.bySession.get(sessionId);
    this.bySession.delete(sessionId);
    this.live.delete(sessionId);
    this.tokens.delete(sessionId);
    if (seat?.kind === "host") this.hostConsoles.delete(sessionId);
    this.syncHostConnected();
    if (seat?.kind !== "player" || this.owners.get(seat.playerId) !== sessionId) return null;
    this.owners.delete(seat.playerId);
    this.setConnected(seat.playerId, false);
    if (inLobby || !this.acted.has(seat.playerId)) {
      this.removePlayer(seat.playerId);
      return seat.playerId;
    }
    return null;
  }

  /** Takes a player out of the game entirely (kicked, or left without a trace). */
  removePlayer(playerId: string): void {
    const player = this.rules.state.players.get(playerId);
    if (player && this.skeletons.get(nicknameSkeleton(player.name)) === playerId) this.skeletons.delete(nicknameSkeleton(player.name));
    this.rules.state.players.delete(playerId);
    this.publicKeys.delete(playerId);
    this.acted.delete(playerId);
    this.owners.delete(playerId);
  }

  /** The connection a player's seat was last given to (their private view goes there), if any. */
  ownerOf(playerId: string): string | undefined {
    return this.owners.get(playerId);
  }

  /** The connections holding a player's seat (to kick them). */
  sessionsOf(playerId: string): string[] {
    return [...this.bySession].filter(([, seat]) => seat.kind === "player" && seat.playerId === playerId).map(([sessionId]) => sessionId);
  }

  forget(sessionId: string): void {
    this.bySession.delete(sessionId);
    this.live.delete(sessionId);
    this.tokens.delete(sessionId);
  }

  markActed(playerId: string): void {
    this.acted.add(playerId);
  }

  /**
   * Someone taking part right now: a host console or a player's live connection. A projector alone
   * does not keep a session alive (anyone may open one, and a forgotten one would hold it for ever).
   */
  anyoneConnected(): boolean {
    for (const sessionId of this.live) if (this.bySession.get(sessionId)?.kind !== "projector") return true;
    return false;
  }

  /** Connections seated as `kind`. */
  private count(kind: Seat["kind"]): number {
    let n = 0;
    for (const seat of this.bySession.values()) if (seat.kind === kind) n++;
    return n;
  }

  // ---------- crash survival ----------

  /** What the snapshot keeps of the seats: the roster, keys, who acted, and each connection's way back. */
  exportState(): SeatsSnapshot {
    return {
      nextNumber: this.nextNumber,
      players: [...this.rules.state.players.values()].map((p) => ({ id: p.id, name: p.name, role: p.role, roundRole: p.roundRole, bot: p.bot, score: p.score })),
      publicKeys: [...this.publicKeys],
      acted: [...this.acted],
      connections: [...this.bySession].flatMap(([sessionId, seat]) => {
        const reconnectionToken = this.tokens.get(sessionId);
        return reconnectionToken ? [{ sessionId, reconnectionToken, seat }] : [];
      }),
    };
  }

  /**
   * The seats as the snapshot left them. Nobody is connected yet: each connection is known, to be
   * re-armed so its client comes back into the same seat by itself.
   */
  restore(snapshot: SeatsSnapshot): SeatsSnapshot["connections"] {
    this.nextNumber = snapshot.nextNumber;
    for (const p of snapshot.players) {
      const player = this.addPlayer(p.id, p.name, p.bot);
      Object.assign(player, { role: p.role, roundRole: p.roundRole, score: p.score, connected: p.bot });
    }
    for (const [id, key] of snapshot.publicKeys) this.publicKeys.set(id, key);
    for (const id of snapshot.acted) this.acted.add(id);
    for (const { sessionId, reconnectionToken, seat } of snapshot.connections) {
      this.bySession.set(sessionId, seat);
      this.tokens.set(sessionId, reconnectionToken);
      if (seat.kind === "player") this.owners.set(seat.playerId, sessionId);
    }
    return snapshot.connections;
  }

  private setConnected(playerId: string, connected: boolean): void {
    const player = this.rules.state.players.get(playerId);
    if (player && player.connected !== connected) player.connected = connected;
  }

  /** The host console shows as connected while any of the host's consoles is. */
  private syncHostConnected(): void {
    const connected = this.hostConsoles.size > 0;
    if (this.rules.state.hostConnected !== connected) this.rules.state.hostConnected = connected;
  }
}

/** The seats' part of a session snapshot (server/room/snapshot.ts). */
export interface SeatsSnapshot {
  nextNumber: number;
  players: { id: string; name: string; role: string; roundRole: string; bot: boolean; score: number }[];
  publicKeys: [string, string][];
  acted: string[];
  connections: { sessionId: string; reconnectionToken: string; seat: Seat }[];
}
