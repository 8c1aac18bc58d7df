import type { RoundsSnapshot } from "./rounds.ts";
import type { SeatsSnapshot } from "./seats.ts";

/**
 * Everything about a session that is not in a round's action log, as stored after each change:
 * the room's own fields, the seats (roster, keys, each connection's reconnection token) and the
 * rounds (plan, bots, the running round's frame). With the running round's write-ahead log it is
 * enough to bring the classroom back after a crash. Plain JSON.
 */
export interface SessionSnapshot {
  version: typeof SNAPSHOT_VERSION;
  phase: string;
  locked: boolean;
  roundIndex: number;
  scenario: string;
  debrief: string;
  lesson: string[];
  createdAtMs: number;
  /** Last time anyone was connected: a session left empty too long is closed, not restored. */
  lastOccupiedMs: number;
  /** The state encoder's next refId when this was written (a restored room numbers well past it). */
  refIds: number;
  seats: SeatsSnapshot;
  rounds: RoundsSnapshot;
}

/** Bumped when the snapshot changes shape; an older one is not restored (its session is ended instead). */
export const SNAPSHOT_VERSION = 1;

/** The stored snapshot, if it is one this server can read. */
export function readSnapshot(raw: unknown): SessionSnapshot | null {
  return typeof raw === "object" && raw !== null && (raw as { version?: unknown }).version === SNAPSHOT_VERSION ? (raw as SessionSnapshot) : null;
}
