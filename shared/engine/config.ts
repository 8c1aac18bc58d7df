import { eth } from "./units.ts";
import { BLOB_SCHEDULES } from "./blob-fee.ts";
import type { BlobSchedule } from "./blob-fee.ts";

/** Gas per L1 transaction kind. Calldata is charged on top for batch posts and forced transactions. */
export interface GasSchedule {
  transfer: number;
  deposit: number;
  batchPost: number;
  calldataNonZeroByte: number;
  calldataZeroByte: number;
  challengeOpen: number;
  disputeMove: number;
  oneStepProof: number;
  withdrawalFinalize: number;
  forcedInclusion: number;
}

/** Every parameter of a round. Times in ms of game clock, amounts in gwei, gas in gas units. */
export interface ScenarioConfig {
  /** One L1 block every blockTimeMs (Ethereum: 12 s; classroom: 3 s). */
  blockTimeMs: number;
  /** L1 block gas limit; EIP-1559 target is half of it. */
  gasLimit: number;
  /** Base fee of the first block, gwei per gas. */
  initialBaseFee: number;
  /** The blob market's target, maximum and update fraction (EIP-4844/7691/7892): mainnet's current fork by default. */
  blobSchedule: BlobSchedule;
  gas: GasSchedule;
  /** Challenge window after a batch lands on L1 (the "7 days"). */
  challengeWindowMs: number;
  /** Each side's time to answer a bisection move (its chess clock per move). */
  moveTimeoutMs: number;
  /** After this long in the delayed inbox, anyone may force a transaction into the L2. */
  forcedInclusionDelayMs: number;
  /** Bond the sequencer locks per posted batch (Arbitrum's 3,600 ETH, scaled). */
  sequencerBond: number;
  /** Bond a challenger locks to open a dispute (Arbitrum's 555 ETH level, scaled in the same ratio). */
  challengerBond: number;
  /** Share of a slashed bond paid to the winner, in percent; the rest is burned. */
  slashRewardPercent: number;
  /** Flat L2 fee per transaction, paid to the sequencer on L2. */
  l2FeePerTx: number;
  /** Most transactions the sequencer puts in one batch. */
  maxBatchTxs: number;
}

/** Classroom defaults: an L1 block every 3 s, a "7-day" window of 60 s, 30 transfers fill a block. */
export const DEFAULT_CONFIG: ScenarioConfig = {
  blockTimeMs: 3_000,
  gasLimit: 30 * 21_000,
  initialBaseFee: 10,
  blobSchedule: BLOB_SCHEDULES.bpo2,
  gas: {
    transfer: 21_000,
    deposit: 60_000,
    batchPost: 50_000,
    calldataNonZeroByte: 16,
    calldataZeroByte: 4,
    challengeOpen: 120_000,
    disputeMove: 60_000,
    oneStepProof: 200_000,
    withdrawalFinalize: 90_000,
    forcedInclusion: 40_000,
  },
  challengeWindowMs: 60_000,
  // Long enough for a student to read the bisection screen and answer (bots answer within their next turn anyway).
  moveTimeoutMs: 30_000,
  forcedInclusionDelayMs: 24_000,
  sequencerBond: eth(3.6),
  challengerBond: eth(0.555),
  slashRewardPercent: 50,
  l2FeePerTx: 2_000,
  maxBatchTxs: 128,
};

/** A config with some fields overridden (a scenario's parameters). */
export function makeConfig(overrides: Partial<Omit<ScenarioConfig, "gas">> & { gas?: Partial<GasSchedule> } = {}): ScenarioConfig {
  return { ...DEFAULT_CONFIG, ...overrides, gas: { ...DEFAULT_CONFIG.gas, ...overrides.gas } };
}
