/** Every amount in the engine is an integer number of gwei (1 ETH = 1e9 gwei), safe below 2^53. */
export const GWEI_PER_ETH = 1_000_000_000;

/** Whole or fractional ETH to integer gwei. */
export function eth(amount: number): number {
  return Math.round(amount * GWEI_PER_ETH);
}

/** Integer gwei to ETH for display. */
export function toEth(gwei: number): number {
  return gwei / GWEI_PER_ETH;
}
