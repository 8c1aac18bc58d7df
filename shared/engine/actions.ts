
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
 * Everything that can change the world, as plain data: L1's own (funding, keys, transfers) and
 * a call to one Layer 2 mechanism (`module`: "optimistic", "zk", "channels", "plasma",
 * "sidechain"; each parses its own calls). The room validates who may send which action; the
 * engine validates whether the world allows it.
 */
export type Action =
  | { type: "fund"; account: string; amount: number }
  | { type: "registerKey"; account: string; publicKey: string }
  | ({ type: "l1Transfer"; from: string; to: string; amount: number } & FeeChoice)
  | ({ type: "module"; module: string; by: string; call: unknown } & FeeChoice);

export type ActionType = Action["type"];

/** An action with the game time it was applied at: one line of a round's log. */
export interface LoggedAction {
  atMs: number;
  action: Action;
}
