/** Points per thing done well (or badly). Scores are computed from events only, in every scenario. */
export const POINTS = {
  softConfirmed: 5,
  depositCredited: 10,
  withdrawalFinalized: 20,
  forcedIncluded: 15,
  batchTxFinal: 2,
  fraudMissed: 100,
  fraudCaught: -100,
  disputeWon: 150,
  disputeLost: -50,
  disputeMove: 5,
  /** L1 rush hour: a transfer of yours made it into a block. */
  l1TransferIncluded: 5,
} as const;
