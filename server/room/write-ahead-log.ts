import type { SessionStore, WalEntry } from "../store/session-store.ts";

/**
 * A classroom's write-ahead log. Every line the running round applies is appended here at once;
 * a flush writes what has gathered (one transaction: a group commit per turn of the event loop),
 * with the session's snapshot when it changed. An action is acknowledged only once `durable()`
 * resolves, so nothing a player was told happened can be lost by a crash. Every store write of
 * the room goes through the same queue, in order.
 */
export class WriteAheadLog {
  private pending: WalEntry[] = [];
  private roundIndex = -1;
  private nextSeq = 0;
  private snapshotDue = false;
  private sealed = false;
  /** Measuring without the log (L2ARENA_WAL=off): finished rounds and session ends are still stored. */
  private readonly off: boolean;
  /** The flush that will take what is pending now (scheduled, not started). */
  private next: Promise<void> | null = null;
  /** The tail of the queue: every write is chained after the previous one. */
  private tail: Promise<void> = Promise.resolve();
  private readonly store: SessionStore;
  private readonly code: string;
  private readonly snapshot: () => unknown;
  private readonly onError: (error: unknown) => void;

  /**
   * `off` only measures what the log costs (bench:load with L2ARENA_WAL=off): nothing is written,
   * nothing survives a restart.
   */
  constructor(options: { store: SessionStore; code: string; snapshot: () => unknown; onError: (error: unknown) => void; off?: boolean }) {
    this.off = options.off === true;
    this.sealed = this.off;
    this.store = options.store;
    this.code = options.code;
    this.snapshot = options.snapshot;
    this.onError = options.onError;
  }

  /** The log now belongs to round `index`; its lines are numbered from `fromSeq` (0 for a new round, the count replayed for a restored one). */
  startRound(index: number, fromSeq = 0): void {
    this.roundIndex = index;
    this.nextSeq = fromSeq;
  }

  append(entry: WalEntry): void {
    if (this.sealed) return;
    this.pending.push(entry);
    void this.schedule().catch(() => undefined);
  }

  /** The session's snapshot changed (roster, plan, phase, seats…): write it with the next flush. */
  snapshotChanged(): void {
    if (this.sealed) return;
    this.snapshotDue = true;
    void this.schedule().catch(() => undefined);
  }

  /** Resolves once everything appended so far is stored; rejects if the store failed. */
  durable(): Promise<void> {
    return this.pending.length || this.snapshotDue ? this.schedule() : this.tail;
  }

  /** Runs another store write of this room in order with the log's flushes (none once sealed: the room or the process is going). */
  enqueue(write: () => Promise<void>): Promise<void> {
    if (this.sealed && !this.off) return this.tail;
    const done = this.tail.then(write);
    this.tail = done.catch(() => undefined);
    return done;
  }

  /** Writes what is pending now and stops taking anything more (the process is about to stop). */
  async seal(): Promise<void> {
    await this.durable().catch((error: unknown) => this.onError(error));
    this.sealed = true;
  }

  private schedule(): Promise<void> {
    this.next ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.next = null;
      return this.enqueue(() => this.flush());
    });
    return this.next;
  }

  private async flush(): Promise<void> {
    const entries = this.pending;
    this.pending = [];
    const snapshot = this.snapshotDue ? this.snapshot() : undefined;
    this.snapshotDue = false;
    if (!entries.length && snapshot === undefined) return;
    const from = this.nextSeq;
    this.nextSeq += entries.length;
    try {
      await this.store.appendLog(this.code, this.roundIndex, from, entries, snapshot);
    } catch (error) {
      this.onError(error);
      throw error;
    }
  }
}
