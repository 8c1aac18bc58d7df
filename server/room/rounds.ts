import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { keyPairFromSeed } from "../../shared/crypto/sign.ts";
import type { Action } from "../../shared/engine/actions.ts";
import type { ScenarioConfig } from "../../shared/engine/config.ts";
import { computeDebrief, scoreEvent } from "../../shared/engine/debrief.ts";
import type { EngineEvent } from "../../shared/engine/events.ts";
import { seedRng } from "../../shared/engine/prng.ts";
import { stateHash } from "../../shared/engine/replay.ts";
import { RoundScore } from "../../shared/engine/round-score.ts";
import { rollupOf } from "../../shared/engine/optimistic/types.ts";
import { botActs } from "../../shared/bots/mind.ts";
import type { BotMind, BotMove } from "../../shared/bots/mind.ts";
import { ERROR_CODES, MESSAGE_ROLES, SCENARIO_LABEL, SCENARIO_ROLES, scenarioOfMessage } from "../../shared/protocol/messages.ts";
import type { ClientMessageType, Difficulty, ErrorCode, Role, RoundPlan, Scenario } from "../../shared/protocol/messages.ts";
import type { Limits } from "../limits.ts";
import { lessonRoundJson } from "../lesson-record.ts";
import { TxTracker, privateParts, projectWorld } from "../projection.ts";
import { RoundRunner, configFor, scaleBlockSpace } from "../round.ts";
import type { ClassroomState, Player } from "../schema.ts";
import { STARTING_L1 } from "../scenarios/common.ts";
import { SCENARIO_DEFS } from "../scenarios/index.ts";
import type { RoundPlayer, ScenarioRun } from "../scenarios/scenario.ts";
import type { SessionStore, WalEntry } from "../store/session-store.ts";
import { botCensus } from "./bot-census.ts";
import type { Seats } from "./seats.ts";
import type { WriteAheadLog } from "./write-ahead-log.ts";
import type { ViewFeeds } from "./view-feeds.ts";

/** Why a message did not take effect, for the sender. */
export interface Refused {
  code: ErrorCode;
  message: string;
}

/** Accounts a round may open for late joiners per slot (server/limits.ts, lateJoinersPerRound). */
const LATE_ACCOUNTS_PER_SLOT = 4;
const DEFAULT_PLAN: RoundPlan[] = [{ scenario: "optimistic", durationSec: 180 }];
/**
 * Every private view is rebuilt at least once in this many passes (a pass per tick: 250 ms), besides
 * the views a change named: what no event names (time passing) shows within a second in a class,
 * within two in a lecture hall (past LECTURE_HALL players).
 */
const REFRESH_PASSES = { class: 4, hall: 8 };
const LECTURE_HALL = 300;
/** How often the round's clock fields go to clients (wall ms); they count on in between. */
const CLOCK_SYNC_MS = 1_000;
/** Bots think in slices this long (ms), yielding between them. */
const BOT_SLICE_MS = 8;

export interface RoundsContext {
  code: string;
  state: ClassroomState;
  seats: Seats;
  limits: Limits;
  store: SessionStore;
  /** Every line the round applies goes here before anyone is told it happened. */
  wal: WriteAheadLog;
  /** The scenario views, sent as changes: the public picture to everyone, each private one to its player. */
  feeds: ViewFeeds;
  /** Game ms per wall ms (tests compress time). */
  timeScale: number;
  /** A bot's move goes through the same handler as a human's message. */
  botSend(playerId: string, move: BotMove): void;
  broadcast(type: string, payload: unknown): void;
  publishMetadata(): void;
  /** Logs a failure without letting it out of the room. */
  report(what: string, error: unknown): void;
}

/**
 * The rounds of one classroom: the lesson plan, the running round's engine and scenario adapter,
 * its clock, the server bots, scores, and the projection of the world into the synced state.
 * Every action the engine applies goes through `act`.
 */
