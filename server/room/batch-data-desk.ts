import type { World } from "../../shared/engine/world.ts";
import { rollupOf } from "../../shared/engine/optimistic/types.ts";
import type { Limits } from "../limits.ts";

/** What a challenger's client gets to re-execute a batch locally: see client/src/net/connection.ts BatchData. */
export interface BatchDataPayload {
  batchId: number;
  preState: unknown;
  txs: unknown;
  claimedRoots: string[];
  context: { publicKeys: unknown; deposits: unknown; sequencer: string };
}

/**
 * Answers `batch:data` requests. A batch's data is built once per round and reused for every
 * challenger; each client may fetch a batch a few times (a reload, a reconnection) and a few
 * batches a minute — a challenger needs each batch once, a flood gets a clear refusal.
 */
export class BatchDataDesk {
  private cache = new Map<number, BatchDataPayload>();
  private cachedFor: World | null = null;
  private readonly clients = new Map<string, { windowStartMs: number; inWindow: number; perBatch: Map<number, number> }>();
  private readonly limits: Pick<Limits, "batchDataPerMinute" | "batchDataPerBatch">;

  constructor(limits: Pick<Limits, "batchDataPerMinute" | "batchDataPerBatch">) {
    this.limits = limits;
  }

  /** The batch's data, or why this client gets none. */
  answer(clientId: string, batchId: number, world: World | null, nowMs: number): BatchDataPayload | string {
    if (world !== this.cachedFor) {
      // A new round numbers its batches from 0 again.
      this.cache.clear();
      this.clients.clear();
      this.cachedFor = world;
    }
    let usage = this.clients.get(clientId);
    if (!usage || nowMs - usage.windowStartMs > 60_000) {
      usage = { windowStartMs: nowMs, inWindow: 0, perBatch: usage?.perBatch ?? new Map() };
      this.clients.set(clientId, usage);
    }
    // Every request counts towards the minute, answered or not: asking for missing batches is no free flood.
    if (usage.inWindow >= this.limits.batchDataPerMinute) return `At most ${this.limits.batchDataPerMinute} batch downloads a minute: wait a little.`;
    usage.inWindow += 1;
    const fetched = usage.perBatch.get(batchId) ?? 0;
    if (fetched >= this.limits.batchDataPerBatch) return `You already downloaded batch ${batchId} ${fetched} times.`;
    const payload = this.payload(batchId, world);
    if (!payload) return "That batch is not available for re-execution.";
    usage.perBatch.set(batchId, fetched + 1);
    return payload;
  }

  private payload(batchId: number, world: World | null): BatchDataPayload | null {
    const batch = world ? rollupOf(world).batches[batchId] : undefined;
    // preState is dropped once a batch is final: nothing left to challenge.
    if (!world || !batch || !batch.preState) {
      this.cache.delete(batchId);
      return null;
    }
    const cached = this.cache.get(batchId);
    if (cached) return cached;
    const payload: BatchDataPayload = {
      batchId: batch.id,
      preState: batch.preState,
      txs: batch.txs,
      claimedRoots: batch.claimedRoots,
      context: { publicKeys: world.l1.publicKeys, deposits: rollupOf(world).deposits, sequencer: batch.poster },
    };
    this.cache.set(batchId, payload);
    return payload;
  }

  forget(clientId: string): void {
    this.clients.delete(clientId);
  }
}
