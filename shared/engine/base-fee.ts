/**
 * The base fee is kept in wei per gas, as Ethereum keeps it: in whole gwei, 1/8 of a small base
 * fee rounds away (ten full blocks from 10 gwei reached 24 instead of 32; an empty chain stuck at
 * 7 gwei). Balances and fees stay whole gwei (units.ts); a fee is rounded once, where it is charged.
 */
export const WEI_PER_GWEI = 1_000_000_000;

/**
 * EIP-1559: the base fee of the next block from the parent's base fee and gas used, wei per gas.
 * Target is half the gas limit; the change is at most 1/8 (12.5%) per block; above target it rises
 * by at least 1 wei, below target it falls. Integer division as in the spec, exact in BigInt.
 */
export function nextBaseFee(parentBaseFeeWei: number, parentGasUsed: number, gasLimit: number): number {
  const target = BigInt(Math.floor(gasLimit / 2));
  const used = BigInt(parentGasUsed);
  const parent = BigInt(parentBaseFeeWei);
  if (used === target) return parentBaseFeeWei;
  if (used > target) {
    const delta = (parent * (used - target)) / target / 8n;
    return Number(parent + (delta > 1n ? delta : 1n));
  }
  const delta = (parent * (target - used)) / target / 8n;
  return Number(parent > delta ? parent - delta : 0n);
}

/** Gwei per gas to wei per gas. */
export function weiOf(gweiPerGas: number): number {
  return gweiPerGas * WEI_PER_GWEI;
}

/** The lowest whole max fee (gwei per gas) that pays a base fee of `wei`: what wallets and screens quote. */
export function gweiCeil(wei: number): number {
  return Math.ceil(wei / WEI_PER_GWEI);
}

/** A base fee in gwei per gas to two decimals, for charts and sentences (12.5 % of 10 gwei shows as 11.25). */
export function gweiOf(wei: number): number {
  return Math.round(wei / (WEI_PER_GWEI / 100)) / 100;
}
