import type { Limits } from "../limits.ts";
import { RateLimiter } from "../rate-limit.ts";

/** What to do with one inbound message. */
export type GateVerdict = "pass" | "drop" | "drop-and-tell" | "kick";

/**
 * Every inbound frame of a client passes here first — known message types, unknown ones,
 * requests, pings, bytes and inputs alike (colyseus-internals.ts gateFrames). Over the rate it is dropped; the client hears so at most once a second (answering every
 * dropped message would be a flood of our own); a client that keeps flooding is disconnected.
 */
export class MessageGate {
  private readonly limiter: RateLimiter;
  private readonly drops = new Map<string, { windowStartMs: number; count: number; toldAtMs: number }>();
  private readonly kickAfter: number;
  private readonly floodWindowMs: number;

  constructor(limits: Pick<Limits, "messagesPerSec" | "messageBurst" | "floodKickDrops" | "floodWindowSec">) {
    this.limiter = new RateLimiter(limits.messagesPerSec, limits.messageBurst);
    this.kickAfter = limits.floodKickDrops;
    this.floodWindowMs = limits.floodWindowSec * 1_000;
  }

  admit(clientId: string, nowMs: number): GateVerdict {
    if (this.limiter.allow(clientId, nowMs)) return "pass";
    let drops = this.drops.get(clientId);
    if (!drops || nowMs - drops.windowStartMs > this.floodWindowMs) {
      drops = { windowStartMs: nowMs, count: 0, toldAtMs: drops?.toldAtMs ?? -Infinity };
      this.drops.set(clientId, drops);
    }
    drops.count += 1;
    if (drops.count >= this.kickAfter) return "kick";
    if (nowMs - drops.toldAtMs < 1_000) return "drop";
    drops.toldAtMs = nowMs;
    return "drop-and-tell";
  }

  forget(clientId: string): void {
    this.limiter.forget(clientId);
    this.drops.delete(clientId);
  }
}
