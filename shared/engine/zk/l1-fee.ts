import { chargeNow } from "../l1.ts";
import type { L1Tx, World } from "../world.ts";

/**
 * What an L1 transaction included in the block being produced costs its sender, gwei
 * (gas × (base fee + effective tip), EIP-1559). Valid only while that block executes.
 */
export function l1FeeOf(world: World, tx: L1Tx): { l1TxId: string; l1Gas: number; l1Fee: number } {
  return { l1TxId: tx.id, l1Gas: tx.gas, l1Fee: chargeNow(world, tx).fee };
}