export class Rounds {
  plan: RoundPlan[] = DEFAULT_PLAN;
  round: RoundRunner | null = null;
  /** The running round's scenario adapter (messages → actions, views, bots). */
  run: ScenarioRun | null = null;
  readonly bots = new Map<string, BotMind>();
  /** Each player's role in the running round (a role the scenario has no use for plays as user). */
  private readonly roundRoles = new Map<string, Role>();
  private tracker = new TxTracker();
  /** The running round's scoring state (routine points capped, the fee bonus): the same rules computeDebrief applies. */
  private score = new RoundScore();
  private startedAt = 0;
  /** Who was in the round at genesis, as the scenario saw them (a restore calls genesis again for the scenario's own setup). */
  private genesisPlayers: RoundPlayer[] = [];
  /** Each player's score when the round started (or they joined it): a restored round adds the replayed round's points to it. */
  private baseScores = new Map<string, number>();
  private lastTickAt = 0;
  /** When the clock fields were last put in the state (wall ms). */
  private clockSentAt = 0;
  /** Late joiners holding a slot this round; one who leaves without a trace gives it back. */
  private readonly lateJoiners = new Set<string>();
  /** Accounts this round opened for late joiners (each funded), slots given back or not: bounds churn. */
  private lateAccounts = 0;
  /** Players whose private view may have changed since the last projection (named by an event, or who acted). */
  private readonly touched = new Set<string>();
  /** A message the scenario handled beside the engine since the last pass (it may change anyone's view). */
  private relayed = false;
  /** Where the next projection pass starts among the players nothing named (a big class refreshes them in turns). */
  private projectCursor = 0;
  /** Where the next bot turn starts: when a turn runs out of its time budget, the bots after it go first next time. */
  private botCursor = 0;
  /** A bot pass is spread over several slices: the next turn waits for it to finish. */
  private botPassRunning = false;
  private readonly ctx: RoundsContext;

  constructor(ctx: RoundsContext) {
    this.ctx = ctx;
    this.ctx.state.plan = JSON.stringify(this.plan);
    this.ctx.state.roundCount = this.plan.length;
  }

  get running(): boolean {
    const phase = this.ctx.state.phase;
    return this.round !== null && (phase === "running" || phase === "paused");
  }

  /** The scenario of the round being played, or else of the next planned one. */
  scenarioNow(): Scenario {
    const { state } = this.ctx;
    if (state.phase === "running" || state.phase === "paused") return (state.scenario || "optimistic") as Scenario;
    return this.plan[state.roundIndex + 1]?.scenario ?? this.plan.at(-1)?.scenario ?? "optimistic";
  }

  /** The role `playerId` plays now: in the round, or as the host assigned it. */
  roleOf(player: Player): string {
    return (this.round && this.roundRoles.get(player.id)) || player.role;
  }

  setPlan(rounds: RoundPlan[]): Refused | null {
    for (const round of rounds) {
      const config = configFor(round);
      if (typeof config === "string") return { code: ERROR_CODES.invalidPayload, message: config };
    }
    const done = Math.max(0, this.ctx.state.roundIndex + 1);
    this.plan = [...this.plan.slice(0, done), ...rounds];
    this.syncPlan();
    return null;
  }

  /** Drops the next planned round; the game is over when none is left. */
  skipNext(): void {
    const { state } = this.ctx;
    this.plan.splice(state.roundIndex + 1, 1);
    this.syncPlan();
    if (state.roundIndex + 1 >= this.plan.length && state.roundIndex >= 0) state.phase = "final";
  }

  private syncPlan(): void {
    this.ctx.state.plan = JSON.stringify(this.plan);
    this.ctx.state.roundCount = this.plan.length;
  }

  // ---------- a player's message ----------

