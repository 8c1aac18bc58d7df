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
  /**
   * Routine points (a transaction confirmed, a payment, a deposit, a block signed) count up to this
   * per player per round; points for understanding (catching a fraud, exiting in time, answering a
   * cheat, choosing the right fee) have no cap. See round-score.ts.
   */
  routineCap: 50,
  /** L1 rush hour: your transfer made the very next block without overpaying (tip at most 3 gwei/gas)… */
  feeChosenWell: 10,
  /** …at most this many times a round: the bonus rewards reading the queue, not sending more. */
  feeBonusesPerRound: 3,
} as const;
