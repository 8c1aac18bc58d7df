import type { Rosette } from "../../../shared/lessons/rosette.ts";

/**
 * The synced classroom state as plain data (what `room.state.toJSON()` gives). Mirrors
 * server/schema.ts field by field; the client never imports server code.
 */

export interface WalletSnap {
  l1Balance?: number;
  l2Balance?: number;
  l2Nonce?: number;
  /** JSON of TxEntry[], newest first. */
  txs?: string;
  /** JSON of WithdrawalEntry[]. */
  withdrawals?: string;
  /** JSON of what only you may see in the round's scenario (channel states, Plasma coins…), "" if nothing. */
  module?: string;
}

export interface PlayerSnap {
  id: string;
  name: string;
  role: string;
  /** The role played in the current (or last) round. */
  roundRole?: string;
  connected: boolean;
  bot: boolean;
  score: number;
  /** How the player is connected: "websocket", "polling" (the HTTP fallback) or "socketio-websocket"; "" for bots. */
  transport?: string;
  /** Present only for yourself (from your private view, `you` messages). */
  wallet?: WalletSnap;
}

export interface BlockSnap {
  height: number;
  timeMs: number;
  gasUsed: number;
  gasLimit: number;
  baseFee: number;
  txCount: number;
}

export interface BatchSnap {
  id: number;
  poster: string;
  txCount: number;
  /** submitted | posted | final | reverted */
  status: string;
  claimedRoot: string;
  postedAtMs: number;
  windowEndsMs: number;
  rawBytes: number;
  compressedBytes: number;
  disputed: boolean;
  /** Final with the sequencer's forgery in it: the fraud went through. */
  fraudFinal?: boolean;
  /** Whose L2 money the forgery took ("" for a mint), and how much (gwei). */
  stolenFrom?: string;
  stolen?: number;
}

export interface DisputeSnap {
  id: number;
  batchId: number;
  challenger: string;
  defender: string;
  lo: number;
  hi: number;
  steps: number;
  /** defender | challenger | proof */
  turn: string;
  deadlineMs: number;
  /** open | defender-won | challenger-won | void */
  status: string;
  defenderMidRoot: string;
  /** Why a won dispute ended: "one-step-proof" | "timeout"; "" while open or void. */
  endedBy?: string;
}

/** An L2 transaction waiting for the sequencer: only the sequencer's private view lists them (`wallet.module.mempool`). */
export interface PendingTxSnap {
  id: string;
  from: string;
  to: string;
  kind: string;
  amount: number;
  censored: boolean;
  submittedAtMs: number;
}

export interface InboxSnap {
  id: number;
  from: string;
  enqueuedAtMs: number;
  included: boolean;
}

export interface WorldSnap {
  nowMs: number;
  l1Height: number;
  baseFee: number;
  l1MempoolSize: number;
  bridgeEscrow: number;
  sequencer: string;
  softCount: number;
  challengeWindowMs: number;
  moveTimeoutMs: number;
  forcedInclusionDelayMs: number;
  blockTimeMs: number;
  l2FeePerTx: number;
  blocks: BlockSnap[];
  batches: BatchSnap[];
  disputes: DisputeSnap[];
  /** L2 transactions waiting for the sequencer (the rows are the sequencer's alone: `sequencerMempool`). */
  l2MempoolSize: number;
  inbox: InboxSnap[];
  /** JSON of the running scenario's public picture (ZK batches, channels, Plasma blocks, sidechain…), "" if none. */
  module: string;
}

export type Phase = "lobby" | "running" | "paused" | "debrief" | "final" | "ended";