  /** A validated player message in the running round: role, phase and scenario checked, then the engine. */
  playerAct(player: Player, type: ClientMessageType, data: Record<string, unknown>): Refused | null {
    const { state } = this.ctx;
    const allowed = MESSAGE_ROLES[type];
    const role = this.roleOf(player);
    if (allowed && !allowed.includes(role as Role)) return { code: ERROR_CODES.wrongRole, message: `A ${role || "player without a role"} cannot do that.` };
    if (state.phase !== "running" || !this.round || !this.run) return { code: ERROR_CODES.wrongPhase, message: state.phase === "paused" ? "The round is paused." : "No round is running." };
    const scenario = state.scenario as Scenario;
    const belongsTo = scenarioOfMessage(type);
    if (belongsTo !== scenario) {
      return { code: ERROR_CODES.wrongPhase, message: `This round is ${SCENARIO_LABEL[scenario]}: "${type}" belongs to ${belongsTo ? SCENARIO_LABEL[belongsTo] : "another"} round.` };
    }
    const action = this.run.act(this.round.world, player.id, type, data);
    if (typeof action === "string") return { code: ERROR_CODES.rejected, message: action };
    if (action) return this.act(action);
    // Handled beside the engine (a channel proposal relayed): logged too, so a restore replays it.
    this.ctx.wal.append({ kind: "relay", atMs: this.round.world.nowMs, playerId: player.id, type, data });
    // No event names whom it concerns (a partner, a hub, whoever routes through it): a class projects everyone next pass.
    this.relayed = true;
    return null;
  }

  /** A player's key, registered in the running round's L1 too. */
  registerKey(playerId: string, publicKey: string): Refused | null {
    return this.round ? this.act({ type: "registerKey", account: playerId, publicKey }) : null;
  }

  /** Runs an action through the engine; its rejection becomes the sender's error. The one door into the engine. */
  act(action: Action): Refused | null {
    const round = this.round!;
    const events = round.act(action);
    this.ctx.wal.append({ kind: "action", atMs: round.log.at(-1)!.atMs, action });
    this.absorb(events);
    const rejected = events.find((e) => e.type === "rejected");
    return rejected && rejected.type === "rejected" ? { code: ERROR_CODES.rejected, message: rejected.reason } : null;
  }

  /** Feeds engine events into live scores and wallets' transaction lists. */
  private absorb(events: EngineEvent[]): void {
    const world = this.round!.world;
    // A scenario's bookkeeping failing must not cost the scores and wallets below their events.
    try {
      this.run?.observe?.(world, events);
    } catch (error) {
      this.ctx.report("observe", error);
    }
    const posterOf = (batchId: number) => rollupOf(world).batches[batchId]?.poster;
    for (const event of events) {
      this.noteNamed(event);
      this.tracker.apply(event, world);
      for (const [playerId, points] of this.score.apply(event, scoreEvent(event, posterOf))) {
        const player = this.ctx.state.players.get(playerId);
        if (player) player.score += points;
      }
    }
  }

  /** Players an event names (as sender, recipient, owner, party…): their private views get projected next pass. */
  private noteNamed(event: EngineEvent): void {
    const players = this.ctx.state.players;
    const consider = (value: unknown) => {
      if (typeof value === "string" && players.has(value)) this.touched.add(value);
    };
    for (const value of Object.values(event)) consider(value);
    if (event.type === "module") for (const value of Object.values(event.data)) consider(value);
  }

  /** A player's own message took effect: their view gets projected next pass. */
  touch(playerId: string): void {
    this.touched.add(playerId);
  }

  // ---------- bots ----------

