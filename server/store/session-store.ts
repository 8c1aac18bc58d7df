import type { Action, LoggedAction } from "../../shared/engine/actions.ts";
import type { ScenarioConfig } from "../../shared/engine/config.ts";
import type { Debrief } from "../../shared/engine/debrief.ts";

/** A finished round: enough to replay it (seed, config, action log) and what it showed. */
export interface StoredRound {
  sessionCode: string;
  index: number;
  scenario: string;
  seed: string;
  config: ScenarioConfig;
  log: LoggedAction[];
  endMs: number;
  finalHash: string;
  debrief: Debrief;
  startedAt: number;
  endedAt: number;
  /** The host ended it before its time was up: its figures cover part of it (no stage rating). */
  endedEarly: boolean;
}

export interface ResultRow {
  round: number;
  playerId: string;
  name: string;
  /** The role played in that round. */
  role: string;
  score: number;
}

/**
 * One line of a running round's write-ahead log, in the order it happened (game time `atMs`):
 * an engine action; a scenario message handled beside the engine (a channel proposal relayed);
 * or the round clock reaching `atMs`, with the world's state hash there when it was taken.
 */
export type WalEntry =
  | { kind: "action"; atMs: number; action: Action }
  | { kind: "relay"; atMs: number; playerId: string; type: string; data: Record<string, unknown> }
  | { kind: "clock"; atMs: number; hash?: string; refIds?: number };

/** A session that had not ended when the server stopped: what its room needs to come back. */
export interface OpenSession {
  code: string;
  hostTokenHash: string;
  createdAt: number;
  /** The room's own snapshot (server/room/snapshot.ts), null if it never wrote one. */
  snapshot: unknown;
}

/**
 * Where sessions live: the embedded SQLite file by default (one machine, any number of
 * processes), PostgreSQL across machines. Every method is async so both backends share the
 * interface and the same tests. A round's log lines are durable once `appendLog` resolves:
 * nothing is acknowledged to a player before that.
 */
export interface SessionStore {
  readonly kind: "sqlite" | "postgres";
  /** A new session, owned by the process `owner` (the one that runs its room and restores it after a restart). */
  createSession(code: string, hostTokenHash: string, now: number, owner: string): Promise<void>;
  endSession(code: string, now: number): Promise<void>;
  /** A session's dates, live or ended, or null if the code was never ours. */
  session(code: string): Promise<{ createdAt: number; endedAt: number | null } | null>;
  hostTokenHash(code: string): Promise<string | null>;
  /** Stores a finished round and its results; its write-ahead log is no longer needed. */
  saveRound(round: StoredRound, results: ResultRow[]): Promise<void>;
  rounds(code: string): Promise<StoredRound[]>;
  results(code: string): Promise<ResultRow[]>;
  /** Appends log lines of round `roundIndex` (numbered from `fromSeq`) and, when given, replaces the session's snapshot — in one transaction. */
  appendLog(code: string, roundIndex: number, fromSeq: number, entries: readonly WalEntry[], snapshot?: unknown): Promise<void>;
  /** The running round's log, in order. */
  roundLog(code: string, roundIndex: number): Promise<WalEntry[]>;
  /** Every session of process `owner` not ended, with its latest snapshot. */
  openSessions(owner: string): Promise<OpenSession[]>;
  /** True when the store answers a trivial query. */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}
