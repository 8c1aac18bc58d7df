import type { FeeChoice } from "../actions.ts";
import type { EngineEvent } from "../events.ts";
import { moveL1, submitL1Tx } from "../l1.ts";
import { moduleEvent } from "../module.ts";
import type { L1Tx, World } from "../world.ts";
import { l1FeeOf } from "./l1-fee.ts";
import { ZK_BRIDGE, ZK_CLAIM_GAS, ZK_EVENTS, ZK_MODULE } from "./constants.ts";
import type { ZkState } from "./types.ts";

/** Queues an L1 deposit into the ZK bridge; the L2 credits it once L1 includes it. */
export function requestDeposit(world: World, by: string, amount: number, fee: FeeChoice, out: EngineEvent[]): string | null {
  const tx = submitL1Tx(world, by, { kind: "module", module: ZK_MODULE, call: { op: "deposit", amount } }, world.config.gas.deposit, amount, fee, out);
  return typeof tx === "string" ? tx : null;
}

/** Queues the L1 claim of a withdrawal whose batch L1 has verified: no challenge window to wait out. */
export function requestClaim(world: World, state: ZkState, by: string, withdrawalId: string, fee: FeeChoice, out: EngineEvent[]): string | null {
  const withdrawal = state.withdrawals[withdrawalId];
  if (!withdrawal || withdrawal.to !== by) return "no such ZK withdrawal of yours";
  if (withdrawal.status === "pending") return "its batch is not verified on L1 yet";
  if (withdrawal.status === "paid") return "already paid";
  const tx = submitL1Tx(world, by, { kind: "module", module: ZK_MODULE, call: { op: "claim", withdrawalId } }, ZK_CLAIM_GAS, 0, fee, out);
  return typeof tx === "string" ? tx : null;
}

/** The bridge pays a verified withdrawal out of its escrow. */
export function payClaim(world: World, state: ZkState, tx: L1Tx, withdrawalId: string, out: EngineEvent[]): string | null {
  const by = tx.from;
  const withdrawal = state.withdrawals[withdrawalId];
  if (!withdrawal || withdrawal.to !== by) return "no such ZK withdrawal of yours";
  if (withdrawal.status !== "ready") return withdrawal.status === "paid" ? "already paid" : "its batch is not verified on L1";
  if ((world.l1.balances[ZK_BRIDGE] ?? 0) < withdrawal.amount) return "the ZK bridge is insolvent";
  moveL1(world, ZK_BRIDGE, by, withdrawal.amount);
  withdrawal.status = "paid";
  const verifiedAtMs = state.batches[withdrawal.batchId]?.verifiedAtMs ?? world.nowMs;
  out.push(moduleEvent(world, ZK_MODULE, ZK_EVENTS.withdrawalPaid, {
    withdrawalId,
    to: by,
    amount: withdrawal.amount,
    batchId: withdrawal.batchId,
    waitMs: world.nowMs - withdrawal.submittedAtMs,
    sinceVerifiedMs: world.nowMs - verifiedAtMs,
    ...l1FeeOf(world, tx),
  }));
  return null;
}