  /**
   * Adds server bots, or says which cap stops it (per session, per process). `capped` false: the
   * lead a round cannot run without (a sequencer, an operator — a handful) is added past the caps.
   */
  addBots(count: number, role: Role | undefined, difficulty: Difficulty, capped = true): Refused | null {
    const { limits, seats, state } = this.ctx;
    const room = capped ? limits.botsPerSession - this.bots.size : Infinity;
    const process = capped ? limits.botsPerProcess - botCensus.alive : Infinity;
    if (count > room) return { code: ERROR_CODES.rejected, message: `A game can have at most ${limits.botsPerSession} bots (it has ${this.bots.size}).` };
    if (count > process) return { code: ERROR_CODES.rejected, message: `The server is running as many bots as it can (${limits.botsPerProcess}); add at most ${Math.max(0, process)}.` };
    if (capped && state.players.size + count > limits.playersPerSession) return { code: ERROR_CODES.rejected, message: `This game is full (${limits.playersPerSession} players).` };
    for (let i = 0; i < count; i++) {
      const playerId = seats.nextBotId();
      let name = `Bot ${playerId.slice(1)}`;
      while (seats.nameTaken(name)) name += "+";
      const seed = randomBytes(32);
      const key = keyPairFromSeed(seed);
      const lead = SCENARIO_DEFS[this.scenarioNow()].lead;
      const chosen: Role = role ?? (lead && !this.hasRole(lead) ? lead : "user");
      const player = seats.addPlayer(playerId, name, true);
      player.role = chosen;
      seats.publicKeys.set(playerId, key.publicKey);
      seats.markActed(playerId);
      this.bots.set(playerId, { id: playerId, role: chosen, difficulty, secretKey: key.secretKey, rng: seedRng(seed.toString("hex")), checked: {}, lastPostMs: 0, batchesPosted: 0, lastProveMs: 0, batchesProved: 0, memory: {} });
    }
    botCensus.add(count);
    this.ctx.publishMetadata();
    return null;
  }

  removeBot(playerId: string): void {
    if (this.bots.delete(playerId)) botCensus.remove(1);
  }

  /** Every bot goes when the room goes. */
  disposeBots(): void {
    botCensus.remove(this.bots.size);
    this.bots.clear();
  }

  private hasRole(role: Role): boolean {
    for (const player of this.ctx.state.players.values()) if (player.role === role) return true;
    return false;
  }

  /** Roles as the next (or running) round's scenario balances them. */
  autoBalance(): void {
    const players = [...this.ctx.state.players.values()];
    const roles = SCENARIO_DEFS[this.scenarioNow()].balance(players.map((p) => ({ id: p.id, bot: p.bot })));
    for (const player of players) this.setRole(player, roles.get(player.id) ?? "user");
  }

  setRole(player: Player, role: Role): void {
    player.role = role;
    const bot = this.bots.get(player.id);
    if (bot) bot.role = role;
  }

  /**
   * One bot turn. Bots think in order from a cursor, within a time budget per room: a class with
   * hundreds of bots spreads their turns over several ticks instead of starving the classrooms
   * beside it.
   */
  botTurn(): void {
    if (this.ctx.state.phase !== "running" || !this.round || !this.run || this.botPassRunning) return;
    const minds = [...this.bots.values()];
    if (minds.length === 0) return;
    const players = this.roundPlayers();
    const start = this.botCursor % minds.length;
    let done = 0;
    let spentMs = 0;
    // In slices of BOT_SLICE_MS, yielding between them: other classrooms' messages (and this one's
    // humans) are served in between, so a room full of bots delays them by a slice at most.
    const slice = () => {
      this.botPassRunning = false;
      if (this.ctx.state.phase !== "running" || !this.round || !this.run) return;
      const began = performance.now();
      for (; done < minds.length && performance.now() - began < BOT_SLICE_MS; done++) {
        const mind = minds[(start + done) % minds.length]!;
        if (!this.bots.has(mind.id) || !botActs(mind)) continue;
        const mindRole = mind.role;
        mind.role = this.roundRoles.get(mind.id) ?? mindRole;
        try {
          for (const move of this.run.botMoves(this.round.world, mind, players)) this.ctx.botSend(mind.id, move);
        } catch (error) {
          // One bot's failure must not silence the others.
          this.ctx.report(`bot ${mind.id}`, error);
        } finally {
          mind.role = mindRole;
        }
      }
      spentMs += performance.now() - began;
      this.botCursor = (start + done) % minds.length;
      if (done < minds.length && spentMs < this.ctx.limits.botBudgetMsPerTurn) {
        this.botPassRunning = true;
        setImmediate(() => {
          try {
            slice();
          } catch (error) {
            this.botPassRunning = false;
            this.ctx.report("bots", error);
          }
        });
      }
    };
    slice();
  }

