import { z } from "zod";

/** Zod building blocks every scenario's messages share. Amounts are integer gwei. */
export const gwei = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const positiveGwei = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex characters");
export const hex128 = z.string().regex(/^[0-9a-f]{128}$/, "must be 128 lowercase hex characters");
/**
 * The grammar of the ids a client may name. Ids are checked here, at the edge, before anything
 * indexes a record with them: neither grammar admits "__proto__", "constructor" or any other
 * Object.prototype name. The room then checks that the id names something that exists.
 */
export const ACCOUNT_ID_PATTERN = /^[pb][1-9][0-9]{0,6}$/;
/** A player's or bot's account: "p12", "b7". */
export const accountId = z.string().regex(ACCOUNT_ID_PATTERN, "must be a player id such as p12").max(8);
/** Something the engine made and numbered: a transaction "l2-41", a withdrawal, a channel "ch-7". */
export const objectId = z.string().regex(/^[a-z][a-z0-9]{0,7}-[1-9][0-9]{0,9}$/, "must be an id such as ch-7").max(20);
/** Fee fields of any message that becomes an L1 transaction: priority fee and cap, gwei per gas. */
export const fee = { tip: gwei.max(1_000_000).optional(), maxFee: gwei.max(10_000_000).optional() };
export const hostToken = { token: z.string().min(10).max(100) };
/** Where a rollup posts its data on L1: EIP-4844 blobs, or calldata. */
export const dataAvailability = z.enum(["blob", "calldata"]);

/** A signed L2 transaction as a client sends it (the server assigns the id and knows the sender). */
export const signedL2Tx = z.strictObject({
  kind: z.enum(["transfer", "withdraw"]),
  to: accountId,
  amount: positiveGwei,
  fee: gwei,
  nonce: z.number().int().nonnegative(),
  sig: hex128,
});
export type SignedL2Tx = z.infer<typeof signedL2Tx>;

/** The fields that name an account in any client message (each one an `accountId` in its schema). */
const ACCOUNT_FIELDS: ReadonlySet<string> = new Set(["to", "victim", "counterparty", "tower", "owner", "offerer", "playerId"]);

/** Every account a validated message names, wherever it sits (a transaction's `to`, a Plasma output's `owner`…). */
export function accountsNamed(data: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === "object" && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        if (ACCOUNT_FIELDS.has(key) && typeof inner === "string") found.push(inner);
        else walk(inner);
      }
    }
  };
  walk(data);
  return found;
}
