import { z } from "zod";
import { accountId, fee, positiveGwei } from "./fields.ts";

/** "L1 rush hour" rounds: everyone pays everyone on L1 itself and watches the base fee. */
export const L1_MESSAGES = {
  "l1:send": z.strictObject({ to: accountId, amount: positiveGwei, ...fee }),
} as const;

export const L1_MESSAGE_ROLES = {
  "l1:send": ["user"],
} as const;