  // ---------- the round's life ----------

  /** Why the host cannot start the next round now, or null. */
  startRefusal(): string | null {
    const { state } = this.ctx;
    if (state.phase !== "lobby" && state.phase !== "debrief") return "A round is already running.";
    if (state.roundIndex + 1 >= this.plan.length) return "The lesson plan has no more rounds.";
    return null;
  }

  start(): void {
    const { state, seats } = this.ctx;
    const index = state.roundIndex + 1;
    const plan = this.plan[index]!;
    const config = configFor(plan);
    if (typeof config === "string") throw new Error(config);
    const scenario = plan.scenario;
    const def = SCENARIO_DEFS[scenario];
    // Roles this scenario has no use for play it as users; the host's choice stays for later rounds.
    const roleOf = (p: Player): Role => (SCENARIO_ROLES[scenario].includes(p.role as Role) ? (p.role as Role) : "user");
    if (def.lead) {
      const leads = () => [...state.players.values()].filter((p) => p.role === def.lead);
      const hardWanted = def.hardLeads?.(plan.params ?? {}) ?? 0;
      const hardNow = leads().filter((p) => this.bots.get(p.id)?.difficulty === "hard").length;
      if (hardWanted > hardNow) this.addBots(hardWanted - hardNow, def.lead, "hard", false);
      const seatsWanted = def.leadSeats?.(plan.params ?? {}) ?? 1;
      if (leads().length < seatsWanted) this.addBots(seatsWanted - leads().length, def.lead, "normal", false);
    }
    for (const player of state.players.values()) if (!player.role) player.role = "user";
    scaleBlockSpace(config, state.players.size);
    const seed = randomBytes(16).toString("hex");
    this.round = new RoundRunner(seed, config, plan.durationSec * 1000);
    this.run = def.start();
    this.tracker = new TxTracker();
    this.score = new RoundScore();
    this.ctx.feeds.clear();
    this.roundRoles.clear();
    this.lateJoiners.clear();
    this.lateAccounts = 0;
    this.baseScores = new Map([...state.players.values()].map((p) => [p.id, p.score]));
    this.ctx.wal.startRound(index);
    for (const player of state.players.values()) {
      this.roundRoles.set(player.id, roleOf(player));
      player.roundRole = roleOf(player);
    }
    for (const bot of this.bots.values()) Object.assign(bot, { checked: {}, lastPostMs: 0, batchesPosted: 0, lastProveMs: 0, batchesProved: 0, memory: {} });
    const genesis: Action[] = [];
    for (const player of state.players.values()) {
      genesis.push({ type: "fund", account: player.id, amount: STARTING_L1 });
      const publicKey = seats.publicKeys.get(player.id);
      if (publicKey) genesis.push({ type: "registerKey", account: player.id, publicKey });
    }
    this.genesisPlayers = this.roundPlayers();
    genesis.push(...this.run.genesis(this.round.world, this.genesisPlayers, plan.params ?? {}));
    for (const action of genesis) this.act(action);
    state.roundIndex = index;
    state.scenario = plan.scenario;
    state.roundDurationMs = this.round.durationMs;
    state.roundRemainingMs = this.round.remainingMs;
    state.phase = "running";
    this.startedAt = Date.now();
    this.lastTickAt = Date.now();
    this.project();
    this.ctx.wal.snapshotChanged();
    this.ctx.publishMetadata();
  }

  /** Why a new student cannot join the running round now (late joiners are capped per round), or null. */
  lateJoinRefusal(): string | null {
    if (!this.running) return null;
    const slots = this.ctx.limits.lateJoinersPerRound;
    return this.lateJoiners.size >= slots || this.lateAccounts >= LATE_ACCOUNTS_PER_SLOT * slots ? "This round has taken all the late joiners it can: join when the next round starts." : null;
  }

