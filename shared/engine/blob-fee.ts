import { WEI_PER_GWEI } from "./base-fee.ts";

/**
 * The blob fee market of EIP-4844, beside the execution (EIP-1559) one: blobs have their own
 * "blob gas", their own base fee and their own target and maximum per block. The blob fee is
 * burned whole. Numbers are mainnet's as of the BPO2 fork (Jan 2026, EIP-7892 blob-parameter-only
 * fork after Fusaka/Osaka), with Osaka's EIP-7918 reserve price; Cancun's and Prague's schedules
 * are kept for comparison and tests.
 */

/** Blob gas one blob uses: 2^17, a blob being 4096 field elements of 32 bytes (EIP-4844 GAS_PER_BLOB). */
export const GAS_PER_BLOB = 131_072;
/** Bytes of batch data one blob carries: 4096 field elements × 31 usable bytes (each must stay below the BLS modulus). */
export const BLOB_DATA_BYTES = 4096 * 31;
/** The blob base fee never falls below 1 wei per blob gas (MIN_BASE_FEE_PER_BLOB_GAS). */
export const MIN_BASE_FEE_PER_BLOB_GAS = 1;
/** EIP-7918 (Osaka): a blob's reserve price is BLOB_BASE_COST gas at the execution base fee. */
export const BLOB_BASE_COST = 8_192;

/** Target and maximum blobs per block and the update fraction of one fork (EIP-7840's blobSchedule entry). */
export interface BlobSchedule {
  fork: string;
  target: number;
  max: number;
  /** BLOB_BASE_FEE_UPDATE_FRACTION: a block `max` blobs full raises the fee by e^((max − target) × GAS_PER_BLOB / fraction). */
  updateFraction: number;
  /** Whether EIP-7918's reserve price applies (Osaka and later). */
  reservePrice: boolean;
}

export const BLOB_SCHEDULES = {
  /** Dencun, March 2024 (EIP-4844): +12.5 % per full block. */
  cancun: { fork: "Cancun (EIP-4844, Mar 2024)", target: 3, max: 6, updateFraction: 3_338_477, reservePrice: false },
  /** Pectra, May 2025 (EIP-7691). */
  prague: { fork: "Prague (EIP-7691, May 2025)", target: 6, max: 9, updateFraction: 5_007_716, reservePrice: false },
  /** BPO2, January 2026 (EIP-7892, EIP-8135), with Osaka's EIP-7918: what mainnet runs now. */
  bpo2: { fork: "BPO2 (EIP-8135, Jan 2026)", target: 14, max: 21, updateFraction: 11_684_671, reservePrice: true },
} as const satisfies Record<string, BlobSchedule>;

/** EIP-4844's fake_exponential: factor × e^(numerator / denominator) by its Taylor series, in integers. */
export function fakeExponential(factor: number, numerator: number, denominator: number): number {
  const denom = BigInt(denominator);
  const num = BigInt(numerator);
  let output = 0n;
  let accumulator = BigInt(factor) * denom;
  for (let i = 1n; accumulator > 0n; i++) {
    output += accumulator;
    accumulator = (accumulator * num) / (denom * i);
  }
  return Number(output / denom);
}

/** The blob base fee, wei per blob gas, from the excess blob gas carried in the block header (get_base_fee_per_blob_gas). */
export function blobBaseFee(excessBlobGas: number, schedule: BlobSchedule): number {
  return fakeExponential(MIN_BASE_FEE_PER_BLOB_GAS, excessBlobGas, schedule.updateFraction);
}

/**
 * The next block's excess blob gas from its parent (calc_excess_blob_gas): what was used above the
 * target accumulates, below it drains. Under EIP-7918, while a blob's reserve price
 * (BLOB_BASE_COST × execution base fee) is above its blob fee, the target is not subtracted: the
 * fee can only rise, by at most what a full block raises it.
 */
export function nextExcessBlobGas(parentExcess: number, parentBlobGasUsed: number, parentBaseFeeWei: number, schedule: BlobSchedule): number {
  const targetGas = schedule.target * GAS_PER_BLOB;
  if (parentExcess + parentBlobGasUsed < targetGas) return 0;
  const reserve = BigInt(BLOB_BASE_COST) * BigInt(parentBaseFeeWei);
  const blobPrice = BigInt(GAS_PER_BLOB) * BigInt(blobBaseFee(parentExcess, schedule));
  if (schedule.reservePrice && reserve > blobPrice) {
    return parentExcess + Math.floor((parentBlobGasUsed * (schedule.max - schedule.target)) / schedule.max);
  }
  return parentExcess + parentBlobGasUsed - targetGas;
}

/** Blobs needed for `bytes` of batch data (a blob is paid whole, however little it holds). */
export function blobsFor(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / BLOB_DATA_BYTES));
}

/** What `blobs` blobs cost at a blob base fee of `blobBaseFeeWei`, whole gwei rounded up; all of it is burned. */
export function blobFee(blobs: number, blobBaseFeeWei: number): number {
  if (blobs === 0) return 0;
  const wei = BigInt(blobs) * BigInt(GAS_PER_BLOB) * BigInt(blobBaseFeeWei);
  const perGwei = BigInt(WEI_PER_GWEI);
  return Number((wei + perGwei - 1n) / perGwei);
}
