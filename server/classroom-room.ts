import { Room, ServerError } from "@colyseus/core";
import type { AuthContext, Client } from "@colyseus/core";
import { ArraySchema, Encoder, MapSchema } from "@colyseus/schema";
import type { BotMove } from "../shared/bots/mind.ts";
import { accountsNamed } from "../shared/protocol/fields.ts";
import {
  CLIENT_MESSAGES, CLOSE_FLOODING, CLOSE_KICKED, CLOSE_SESSION_ENDED, CLOSE_SESSION_EXPIRED, ERROR_CODES, PROTOCOL_VERSION, REQUESTS,
} from "../shared/protocol/messages.ts";
import type { ClientMessageType, ErrorCode } from "../shared/protocol/messages.ts";
import { serverContext } from "./context.ts";
import { hostTokenMatches } from "./host-token.ts";
import { isClaimed, releaseCode } from "./join-code.ts";
import { BatchDataDesk } from "./room/batch-data-desk.ts";
import { continueRefIdsFrom, frameType, gateFrames, gateSeatReservations, rearmSeat, refIdHighWater } from "./room/colyseus-internals.ts";
import { hostAction } from "./room/host-console.ts";
import { MessageGate } from "./room/message-gate.ts";
import { PatchClock } from "./room/patch-clock.ts";
import { Rounds } from "./room/rounds.ts";
import type { Refused } from "./room/rounds.ts";
import { SeatReservations } from "./room/seat-reservations.ts";
import { SNAPSHOT_VERSION, readSnapshot } from "./room/snapshot.ts";
import type { SessionSnapshot } from "./room/snapshot.ts";
import { WriteAheadLog } from "./room/write-ahead-log.ts";
import { ViewFeeds } from "./room/view-feeds.ts";
import { VIEWS_RESYNC, VIEW_MESSAGES } from "../shared/protocol/view-feed.ts";
import { takePendingRestore } from "./restore.ts";
import { Seats } from "./room/seats.ts";
import type { Seat } from "./room/seats.ts";
import { ClassroomState, WorldView } from "./schema.ts";
import type { Player } from "./schema.ts";
import { corked } from "./transport/corked.ts";
import { followTransport } from "./transport/transport-kind.ts";

// A class's full state (300 players, Plasma wallets with Merkle proofs) is far over the 16 KB default:
// start big enough that the encoder never has to grow (and warn) mid-round.
Encoder.BUFFER_SIZE = 256 * 1024;

interface RoomMetadata {
  phase: string;
  playerCount: number;
  locked: boolean;
}

/** Every classroom running in this process (a graceful restart saves each). */
export const LIVE_CLASSROOMS = new Set<ClassroomRoom>();
/** Every classroom's patch loop (and so its clock: the round's tick, bots), 100 ms apart, the rooms spread over 10 slots. */
const PATCH_CLOCK = new PatchClock(100, 10, (error) => console.error("patch failed:", error));
/** Classrooms being disposed, still writing their last log lines: the store closes after them. */
export const CLOSING_WRITES = new Set<Promise<void>>();

/** Seconds a restored round stays paused so phones have time to come back, and how long a restored seat waits for its client. */
const RESTORE_PAUSE_SEC = 10;
const RESTORE_SEAT_SEC = 90;
/** More refIds than a room hands out between two records of its high-water mark (one a second, and each snapshot). */
const REFID_MARGIN = 1_000_000;

/** What the matchmaker learns about a joining client before it has a socket: where it comes from. */
interface SeatAuth {
  address: string;
}

/**
 * The classroom: one session, its players, its rounds. A thin adapter from the network to the
 * seats (who is who), the host console and the rounds (which hold the engine). Every handler reads:
 * gate (rate) → parse (zod) → authorise (host token, role, phase) → act → ack or a clear error.
 */
export class ClassroomRoom extends Room<{ state: ClassroomState; metadata: RoomMetadata }> {
  override maxClients = 2_100;
  /** Colyseus's own patch timer is parked: PATCH_CLOCK runs broadcastPatch every 100 ms, in this room's slot. */
  override patchRate = 86_400_000;
  override state = new ClassroomState({ protocolVersion: PROTOCOL_VERSION, code: "", world: new WorldView() });