  /** A late joiner left without doing anything (their record is gone): the slot is free again. */
  leftWithoutTrace(playerId: string): void {
    if (!this.lateJoiners.delete(playerId)) return;
    this.roundRoles.delete(playerId);
    this.baseScores.delete(playerId);
  }

  /**
   * A student who arrives mid-round plays it at once, as a user: funded on L1 like everyone at
   * genesis, plus what the scenario gives a user (a starting deposit). All through logged actions,
   * so the round still replays. Their key registers when their page sends it.
   */
  joinRunning(player: Player): void {
    if (!this.round || !this.run || !this.running || this.roundRoles.has(player.id)) return;
    this.lateJoiners.add(player.id);
    this.lateAccounts += 1;
    this.baseScores.set(player.id, player.score);
    this.roundRoles.set(player.id, "user");
    player.role ||= "user";
    player.roundRole = "user";
    const publicKey = this.ctx.seats.publicKeys.get(player.id);
    const actions: Action[] = [
      { type: "fund", account: player.id, amount: STARTING_L1 },
      ...(publicKey ? [{ type: "registerKey" as const, account: player.id, publicKey }] : []),
      ...(this.run.lateJoin?.(this.round.world, { id: player.id, role: "user", bot: false, hard: false }) ?? []),
    ];
    for (const action of actions) this.act(action);
  }

  /** Everyone in the round with the role they play in it. */
  private roundPlayers(): RoundPlayer[] {
    return [...this.ctx.state.players.values()].map((p) => ({ id: p.id, role: this.roundRoles.get(p.id) ?? "user", bot: p.bot, hard: this.bots.get(p.id)?.difficulty === "hard" }));
  }

  pause(): void {
    // The clock stops where it is now, not where the last once-a-second update left it.
    if (this.round) {
      this.ctx.state.roundRemainingMs = this.round.remainingMs;
      this.ctx.state.world.nowMs = this.round.world.nowMs;
    }
    this.ctx.state.phase = "paused";
    this.ctx.wal.snapshotChanged();
    this.ctx.publishMetadata();
  }

  resume(): void {
    this.ctx.state.phase = "running";
    this.lastTickAt = Date.now();
    this.ctx.wal.snapshotChanged();
    this.ctx.publishMetadata();
  }

  extend(seconds: number): void {
    const round = this.round!;
    round.durationMs += seconds * 1000;
    this.ctx.state.roundDurationMs = round.durationMs;
    this.ctx.state.roundRemainingMs = round.remainingMs;
    this.ctx.wal.snapshotChanged();
  }

  /**
   * The round clock goes into the log (once a second, from the room), with the world's state hash
   * there: a restore resumes the clock where it was and checks the replayed world against the hash.
   */
  clockCheckpoint(withHash: boolean, refIds: number): void {
    if (!this.round || !this.running) return;
    const world = this.round.world;
    this.ctx.wal.append({ kind: "clock", atMs: world.nowMs, refIds, ...(withHash ? { hash: stateHash(world) } : {}) });
  }

  /** Advances the engine by the wall time since the last tick, unless paused; ends the round on time. */
  tick(): void {
    const now = Date.now();
    const delta = (now - this.lastTickAt) * this.ctx.timeScale;
    this.lastTickAt = now;
    if (this.ctx.state.phase !== "running" || !this.round) return;
    this.absorb(this.round.tick(delta));
    // The clock fields go out about once a second: clients count on smoothly in between, and a patch
    // of the time alone to every client four times a second is most of what a quiet room sends.
    const syncClock = now - this.clockSentAt >= CLOCK_SYNC_MS || this.round.remainingMs <= 0;
    if (syncClock) {
      this.clockSentAt = now;
      this.ctx.state.roundRemainingMs = this.round.remainingMs;
    }
    this.project(syncClock);
    if (this.round.remainingMs <= 0) this.end();
  }

