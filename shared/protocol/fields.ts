import { z } from "zod";

/** Zod building blocks every scenario's messages share. Amounts are integer gwei. */
export const gwei = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const positiveGwei = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex characters");
export const hex128 = z.string().regex(/^[0-9a-f]{128}$/, "must be 128 lowercase hex characters");
export const id = z.string().min(1).max(64);
/** Fee fields of any message that becomes an L1 transaction: priority fee and cap, gwei per gas. */
export const fee = { tip: gwei.max(1_000_000).optional(), maxFee: gwei.max(10_000_000).optional() };
export const hostToken = { token: z.string().min(10).max(100) };

/** A signed L2 transaction as a client sends it (the server assigns the id and knows the sender). */
export const signedL2Tx = z.strictObject({
  kind: z.enum(["transfer", "withdraw"]),
  to: id,
  amount: positiveGwei,
  fee: gwei,
  nonce: z.number().int().nonnegative(),
  sig: hex128,
});
export type SignedL2Tx = z.infer<typeof signedL2Tx>;
