import { Room, type Client } from "@colyseus/core";
import { Encoder, StateView } from "@colyseus/schema";
import { randomBytes } from "node:crypto";
import { keyPairFromSeed } from "../shared/crypto/sign.ts";
import type { Action } from "../shared/engine/actions.ts";
import { computeDebrief, scoreEvent } from "../shared/engine/debrief.ts";
import type { EngineEvent } from "../shared/engine/events.ts";
import { stateHash } from "../shared/engine/replay.ts";
import { seedRng } from "../shared/engine/prng.ts";
import { botActs } from "../shared/bots/mind.ts";
import type { BotMind, BotMove } from "../shared/bots/mind.ts";
import {
  CLIENT_MESSAGES, CLOSE_KICKED, CLOSE_SESSION_ENDED, ERROR_CODES, MESSAGE_ROLES, PROTOCOL_VERSION, REQUESTS, ROLES,
  SCENARIO_LABEL, SCENARIO_ROLES, cleanName, joinOptions, scenarioOfMessage,
} from "../shared/protocol/messages.ts";
import type { ClientMessageType, Difficulty, ErrorCode, Role, RoundPlan, Scenario } from "../shared/protocol/messages.ts";
import { serverContext } from "./context.ts";
import { hostTokenMatches } from "./host-token.ts";
import { releaseCode } from "./join-code.ts";
import { TxTracker, projectWallet, projectWorld } from "./projection.ts";
import { RateLimiter } from "./rate-limit.ts";
import { RoundRunner, configFor, scaleBlockSpace } from "./round.ts";
import { ClassroomState, Player, Wallet, WorldView } from "./schema.ts";
import { STARTING_L1 } from "./scenarios/common.ts";
import { SCENARIO_DEFS } from "./scenarios/index.ts";
import type { RoundPlayer, ScenarioRun } from "./scenarios/scenario.ts";

// A class's full state (300 players, Plasma wallets with Merkle proofs) is far over the 16 KB default:
// start big enough that the encoder never has to grow (and warn) mid-round.
Encoder.BUFFER_SIZE = 256 * 1024;

/** Who a connection is. */
type Seat =
  | { kind: "player"; playerId: string }
  | { kind: "host" }
  | { kind: "projector" };

interface RoomMetadata {
  phase: string;
  playerCount: number;
  locked: boolean;
}

const DEFAULT_PLAN: RoundPlan[] = [{ scenario: "optimistic", durationSec: 180 }];

/** The classroom: one session, its players, its rounds. Rules live in the engine; this adapts it to the network. */
export class ClassroomRoom extends Room<{ state: ClassroomState; metadata: RoomMetadata }> {
  override maxClients = 2_100;
  override patchRate = 100;
  override state = new ClassroomState({ protocolVersion: PROTOCOL_VERSION, code: "", world: new WorldView() });

  private seats = new Map<string, Seat>();
  private playerPublicKeys = new Map<string, string>();
  private bots = new Map<string, BotMind>();
  /** Each player's role in the running round (a role the scenario has no use for plays as user). */
  private roundRoles = new Map<string, Role>();
  private plan: RoundPlan[] = DEFAULT_PLAN;
  private round: RoundRunner | null = null;
  /** The running round's scenario adapter (messages → actions, views, bots). */
  private run: ScenarioRun | null = null;
  private tracker = new TxTracker();
  private roundStartedAt = 0;
  private lastTickAt = 0;
  private nextPlayerNumber = 1;
  private limiter!: RateLimiter;
  private code = "";

