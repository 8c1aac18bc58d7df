import type { ScenarioConfig } from "./config.ts";
import type { RngState } from "./prng.ts";
import { seedRng } from "./prng.ts";
import { weiOf } from "./base-fee.ts";
import { idRecord } from "./id-record.ts";
import type { IdRecord } from "./id-record.ts";
import type { L2State, L2Tx } from "./l2-state.ts";
import type { DataAvailability } from "./actions.ts";
import { emptyL2State } from "./l2-state.ts";

/** Well-known L1 accounts: the contracts of the rollup and the block producer. */
export const BRIDGE = "contract:bridge";
export const BOND_REGISTRY = "contract:bonds";
export const BLOCK_PRODUCER = "l1:validator";

/** What an L1 transaction does once included. */
export type L1Payload =
  | { kind: "transfer"; to: string; amount: number }
  | { kind: "deposit"; to: string; amount: number }
  | { kind: "batchPost"; batchId: number }
  | { kind: "challenge"; batchId: number; root: string }
  | { kind: "disputeMove"; disputeId: number; root: string }
  | { kind: "oneStepProof"; disputeId: number }
  | { kind: "withdrawalFinalize"; withdrawalId: string }
  | { kind: "forcedSubmit"; tx: L2Tx }
  | { kind: "forcedInclude"; entryId: number; /** the state-root proposal bond its sender locks, gwei */ bond: number }
  | { kind: "module"; module: string; call: unknown };

export type L1TxKind = L1Payload["kind"];

export interface L1Tx {
  id: string;
  from: string;
  payload: L1Payload;
  gas: number;
  /** Most the sender pays per gas (base fee + tip), gwei. */
  maxFee: number;
  /** Priority fee per gas offered to the block producer, gwei. */
  tip: number;
  submittedAtMs: number;
  /** Its max fee was below the base fee at the last block: it waits (it is not dropped) until the base fee falls. */
  pricedOut: boolean;
  /** A blob transaction (EIP-4844): how many blobs it carries, and the most it pays per blob gas, wei. */
  blobs?: number;
  maxBlobFeeWei?: number;
}

export interface L1BlockSummary {
  height: number;
  timeMs: number;
  gasUsed: number;
  /** The base fee this block charged, wei per gas. */
  baseFeeWei: number;
  /** Blob gas its blob transactions used, and the blob base fee they paid, wei per blob gas. */
  blobGasUsed: number;
  blobBaseFeeWei: number;
  txIds: string[];
}

export interface L1State {
  balances: IdRecord<number>;
  /** ed25519 public keys (hex) players registered; L2 signatures are checked against them. */
  publicKeys: IdRecord<string>;
  /** Base fee for the next block, wei per gas (base-fee.ts says why wei). */
  baseFeeWei: number;
  /** The header's excess blob gas: the blob base fee of the next block follows from it (blob-fee.ts). */
  excessBlobGas: number;
  height: number;
  nextBlockAtMs: number;
  mempool: L1Tx[];
  /** The most recent blocks, newest last (older ones live in the event log). */
  recentBlocks: L1BlockSummary[];
  /** Total base fee burned plus slashed bonds burned, gwei. */
  burned: number;
  /** Total created by explicit funding (genesis and faucet), gwei. */
  minted: number;
}

export type BatchStatus = "submitted" | "posted" | "final" | "reverted";

export interface Batch {
  id: number;
  /** Who proposed its claim and bonded it: the sequencer, or for a forced batch whoever forced it. */
  poster: string;
  /**
   * Made on L1 without the sequencer (forceInclusion): the delayed inbox's matured entries, with
   * the state root proposed by whoever forced them. Its data was already on L1 (forcedSubmit).
   */
  forced: boolean;
  txs: L2Tx[];
  /** Transactions the sequencer executed without checks: its fraud, if any. Hidden from players. */
  forgedIds: string[];
  /** The L2 state the batch starts from; dropped once the batch is final. */
  preState: L2State | null;
  /** The trace the sequencer commits to: claimedRoots[0] = pre-state root, last = claimed post-state root. */
  claimedRoots: string[];
  rawBytes: number;
  compressedBytes: number;
  /** Where its data went on L1, and in how many blobs (0 for calldata). */
  da: DataAvailability;
  blobs: number;
  /** Gas its compressed data takes as calldata (EIP-2028), paid only when `da` is "calldata". */
  calldataGas: number;
  status: BatchStatus;
  l1TxId: string;
  submittedAtMs: number;
  postedAtMs: number | null;
  windowEndsMs: number | null;
  bond: number;
}

