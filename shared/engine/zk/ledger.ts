import type { World } from "../world.ts";
import { ZK_BRIDGE } from "./constants.ts";
import type { ZkState } from "./types.ts";

/** The ZK rollup's money, gwei: what L2 owes its users against what the bridge holds on L1. */
export interface ZkLedger {
  /** Balances in the built L2 state. */
  l2Balances: number;
  /** Deposits L1 included that no batch holds yet. */
  pendingDeposits: number;
  /** Withdrawals in built batches that the bridge has not paid yet. */
  unpaidWithdrawals: number;
  bridgeEscrow: number;
}

/** Reads the ZK ledger off the module state. */
export function zkLedger(world: World, state: ZkState): ZkLedger {
  return {
    l2Balances: Object.values(state.built.accounts).reduce((sum, account) => sum + account.balance, 0),
    pendingDeposits: state.pending.filter((p) => p.tx.kind === "deposit").reduce((sum, p) => sum + p.tx.amount, 0),
    unpaidWithdrawals: Object.values(state.withdrawals).filter((w) => w.status !== "paid").reduce((sum, w) => sum + w.amount, 0),
    bridgeEscrow: world.l1.balances[ZK_BRIDGE] ?? 0,
  };
}

/**
 * Every gwei the ZK L2 owes (balances, deposits on their way in, withdrawals on their way out)
 * is held by the bridge on L1, and no account is negative. A forged mint never enters the
 * built state, so there is no "forged supply" term here: validity proofs leave no room for one.
 */
export function zkViolation(world: World, state: ZkState): string | null {
  const l = zkLedger(world, state);
  const claims = l.l2Balances + l.pendingDeposits + l.unpaidWithdrawals;
  if (claims !== l.bridgeEscrow) return `claims ${claims} (L2 ${l.l2Balances} + deposits ${l.pendingDeposits} + withdrawals ${l.unpaidWithdrawals}) != bridge escrow ${l.bridgeEscrow}`;
  const negative = Object.entries(state.built.accounts).find(([, account]) => account.balance < 0);
  if (negative) return `L2 account ${negative[0]} is negative`;
  if (state.built.forgedSupply !== 0) return `the built state carries forged supply ${state.built.forgedSupply}`;
  return null;
}