  override onCreate(options: { code: string }): void {
    this.code = options.code;
    this.roomId = options.code;
    this.state.code = options.code;
    this.state.plan = JSON.stringify(this.plan);
    this.state.roundCount = this.plan.length;
    this.autoDispose = false;
    for (const type of Object.keys(CLIENT_MESSAGES) as ClientMessageType[]) {
      this.onMessage(type, (client, payload) => this.guarded(client, type, () => this.receive(client, type, payload)));
    }
    this.onMessage("*", (client, type) => this.sendError(client, ERROR_CODES.unknownMessage, `unknown message "${String(type)}"`, String(type)));
    this.onMessage("batch:data", (client, payload) => this.guarded(client, "batch:data", () => this.sendBatchData(client, payload)));
    const { tickMs, botTurnMs, rateLimit } = serverContext();
    this.limiter = new RateLimiter(rateLimit.perSec, rateLimit.burst);
    this.clock.setInterval(() => this.safely(() => this.tick()), tickMs);
    this.clock.setInterval(() => this.safely(() => this.botTurn()), botTurnMs);
    this.publishMetadata();
  }

  // ---------- joining, dropping, reconnecting ----------

  override onAuth(_client: Client, rawOptions: unknown): Seat {
    const parsed = joinOptions.safeParse(rawOptions);
    if (!parsed.success) throw new Error("Join with a nickname, a host token, or as the projector.");
    const options = parsed.data;
    if ("hostToken" in options) {
      if (!hostTokenMatches(options.hostToken, serverContext().store.hostTokenHash(this.code))) throw new Error("That host token is not valid for this game.");
      return { kind: "host" };
    }
    if ("projector" in options) return { kind: "projector" };
    if (this.state.phase === "ended") throw new Error("This game has ended.");
    if (this.state.locked) throw new Error("This game is locked: ask your teacher to unlock it.");
    const cleaned = cleanName(options.name);
    if ("reason" in cleaned) throw new Error(cleaned.reason);
    if (this.nameTaken(cleaned.name)) throw new Error(`The nickname "${cleaned.name}" is taken in this game: pick another.`);
    const playerId = `p${this.nextPlayerNumber++}`;
    this.state.players.set(playerId, new Player({ id: playerId, name: cleaned.name, wallet: new Wallet() }));
    return { kind: "player", playerId };
  }

  override onJoin(client: Client, _options: unknown, seat: Seat): void {
    this.seats.set(client.sessionId, seat);
    client.view = new StateView();
    if (seat.kind === "player") {
      const player = this.state.players.get(seat.playerId)!;
      client.view.add(player);
      this.joinRunningRound(player);
      this.publishMetadata();
    }
    if (seat.kind === "host") this.state.hostConnected = true;
  }

  override async onDrop(client: Client): Promise<void> {
    const seat = this.seats.get(client.sessionId);
    if (!seat || seat.kind === "projector") return;
    const { reconnectSeconds, hostReconnectSeconds } = serverContext();
    if (seat.kind === "player") this.setConnected(seat.playerId, false);
    else this.state.hostConnected = false;
    await this.allowReconnection(client, seat.kind === "host" ? hostReconnectSeconds : reconnectSeconds);
  }

  override onReconnect(client: Client): void {
    const seat = this.seats.get(client.sessionId);
    if (seat?.kind === "player") this.setConnected(seat.playerId, true);
    if (seat?.kind === "host") this.state.hostConnected = true;
  }

  override onLeave(client: Client): void {
    const seat = this.seats.get(client.sessionId);
    this.seats.delete(client.sessionId);
    this.limiter.forget(client.sessionId);
    if (seat?.kind === "host") this.state.hostConnected = false;
    if (seat?.kind !== "player") return;
    // Gone for good: in the lobby the seat is freed; mid-game the record stays for the results.
    if (this.state.phase === "lobby") {
      this.state.players.delete(seat.playerId);
      this.playerPublicKeys.delete(seat.playerId);
    } else {
      this.setConnected(seat.playerId, false);
    }
    this.publishMetadata();
  }

  override async onDispose(): Promise<void> {
    await releaseCode(this.presence, this.code);
  }

  private setConnected(playerId: string, connected: boolean): void {
    const player = this.state.players.get(playerId);
    if (player) player.connected = connected;
  }

  private nameTaken(name: string): boolean {
    const lower = name.toLowerCase();
    for (const player of this.state.players.values()) if (player.name.toLowerCase() === lower) return true;
    return false;
  }

