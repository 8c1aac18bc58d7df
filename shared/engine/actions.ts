import type { L2Tx } from "./l2-state.ts";

/** Fee fields every L1-bound action may carry: priority fee per gas and an optional cap, gwei. */
export interface FeeChoice {
  tip?: number;
  maxFee?: number;
}

/** Where an L2 posts its data on L1: EIP-4844 blobs (their own fee market) or calldata (execution gas). */
export type DataAvailability = "blob" | "calldata";

/** A fraud the sequencer slips into its next batch. */
export type Cheat = { kind: "mint"; amount: number } | { kind: "steal"; victim: string; amount: number };

/**
 * Everything that can change the world, as plain data. The room validates who may send which
 * action; the engine validates whether the world allows it.
 */
export type Action =
  | { type: "fund"; account: string; amount: number }
  | { type: "registerKey"; account: string; publicKey: string }
  | { type: "setSequencer"; account: string }
  | ({ type: "l1Transfer"; from: string; to: string; amount: number } & FeeChoice)
  | ({ type: "deposit"; from: string; amount: number } & FeeChoice)
  | { type: "l2Submit"; tx: L2Tx }
  | { type: "sequence"; by: string; txIds?: string[] }
  | { type: "censor"; by: string; txId: string }
  | ({ type: "postBatch"; by: string; cheat?: Cheat; /** default "blob" */ da?: DataAvailability } & FeeChoice)
  | ({ type: "challenge"; by: string; batchId: number; root: string } & FeeChoice)
  | ({ type: "disputeMove"; by: string; disputeId: number; root: string } & FeeChoice)
  | ({ type: "oneStepProof"; by: string; disputeId: number } & FeeChoice)
  | ({ type: "finalizeWithdrawal"; by: string; withdrawalId: string } & FeeChoice)
  | ({ type: "forceSubmit"; by: string; tx: L2Tx } & FeeChoice)
  | ({ type: "forceInclude"; by: string; entryId: number } & FeeChoice)
  | ({ type: "module"; module: string; by: string; call: unknown } & FeeChoice);

export type ActionType = Action["type"];

/** An action with the game time it was applied at: one line of a round's log. */
export interface LoggedAction {
  atMs: number;
  action: Action;
}
