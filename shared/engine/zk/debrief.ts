import type { EngineEvent } from "../events.ts";
import { ZK_EVENTS, ZK_MODULE } from "./constants.ts";
import type { DataCost } from "../cost.ts";

/** A round's ZK rollup figures, computed from events only. Amounts in gwei, times in ms, gas in gas units. */
export interface ZkDebrief {
  deposits: number;
  deposited: number;
  l2Txs: number;
  provers: string[];
  batchesVerified: number;
  batchesRejected: number;
  batchesAbandoned: number;
  /** Fraudulent batches attempted, and how many of them L1 verified (a sound proof system keeps this 0). */
  fraudsAttempted: number;
  fraudsVerified: number;
  /** Transactions (deposits included) final on L1, and their time from submission to verified finality. */
  finalTxs: number;
  meanFinalityMs: number;
  maxFinalityMs: number;
  /** Everything provers paid for proving, what went into batches L1 never accepted, and the cost per final transaction. */
  proverCost: number;
  wastedProverCost: number;
  proverCostPerFinalTx: number;
  /** Verification gas per batch: one figure, whatever the batch size (null before any verification). */
  verifyGasPerBatch: number | null;
  /** L1 gas of verified batches (verification + commitment + state-diff calldata), and per final transaction. */
  verifiedL1Gas: number;
  l1GasPerFinalTx: number;
  /** L1 fees provers paid for verify transactions, reverted ones included. */
  proverL1Fees: number;
  l1FeePerFinalTx: number;
  withdrawalsPaid: number;
  withdrawn: number;
  /** From verification to the L1 payout: no challenge window, so about one block. */
  meanPayoutAfterVerifyMs: number;
  /** Verified batches' state diffs: what their data cost, and what it would have cost as calldata and as blobs (null before any verification). */
  data: DataCost | null;
}

function num(value: unknown): number {
  return typeof value === "number" ? value : 0;
}

function ratio(total: number, count: number): number {
  return count > 0 ? Math.round(total / count) : 0;
}

/** Sums the ZK rollup's events of a round into its debrief figures. */
export function zkDebrief(events: readonly EngineEvent[]): ZkDebrief {
  const d: ZkDebrief = {
    deposits: 0, deposited: 0, l2Txs: 0, provers: [], batchesVerified: 0, batchesRejected: 0, batchesAbandoned: 0,
    fraudsAttempted: 0, fraudsVerified: 0, finalTxs: 0, meanFinalityMs: 0, maxFinalityMs: 0, proverCost: 0,
    wastedProverCost: 0, proverCostPerFinalTx: 0, verifyGasPerBatch: null, verifiedL1Gas: 0, l1GasPerFinalTx: 0,
    proverL1Fees: 0, l1FeePerFinalTx: 0, withdrawalsPaid: 0, withdrawn: 0, meanPayoutAfterVerifyMs: 0, data: null,
  };
  const fraudulent = new Set<number>();
  let totalFinalityMs = 0;
  let totalPayoutMs = 0;
  for (const event of events) {
    if (event.type !== "module" || event.module !== ZK_MODULE) continue;
    const data = event.data;
    switch (event.name) {
      case ZK_EVENTS.depositCredited:
        d.deposits += 1;
        d.deposited += num(data.amount);
        break;
      case ZK_EVENTS.txAccepted:
        d.l2Txs += 1;
        break;
      case ZK_EVENTS.proverPaid:
        d.proverCost += num(data.cost);
        if (typeof data.prover === "string" && !d.provers.includes(data.prover)) d.provers.push(data.prover);
        break;
      case ZK_EVENTS.fraudAttempted:
        d.fraudsAttempted += 1;
        fraudulent.add(num(data.batchId));
        break;
      case ZK_EVENTS.verifyOutOfOrder:
        d.proverL1Fees += num(data.l1Fee);
        break;
      case ZK_EVENTS.batchRejected:
        d.batchesRejected += 1;
        d.wastedProverCost += num(data.proverCost);
        d.proverL1Fees += num(data.l1Fee);
        break;
      case ZK_EVENTS.batchAbandoned:
        d.batchesAbandoned += 1;
        d.wastedProverCost += num(data.proverCost);
        break;
      case ZK_EVENTS.batchVerified:
        d.batchesVerified += 1;
        if (fraudulent.has(num(data.batchId))) d.fraudsVerified += 1;
        d.finalTxs += num(data.txCount);
        totalFinalityMs += num(data.totalFinalityMs);
        d.maxFinalityMs = Math.max(d.maxFinalityMs, num(data.maxFinalityMs));
        d.verifyGasPerBatch = num(data.verifyGas);
        d.verifiedL1Gas += num(data.l1Gas);
        d.proverL1Fees += num(data.l1Fee);
        d.data = {
          blobs: (d.data?.blobs ?? 0) + num(data.blobs),
          paid: (d.data?.paid ?? 0) + num(data.dataFee),
          asCalldata: (d.data?.asCalldata ?? 0) + num(data.dataFeeAsCalldata),
          asBlobs: (d.data?.asBlobs ?? 0) + num(data.dataFeeAsBlobs),
        };
        break;
      case ZK_EVENTS.withdrawalPaid:
        d.withdrawalsPaid += 1;
        d.withdrawn += num(data.amount);
        totalPayoutMs += num(data.sinceVerifiedMs);
        break;
    }
  }
  d.meanFinalityMs = ratio(totalFinalityMs, d.finalTxs);
  d.proverCostPerFinalTx = ratio(d.proverCost, d.finalTxs);
  d.l1GasPerFinalTx = ratio(d.verifiedL1Gas, d.finalTxs);
  d.l1FeePerFinalTx = ratio(d.proverL1Fees, d.finalTxs);
  d.meanPayoutAfterVerifyMs = ratio(totalPayoutMs, d.withdrawalsPaid);
  return d;
}
