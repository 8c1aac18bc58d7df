import type { GasSchedule } from "./config.ts";

/** EIP-2028 calldata gas: 16 per non-zero byte, 4 per zero byte. */
export function calldataGas(bytes: Uint8Array, gas: GasSchedule): number {
  let total = 0;
  for (const byte of bytes) total += byte === 0 ? gas.calldataZeroByte : gas.calldataNonZeroByte;
  return total;
}