  private code = "";
  private seats!: Seats;
  private rounds!: Rounds;
  private gate!: MessageGate;
  private batchDesk!: BatchDataDesk;
  private reservations!: SeatReservations;
  private createdAtMs = 0;
  /** Last time anyone was connected; the session closes itself after a long empty spell. */
  private lastOccupiedMs = 0;
  private wal!: WriteAheadLog;
  private feeds!: ViewFeeds;
  /** The session's host-token hash, read once from the store. */
  private hostTokenHash: string | null = null;
  private clockTicks = 0;
  /** A graceful restart has begun: the round is saved as it stands and takes no more actions. */
  private restarting = false;

  /**
   * The patch loop also runs the room's clock (the round's tick, its projection and view messages,
   * bots): whatever that sends a client leaves with its patch in one socket write.
   */
  override broadcastPatch(): boolean {
    return corked(this.clients, () => super.broadcastPatch());
  }

  /** Runs on the matchmaker's request, before any seat is reserved: notes the client's address (normalised by the request guard). */
  static override async onAuth(_token: string, _options: unknown, context: AuthContext): Promise<SeatAuth> {
    return { address: context.ip ?? "unknown" };
  }

  override async onCreate(options: { code?: unknown; restore?: unknown }): Promise<void> {
    // Only the API (or a restore) creates classrooms (the matchmaker's create is closed); a room must own a claimed code.
    if (typeof options.code !== "string" || !(await isClaimed(this.presence, options.code))) throw new ServerError(403, "A classroom needs a claimed join code.");
    const { limits, store, timeScale, tickMs, botTurnMs } = serverContext();
    this.maxClients = limits.clientsPerRoom;
    this.hostTokenHash = await store.hostTokenHash(options.code);
    this.code = options.code;
    this.feeds = new ViewFeeds((playerId, type, message) => {
      if (playerId === null) return this.broadcast(type, message);
      const sessionId = this.seats.ownerOf(playerId);
      if (sessionId) this.clients.getById(sessionId)?.send(type, message);
    });
    this.wal = new WriteAheadLog({ store, code: options.code, snapshot: () => this.snapshot(), onError: (error) => this.report("saving", error), off: serverContext().writeAheadLog === false });
    this.roomId = options.code;
    this.state.code = options.code;
    this.autoDispose = false;
    this.createdAtMs = Date.now();
    this.lastOccupiedMs = Date.now();
    this.seats = new Seats({
      code: this.code,
      state: this.state,
      hostTokenHash: () => this.hostTokenHash,
      playersPerSession: limits.playersPerSession,
      projectorsPerSession: limits.projectorsPerSession,
      lateJoinRefusal: () => this.rounds.lateJoinRefusal(),
    });
    this.rounds = new Rounds({
      code: this.code,
      state: this.state,
      seats: this.seats,
      limits,
      store,
      wal: this.wal,
      feeds: this.feeds,
      timeScale,
      botSend: (playerId, move) => this.botSend(playerId, move),
      broadcast: (type, payload) => this.broadcast(type, payload),
      publishMetadata: () => this.publishMetadata(),
      report: (what, error) => this.report(what, error),
    });
    this.gate = new MessageGate(limits);
    gateFrames(this, (client, frame) => this.admit(client, frame));
    this.batchDesk = new BatchDataDesk(limits);
    this.reservations = new SeatReservations(limits);
    gateSeatReservations(this, (sessionId, auth, seconds) => this.reservations.reserve(sessionId, (auth as Partial<SeatAuth> | undefined)?.address ?? "unknown", Date.now(), seconds * 1000));

    for (const type of Object.keys(CLIENT_MESSAGES) as ClientMessageType[]) {
      this.onMessage(type, (client, payload) => this.guarded(client, type, () => this.receive(client, type, payload)));
    }
    this.onMessage("batch:data", (client, payload) => this.guarded(client, "batch:data", () => this.sendBatchData(client, payload)));
    this.onMessage(VIEWS_RESYNC, (client, payload) => this.guarded(client, VIEWS_RESYNC, () => {
      const seat = this.seats.of(client.sessionId);
      if (!seat) return;
      if (!REQUESTS[VIEWS_RESYNC].safeParse(payload).success) return this.sendError(client, ERROR_CODES.invalidPayload, `Invalid ${VIEWS_RESYNC} request`, VIEWS_RESYNC);
      this.sendViews(client, seat);
    }));
    this.onMessage("*", (client, type) => this.guarded(client, String(type), () => {
      this.sendError(client, ERROR_CODES.unknownMessage, `unknown message "${String(type).slice(0, 40)}"`, String(type).slice(0, 40));
    }));
    this.clock.setInterval(() => this.safely("tick", () => this.rounds.tick()), tickMs);
    this.clock.setInterval(() => this.safely("bots", () => this.rounds.botTurn()), botTurnMs);
    const lifecycleMs = Math.min(60_000, (limits.idleSessionMinutes * 60_000) / 4);
    this.clock.setInterval(() => this.safely("lifecycle", () => this.checkLifecycle()), lifecycleMs);
    // The round clock, and the world's state hash every few seconds, go into the log.
    this.clock.setInterval(() => this.safely("clock", () => this.rounds.clockCheckpoint(this.clockTicks++ % 5 === 0, refIdHighWater(this))), 1_000);
    const restoring = options.restore === true ? takePendingRestore(this.code) : null;
    if (restoring) await this.restore(readSnapshot(restoring.snapshot));
    else this.wal.snapshotChanged();
    LIVE_CLASSROOMS.add(this);
    PATCH_CLOCK.add(this);
    this.publishMetadata();
  }

