import { MODULES } from "./modules.ts";
import type { World } from "./world.ts";

/** The L1 money ledger the conservation invariant checks; every figure in gwei. */
export interface Ledger {
  /** Sum of every L1 balance, contracts (bridges, bonds, escrows) included. */
  l1Total: number;
  burned: number;
  minted: number;
}

/** Reads the L1 ledger off the world. */
export function ledger(world: World): Ledger {
  const l1Total = Object.values(world.l1.balances).reduce((sum, balance) => sum + balance, 0);
  return { l1Total, burned: world.l1.burned, minted: world.l1.minted };
}

/**
 * Value is conserved: L1 holds exactly what was minted minus what was burned, and every Layer 2
 * module's own invariant holds (for a rollup: its L2 claims are exactly its bridge's escrow plus
 * whatever a fraud minted). Returns the broken rule, or null.
 */
export function conservationViolation(world: World): string | null {
  const l = ledger(world);
  if (l.l1Total + l.burned !== l.minted) return `L1: total ${l.l1Total} + burned ${l.burned} != minted ${l.minted}`;
  for (const [name, module] of Object.entries(MODULES)) {
    if (world.modules[name] === undefined) continue;
    const broken = module.violation(world);
    if (broken) return `${name}: ${broken}`;
  }
  return null;
}
