/**
 * A token bucket per key: `ratePerSec` sustained, `burst` at once. Over the limit a message is
 * dropped with an error; the student keeps their seat.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();
  private readonly ratePerSec: number;
  private readonly burst: number;
  private lastPruneMs = 0;

  constructor(ratePerSec: number, burst: number) {
    this.ratePerSec = ratePerSec;
    this.burst = burst;
  }

  /** True if `key` may do one more thing at `nowMs`. */
  allow(key: string, nowMs: number): boolean {
    this.prune(nowMs);
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, atMs: nowMs };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((nowMs - bucket.atMs) / 1000) * this.ratePerSec);
    bucket.atMs = nowMs;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    return allowed;
  }

  forget(key: string): void {
    this.buckets.delete(key);
  }

  /** Drops buckets that have refilled: they hold nothing a fresh bucket would not, and keys (addresses) come and go. */
  private prune(nowMs: number): void {
    if (nowMs - this.lastPruneMs < 60_000) return;
    this.lastPruneMs = nowMs;
    const refillMs = (this.burst / this.ratePerSec) * 1000;
    for (const [key, bucket] of this.buckets) if (nowMs - bucket.atMs >= refillMs) this.buckets.delete(key);
  }
}
