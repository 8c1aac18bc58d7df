/**
 * Numbers of the ZK rollup, at game speed. Gas figures are real Ethereum gas (the rest of the
 * schedule in config.ts is too: a transfer is 21,000); only the block gas limit is scaled down.
 */

/** The module's name in the registry and in `{ type: "module", module }` actions. */
export const ZK_MODULE = "zk";

/** The ZK rollup's L1 bridge contract: it escrows every deposit until a verified withdrawal pays it out. */
export const ZK_BRIDGE = "contract:zk-bridge";

/**
 * Public inputs of the batch proof: pre-state root, post-state root, state-diff (pubdata) hash
 * and priority-operation (deposit) hash.
 */
export const ZK_PUBLIC_INPUTS = 4;

/** Groth16 verification: ~207k gas (pairings, EIP-1108) + ~7.2k per public input (L2-FACTS). */
export const GROTH16_BASE_GAS = 207_000;
export const GROTH16_GAS_PER_INPUT = 7_200;

/** Verifying one batch proof on L1, gas: the same whatever the batch holds. */
export const ZK_VERIFY_GAS = GROTH16_BASE_GAS + GROTH16_GAS_PER_INPUT * ZK_PUBLIC_INPUTS;

/** Storing the batch commitment and roots (the commit/execute bookkeeping besides the pairing check), gas. */
export const ZK_COMMIT_GAS = 50_000;

/** Claiming a verified withdrawal from the bridge, gas (Merkle inclusion check + transfer). */
export const ZK_CLAIM_GAS = 90_000;

/**
 * Proving time, ms of game clock: a fixed setup plus a share per transaction (zkSync's ~1 h per
 * batch at 1 game-second per real hour). A batch of 10 takes 6.5 s, about two L1 blocks.
 */
export const PROVING_BASE_MS = 4_000;
export const PROVING_MS_PER_TX = 250;

/**
 * What proving costs the prover, gwei, burned: the hardware and power a real prover pays for
 * off-chain. A fixed part plus a share per transaction, so big batches amortise it.
 */
export const PROVING_BASE_COST = 100_000;
export const PROVING_COST_PER_TX = 1_000;

/** Longest account name the module accepts (it travels in batch data with a one-byte length). */
export const MAX_NAME_LENGTH = 64;

/** Names of the events the ZK rollup emits (moduleEvent's `name`); the debrief reads them. */
export const ZK_EVENTS = {
  depositCredited: "depositCredited",
  txAccepted: "txAccepted",
  txDropped: "txDropped",
  proverPaid: "proverPaid",
  provingStarted: "provingStarted",
  fraudAttempted: "fraudAttempted",
  proofReady: "proofReady",
  proofSubmitted: "proofSubmitted",
  proofSubmitFailed: "proofSubmitFailed",
  proofSubmissionDropped: "proofSubmissionDropped",
  verifyOutOfOrder: "verifyOutOfOrder",
  batchVerified: "batchVerified",
  batchRejected: "batchRejected",
  batchAbandoned: "batchAbandoned",
  withdrawalReady: "withdrawalReady",
  withdrawalPaid: "withdrawalPaid",
} as const;

export type ZkEventName = (typeof ZK_EVENTS)[keyof typeof ZK_EVENTS];
