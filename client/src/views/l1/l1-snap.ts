import { parseJson } from "../../net/snapshot.ts";
import type { Snapshot } from "../../net/snapshot.ts";

/** `world.module` in an L1 rush-hour round (server/scenarios/l1.ts publicView). */
export interface L1WorldSnap {
  /** Transactions in the L1 mempool. */
  waiting: number;
  /** Of those, how many cap their fee below today's base fee (they wait until it falls). */
  pricedOut: number;
  /** Transfers that fit in one block. */
  perBlock: number;
  /** [tip in gwei per gas, how many waiting transactions offer it], highest tip first; priced-out ones not counted. */
  tips: [number, number][];
  /** The highest tips the next block will take first. */
  topTippers: { from: string; tip: number }[];
}

/** One of your L1 transfers (your `wallet.module`); times in game ms, fees in gwei. */
export interface SentSnap {
  id: string;
  to: string;
  amount: number;
  tip: number;
  maxFee: number;
  atMs: number;
  /** waiting | included | dropped */
  status: string;
  waitMs?: number;
  fee?: number;
  reason?: string;
  /** Transactions the next block takes before this one (absent when its fee cap is below the base fee). */
  ahead?: number;
}

const EMPTY: L1WorldSnap = { waiting: 0, pricedOut: 0, perBlock: 30, tips: [], topTippers: [] };

export function l1World(s: Snapshot): L1WorldSnap {
  return { ...EMPTY, ...parseJson<Partial<L1WorldSnap>>(s.world.module, {}) };
}

export function sentTransfers(s: Snapshot, me: string): SentSnap[] {
  return parseJson<{ sent?: SentSnap[] }>(s.players[me]?.wallet?.module, {}).sent ?? [];
}

/** Where the base fee is heading: the next block's base fee against the last block's, with a glyph and words. */
export function baseFeeTrend(s: Snapshot): { glyph: string; words: string } {
  const last = s.world.blocks.at(-1)?.baseFee;
  if (last === undefined || last === s.world.baseFee) return { glyph: "■", words: "steady" };
  return s.world.baseFee > last
    ? { glyph: "▲", words: "rising: the last block was more than half full" }
    : { glyph: "▼", words: "falling: the last block was less than half full" };
}
