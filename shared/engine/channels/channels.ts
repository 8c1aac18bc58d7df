import { moduleEvent } from "../module.ts";
import type { EngineModule } from "../module.ts";
import type { EngineEvent } from "../events.ts";
import type { L1Tx, World } from "../world.ts";
import { feePaid } from "./adjudicator.ts";
import { callValue, parseCall } from "./calls.ts";
import { executeClaim, executeClose, settleClosing, submitClaim, submitClose } from "./closing.ts";
import { executeCancel, executeFund, executeOpen, submitCancel, submitFund, submitOpen } from "./funding.ts";
import { channelsViolation } from "./ledger.ts";
import { applyUpdate, fulfillHtlc, hireTower } from "./payments.ts";
import { CHANNEL_EVENTS, CHANNELS } from "./rules.ts";
import { emptyChannels } from "./types.ts";

function field(raw: unknown, name: string): string | null {
  return typeof raw === "object" && raw !== null && name in raw ? String((raw as Record<string, unknown>)[name]) : null;
}

/** An included channel transaction's effect, or why the adjudicator reverted it. */
function executeCall(world: World, tx: L1Tx, raw: unknown, out: EngineEvent[]): string | null {
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
    case "claimHtlc":
      return executeClaim(world, tx, call, out);
    case "update":
    case "hireTower":
    case "fulfill":
      return "that is an off-chain step, not an L1 transaction";
  }
}

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
      case "fulfill":
        return fulfillHtlc(world, by, call, out);
      case "claimHtlc":
        return submitClaim(world, by, call, fee, out);
    }
  },
  execute(world, tx, raw, out) {
    const reason = executeCall(world, tx, raw, out);
    // A reverted transaction still paid its gas: the debrief counts it among the L1 transactions used.
    if (reason) {
      const data = { channelId: field(raw, "channelId"), call: field(raw, "kind"), by: tx.from, reason, l1TxId: tx.id, l1Fee: feePaid(world, tx) };
      out.push(moduleEvent(world, CHANNELS, CHANNEL_EVENTS.reverted, data));
    }
    return reason;
  },
  valueOf: callValue,
  onBlock: settleClosing,
  violation: channelsViolation,
};
