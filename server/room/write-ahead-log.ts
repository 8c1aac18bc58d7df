import type { SessionStore, WalEntry } from "../store/session-store.ts";

/** How long a failed write waits before it is tried again, ms: doubling from the first to the last. */
const RETRY_FIRST_MS = 500;
const RETRY_LAST_MS = 10_000;
/** How long a graceful stop waits for the store before it gives up on what is still pending, ms. */
const SEAL_WAIT_MS = 10_000;

/**
 * A classroom's write-ahead log. Every line the running round applies is appended here at once;
 * a flush writes what has gathered (one transaction: a group commit per turn of the event loop),
 * with the session's snapshot when it changed. An action is acknowledged only once `durable()`
 * resolves, so nothing a player was told happened can be lost by a crash. A write that fails
 * (the disk is full, another process holds the file too long) loses nothing: its lines go back
 * in front and are written again, and whoever waits on them keeps waiting — the log never falls
 * behind what the room applied while anyone is told otherwise. Every store write of the room goes
 * through the same queue, in order.
 */
export class WriteAheadLog {
  private pending: WalEntry[] = [];
  private roundIndex = -1;
  private nextSeq = 0;
  private snapshotDue = false;
  private sealed = false;
  /** Measuring without the log (L2ARENA_WAL=off): finished rounds and session ends are still stored. */
  private readonly off: boolean;
  /** Changes (lines appended, snapshots announced) so far, and how many of them are stored. */
  private changes = 0;
  private storedChanges = 0;
  /** Who waits for which change to be stored. */
  private waiters: { upTo: number; resolve: () => void }[] = [];
  private flushScheduled = false;
  private retryMs = 0;
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
    this.changes += 1;
    this.schedule();
  }

  /** The session's snapshot changed (roster, plan, phase, seats…): write it with the next flush. */
  snapshotChanged(): void {
    if (this.sealed) return;
    this.snapshotDue = true;
    this.changes += 1;
    this.schedule();
  }

  /** Resolves once everything appended or announced so far is stored (however many tries that takes). */
  durable(): Promise<void> {
    if (this.storedChanges >= this.changes) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ upTo: this.changes, resolve }));
  }

  /** Whether a write is failing right now (its lines wait to be tried again). */
  get failing(): boolean {
    return this.retryMs > 0;
  }

  /** Runs another store write of this room in order with the log's flushes (none once sealed: the room or the process is going). */
  enqueue(write: () => Promise<void>): Promise<void> {
    if (this.sealed && !this.off) return this.tail;
    const done = this.tail.then(write);
    this.tail = done.catch(() => undefined);
    return done;
  }

  /**
   * Writes what is pending now and stops taking anything more (the process is about to stop). If the
   * store does not answer within SEAL_WAIT_MS, what is still pending is given up, and said so: none
   * of it was acknowledged.
   */
  async seal(): Promise<void> {
    const stored = await Promise.race([this.durable().then(() => true), new Promise<boolean>((resolve) => setTimeout(resolve, SEAL_WAIT_MS, false).unref())]);
    if (!stored) this.onError(new Error(`the store did not answer in ${SEAL_WAIT_MS / 1000} s: ${this.pending.length} unacknowledged log line(s) not saved`));
    this.sealed = true;
  }

  private schedule(delayMs = 0): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const run = () => {
      this.flushScheduled = false;
      void this.enqueue(() => this.flush());
    };
    if (delayMs > 0) setTimeout(run, delayMs).unref();
    else setImmediate(run);
  }

  private async flush(): Promise<void> {
    const entries = this.pending;
    const snapshotDue = this.snapshotDue;
    const upTo = this.changes;
    if (!entries.length && !snapshotDue) return;
    this.pending = [];
    this.snapshotDue = false;
    try {
      await this.store.appendLog(this.code, this.roundIndex, this.nextSeq, entries, snapshotDue ? this.snapshot() : undefined);
    } catch (error) {
      // Nothing is lost and nothing is acknowledged: the lines go back in front, to be written again.
      this.pending = [...entries, ...this.pending];
      this.snapshotDue ||= snapshotDue;
      this.retryMs = Math.min(RETRY_LAST_MS, Math.max(RETRY_FIRST_MS, this.retryMs * 2));
      this.onError(error);
      if (!this.sealed) this.schedule(this.retryMs);
      return;
    }
    this.nextSeq += entries.length;
    this.retryMs = 0;
    this.storedChanges = upTo;
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (waiter.upTo <= upTo) waiter.resolve();
      else this.waiters.push(waiter);
    }
  }
}