  private publishMetadata(): void {
    void this.setMetadata({ phase: this.state.phase, playerCount: this.state.players.size, locked: this.state.locked });
  }

  // ---------- the edge: parse, authorise, act ----------

  /** No handler may throw out of the room: an uncaught exception would take every classroom down. */
  private guarded(client: Client, type: string, handler: () => unknown): unknown {
    try {
      return handler();
    } catch (error) {
      console.error(`[${this.code}] ${type} failed:`, error);
      this.sendError(client, ERROR_CODES.internal, "Something went wrong on the server; nothing was changed.", type);
      return undefined;
    }
  }

  private safely(task: () => void): void {
    try {
      task();
    } catch (error) {
      console.error(`[${this.code}] ${task.name || "tick"} failed:`, error);
    }
  }

  private sendError(client: Client, code: ErrorCode, message: string, type: string, seq?: number): void {
    client.send("error", { code, message, type, ...(seq !== undefined ? { seq } : {}) });
  }

  private receive(client: Client, type: ClientMessageType, raw: unknown): void {
    const seat = this.seats.get(client.sessionId);
    const seq = typeof raw === "object" && raw !== null && typeof (raw as { seq?: unknown }).seq === "number" ? (raw as { seq: number }).seq : undefined;
    if (!seat) return;
    if (!this.limiter.allow(client.sessionId, Date.now())) {
      this.sendError(client, ERROR_CODES.rateLimited, "Slow down: too many messages per second.", type, seq);
      return;
    }
    const result = this.handle(seat, type, raw);
    if (result) this.sendError(client, result.code, result.message, type, seq);
    else client.send("ack", { type, ...(seq !== undefined ? { seq } : {}) });
  }