export type WithdrawalStatus = "initiated" | "ready" | "finalized" | "reverted";

export interface Withdrawal {
  id: string;
  to: string;
  amount: number;
  batchId: number | null;
  status: WithdrawalStatus;
  initiatedAtMs: number;
}

export interface PendingL2Tx {
  tx: L2Tx;
  submittedAtMs: number;
  censored: boolean;
}

export interface SoftTx {
  tx: L2Tx;
  forged: boolean;
  submittedAtMs: number;
  softAtMs: number;
}

/** A transaction in the L1 delayed inbox (Arbitrum's delayed inbox, OP's deposit queue). */
export interface ForcedEntry {
  id: number;
  tx: L2Tx;
  enqueuedAtMs: number;
  /** In a batch on L1 (the sequencer's, or a forced one): canonical. A soft confirmation alone does not count. */
  included: boolean;
  /** The sequencer soft-confirmed it (it will be in its next batch unless the sequencer stops). */
  sequenced: boolean;
}

export type DisputeTurn = "defender" | "challenger" | "proof";

/**
 * An interactive bisection over one batch's trace. Both sides agree on the root at `lo`
 * and disagree at `hi`; each round narrows [lo, hi] by half until one step is left.
 */
export interface Dispute {
  id: number;
  batchId: number;
  defender: string;
  challenger: string;
  lo: number;
  hi: number;
  /** The root both sides committed to at `lo` (at 0: the batch's pre-state root, which L1 holds). The one-step proof starts from it. */
  agreedRoot: string;
  /** The defender's and challenger's roots at `hi`. */
  defenderHiRoot: string;
  challengerHiRoot: string;
  /** The defender's root at the current midpoint, once it has moved this round. */
  defenderMidRoot: string | null;
  turn: DisputeTurn;
  deadlineMs: number;
  openedAtMs: number;
  bond: number;
  moves: number;
  /** "void" when the batch's claim was replaced (an earlier dispute corrected it) or its post was dropped: bond refunded. */
  status: "open" | "defender-won" | "challenger-won" | "void";
  /** How a won dispute ended, for the players: L1 re-executed the last step, or a side's clock ran out. */
  endedBy?: "one-step-proof" | "timeout";
}

export interface RollupState {
  sequencer: string | null;
  /** The sequencer's current L2 state, including soft-confirmed transactions not yet batched. */
  head: L2State;
  /** The sequencer's state at the end of the last posted batch (start of the next one). */
  batchStart: L2State;
  mempool: PendingL2Tx[];
  soft: SoftTx[];
  batches: Batch[];
  /** The bridge's deposit queue on L1, credited on L2 in order. */
  deposits: { to: string; amount: number; atMs: number }[];
  withdrawals: IdRecord<Withdrawal>;
  inbox: ForcedEntry[];
  disputes: Dispute[];
}

/** The whole simulated world: plain data, serialisable, advanced only by the engine. */
export interface World {
  config: ScenarioConfig;
  seed: string;
  nowMs: number;
  rng: RngState;
  /** Counter behind every generated id, so ids replay identically. */
  nextId: number;
  l1: L1State;
  rollup: RollupState;
  /** State of the other L2 mechanisms, by module name (see module.ts and modules.ts). */
  modules: IdRecord<unknown>;
}

/** A fresh world at time 0; the first L1 block comes after one block time. */
export function createWorld(seed: string, config: ScenarioConfig): World {
  return {
    config,
    seed,
    nowMs: 0,
    rng: seedRng(seed),
    nextId: 1,
    l1: {
      balances: idRecord([[BRIDGE, 0], [BOND_REGISTRY, 0], [BLOCK_PRODUCER, 0]]),
      publicKeys: idRecord(),
      baseFeeWei: weiOf(config.initialBaseFee),
      excessBlobGas: 0,
      height: 0,
      nextBlockAtMs: config.blockTimeMs,
      mempool: [],
      recentBlocks: [],
      burned: 0,
      minted: 0,
    },
    rollup: {
      sequencer: null,
      head: emptyL2State(),
      batchStart: emptyL2State(),
      mempool: [],
      soft: [],
      batches: [],
      deposits: [],
      withdrawals: idRecord(),
      inbox: [],
      disputes: [],
    },
    modules: idRecord(),
  };
}

/** A new id with a readable prefix ("tx-12"). */
export function newId(world: World, prefix: string): string {
  return `${prefix}-${world.nextId++}`;
}
