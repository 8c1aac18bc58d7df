import type { L2State, L2Tx } from "../l2-state.ts";
import type { DataAvailability } from "../actions.ts";
import { L2Executor, emptyL2State } from "../l2-state.ts";
import { idRecord } from "../id-record.ts";
import type { IdRecord } from "../id-record.ts";

/** A signed L2 transaction (or an L1 deposit) waiting for a prover to put it in a batch. */
export interface ZkPending {
  tx: L2Tx;
  /** When the user sent it (for deposits: when the L1 deposit was submitted), ms. */
  submittedAtMs: number;
}

/** A fraud a prover may try: the proof of it can never verify. */
export type ZkCheat =
  | { kind: "mint"; amount: number }
  | { kind: "steal"; victim: string; amount: number }
  | { kind: "wrongRoot" };

/**
 * proving → proven (proof ready) → submitted (verify tx in the L1 mempool) → verified (final),
 * or rejected (L1's verifier refused it), or abandoned (an earlier batch it builds on was rejected).
 */
export type ZkBatchStatus = "proving" | "proven" | "submitted" | "verified" | "rejected" | "abandoned";

export interface ZkBatch {
  id: number;
  prover: string;
  txs: L2Tx[];
  /** When each transaction was first submitted, in batch order, ms. */
  submittedAtMs: number[];
  /** The state this batch starts from; dropped once verified. */
  preState: L2State | null;
  preRoot: string;
  /** The post-state root the prover commits to; honest unless it cheated. */
  claimedRoot: string;
  /** sha256 of the compressed state diff the prover posts as calldata. */
  diffHash: string;
  diffBytes: number;
  /** Where the state diff goes on L1, and in how many blobs (0 for calldata). */
  da: DataAvailability;
  blobs: number;
  /** Gas the diff takes as calldata (EIP-2028), paid only when `da` is "calldata". */
  calldataGas: number;
  cheat: ZkCheat["kind"] | null;
  /** The forged transaction a cheating prover slipped in (a mint or an unsigned steal), if any. */
  forgedTxId: string | null;
  proverCost: number;
  provingMs: number;
  startedAtMs: number;
  provenAtMs: number | null;
  verifiedAtMs: number | null;
  status: ZkBatchStatus;
  l1TxId: string | null;
  /** The prover's fee choice for the verify transaction, reused by automatic submission. */
  tip: number | null;
  maxFee: number | null;
  /** Whether onBlock should (re)submit the proof by itself once it is ready. */
  autoSubmit: boolean;
  /** Times L1 reverted its proof because an earlier batch was not verified yet. */
  outOfOrderReverts: number;
}

export type ZkWithdrawalStatus = "pending" | "ready" | "paid";

export interface ZkWithdrawal {
  id: string;
  to: string;
  amount: number;
  batchId: number;
  status: ZkWithdrawalStatus;
  submittedAtMs: number;
}

export interface ZkState {
  /** The bridge's deposit queue on L1 (priority operations), credited on L2 strictly in order. */
  deposits: { to: string; amount: number; atMs: number }[];
  /** Transactions and deposits no batch holds yet, in the order they will execute. */
  pending: ZkPending[];
  /** The L2 state after the last batch built (where the next batch starts). Always honest. */
  built: L2State;
  /** The state root L1 holds: the post-state of the last verified batch. */
  verifiedRoot: string;
  batches: ZkBatch[];
  withdrawals: IdRecord<ZkWithdrawal>;
  /** Every prover who ever started a batch, in order of first appearance. */
  provers: string[];
}

/** A fresh ZK rollup: empty L2, L1 holding the empty state's root. */
export function createZkState(): ZkState {
  const built = emptyL2State();
  return { deposits: [], pending: [], built, verifiedRoot: new L2Executor(built).root(), batches: [], withdrawals: idRecord(), provers: [] };
}
