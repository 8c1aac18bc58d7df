import type { EngineModule } from "../module.ts";
import { callValue, parseCall } from "./calls.ts";
import { submitClose, executeClose, settleClosing } from "./closing.ts";
import { executeCancel, executeFund, executeOpen, submitCancel, submitFund, submitOpen } from "./funding.ts";
import { channelsViolation } from "./ledger.ts";
import { applyUpdate, hireTower } from "./payments.ts";
import { CHANNELS } from "./rules.ts";
import { emptyChannels } from "./types.ts";

/**
 * Lightning-style payment channels. Funding, closes and penalties are L1 transactions to one
 * adjudicator contract; payments are doubly-signed off-chain updates the engine only records.
 */
export const channelsModule: EngineModule = {
  name: CHANNELS,
  create: emptyChannels,
  submit(world, by, raw, fee, out) {
    const call = parseCall(raw);
    if (typeof call === "string") return call;
    switch (call.kind) {
      case "open":
        return submitOpen(world, by, call, fee, out);
      case "fund":
        return submitFund(world, by, call, fee, out);
      case "cancel":
        return submitCancel(world, by, call, fee, out);
      case "update":
        return applyUpdate(world, by, call, out);
      case "hireTower":
        return hireTower(world, by, call, out);
      case "cooperativeClose":
      case "forceClose":
      case "penalize":
        return submitClose(world, by, call, fee, out);
    }
  },
  execute(world, tx, raw, out) {
    const call = parseCall(raw);
    if (typeof call === "string") return call;
    switch (call.kind) {
      case "open":
        return executeOpen(world, tx, call, out);
      case "fund":
        return executeFund(world, tx, call, out);
      case "cancel":
        return executeCancel(world, tx, call, out);
      case "cooperativeClose":
      case "forceClose":
      case "penalize":
        return executeClose(world, tx, call, out);
      case "update":
      case "hireTower":
        return "that is an off-chain step, not an L1 transaction";
    }
  },
  valueOf: callValue,
  onBlock: settleClosing,
  violation: channelsViolation,
};
