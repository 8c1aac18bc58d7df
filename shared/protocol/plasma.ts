import { z } from "zod";
import { TREE_DEPTH } from "../crypto/merkle.ts";
import { MAX_TX_INPUTS, MAX_TX_OUTPUTS } from "../engine/plasma/constants.ts";
import { accountId, dataAvailability, fee, hex128, hex64, positiveGwei } from "./fields.ts";

const coinPosition = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/**
 * A Plasma transaction as a client sends it: coins spent (by position), new coins, and one
 * ed25519 signature per input over plasmaTxMessage (shared/engine/plasma/plasma-tx.ts).
 * A deposit's transaction (no inputs, no signatures) is allowed only inside an exit.
 */
const plasmaTx = z.strictObject({
  inputs: z.array(coinPosition).max(MAX_TX_INPUTS),
  outputs: z.array(z.strictObject({ owner: accountId, amount: positiveGwei })).min(1).max(MAX_TX_OUTPUTS),
  sigs: z.array(hex128).max(MAX_TX_INPUTS),
});

/** A Merkle proof: the sibling hashes from the leaf up to the block root. */
const merkleProof = z.array(hex64).length(TREE_DEPTH);

/** Plasma rounds: users deposit, pay, exit and challenge; the operator makes blocks (and may withhold one). */
export const PLASMA_MESSAGES = {
  "plasma:deposit": z.strictObject({ amount: positiveGwei, ...fee }),
  "plasma:transfer": z.strictObject({ tx: plasmaTx }),
  /**
   * Operator: commit the next block's root; `withhold` keeps its data secret, `steal` forges spends
   * of those coins; `da: "blob"` posts the block's data in blobs beside the root (never withheld),
   * "calldata" (the default) the root alone.
   */
  "plasma:commit": z.strictObject({ withhold: z.boolean().optional(), steal: z.array(coinPosition).max(8).optional(), da: dataAvailability.optional(), ...fee }),
  /** Operator: publish a withheld block's data after all. */
  "plasma:publish": z.strictObject({ block: z.number().int().positive() }),
  /** Exit a coin to L1 with the transaction that made it and its Merkle proof (from your wallet.module). */
  "plasma:startExit": z.strictObject({ utxoPos: coinPosition, tx: plasmaTx, proof: merkleProof, ...fee }),
  /** Cancel an exit of a spent coin: the spending transaction, where it sits, and its Merkle proof. */
  "plasma:challenge": z.strictObject({
    exitUtxoPos: coinPosition,
    block: z.number().int().positive(),
    txIndex: z.number().int().nonnegative(),
    inputIndex: z.number().int().nonnegative().max(MAX_TX_INPUTS - 1),
    tx: plasmaTx,
    proof: merkleProof,
    ...fee,
  }),
} as const;

export const PLASMA_MESSAGE_ROLES = {
  "plasma:deposit": ["user", "operator"],
  "plasma:transfer": ["user", "operator"],
  "plasma:commit": ["operator"],
  "plasma:publish": ["operator"],
  "plasma:startExit": ["user", "operator"],
  "plasma:challenge": ["user", "operator"],
} as const;
