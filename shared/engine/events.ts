import type { L1TxKind } from "./world.ts";
import type { DisputeTurn } from "./optimistic/types.ts";
import type { L2TxKind } from "./l2-state.ts";
import type { DataAvailability } from "./actions.ts";

/**
 * Everything that happens in the world, in order. The debrief and scores are computed from
 * these, and the network layer projects them. `t` is the game clock in ms.
 * Fields marked "secret" must not be shown to players during the round.
 */
export type EngineEvent = { t: number } & (
  | { type: "rejected"; action: string; actor: string; reason: string }
  | { type: "funded"; account: string; amount: number }
  | { type: "l1.submitted"; txId: string; kind: L1TxKind; from: string }
  | { type: "l1.included"; txId: string; kind: L1TxKind; from: string; height: number; gas: number; /** everything paid, gwei: execution + blobs */ fee: number; burned: number; tip: number; /** a blob transaction's blobs and their fee (gwei, burned) */ blobs?: number; blobFee?: number; waitMs: number; ok: boolean; reason?: string }
  | { type: "l1.dropped"; txId: string; kind: L1TxKind; from: string; reason: string }
  | { type: "l1.pricedOut"; txId: string; kind: L1TxKind; from: string; /** gwei per gas */ maxFee: number; /** wei per gas */ baseFeeWei: number }
  | { type: "l1.block"; height: number; gasUsed: number; gasLimit: number; /** wei per gas */ baseFeeWei: number; nextBaseFeeWei: number; txCount: number; burned: number; tips: number; blobGasUsed: number; /** wei per blob gas */ blobBaseFeeWei: number; nextBlobBaseFeeWei: number }
  | { type: "deposit.credited"; to: string; amount: number; depositIndex: number }
  | { type: "l2.submitted"; txId: string; kind: L2TxKind; from: string; to: string; amount: number }
  | { type: "l2.softConfirmed"; txId: string; kind: L2TxKind; from: string; fee: number; latencyMs: number; forced: boolean }
  | { type: "l2.rejected"; txId: string; from: string; reason: string }
  | { type: "l2.censored"; txId: string; from: string; by: string }
  | { type: "l2.requeued"; txId: string; from: string }
  | { type: "fraud.attempted"; batchId: number; by: string; kind: "mint" | "steal"; victim: string | null; amount: number /* secret */ }
  | { type: "batch.submitted"; batchId: number; by: string; txCount: number; rawBytes: number; compressedBytes: number; calldataGas: number; da: DataAvailability; blobs: number }
  | {
    type: "batch.posted"; batchId: number; by: string; claimedRoot: string; txCount: number;
    /** everything its L1 transaction paid, gwei */ l1Fee: number;
    da: DataAvailability; blobs: number;
    /** the part of l1Fee that paid for the data, and what the same bytes cost as calldata / as blobs at that block's prices, gwei */
    dataFee: number; dataFeeAsCalldata: number; dataFeeAsBlobs: number;
    windowEndsMs: number; fraudulent: boolean /* secret */;
  }
  | { type: "batch.finalized"; batchId: number; fraudulent: boolean; stolen: number; txCount: number }
  | { type: "batch.reverted"; batchId: number; cause: number; fraudulent: boolean }
  | { type: "batch.corrected"; batchId: number; /** the batch whose lost dispute replaced this claim */ cause: number; oldRoot: string; newRoot: string; windowEndsMs: number | null }
  | { type: "withdrawal.initiated"; withdrawalId: string; to: string; amount: number }
  | { type: "withdrawal.ready"; withdrawalId: string; to: string; amount: number }
  | { type: "withdrawal.finalized"; withdrawalId: string; to: string; amount: number; waitMs: number }
  | { type: "forced.enqueued"; entryId: number; txId: string; from: string }
  | { type: "forced.included"; entryId: number; txId: string; by: string; waitMs: number; /** the forced batch, or null when the sequencer took it into its own soft confirmations */ batchId: number | null }
  | { type: "dispute.opened"; disputeId: number; batchId: number; challenger: string; defender: string; steps: number; deadlineMs: number }
  | { type: "dispute.moved"; disputeId: number; by: string; side: "defender" | "challenger"; lo: number; hi: number; turn: DisputeTurn; deadlineMs: number }
  | { type: "module"; module: string; name: string; data: Record<string, unknown> }
  | { type: "dispute.resolved"; disputeId: number; batchId: number; winner: string; loser: string; winnerSide: "defender" | "challenger"; reason: "one-step-proof" | "timeout"; slashed: number; reward: number; burned: number; step: number; /** The batch held the sequencer's fraud, whoever won. */ fraudulent: boolean }
);

export type EngineEventType = EngineEvent["type"];