  /**
   * The scenario's public view first (it may prepare what the wallets read), then the private views
   * that may have changed: of the players events named, who acted, whose transactions moved, the
   * round's leads and whom the scenario keeps fresh, plus a turn of the others (REFRESH_PASSES); in a
   * class, everyone after a relayed message. Rebuilding every view every pass was most of a class's
   * projection work (30 views 4 times a second, nearly all unchanged). A view that throws must not
   * stop the clock.
   */
  private project(syncClock = true): void {
    if (!this.round || !this.run) return;
    try {
      const world = this.round.world;
      const { state, feeds } = this.ctx;
      projectWorld(world, state, syncClock);
      feeds.publishWorld(this.run.publicView(world));
      for (const id of this.tracker.takeChanged()) this.touched.add(id);
      for (const id of this.run.fresh?.(world) ?? []) this.touched.add(id);
      const lead = SCENARIO_DEFS[state.scenario as Scenario]?.lead ?? null;
      const players = [...state.players.values()];
      const hall = players.length > LECTURE_HALL;
      const turn = this.relayed && !hall ? players.length : Math.ceil(players.length / (hall ? REFRESH_PASSES.hall : REFRESH_PASSES.class));
      const start = this.projectCursor % Math.max(1, players.length);
      players.forEach((player, i) => {
        // A view no connection holds (a server bot's, a dropped phone's) is built when someone sits in it (privateViewNow).
        if (!this.ctx.seats.ownerOf(player.id)) return;
        const inTurn = (i - start + players.length) % players.length < turn;
        // The lead's view (the sequencer's mempool, the prover's queue) follows everyone's actions: every pass.
        if (inTurn || this.touched.has(player.id) || this.roundRoles.get(player.id) === lead) feeds.publishPrivate(player.id, privateParts(world, player.id, this.tracker, this.run!));
      });
      this.projectCursor = start + turn;
      this.touched.clear();
      this.relayed = false;
    } catch (error) {
      this.ctx.report("projection", error);
    }
  }

  /** A player's whole private view now, for their client that just (re)joined. */
  privateViewNow(playerId: string): void {
    if (!this.round || !this.run || !this.ctx.state.players.has(playerId)) return;
    this.ctx.feeds.publishPrivate(playerId, privateParts(this.round.world, playerId, this.tracker, this.run));
  }

  end(): void {
    const { state, code, store } = this.ctx;
    const round = this.round!;
    // Ended by the host (End round, Skip, End the game) before its time was up.
    const endedEarly = round.remainingMs > 0;
    this.absorb(round.tick(0));
    this.project();
    const debrief = computeDebrief(round.events, round.world.config, round.elapsedMs, state.scenario);
    const index = state.roundIndex;
    const results = [...state.players.values()].map((p) => ({ round: index, playerId: p.id, name: p.name, role: p.roundRole || p.role, score: debrief.scores[p.id] ?? 0 }));
    const stored = { sessionCode: code, index, scenario: state.scenario, seed: round.seed, config: round.world.config, log: round.log, endMs: round.elapsedMs, finalHash: stateHash(round.world), debrief, startedAt: this.startedAt, endedAt: Date.now(), endedEarly };
    // In order with the round's last log lines; storing it retires the write-ahead log.
    void this.ctx.wal.enqueue(() => store.saveRound(stored, results)).catch((error: unknown) => this.ctx.report("saving the round", error));
    state.debrief = JSON.stringify(debrief);
    state.lesson.push(lessonRoundJson(index, debrief, endedEarly));
    state.roundRemainingMs = 0;
    state.phase = index + 1 >= this.plan.length ? "final" : "debrief";
    this.ctx.wal.snapshotChanged();
    this.ctx.broadcast("debrief", { round: index });
    this.ctx.publishMetadata();
  }

  // ---------- crash survival ----------

  /** What the snapshot keeps of the rounds: the plan, the bots, and the running round's frame (its lines are in the log). */
  exportState(): RoundsSnapshot {
    const round = this.round && this.running ? this.round : null;
    return {
      plan: this.plan,
      bots: [...this.bots.values()],
      botCursor: this.botCursor,
      round: round
        ? {
            seed: round.seed,
            config: round.world.config,
            durationMs: round.durationMs,
            startedAt: this.startedAt,
            roundRoles: [...this.roundRoles],
            genesisPlayers: this.genesisPlayers,
            params: this.plan[this.ctx.state.roundIndex]?.params ?? {},
            lateJoiners: [...this.lateJoiners],
            lateAccounts: this.lateAccounts,
            baseScores: [...this.baseScores],
          }
        : null,
    };
  }