  // ---------- joining, dropping, reconnecting ----------

  override onJoin(client: Client, options: unknown): void {
    this.reservations.taken(client.sessionId);
    let seat: Seat;
    try {
      seat = this.seats.admit(options);
    } catch (error) {
      console.log(`[${this.code}] join refused: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
    this.seats.seat(client.sessionId, seat, client.reconnectionToken);
    if (seat.kind !== "projector") this.lastOccupiedMs = Date.now();
    this.wal.snapshotChanged();
    if (seat.kind === "player") {
      const player = this.state.players.get(seat.playerId)!;
      followTransport(client, player);
      this.rounds.joinRunning(player);
      this.publishMetadata();
    }
    this.sendViews(client, seat);
  }

  /** A client that just joined or came back gets the scenario views whole; changes follow (view-feed.ts). */
  private sendViews(client: Client, seat: Seat): void {
    client.send(VIEW_MESSAGES.world, this.feeds.worldReset());
    if (seat.kind !== "player") return;
    this.rounds.privateViewNow(seat.playerId);
    client.send(VIEW_MESSAGES.you, this.feeds.privateReset(seat.playerId) ?? { reset: { id: seat.playerId, l1Balance: 0, l2Balance: 0, l2Nonce: 0, txs: [], withdrawals: [], module: null } });
  }

  override async onDrop(client: Client): Promise<void> {
    const seat = this.seats.of(client.sessionId);
    if (!seat) return;
    this.seats.dropped(client.sessionId);
    if (seat.kind === "projector") return;
    const { reconnectSeconds, hostReconnectSeconds } = serverContext();
    await this.allowReconnection(client, seat.kind === "host" ? hostReconnectSeconds : reconnectSeconds);
  }

  override onReconnect(client: Client): void {
    this.seats.returned(client.sessionId, client.reconnectionToken);
    const seat = this.seats.of(client.sessionId);
    // Deltas sent while it was away never reached it: whole views again.
    if (seat) this.sendViews(client, seat);
    this.wal.snapshotChanged();
    if (seat?.kind === "player") followTransport(client, this.state.players.get(seat.playerId));
    if (seat && seat.kind !== "projector") this.lastOccupiedMs = Date.now();
  }

  override onLeave(client: Client): void {
    this.reservations.taken(client.sessionId);
    this.gate.forget(client.sessionId);
    this.batchDesk.forget(client.sessionId);
    const removed = this.seats.left(client.sessionId, this.state.phase === "lobby");
    if (removed) {
      this.rounds.removeBot(removed);
      this.rounds.leftWithoutTrace(removed);
      this.feeds.forget(removed);
    }
    this.wal.snapshotChanged();
    this.publishMetadata();
  }

  override async onDispose(): Promise<void> {
    LIVE_CLASSROOMS.delete(this);
    PATCH_CLOCK.remove(this);
    if (this.wal) {
      const sealing = this.wal.seal();
      CLOSING_WRITES.add(sealing);
      await sealing;
      CLOSING_WRITES.delete(sealing);
    }
    this.rounds?.disposeBots();
    if (this.code) await releaseCode(this.presence, this.code);
  }

  private publishMetadata(): void {
    void this.setMetadata({ phase: this.state.phase, playerCount: this.state.players.size, locked: this.state.locked });
  }

  /**
   * A session cleans up after itself: nobody connected for the idle time, or never started within
   * hours. Its room goes and its code is freed; its results stay in the store.
   */
  private checkLifecycle(): void {
    const now = Date.now();
    const { limits, store } = serverContext();
    if (this.seats.anyoneConnected()) {
      // Stored too, so a restart tells a class that was here from one that left long ago.
      this.lastOccupiedMs = now;
      this.wal.snapshotChanged();
    }
    const idle = now - this.lastOccupiedMs >= limits.idleSessionMinutes * 60_000;
    const neverStarted = this.state.roundIndex < 0 && now - this.createdAtMs >= limits.unstartedSessionMinutes * 60_000;
    if (!idle && !neverStarted) return;
    console.log(`[${this.code}] closing: ${idle ? "nobody connected" : "never started"}`);
    if (this.rounds.running) this.rounds.end();
    this.state.phase = "ended";
    void this.wal.enqueue(() => store.endSession(this.code, now)).catch((error: unknown) => this.report("ending the session", error));
    void this.disconnect(CLOSE_SESSION_EXPIRED);
  }

  // ---------- the edge: gate, parse, authorise, act ----------

  /** No handler may throw out of the room: an uncaught exception would take every classroom down. */
  private guarded(client: Client, type: string, handler: () => void): void {
    try {
      handler();
    } catch (error) {
      this.report(type, error);
      this.sendError(client, ERROR_CODES.internal, "Something went wrong on the server; nothing was changed.", type.slice(0, 40));
    }
  }

  private safely(what: string, task: () => void): void {
    try {
      task();
    } catch (error) {
      this.report(what, error);
    }
  }

  private report(what: string, error: unknown): void {
    console.error(`[${this.code}] ${what} failed:`, error);
  }

  private sendError(client: Client, code: ErrorCode, message: string, type: string, seq?: number): void {
    client.send("error", { code, message, type, ...(seq !== undefined ? { seq } : {}) });
  }

  /** Every inbound frame counts against the client's rate, whatever it carries. False: dropped. */
  private admit(client: Client, frame: Uint8Array): boolean {
    const verdict = this.gate.admit(client.sessionId, Date.now());
    if (verdict === "pass") return true;
    if (verdict === "drop-and-tell") this.sendError(client, ERROR_CODES.rateLimited, "Slow down: too many messages per second. Some were ignored.", frameType(frame).slice(0, 40));
    if (verdict === "kick") {
      console.log(`[${this.code}] disconnecting ${client.sessionId}: kept flooding`);
      client.leave(CLOSE_FLOODING);
    }
    return false;
  }

  private receive(client: Client, type: ClientMessageType, raw: unknown): void {
    const seat = this.seats.of(client.sessionId);
    if (!seat) return;
    const seq = typeof raw === "object" && raw !== null && typeof (raw as { seq?: unknown }).seq === "number" ? (raw as { seq: number }).seq : undefined;
    // Once a graceful restart has saved the round, nothing more may change it: refused, not lost.
    const result = this.restarting ? { code: ERROR_CODES.wrongPhase, message: "The server is restarting: send that again once you are back (in a few seconds)." } : this.handle(seat, type, raw);
    if (result) return this.sendError(client, result.code, result.message, type, seq);
    // Acknowledged only once what it did is in the log: a crash can't take back what a player was told.
    // (A failing store write is tried again until it succeeds; the ack waits for it.)
    void this.wal.durable().then(() => client.send("ack", { type, ...(seq !== undefined ? { seq } : {}) }));
  }

  /** The single path for humans and bots: returns an error, or null when the message took effect. */
  private handle(seat: Seat, type: ClientMessageType, raw: unknown): Refused | null {
    const payload = typeof raw === "object" && raw !== null && "seq" in raw ? Object.fromEntries(Object.entries(raw).filter(([k]) => k !== "seq")) : raw;
    const parsed = CLIENT_MESSAGES[type].safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { code: ERROR_CODES.invalidPayload, message: `Invalid ${type}: ${issue ? `${issue.path.join(".") || "payload"} ${issue.message}` : "bad payload"}` };
    }
    const data = parsed.data as Record<string, unknown>;
    // Ids are well-formed (the schema's grammar); each account named must also be someone in this game.
    const stranger = accountsNamed(data).find((id) => !this.state.players.has(id));
    if (stranger) return { code: ERROR_CODES.rejected, message: `There is no player ${stranger} in this game.` };
    if (type.startsWith("host:")) {
      if (!hostTokenMatches(data.token, this.hostTokenHash)) return { code: ERROR_CODES.notHost, message: "Only the host can do that." };
      const refused = hostAction(this.hostConsole(), type, data);
      if (!refused) this.wal.snapshotChanged();
      return refused;
    }
    if (seat.kind !== "player") return { code: ERROR_CODES.wrongRole, message: "Only players can do that." };
    const player = this.state.players.get(seat.playerId);
    if (!player) return { code: ERROR_CODES.wrongRole, message: "You are no longer in this game." };
    const result = type === "player:key" ? this.registerKey(player.id, data.publicKey as string) : this.rounds.playerAct(player, type, data);
    if (!result) {
      this.seats.markActed(player.id);
      this.rounds.touch(player.id);
    }
    return result;
  }

  private registerKey(playerId: string, publicKey: string): Refused | null {
    const known = this.seats.publicKeys.get(playerId);
    if (known) return known === publicKey ? null : { code: ERROR_CODES.rejected, message: "Your key is already registered." };
    this.seats.publicKeys.set(playerId, publicKey);
    this.wal.snapshotChanged();
    return this.rounds.registerKey(playerId, publicKey);
  }

  private hostConsole() {
    return {
      state: this.state,
      seats: this.seats,
      rounds: this.rounds,
      publishMetadata: () => this.publishMetadata(),
      kick: (playerId: string) => this.kick(playerId),
      endSession: () => this.endSession(),
    };
  }

  private kick(playerId: string): void {
    const sessions = new Set(this.seats.sessionsOf(playerId));
    for (const client of this.clients) {
      if (!sessions.has(client.sessionId)) continue;
      client.send("kicked", { message: "The host removed you from this game." });
      this.seats.forget(client.sessionId);
      client.leave(CLOSE_KICKED);
    }
  }

  private endSession(): void {
    if (this.rounds.running) this.rounds.end();
    this.state.phase = "ended";
    const { store } = serverContext();
    void this.wal.enqueue(() => store.endSession(this.code, Date.now())).catch((error: unknown) => this.report("ending the session", error));
    this.publishMetadata();
    this.broadcast("notice", { message: "The host ended this game. Thanks for playing!" });
    this.clock.setTimeout(() => void this.disconnect(CLOSE_SESSION_ENDED), 500);
  }

  /** Bots go through the same handler as humans; their errors are simply dropped. */
  private botSend(playerId: string, move: BotMove): void {
    if (this.restarting) return;
    this.handle({ kind: "player", playerId }, move.type, move.payload);
  }

  // ---------- crash survival ----------

  /** The session as the snapshot keeps it (everything not in the running round's log). */
  private snapshot(): SessionSnapshot {
    const { state } = this;
    return {
      version: SNAPSHOT_VERSION,
      phase: state.phase,
      locked: state.locked,
      roundIndex: state.roundIndex,
      scenario: state.scenario,
      debrief: state.debrief,
      lesson: [...state.lesson],
      createdAtMs: this.createdAtMs,
      lastOccupiedMs: this.lastOccupiedMs,
      refIds: refIdHighWater(this),
      seats: this.seats.exportState(),
      rounds: this.rounds.exportState(),
    };
  }

  /**
   * Brings the classroom back after a restart, before anyone can join: the snapshot's roster,
   * plan and bots; the running round replayed from its write-ahead log (state hash checked); every
   * connection's seat re-armed so its client comes back by itself. A round that was running waits,
   * paused, a few visible seconds for the phones, then resumes on its own.
   */
  private async restore(snapshot: SessionSnapshot | null): Promise<void> {
    if (!snapshot) return;
    const { state } = this;
    const { store, reconnectSeconds, hostReconnectSeconds } = serverContext();
    const inRound = snapshot.phase === "running" || snapshot.phase === "paused";
    const log = inRound ? await store.roundLog(this.code, snapshot.roundIndex) : [];
    // Fresh refIds, well past every one the old process could have given out since its last record of them.
    const refIds = Math.max(snapshot.refIds, ...log.map((e) => (e.kind === "clock" ? (e.refIds ?? 0) : 0)));
    continueRefIdsFrom(this, refIds + REFID_MARGIN);
    state.players = new MapSchema<Player>();
    state.world = new WorldView();
    state.lesson = new ArraySchema<string>();
    Object.assign(state, { locked: snapshot.locked, roundIndex: snapshot.roundIndex, scenario: snapshot.scenario, debrief: snapshot.debrief });
    for (const entry of snapshot.lesson) state.lesson.push(entry);
    this.createdAtMs = snapshot.createdAtMs;
    // Kept, not reset: restarting every few minutes must not keep an abandoned session alive for ever.
    this.lastOccupiedMs = snapshot.lastOccupiedMs;
    const connections = this.seats.restore(snapshot.seats);
    // A round that ended just before the crash is in the store already: don't bring it back.
    const finished = inRound && (await store.rounds(this.code)).some((r) => r.index === snapshot.roundIndex);
    const rounds = inRound && !finished ? snapshot.rounds : { ...snapshot.rounds, round: null };
    state.phase = rounds.round ? "paused" : finished ? (snapshot.roundIndex + 1 >= snapshot.rounds.plan.length ? "final" : "debrief") : snapshot.phase;
    const { replayed, hashMatched } = this.rounds.restore(rounds, rounds.round ? log : []);
    if (hashMatched === false) this.report("restore", new Error(`the replayed round ${snapshot.roundIndex} does not match its logged state hash`));
    console.log(`[${this.code}] restored: ${state.players.size} players, phase ${snapshot.phase}${rounds.round ? `, round ${snapshot.roundIndex + 1} replayed from ${replayed} log lines (state hash ${hashMatched === null ? "not logged yet" : hashMatched ? "matches" : "DIFFERS"})` : ""}`);
    for (const { sessionId, reconnectionToken, seat } of connections) {
      await rearmSeat(this, sessionId, reconnectionToken, seat.kind === "host" ? Math.max(hostReconnectSeconds, RESTORE_SEAT_SEC) : Math.max(reconnectSeconds, RESTORE_SEAT_SEC));
    }
    if (rounds.round && snapshot.phase === "running") this.resumeAfterRestart();
    this.wal.snapshotChanged();
  }

  /** "The server restarted — resuming in N s": the round resumes by itself unless the host already did (or paused it). */
  private resumeAfterRestart(): void {
    this.state.resumingInSec = RESTORE_PAUSE_SEC;
    const countdown = this.clock.setInterval(() => {
      if (this.state.phase !== "paused") {
        this.state.resumingInSec = 0;
        countdown.clear();
        return;
      }
      this.state.resumingInSec -= 1;
      if (this.state.resumingInSec > 0) return;
      countdown.clear();
      this.safely("resume", () => this.rounds.resume());
    }, 1_000);
  }

  /**
   * A graceful restart: the room stops (no tick, no bot, no action is taken after this), the round
   * clock and snapshot go to the store with the state hash, clients are told, and nothing more is written.
   */
  async prepareForRestart(): Promise<void> {
    this.restarting = true;
    this.clock.clear();
    this.broadcast("notice", { message: "The server is restarting: you'll be back in your seat in a few seconds." });
    this.safely("clock", () => this.rounds.clockCheckpoint(true, refIdHighWater(this)));
    this.wal.snapshotChanged();
    await this.wal.seal();
  }

  // ---------- requests ----------

  /** A challenger's client fetches a batch's data to re-execute it with the shared engine. */
  private sendBatchData(client: Client, raw: unknown): void {
    if (!this.seats.of(client.sessionId)) return;
    const parsed = REQUESTS["batch:data"].safeParse(raw);
    if (!parsed.success) return this.sendError(client, ERROR_CODES.invalidPayload, "Invalid batch:data request", "batch:data");
    const answer = this.batchDesk.answer(client.sessionId, parsed.data.batchId, this.rounds.round?.world ?? null, Date.now());
    if (typeof answer === "string") return this.sendError(client, ERROR_CODES.rejected, answer, "batch:data");
    client.send("batch:data", answer);
  }
}
