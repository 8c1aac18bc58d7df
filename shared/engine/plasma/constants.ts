import { eth } from "../units.ts";

/** The module's name: its state lives at world.modules[PLASMA] and its L1 calls carry it. */
export const PLASMA = "plasma";

/** The root-chain contract's L1 accounts: deposited ETH, and the bonds of open exits. */
export const PLASMA_ESCROW = "contract:plasma-escrow";
export const PLASMA_BONDS = "contract:plasma-bonds";

/**
 * Gas per root-chain call. A deposit writes a one-transaction deposit block; a commit stores
 * ONE 32-byte root whatever the block holds (Plasma's whole point); starting an exit carries
 * the transaction and a 16-level Merkle proof (~1 KB of calldata) and a priority-queue insert;
 * a challenge carries two of those checks. Three exits (600k) fill a classroom block (630k).
 */
export const DEPOSIT_GAS = 70_000;
export const COMMIT_GAS = 50_000;
export const START_EXIT_GAS = 200_000;
export const CHALLENGE_GAS = 150_000;

/** Bond locked with every exit, refunded when it pays out; a successful challenger takes half of it. */
export const EXIT_BOND = eth(0.05);
export const CHALLENGE_REWARD_PERCENT = 50;

/** Plasma MVP's "1 week": an exit can be challenged this long after it starts, ms of game clock. */
export const EXIT_CHALLENGE_PERIOD_MS = 30_000;
/** Plasma MVP's "2 weeks": no exit pays before its coin's block is this old (fresh coins wait longer). */
export const COIN_MATURITY_MS = 60_000;

/** Most exits the contract pays per L1 block, so a mass exit visibly jams. */
export const EXITS_PROCESSED_PER_BLOCK = 2;

/** Child blocks are numbered 1000, 2000, ...; deposit blocks take the numbers in between (Plasma MVP). */
export const CHILD_BLOCK_INTERVAL = 1000;
/** Most transactions the operator puts in one Plasma block. */
export const MAX_BLOCK_TXS = 256;
/** Plasma MVP transactions have at most two inputs and two outputs. */
export const MAX_TX_INPUTS = 2;
export const MAX_TX_OUTPUTS = 2;

/** Names of the events the module emits (moduleEvent's `name`); the debrief reads only these. */
export const PLASMA_EVENTS = {
  configured: "configured",
  operatorSet: "operatorSet",
  deposited: "deposited",
  txAccepted: "txAccepted",
  blockProposed: "blockProposed",
  blockCommitted: "blockCommitted",
  blockWithheld: "blockWithheld",
  blockPublished: "blockPublished",
  commitLost: "commitLost",
  /** Secret during the round: the operator slipped forged spends into a block. */
  theft: "theft",
  exitRequested: "exitRequested",
  exitStarted: "exitStarted",
  challengeRequested: "challengeRequested",
  exitChallenged: "exitChallenged",
  exitPaid: "exitPaid",
  exitQueue: "exitQueue",
  /** A root-chain transaction that was mined but reverted (it still paid its gas). */
  reverted: "reverted",
} as const;
