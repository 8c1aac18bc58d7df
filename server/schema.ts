import { schema, t } from "@colyseus/schema";
import type { SchemaType } from "@colyseus/schema";

export const Player = schema({
  id: t.string(),
  name: t.string(),
  role: t.string().default(""),
  /** The role played in the current (or last) round: the host's choice, or "user" when the scenario has no use for it. */
  roundRole: t.string().default(""),
  connected: t.boolean().default(true),
  bot: t.boolean().default(false),
  score: t.number().default(0),
  /** How this player is connected (TRANSPORTS in shared/protocol/transport.ts): "websocket", "polling" or "socketio-websocket"; "" for bots. */
  transport: t.string().default(""),
  // What only this player sees (wallet, transactions, the scenario's private part) is not in the
  // synced state: it goes to them alone as `you` messages (shared/protocol/view-feed.ts).
}, "Player");
export type Player = SchemaType<typeof Player>;

export const Block = schema({
  height: t.number(),
  timeMs: t.number(),
  gasUsed: t.number(),
  gasLimit: t.number(),
  baseFee: t.number(),
  txCount: t.number(),
}, "Block");
export type Block = SchemaType<typeof Block>;

export const BatchView = schema({
  id: t.number(),
  poster: t.string(),
  txCount: t.number(),
  status: t.string(),
  claimedRoot: t.string(),
  postedAtMs: t.number().default(-1),
  windowEndsMs: t.number().default(-1),
  rawBytes: t.number(),
  compressedBytes: t.number(),
  disputed: t.boolean().default(false),
  /** Final with the sequencer's forged transaction in it: the fraud went through (public once final, as on L1). */
  fraudFinal: t.boolean().default(false),
  /** For such a batch: whose L2 money the forged transfer took ("" for a mint), and how much (gwei). */
  stolenFrom: t.string().default(""),
  stolen: t.number().default(0),
}, "BatchView");
export type BatchView = SchemaType<typeof BatchView>;

export const DisputeView = schema({
  id: t.number(),
  batchId: t.number(),
  challenger: t.string(),
  defender: t.string(),
  lo: t.number(),
  hi: t.number(),
  steps: t.number(),
  turn: t.string(),
  deadlineMs: t.number(),
  status: t.string(),
  /** The defender's root at the midpoint once it has moved this round ("" before). */
  defenderMidRoot: t.string().default(""),
  /** Why a won dispute ended: "one-step-proof" (L1 re-executed the last step) or "timeout" (a side's clock ran out); "" while open or void. */
  endedBy: t.string().default(""),
}, "DisputeView");
export type DisputeView = SchemaType<typeof DisputeView>;

export const InboxEntry = schema({
  id: t.number(),
  from: t.string(),
  enqueuedAtMs: t.number(),
  included: t.boolean(),
}, "InboxEntry");
export type InboxEntry = SchemaType<typeof InboxEntry>;

/** The public world: what the projector draws and every player may read. */
export const WorldView = schema({
  /** Game clock of the round, ms (pauses with the round). */
  nowMs: t.number().default(0),
  l1Height: t.number().default(0),
  baseFee: t.number().default(0),
  l1MempoolSize: t.number().default(0),
  bridgeEscrow: t.number().default(0),
  sequencer: t.string().default(""),
  softCount: t.number().default(0),
  /**
   * L2 transactions waiting for the sequencer. Only the count is public: the rows change with every
   * transaction and only the sequencer acts on them, so they go to the sequencer alone (its private
   * view, server/scenarios/optimistic.ts) — sent to everyone they were most of a big class's traffic.
   */
  l2MempoolSize: t.number().default(0),
  challengeWindowMs: t.number().default(0),
  moveTimeoutMs: t.number().default(0),
  forcedInclusionDelayMs: t.number().default(0),
  blockTimeMs: t.number().default(0),
  l2FeePerTx: t.number().default(0),
  blocks: t.array(Block),
  batches: t.array(BatchView),
  disputes: t.array(DisputeView),
  inbox: t.array(InboxEntry),
  // The running scenario's public picture travels beside the state, as changes, in `world`
  // messages (shared/protocol/view-feed.ts); its shape is documented with each scenario.
}, "WorldView");
export type WorldView = SchemaType<typeof WorldView>;

export const ClassroomState = schema({
  protocolVersion: t.number(),
  code: t.string(),
  /** lobby | running | paused | debrief | final | ended */
  phase: t.string().default("lobby"),
  locked: t.boolean().default(false),
  hostConnected: t.boolean().default(false),
  roundIndex: t.number().default(-1),
  roundCount: t.number().default(0),
  scenario: t.string().default(""),
  /** Round length and time left, ms of game clock; the client counts down between patches. */
  roundDurationMs: t.number().default(0),
  roundRemainingMs: t.number().default(0),
  /** JSON of the lesson plan: [{ scenario, durationSec, params }]. */
  plan: t.string().default("[]"),
  players: t.map(Player),
  world: t.ref(WorldView),
  /** JSON of the last round's debrief (see shared/engine/debrief.ts), "" before the first. */
  debrief: t.string().default(""),
  /** Each finished round's summary for the final results (server/lesson-record.ts), JSON, in order; one entry added per round. */
  lesson: t.array("string"),
  /** After a server restart the round waits, paused, for phones to come back: seconds until it resumes by itself (0: not restoring). */
  resumingInSec: t.number().default(0),
}, "ClassroomState");
export type ClassroomState = SchemaType<typeof ClassroomState>;