  /** The single path for humans and bots: returns an error, or null when the message took effect. */
  handle(seat: Seat, type: ClientMessageType, raw: unknown): { code: ErrorCode; message: string } | null {
    const payload = typeof raw === "object" && raw !== null && "seq" in raw ? Object.fromEntries(Object.entries(raw).filter(([k]) => k !== "seq")) : raw;
    const parsed = CLIENT_MESSAGES[type].safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { code: ERROR_CODES.invalidPayload, message: `Invalid ${type}: ${issue ? `${issue.path.join(".") || "payload"} ${issue.message}` : "bad payload"}` };
    }
    const data = parsed.data as Record<string, unknown>;
    if (type.startsWith("host:")) {
      if (!hostTokenMatches(data.token, serverContext().store.hostTokenHash(this.code))) return { code: ERROR_CODES.notHost, message: "Only the host can do that." };
      return this.hostAction(type, data);
    }
    if (seat.kind !== "player") return { code: ERROR_CODES.wrongRole, message: "Only players can do that." };
    const player = this.state.players.get(seat.playerId);
    if (!player) return { code: ERROR_CODES.wrongRole, message: "You are no longer in this game." };
    if (type === "player:key") {
      const publicKey = data.publicKey as string;
      if (this.playerPublicKeys.has(player.id)) return this.playerPublicKeys.get(player.id) === publicKey ? null : { code: ERROR_CODES.rejected, message: "Your key is already registered." };
      this.playerPublicKeys.set(player.id, publicKey);
      if (this.round) return this.engineAct({ type: "registerKey", account: player.id, publicKey });
      return null;
    }
    const allowed = MESSAGE_ROLES[type];
    const role = (this.round && this.roundRoles.get(player.id)) || player.role;
    if (allowed && !allowed.includes(role as Role)) return { code: ERROR_CODES.wrongRole, message: `A ${role || "player without a role"} cannot do that.` };
    if (this.state.phase !== "running" || !this.round) return { code: ERROR_CODES.wrongPhase, message: this.state.phase === "paused" ? "The round is paused." : "No round is running." };
    const scenario = this.state.scenario as Scenario;
    const belongsTo = scenarioOfMessage(type);
    if (belongsTo !== scenario) {
      return { code: ERROR_CODES.wrongPhase, message: `This round is ${SCENARIO_LABEL[scenario]}: "${type}" belongs to ${belongsTo ? SCENARIO_LABEL[belongsTo] : "another"} round.` };
    }
    const action = this.run!.act(this.round.world, player.id, type, data);
    if (typeof action === "string") return { code: ERROR_CODES.rejected, message: action };
    return action ? this.engineAct(action) : null;
  }

  /** The scenario of the round being played, or else of the next planned one. */
  private scenarioNow(): Scenario {
    if (this.state.phase === "running" || this.state.phase === "paused") return (this.state.scenario || "optimistic") as Scenario;
    return this.plan[this.state.roundIndex + 1]?.scenario ?? this.plan.at(-1)?.scenario ?? "optimistic";
  }

  /** Runs an action through the engine; its rejection becomes the sender's error. */
  private engineAct(action: Action): { code: ErrorCode; message: string } | null {
    const events = this.round!.act(action);
    this.absorb(events);
    const rejected = events.find((e) => e.type === "rejected");
    return rejected && rejected.type === "rejected" ? { code: ERROR_CODES.rejected, message: rejected.reason } : null;
  }

  /** Feeds engine events into live scores and wallets' transaction lists. */
  private absorb(events: EngineEvent[]): void {
    const world = this.round!.world;
    // A scenario's bookkeeping failing must not cost the scores and wallets below their events.
    this.safely(() => this.run?.observe?.(world, events));
    const posterOf = (batchId: number) => world.rollup.batches[batchId]?.poster;
    for (const event of events) {
      this.tracker.apply(event, world);
      for (const [playerId, points] of scoreEvent(event, posterOf)) {
        const player = this.state.players.get(playerId);
        if (player) player.score += points;
      }
    }
  }

  // ---------- host console ----------

  private hostAction(type: ClientMessageType, d: Record<string, unknown>): { code: ErrorCode; message: string } | null {
    const phase = this.state.phase;
    const wrongPhase = (message: string) => ({ code: ERROR_CODES.wrongPhase, message });
    const betweenRounds = phase === "lobby" || phase === "debrief";
    switch (type) {
      case "host:plan": {
        if (!betweenRounds) return wrongPhase("Change the plan between rounds.");
        const rounds = d.rounds as RoundPlan[];
        for (const round of rounds) {
          const config = configFor(round, SCENARIO_DEFS[round.scenario]);
          if (typeof config === "string") return { code: ERROR_CODES.invalidPayload, message: config };
        }
        const done = Math.max(0, this.state.roundIndex + 1);
        this.plan = [...this.plan.slice(0, done), ...rounds];
        this.state.plan = JSON.stringify(this.plan);
        this.state.roundCount = this.plan.length;
        return null;
      }
      case "host:assign": {
        if (!betweenRounds) return wrongPhase("Assign roles between rounds.");
        const player = this.state.players.get(d.playerId as string);
        if (!player) return { code: ERROR_CODES.rejected, message: "No such player." };
        player.role = d.role as Role;
        const bot = this.bots.get(player.id);
        if (bot) bot.role = player.role as Role;
        return null;
      }
      case "host:autoBalance":
        if (!betweenRounds) return wrongPhase("Balance roles between rounds.");
        this.autoBalance();
        return null;
      case "host:start":
        if (!betweenRounds) return wrongPhase("A round is already running.");
        if (this.state.roundIndex + 1 >= this.plan.length) return wrongPhase("The lesson plan has no more rounds.");
        this.startRound();
        return null;
      case "host:pause":
        if (phase !== "running") return wrongPhase("No running round to pause.");
        this.state.phase = "paused";
        this.publishMetadata();
        return null;
      case "host:resume":
        if (phase !== "paused") return wrongPhase("The round is not paused.");
        this.state.phase = "running";
        this.lastTickAt = Date.now();
        this.publishMetadata();
        return null;
      case "host:extend":
        if (!this.round || (phase !== "running" && phase !== "paused")) return wrongPhase("No round to extend.");
        this.round.durationMs += (d.seconds as number) * 1000;
        this.state.roundDurationMs = this.round.durationMs;
        this.state.roundRemainingMs = this.round.remainingMs;
        return null;
      case "host:skip":
        if (phase === "running" || phase === "paused") {
          this.endRound();
          return null;
        }
        if (!betweenRounds || this.state.roundIndex + 1 >= this.plan.length) return wrongPhase("There is no next round to skip.");
        this.plan.splice(this.state.roundIndex + 1, 1);
        this.state.plan = JSON.stringify(this.plan);
        this.state.roundCount = this.plan.length;
        if (this.state.roundIndex + 1 >= this.plan.length && this.state.roundIndex >= 0) this.state.phase = "final";
        return null;
      case "host:endRound":
        if (phase !== "running" && phase !== "paused") return wrongPhase("No round is running.");
        this.endRound();
        return null;
      case "host:kick": {
        const playerId = d.playerId as string;
        if (!this.state.players.has(playerId)) return { code: ERROR_CODES.rejected, message: "No such player." };
        for (const client of this.clients) {
          const seat = this.seats.get(client.sessionId);
          if (seat?.kind === "player" && seat.playerId === playerId) {
            client.send("kicked", { message: "The host removed you from this game." });
            this.seats.delete(client.sessionId);
            client.leave(CLOSE_KICKED);
          }
        }
        this.state.players.delete(playerId);
        this.bots.delete(playerId);
        this.playerPublicKeys.delete(playerId);
        this.publishMetadata();
        return null;
      }
      case "host:lock":
        this.state.locked = d.locked as boolean;
        this.publishMetadata();
        return null;
      case "host:addBots":
        this.addBots(d.count as number, d.role as Role | undefined, d.difficulty as Difficulty);
        return null;
      case "host:endSession":
        this.endSession();
        return null;
      default:
        return { code: ERROR_CODES.unknownMessage, message: `unknown host message ${type}` };
    }
  }

  /** Roles as the next (or running) round's scenario balances them. */
  private autoBalance(): void {
    const players = [...this.state.players.values()];
    const roles = SCENARIO_DEFS[this.scenarioNow()].balance(players.map((p) => ({ id: p.id, bot: p.bot })));
    for (const player of players) {
      player.role = roles.get(player.id) ?? "user";
      const bot = this.bots.get(player.id);
      if (bot) bot.role = player.role as Role;
    }
  }

  private addBots(count: number, role: Role | undefined, difficulty: Difficulty): void {
    for (let i = 0; i < count; i++) {
      const playerId = `b${this.nextPlayerNumber++}`;
      let name = `Bot ${playerId.slice(1)}`;
      while (this.nameTaken(name)) name += "+";
      const seed = randomBytes(32);
      const key = keyPairFromSeed(seed);
      const lead = SCENARIO_DEFS[this.scenarioNow()].lead;
      const chosen: Role = role ?? (lead && !this.hasRole(lead) ? lead : "user");
      this.state.players.set(playerId, new Player({ id: playerId, name, bot: true, role: chosen, wallet: new Wallet() }));
      this.playerPublicKeys.set(playerId, key.publicKey);
      this.bots.set(playerId, { id: playerId, role: chosen, difficulty, secretKey: key.secretKey, rng: seedRng(seed.toString("hex")), checked: {}, lastPostMs: 0, batchesPosted: 0, lastProveMs: 0, batchesProved: 0, memory: {} });
    }
    this.publishMetadata();
  }

  private hasRole(role: Role): boolean {
    for (const player of this.state.players.values()) if (player.role === role) return true;
    return false;
  }

  // ---------- rounds ----------

  private startRound(): void {
    const index = this.state.roundIndex + 1;
    const plan = this.plan[index]!;
    const config = configFor(plan, SCENARIO_DEFS[plan.scenario]);
    if (typeof config === "string") throw new Error(config);
    const scenario = plan.scenario;
    const def = SCENARIO_DEFS[scenario];
    // Roles this scenario has no use for play it as users; the host's choice stays for later rounds.
    const roleOf = (p: Player): Role => (SCENARIO_ROLES[scenario].includes(p.role as Role) ? (p.role as Role) : "user");
    if (def.lead) {
      const leads = () => [...this.state.players.values()].filter((p) => p.role === def.lead);
      const hardWanted = def.hardLeads?.(plan.params ?? {}) ?? 0;
      const hardNow = leads().filter((p) => this.bots.get(p.id)?.difficulty === "hard").length;
      if (hardWanted > hardNow) this.addBots(hardWanted - hardNow, def.lead, "hard");
      const seats = def.leadSeats?.(plan.params ?? {}) ?? 1;
      if (leads().length < seats) this.addBots(seats - leads().length, def.lead, "normal");
    }
    for (const player of this.state.players.values()) if (!player.role) player.role = "user";
    scaleBlockSpace(config, this.state.players.size);
    const seed = randomBytes(16).toString("hex");
    this.round = new RoundRunner(seed, config, plan.durationSec * 1000);
    this.run = def.start();
    this.tracker = new TxTracker();
    this.roundRoles.clear();
    for (const player of this.state.players.values()) {
      this.roundRoles.set(player.id, roleOf(player));
      player.roundRole = roleOf(player);
    }
    for (const bot of this.bots.values()) Object.assign(bot, { checked: {}, lastPostMs: 0, batchesPosted: 0, lastProveMs: 0, batchesProved: 0, memory: {} });
    const genesis: Action[] = [];
    for (const player of this.state.players.values()) {
      genesis.push({ type: "fund", account: player.id, amount: STARTING_L1 });
      const publicKey = this.playerPublicKeys.get(player.id);
      if (publicKey) genesis.push({ type: "registerKey", account: player.id, publicKey });
    }
    genesis.push(...this.run.genesis(this.round.world, this.roundPlayers(), plan.params ?? {}));
    for (const action of genesis) this.absorb(this.round.act(action));
    this.state.roundIndex = index;
    this.state.scenario = plan.scenario;
    this.state.roundDurationMs = this.round.durationMs;
    this.state.roundRemainingMs = this.round.remainingMs;
    this.state.phase = "running";
    this.roundStartedAt = Date.now();
    this.lastTickAt = Date.now();
    this.project();
    this.publishMetadata();
  }

  /**
   * A student who arrives mid-round plays it at once, as a user: funded on L1 like everyone at
   * genesis, plus what the scenario gives a user (a starting deposit). All through logged actions,
   * so the round still replays. Their key registers when their page sends it.
   */
  private joinRunningRound(player: Player): void {
    if (!this.round || !this.run || (this.state.phase !== "running" && this.state.phase !== "paused") || this.roundRoles.has(player.id)) return;
    this.roundRoles.set(player.id, "user");
    player.role ||= "user";
    player.roundRole = "user";
    const actions: Action[] = [{ type: "fund", account: player.id, amount: STARTING_L1 }, ...(this.run.lateJoin?.(this.round.world, { id: player.id, role: "user", bot: false, hard: false }) ?? [])];
    for (const action of actions) this.absorb(this.round.act(action));
  }

  /** Everyone in the round with the role they play in it. */
  private roundPlayers(): RoundPlayer[] {
    return [...this.state.players.values()].map((p) => ({ id: p.id, role: this.roundRoles.get(p.id) ?? "user", bot: p.bot, hard: this.bots.get(p.id)?.difficulty === "hard" }));
  }

  /** Advances the engine by the wall time since the last tick, unless paused; ends the round on time. */
  private tick(): void {
    const now = Date.now();
    const delta = (now - this.lastTickAt) * serverContext().timeScale;
    this.lastTickAt = now;
    if (this.state.phase !== "running" || !this.round) return;
    this.absorb(this.round.tick(delta));
    this.state.roundRemainingMs = this.round.remainingMs;
    this.project();
    if (this.round.remainingMs <= 0) this.endRound();
  }

  private botTurn(): void {
    if (this.state.phase !== "running" || !this.round || !this.run) return;
    const players = this.roundPlayers();
    for (const mind of this.bots.values()) {
      if (!botActs(mind)) continue;
      const mindRole = mind.role;
      mind.role = this.roundRoles.get(mind.id) ?? mindRole;
      try {
        for (const move of this.run.botMoves(this.round.world, mind, players)) this.botSend(mind.id, move);
      } catch (error) {
        // One bot's failure must not silence the others.
        console.error(`[${this.code}] bot ${mind.id} failed:`, error);
      } finally {
        mind.role = mindRole;
      }
    }
  }

  /** Bots go through the same handler as humans; their errors are simply dropped. */
  private botSend(playerId: string, move: BotMove): void {
    this.handle({ kind: "player", playerId }, move.type, move.payload);
  }

  /** The scenario's public view first (it may prepare what the wallets read), then every wallet. */
  private project(): void {
    this.safely(() => this.projectUnsafe());
  }

  /** A view that throws must not stop the round's clock or its end: project() catches it. */
  private projectUnsafe(): void {
    if (!this.round || !this.run) return;
    const world = this.round.world;
    projectWorld(world, this.state);
    const view = this.run.publicView(world);
    if (this.state.world.module !== view) this.state.world.module = view;
    for (const player of this.state.players.values()) projectWallet(world, player, this.tracker, this.run);
  }

  private endRound(): void {
    const round = this.round!;
    this.absorb(round.tick(0));
    this.project();
    const debrief = computeDebrief(round.events, round.world.config, round.elapsedMs, this.state.scenario);
    const index = this.state.roundIndex;
    const results = [...this.state.players.values()].map((p) => ({ round: index, playerId: p.id, name: p.name, role: p.role, score: debrief.scores[p.id] ?? 0 }));
    serverContext().store.saveRound(
      { sessionCode: this.code, index, scenario: this.state.scenario, seed: round.seed, config: round.world.config, log: round.log, endMs: round.elapsedMs, finalHash: stateHash(round.world), debrief, startedAt: this.roundStartedAt, endedAt: Date.now() },
      results,
    );
    this.state.debrief = JSON.stringify(debrief);
    this.state.roundRemainingMs = 0;
    this.state.phase = index + 1 >= this.plan.length ? "final" : "debrief";
    this.broadcast("debrief", { round: index });
    this.publishMetadata();
  }

  private endSession(): void {
    if (this.round && (this.state.phase === "running" || this.state.phase === "paused")) this.endRound();
    this.state.phase = "ended";
    serverContext().store.endSession(this.code, Date.now());
    this.publishMetadata();
    this.broadcast("notice", { message: "The host ended this game. Thanks for playing!" });
    this.clock.setTimeout(() => void this.disconnect(CLOSE_SESSION_ENDED), 500);
  }

  // ---------- requests ----------

  /** A challenger's client fetches a batch's data to re-execute it with the shared engine. */
  private sendBatchData(client: Client, raw: unknown): void {
    const parsed = REQUESTS["batch:data"].safeParse(raw);
    if (!parsed.success) return this.sendError(client, ERROR_CODES.invalidPayload, "Invalid batch:data request", "batch:data");
    const batch = this.round?.world.rollup.batches[parsed.data.batchId];
    if (!batch || !batch.preState) return this.sendError(client, ERROR_CODES.rejected, "That batch is not available for re-execution.", "batch:data");
    const world = this.round!.world;
    client.send("batch:data", {
      batchId: batch.id,
      preState: batch.preState,
      txs: batch.txs,
      claimedRoots: batch.claimedRoots,
      context: { publicKeys: world.l1.publicKeys, deposits: world.rollup.deposits, sequencer: batch.poster },
    });
  }
}

export { ROLES };
