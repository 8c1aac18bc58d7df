import { executionTrace } from "../../../shared/engine/l2-state.ts";
import type { L2Context, L2State, L2Tx } from "../../../shared/engine/l2-state.ts";
import { warmBatchSignatures } from "./browser-verifier.ts";

/** A batch as the server hands it out for re-execution. */
export interface BatchToCheck {
  batchId: number;
  preState: L2State;
  txs: L2Tx[];
  claimedRoots: string[];
  context: L2Context;
}

/** What honest re-execution says about a batch. */
export interface Verdict {
  batchId: number;
  /** honestRoots[i]: the state root after the first i transactions, computed here. */
  honestRoots: string[];
  claimedRoots: string[];
  /** True when the sequencer's claimed post-state root is not what the transactions produce. */
  fraud: boolean;
  /** First trace index where the sequencer's roots leave the honest ones (null if none). */
  firstBadStep: number | null;
  /** Transactions the honest state transition refused (no-ops), with the reason. */
  skipped: { index: number; kind: string; reason: string }[];
}

/**
 * Re-executes a batch with the shared engine's state transition function, exactly as L1 would
 * one step at a time, and compares with what the sequencer claimed.
 */
export function verifyBatch(batch: BatchToCheck): Verdict {
  const { roots, failed } = executionTrace(batch.preState, batch.txs, batch.context);
  const claimedFinal = batch.claimedRoots.at(-1);
  const honestFinal = roots.at(-1);
  let firstBadStep: number | null = null;
  for (let i = 0; i < roots.length; i++) {
    if (roots[i] !== batch.claimedRoots[i]) {
      firstBadStep = i;
      break;
    }
  }
  const skipped = batch.txs.flatMap((tx, index) => {
    const reason = failed.get(tx.id);
    return reason ? [{ index, kind: tx.kind, reason }] : [];
  });
  return { batchId: batch.batchId, honestRoots: roots, claimedRoots: batch.claimedRoots, fraud: claimedFinal !== honestFinal, firstBadStep, skipped };
}

/** verifyBatch after checking the batch's signatures with WebCrypto where the browser has it (faster, same verdicts). */
export async function verifyBatchAsync(batch: BatchToCheck): Promise<Verdict> {
  await warmBatchSignatures(batch.txs, batch.context);
  return verifyBatch(batch);
}
