import type { DataAvailability } from "../actions.ts";
import { idRecord } from "../id-record.ts";
import type { IdRecord } from "../id-record.ts";
import { emptyL2State } from "../l2-state.ts";
import type { L2State, L2Tx } from "../l2-state.ts";
import type { World } from "../world.ts";

/** The module's name: its state lives at world.modules[OPTIMISTIC] and its L1 calls carry it. */
export const OPTIMISTIC = "optimistic";

/** The rollup's L1 contracts: the bridge escrowing deposits, and the registry holding bonds. */
export const BRIDGE = "contract:bridge";
export const BOND_REGISTRY = "contract:bonds";

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

/** A fresh rollup: no sequencer yet, empty L2. */
export function createRollupState(): RollupState {
  return { sequencer: null, head: emptyL2State(), batchStart: emptyL2State(), mempool: [], soft: [], batches: [], deposits: [], withdrawals: idRecord(), inbox: [], disputes: [] };
}

/**
 * The rollup's state in `world`; for a world no rollup action has touched yet, a fresh empty one
 * that is NOT stored (reading must never change the world: a replay does not read).
 */
export function rollupOf(world: World): RollupState {
  return (world.modules[OPTIMISTIC] as RollupState | undefined) ?? createRollupState();
}
