import type { Snapshot } from "./snapshot.ts";

/** Longest the screen runs ahead of the last patch (ms): beyond it, the server is late, not time. */
const MAX_EXTRAPOLATION_MS = 1_500;

/**
 * The round's game clock between patches. The server sends `world.nowMs` and the time left a few
 * times a second; screens that animate (the projector, the host timer) count on smoothly from them.
 */
export class GameClock {
  private nowMs = 0;
  private remainingMs = 0;
  private receivedAt = 0;
  private running = false;

  update(s: Snapshot): void {
    const running = s.phase === "running";
    if (s.world.nowMs !== this.nowMs || s.roundRemainingMs !== this.remainingMs || running !== this.running) {
      this.nowMs = s.world.nowMs;
      this.remainingMs = s.roundRemainingMs;
      this.running = running;
      this.receivedAt = performance.now();
    }
  }

  private elapsed(): number {
    return this.running ? Math.min(MAX_EXTRAPOLATION_MS, performance.now() - this.receivedAt) : 0;
  }

  /** Game time now, ms. */
  now(): number {
    return this.nowMs + this.elapsed();
  }

  /** Round time left, ms. */
  remaining(): number {
    return Math.max(0, this.remainingMs - this.elapsed());
  }
}