export interface Snapshot {
  protocolVersion: number;
  code: string;
  phase: Phase;
  locked: boolean;
  hostConnected: boolean;
  roundIndex: number;
  roundCount: number;
  scenario: string;
  roundDurationMs: number;
  roundRemainingMs: number;
  /** JSON of the lesson plan. */
  plan: string;
  players: Record<string, PlayerSnap>;
  world: WorldSnap;
  /** JSON of the last debrief, "" before the first. */
  debrief: string;
  /** JSON of each finished round's LessonRoundSnap, in order: the final results show the whole lesson. */
  lesson: string[];
  /** After a server restart: seconds until the paused round resumes by itself (0 otherwise). */
  resumingInSec: number;
}

/** What the final results show of one finished round (server/lesson-record.ts). */
export interface LessonRoundSnap {
  index: number;
  scenario: string;
  durationMs: number;
  /** The host ended it before its time was up: its figures cover only part of it, and no stage is rated. */
  endedEarly: boolean;
  tradeOff: string;
  story: string[];
  rosette?: Rosette;
  /** Points each player scored in that round. */
  scores: Record<string, number>;
}

/** A transaction in your wallet's list (server/projection.ts TxEntry). */
export interface TxEntry {
  id: string;
  kind: string;
  to: string;
  amount: number;
  status: string;
  atMs: number;
  reason?: string;
}

export interface WithdrawalEntry {
  id: string;
  amount: number;
  /** initiated | ready | finalized | reverted */
  status: string;
}

export interface PlannedRound {
  scenario: string;
  durationSec: number;
  params?: Record<string, number>;
}

const EMPTY_WORLD: WorldSnap = {
  nowMs: 0, l1Height: 0, baseFee: 0, l1MempoolSize: 0, bridgeEscrow: 0, sequencer: "", softCount: 0, l2MempoolSize: 0,
  challengeWindowMs: 0, moveTimeoutMs: 0, forcedInclusionDelayMs: 0, blockTimeMs: 0, l2FeePerTx: 0,
  blocks: [], batches: [], disputes: [], inbox: [], module: "",
};

/** The scenario views as they arrive beside the state (shared/protocol/view-feed.ts ViewMirror). */
export interface ArrivedViews {
  myId: string;
  worldText: string;
  wallet(): WalletSnap | undefined;
}

/**
 * The snapshot with the scenario views put where the screens read them: the public picture in
 * `world.module`, your own private view in your player's `wallet` (as it was when both were synced
 * state: they now arrive as changes, in their own messages).
 */
export function withViews(snapshot: Snapshot, views: ArrivedViews): Snapshot {
  snapshot.world.module = views.worldText;
  const me = views.myId ? snapshot.players[views.myId] : undefined;
  // A copy: the players object may be shared with the previous snapshot (snapshot-builder.ts).
  if (me) snapshot.players = { ...snapshot.players, [views.myId]: { ...me, wallet: views.wallet() } };
  return snapshot;
}

/** Fills what a fresh decode may not have yet, so views never meet `undefined` arrays. */
export function normalise(raw: unknown): Snapshot {
  const s = (raw ?? {}) as Partial<Snapshot>;
  return {
    protocolVersion: s.protocolVersion ?? 0,
    code: s.code ?? "",
    phase: (s.phase ?? "lobby") as Phase,
    locked: s.locked ?? false,
    hostConnected: s.hostConnected ?? false,
    roundIndex: s.roundIndex ?? -1,
    roundCount: s.roundCount ?? 0,
    scenario: s.scenario ?? "",
    roundDurationMs: s.roundDurationMs ?? 0,
    roundRemainingMs: s.roundRemainingMs ?? 0,
    plan: s.plan ?? "[]",
    players: s.players ?? {},
    world: { ...EMPTY_WORLD, ...(s.world ?? {}) },
    debrief: s.debrief ?? "",
    lesson: Array.isArray(s.lesson) ? s.lesson : [],
    resumingInSec: s.resumingInSec ?? 0,
  };
}

/** Parses a JSON string field, falling back when it is empty or malformed. */
export function parseJson<T>(text: string | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** A player's display name, or their id when they are gone. */
export function nameOf(s: Snapshot, id: string): string {
  return s.players[id]?.name ?? id;
}