  /**
   * Brings the rounds back after a restart: the plan and bots from the snapshot, and the running
   * round rebuilt by replaying its write-ahead log through the same doors as live (actions into the
   * engine, relayed messages into the scenario, the clock forward), with scores, wallets and the
   * scenario's own bookkeeping rebuilt from the events. Returns how many lines were replayed and
   * whether the last logged state hash matched (null: none was logged).
   */
  restore(snapshot: RoundsSnapshot, entries: readonly WalEntry[]): { replayed: number; hashMatched: boolean | null } {
    const { state } = this.ctx;
    this.plan = snapshot.plan;
    this.syncPlan();
    for (const mind of snapshot.bots) this.bots.set(mind.id, mind);
    botCensus.add(snapshot.bots.length);
    this.botCursor = snapshot.botCursor;
    const frame = snapshot.round;
    if (!frame) return { replayed: 0, hashMatched: null };
    const scenario = state.scenario as Scenario;
    this.round = new RoundRunner(frame.seed, frame.config, frame.durationMs);
    this.run = SCENARIO_DEFS[scenario].start();
    this.tracker = new TxTracker();
    this.score = new RoundScore();
    this.roundRoles.clear();
    for (const [id, role] of frame.roundRoles) this.roundRoles.set(id, role);
    // A snapshot from before slots were given back counted them (a number): each one then stays taken.
    this.lateJoiners.clear();
    if (Array.isArray(frame.lateJoiners)) for (const id of frame.lateJoiners) this.lateJoiners.add(id);
    this.lateAccounts = frame.lateAccounts ?? (typeof frame.lateJoiners === "number" ? frame.lateJoiners : this.lateJoiners.size);
    this.baseScores = new Map(frame.baseScores);
    this.startedAt = frame.startedAt;
    for (const player of state.players.values()) player.score = this.baseScores.get(player.id) ?? player.score;
    // Scenario bookkeeping (who is paired, relay, views) is rebuilt from the same calls as live:
    // genesis first, on the fresh world (its actions are in the log), then every line in order.
    const round = this.round;
    this.genesisPlayers = frame.genesisPlayers;
    this.run.genesis(round.world, frame.genesisPlayers, frame.params);
    let hashMatched: boolean | null = null;
    for (const entry of entries) {
      if (entry.atMs > round.world.nowMs) this.absorb(round.tick(entry.atMs - round.world.nowMs));
      if (entry.kind === "action") {
        this.absorb(round.act(entry.action));
      } else if (entry.kind === "relay") {
        this.run.act(round.world, entry.playerId, entry.type as ClientMessageType, entry.data);
      } else if (entry.hash !== undefined) {
        hashMatched = stateHash(round.world) === entry.hash;
      }
    }
    this.ctx.wal.startRound(state.roundIndex, entries.length);
    state.roundDurationMs = round.durationMs;
    state.roundRemainingMs = round.remainingMs;
    this.lastTickAt = Date.now();
    this.project();
    return { replayed: entries.length, hashMatched };
  }
}

/** The rounds' part of a session snapshot (server/room/snapshot.ts). */
export interface RoundsSnapshot {
  plan: RoundPlan[];
  bots: BotMind[];
  botCursor: number;
  round: {
    seed: string;
    config: ScenarioConfig;
    durationMs: number;
    startedAt: number;
    roundRoles: [string, Role][];
    genesisPlayers: RoundPlayer[];
    params: Readonly<Record<string, number>>;
    /** Late joiners holding a slot (a number in snapshots written before slots were given back). */
    lateJoiners: string[] | number;
    lateAccounts?: number;
    baseScores: [string, number][];
  } | null;
}
