import { MIN_BASE_FEE_PER_BLOB_GAS } from "./blob-fee.ts";
import type { BlobSchedule } from "./blob-fee.ts";

/**
 * What one Layer 2 transaction really cost on L1 in a round, against a plain L1 transfer in the
 * same round. Both sides are fees actually paid (gwei): the L2's own L1 transactions (batch posts,
 * proofs, checkpoints) divided by the transactions they carried. The flat fee an L2 charged its
 * users is a price, not a cost, and is never the divisor.
 */
export interface CostComparison {
  /** Mean fee paid for a plain L1 transfer this round (estimated from the base fee when nobody sent one), gwei. */
  l1TransferFee: number;
  /** Everything the L2's operator paid L1 for the transactions below, gwei. */
  l1Fees: number;
  /** Transactions those L1 fees carried. */
  txs: number;
  /** l1Fees / txs, gwei; null when nothing was carried to L1. */
  perTx: number | null;
  /** l1TransferFee / perTx to one decimal: "N× cheaper" (below 1: dearer); null without perTx. */
  ratio: number | null;
  /** What l1Fees counts, in words ("the sequencer's 4 batch posts"). */
  basis: string;
  /**
   * Of l1Fees, what paid for the data itself, and what the same bytes cost as calldata and as
   * EIP-4844 blobs at the same blocks' prices (one of them is `paid`), gwei; null when the L2 posts no data per transaction.
   */
  data: DataCost | null;
}

export interface DataCost {
  blobs: number;
  paid: number;
  asCalldata: number;
  asBlobs: number;
}

/** Builds the comparison from the round's totals. */
export function costComparison(l1TransferFee: number, l1Fees: number, txs: number, basis: string, data: DataCost | null = null): CostComparison {
  const perTx = txs > 0 ? Math.round(l1Fees / txs) : null;
  const ratio = perTx !== null && perTx > 0 ? Math.round((10 * l1TransferFee) / perTx) / 10 : null;
  return { l1TransferFee, l1Fees, txs, perTx, ratio, basis, data };
}

/** Sums the data costs of a round's posts (each event's paid / as-calldata / as-blobs figures). */
export function sumDataCosts(posts: readonly { blobs: number; dataFee: number; dataFeeAsCalldata: number; dataFeeAsBlobs: number }[]): DataCost | null {
  if (posts.length === 0) return null;
  return posts.reduce((sum, p) => ({ blobs: sum.blobs + p.blobs, paid: sum.paid + p.dataFee, asCalldata: sum.asCalldata + p.dataFeeAsCalldata, asBlobs: sum.asBlobs + p.dataFeeAsBlobs }), { blobs: 0, paid: 0, asCalldata: 0, asBlobs: 0 });
}

/** One sentence comparing blobs with calldata for the round's data, or "" when there was none. */
export function dataCostInWords(data: DataCost | null, eth: (gwei: number) => string): string {
  if (!data || data.asCalldata === 0) return "";
  const cheaper = data.asBlobs > 0 ? Math.round(data.asCalldata / data.asBlobs) : null;
  const how = data.blobs > 0 ? `in ${data.blobs} EIP-4844 blob${data.blobs === 1 ? "" : "s"}` : "as calldata";
  return `Its data went ${how} for ${eth(data.paid)}; the same bytes cost ${eth(data.asCalldata)} as calldata and ${eth(data.asBlobs)} as blobs at those blocks' prices` +
    (cheaper !== null && cheaper > 1 ? ` — blobs ${cheaper.toLocaleString("en-US")}× cheaper, the 2024 drop in rollup fees.` : ".");
}

/** A debrief figure of what the round's data cost: "paid / as calldata / as blobs", or "—" without data. */
export function dataCostFigure(data: DataCost | null, eth: (gwei: number) => string): string {
  return data ? `${eth(data.paid)} / ${eth(data.asCalldata)} / ${eth(data.asBlobs)}` : "—";
}

/** "12.3× cheaper" / "1.6× dearer" / "no cheaper" in words. */
export function ratioInWords(ratio: number): string {
  if (ratio > 1) return `${ratio}× cheaper`;
  if (ratio < 1) return `${Math.round(10 / ratio) / 10}× dearer`;
  return "no cheaper";
}

/** The blob market of the round in one sentence: blobs carried and the blob base fee they met. */
export function blobMarketInWords(blobs: number, maxFeeWei: number, schedule: BlobSchedule): string {
  return `L1 carried ${blobs} blob${blobs === 1 ? "" : "s"} of rollup data in its own blob market (EIP-4844, ${schedule.fork}: ${schedule.target} blobs a block targeted, ${schedule.max} at most): ` +
    (maxFeeWei <= MIN_BASE_FEE_PER_BLOB_GAS
      ? `the blob base fee stayed at its floor of ${MIN_BASE_FEE_PER_BLOB_GAS} wei per blob gas — a class does not fill ${schedule.target} blobs a block.`
      : `the blob base fee peaked at ${maxFeeWei.toLocaleString("en-US")} wei per blob gas.`);
}
