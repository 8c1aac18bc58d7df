import { toEth } from "./units.ts";

/** Figures in words for debrief sentences. */

/** ETH for big amounts, gwei for fees too small to show in ETH. */
export const eth = (gwei: number): string => (Math.abs(gwei) >= 1_000_000 ? `${toEth(gwei).toFixed(4)} ETH` : `${Math.round(gwei).toLocaleString("en-US")} gwei`);
export const times = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
