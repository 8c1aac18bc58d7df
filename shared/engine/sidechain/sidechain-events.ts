/** Names of the events the sidechain emits (module "sidechain"); the debrief reads only these. */
export const SIDECHAIN_EVENTS = {
  configured: "configured",
  staked: "validator.staked",
  blockProposed: "block.proposed",
  blockSigned: "block.signed",
  blockCommitted: "block.committed",
  roundTimeout: "round.timeout",
  txSubmitted: "tx.submitted",
  txDropped: "tx.dropped",
  txIncluded: "tx.included",
  depositLocked: "deposit.locked",
  depositMinted: "deposit.minted",
  withdrawalBurned: "withdrawal.burned",
  withdrawalSigned: "withdrawal.signed",
  withdrawalReleased: "withdrawal.released",
  bridgeDrained: "bridge.drained",
  checkpointProposed: "checkpoint.proposed",
  checkpointSigned: "checkpoint.signed",
  checkpointSubmitted: "checkpoint.submitted",
  checkpointAwaitingPoster: "checkpoint.awaitingPoster",
  checkpointPosted: "checkpoint.posted",
  l1Queued: "l1.queued",
} as const;

export type SidechainEventName = (typeof SIDECHAIN_EVENTS)[keyof typeof SIDECHAIN_EVENTS];
