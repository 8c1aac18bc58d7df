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
}

/** Builds the comparison from the round's totals. */
export function costComparison(l1TransferFee: number, l1Fees: number, txs: number, basis: string): CostComparison {
  const perTx = txs > 0 ? Math.round(l1Fees / txs) : null;
  const ratio = perTx !== null && perTx > 0 ? Math.round((10 * l1TransferFee) / perTx) / 10 : null;
  return { l1TransferFee, l1Fees, txs, perTx, ratio, basis };
}

/** "12.3× cheaper" / "1.6× dearer" / "no cheaper" in words. */
export function ratioInWords(ratio: number): string {
  if (ratio > 1) return `${ratio}× cheaper`;
  if (ratio < 1) return `${Math.round(10 / ratio) / 10}× dearer`;
  return "no cheaper";
}
