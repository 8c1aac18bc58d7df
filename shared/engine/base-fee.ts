/**
 * EIP-1559: the base fee of the next block from the parent's base fee and gas used.
 * Target is half the gas limit; the change is at most 1/8 (12.5%) per block;
 * above target it rises by at least 1 wei (here: 1 gwei unit), below target it falls.
 */
export function nextBaseFee(parentBaseFee: number, parentGasUsed: number, gasLimit: number): number {
  const target = Math.floor(gasLimit / 2);
  if (parentGasUsed === target) return parentBaseFee;
  if (parentGasUsed > target) {
    const delta = Math.max(Math.floor((parentBaseFee * (parentGasUsed - target)) / target / 8), 1);
    return parentBaseFee + delta;
  }
  const delta = Math.floor((parentBaseFee * (target - parentGasUsed)) / target / 8);
  return Math.max(parentBaseFee - delta, 0);
}
