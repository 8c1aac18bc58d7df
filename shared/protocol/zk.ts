import { z } from "zod";
import { accountId, dataAvailability, fee, objectId, positiveGwei, signedL2Tx } from "./fields.ts";

/** ZK rollup rounds: users deposit, send and claim; provers prove. */
export const ZK_MESSAGES = {
  "zk:deposit": z.strictObject({ amount: positiveGwei, ...fee }),
  "zk:send": z.strictObject({ tx: signedL2Tx }),
  "zk:claim": z.strictObject({ withdrawalId: objectId, ...fee }),
  "zk:prove": z.strictObject({
    maxTxs: z.number().int().min(1).max(1_000).optional(),
    cheat: z.discriminatedUnion("kind", [
      z.strictObject({ kind: z.literal("mint"), amount: positiveGwei }),
      z.strictObject({ kind: z.literal("steal"), victim: accountId, amount: positiveGwei }),
      z.strictObject({ kind: z.literal("wrongRoot") }),
    ]).optional(),
    da: dataAvailability.optional(),
    ...fee,
  }),
  "zk:submitProof": z.strictObject({ batchId: z.number().int().nonnegative(), ...fee }),
} as const;

export const ZK_MESSAGE_ROLES = {
  "zk:deposit": ["user", "prover"],
  "zk:send": ["user"],
  "zk:claim": ["user"],
  "zk:prove": ["prover"],
  "zk:submitProof": ["prover"],
} as const;
