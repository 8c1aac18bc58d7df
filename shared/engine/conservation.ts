import { BRIDGE } from "./world.ts";
import { MODULES } from "./modules.ts";
import type { World } from "./world.ts";

/** The money ledger the conservation invariant checks; every figure in gwei. */
export interface Ledger {
  /** Sum of every L1 balance, contracts (bridge, bonds) included. */
  l1Total: number;
  burned: number;
  minted: number;
  /** L2 balances plus withdrawals initiated but not yet paid on L1. */
  l2Claims: number;
  bridgeEscrow: number;
  /** Supply the sequencer minted by fraud that the current L2 state carries. */
  forgedSupply: number;
}

/** Reads the ledger off the world. */
export function ledger(world: World): Ledger {
  const l1Total = Object.values(world.l1.balances).reduce((sum, balance) => sum + balance, 0);
  const l2Balances = Object.values(world.rollup.head.accounts).reduce((sum, account) => sum + account.balance, 0);
  const unpaid = Object.values(world.rollup.withdrawals)
    .filter((w) => w.status === "initiated" || w.status === "ready")
    .reduce((sum, w) => sum + w.amount, 0);
  return {
    l1Total,
    burned: world.l1.burned,
    minted: world.l1.minted,
    l2Claims: l2Balances + unpaid,
    bridgeEscrow: world.l1.balances[BRIDGE] ?? 0,
    forgedSupply: world.rollup.head.forgedSupply,
  };
}

/**
 * Value is conserved: L1 holds exactly what was minted minus what was burned, and L2 claims
 * are exactly the bridge's escrow plus whatever a fraud minted. Returns the broken rule, or null.
 */
export function conservationViolation(world: World): string | null {
  const l = ledger(world);
  if (l.l1Total + l.burned !== l.minted) return `L1: total ${l.l1Total} + burned ${l.burned} != minted ${l.minted}`;
  if (l.l2Claims !== l.bridgeEscrow + l.forgedSupply) return `L2: claims ${l.l2Claims} != escrow ${l.bridgeEscrow} + forged ${l.forgedSupply}`;
  for (const [name, module] of Object.entries(MODULES)) {
    if (world.modules[name] === undefined) continue;
    const broken = module.violation(world);
    if (broken) return `${name}: ${broken}`;
  }
  return null;
}
