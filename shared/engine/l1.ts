import { WEI_PER_GWEI, gweiCeil, nextBaseFee } from "./base-fee.ts";
import { GAS_PER_BLOB, blobBaseFee, blobFee, nextExcessBlobGas } from "./blob-fee.ts";
import type { EngineEvent } from "./events.ts";
import type { FeeChoice } from "./actions.ts";
import { BLOCK_PRODUCER, newId } from "./world.ts";
import type { L1Payload, L1Tx, World } from "./world.ts";

/** Default priority fee per gas when a player does not choose one, gwei. */
export const DEFAULT_TIP = 1;
const RECENT_BLOCKS_KEPT = 32;

/** Runs an included transaction's effect; returns why it reverted, or null. Gas is charged either way. */
export type PayloadExecutor = (world: World, tx: L1Tx, out: EngineEvent[]) => string | null;

/** Value (gwei) a payload moves out of the sender besides gas: what the upfront check must cover. */
export type ValueOf = (payload: L1Payload) => number;

/** The blob base fee of the block being built next, wei per blob gas. */
export function currentBlobBaseFee(world: World): number {
  return blobBaseFee(world.l1.excessBlobGas, world.config.blobSchedule);
}

/**
 * Puts a transaction in the L1 mempool after the wallet's upfront check (balance covers gas ×
 * max fee + value, and for a blob transaction its blobs at twice today's blob base fee, the cap
 * wallets set). Returns the transaction or a reason.
 */
export function submitL1Tx(
  world: World,
  from: string,
  payload: L1Payload,
  gas: number,
  value: number,
  fee: FeeChoice,
  out: EngineEvent[],
  blobs = 0,
): L1Tx | string {
  const tip = fee.tip ?? DEFAULT_TIP;
  const maxFee = fee.maxFee ?? 2 * gweiCeil(world.l1.baseFeeWei) + tip;
  if (!Number.isSafeInteger(tip) || tip < 0) return "tip must be a whole number of gwei, at least 0";
  if (!Number.isSafeInteger(maxFee) || maxFee < tip) return "max fee must be at least the tip";
  if (blobs > world.config.blobSchedule.max) return `a block holds at most ${world.config.blobSchedule.max} blobs`;
  const maxBlobFeeWei = 2 * currentBlobBaseFee(world);
  const balance = world.l1.balances[from] ?? 0;
  if (balance < gas * maxFee + blobFee(blobs, maxBlobFeeWei) + value) return "not enough ETH on L1 for the value plus gas (and blobs) at your max fee";
  const tx: L1Tx = { id: newId(world, "l1"), from, payload, gas, maxFee, tip, submittedAtMs: world.nowMs, pricedOut: false, ...(blobs > 0 ? { blobs, maxBlobFeeWei } : {}) };
  world.l1.mempool.push(tx);
  out.push({ t: world.nowMs, type: "l1.submitted", txId: tx.id, kind: payload.kind, from });
  return tx;
}

/**
 * Whether `tx`'s fee caps cover a base fee of `baseFeeWei` (its max fee, whole gwei per gas) and,
 * for a blob transaction, a blob base fee of `blobBaseFeeWei`: if not, no block takes it (it is priced out).
 */
export function coversBaseFee(tx: Pick<L1Tx, "maxFee" | "blobs" | "maxBlobFeeWei">, baseFeeWei: number, blobBaseFeeWei = 0): boolean {
  if ((tx.blobs ?? 0) > 0 && (tx.maxBlobFeeWei ?? 0) < blobBaseFeeWei) return false;
  return BigInt(tx.maxFee) * BigInt(WEI_PER_GWEI) >= BigInt(baseFeeWei);
}

/** What the producer earns per gas from `tx` at `baseFeeWei`: min(tip, maxFee − baseFee), wei per gas (orders the mempool). */
export function effectiveTipWei(tx: Pick<L1Tx, "tip" | "maxFee">, baseFeeWei: number): number {
  return Math.min(tx.tip * WEI_PER_GWEI, tx.maxFee * WEI_PER_GWEI - baseFeeWei);
}

/**
 * What `tx` costs its sender if included at `baseFeeWei` (EIP-1559) and `blobBaseFeeWei`
 * (EIP-4844), whole gwei: execution = gas × (base fee + effective tip), rounded up once, of which
 * gas × base fee (rounded up) is burned and the rest tips the block producer; `blobFee` = its
 * blobs × GAS_PER_BLOB × blob base fee, rounded up, all burned. `fee` is everything it pays, and
 * burned + tip = fee exactly; the execution part never exceeds gas × maxFee.
 */
export function l1Charge(tx: Pick<L1Tx, "gas" | "tip" | "maxFee" | "blobs">, baseFeeWei: number, blobBaseFeeWei = 0): { fee: number; burned: number; tip: number; blobFee: number } {
  const gas = BigInt(tx.gas);
  const base = BigInt(baseFeeWei);
  const wei = BigInt(WEI_PER_GWEI);
  const tipCap = BigInt(tx.maxFee) * wei - base;
  const tipWei = BigInt(tx.tip) * wei < tipCap ? BigInt(tx.tip) * wei : tipCap;
  const up = (n: bigint) => (n + wei - 1n) / wei;
  const execution = Number(up(gas * (base + tipWei)));
  const burnedByGas = Number(up(gas * base));
  const blobs = blobFee(tx.blobs ?? 0, blobBaseFeeWei);
  return { fee: execution + blobs, burned: burnedByGas + blobs, tip: execution - burnedByGas, blobFee: blobs };
}

/** What `tx` pays if the block being produced now includes it (valid while that block executes). */
export function chargeNow(world: World, tx: L1Tx): { fee: number; burned: number; tip: number; blobFee: number } {
  return l1Charge(tx, world.l1.baseFeeWei, currentBlobBaseFee(world));
}

/** Moves `amount` gwei between L1 accounts; the caller has checked the balance. */
export function moveL1(world: World, from: string, to: string, amount: number): void {
  world.l1.balances[from] = (world.l1.balances[from] ?? 0) - amount;
  world.l1.balances[to] = (world.l1.balances[to] ?? 0) + amount;
}

/**
 * Produces one block at world.nowMs: the highest-tipping transactions that pay the base fee,
 * up to the gas limit. Base fee is burned, the tip goes to the producer (EIP-1559).
 * `onFailedDrop` lets the rollup undo a dropped batch post.
 */
export function produceBlock(
  world: World,
  execute: PayloadExecutor,
  valueOf: ValueOf,
  onDropped: (world: World, tx: L1Tx, out: EngineEvent[]) => void,
  out: EngineEvent[],
): void {
  const { l1, config } = world;
  const baseFeeWei = l1.baseFeeWei;
  const blobBaseFeeWei = currentBlobBaseFee(world);
  const maxBlobGas = config.blobSchedule.max * GAS_PER_BLOB;
  const height = l1.height + 1;
  const candidates: L1Tx[] = [];
  for (const tx of l1.mempool) {
    if (coversBaseFee(tx, baseFeeWei, blobBaseFeeWei)) {
      if (tx.pricedOut) tx.pricedOut = false;
      candidates.push(tx);
    } else if (!tx.pricedOut) {
      // Not dropped: it waits in the mempool until the base fee falls back under its cap.
      tx.pricedOut = true;
      out.push({ t: world.nowMs, type: "l1.pricedOut", txId: tx.id, kind: tx.payload.kind, from: tx.from, maxFee: tx.maxFee, baseFeeWei });
    }
  }
  candidates.sort((a, b) => effectiveTipWei(b, baseFeeWei) - effectiveTipWei(a, baseFeeWei) || a.submittedAtMs - b.submittedAtMs);
  const pendingAtStart = l1.mempool;
  const done = new Set<string>();
  const dropped: L1Tx[] = [];
  const txIds: string[] = [];
  let gasUsed = 0;
  let blobGasUsed = 0;
  let burnedInBlock = 0;
  let tipsInBlock = 0;
  for (const tx of candidates) {
    // An earlier transaction's effect may have cancelled this one (a revert takes its batches' posts back).
    if (l1.mempool !== pendingAtStart && !l1.mempool.includes(tx)) continue;
    if (gasUsed + tx.gas > config.gasLimit) continue;
    const blobGas = (tx.blobs ?? 0) * GAS_PER_BLOB;
    if (blobGasUsed + blobGas > maxBlobGas) continue;
    const charge = l1Charge(tx, baseFeeWei, blobBaseFeeWei);
    const gasCost = charge.fee;
    if ((l1.balances[tx.from] ?? 0) < gasCost + valueOf(tx.payload)) {
      done.add(tx.id);
      dropped.push(tx);
      out.push({ t: world.nowMs, type: "l1.dropped", txId: tx.id, kind: tx.payload.kind, from: tx.from, reason: "balance no longer covers gas and value" });
      continue;
    }
    l1.balances[tx.from] = (l1.balances[tx.from] ?? 0) - gasCost;
    l1.balances[BLOCK_PRODUCER] = (l1.balances[BLOCK_PRODUCER] ?? 0) + charge.tip;
    l1.burned += charge.burned;
    burnedInBlock += charge.burned;
    tipsInBlock += charge.tip;
    gasUsed += tx.gas;
    blobGasUsed += blobGas;
    done.add(tx.id);
    txIds.push(tx.id);
    const reason = execute(world, tx, out);
    out.push({
      t: world.nowMs,
      type: "l1.included",
      txId: tx.id,
      kind: tx.payload.kind,
      from: tx.from,
      height,
      gas: tx.gas,
      fee: gasCost,
      burned: charge.burned,
      tip: charge.tip,
      ...(blobGas > 0 ? { blobs: tx.blobs, blobFee: charge.blobFee } : {}),
      waitMs: world.nowMs - tx.submittedAtMs,
      ok: reason === null,
      ...(reason ? { reason } : {}),
    });
  }
  l1.mempool = l1.mempool.filter((tx) => !done.has(tx.id));
  for (const tx of dropped) onDropped(world, tx, out);
  l1.height = height;
  l1.baseFeeWei = nextBaseFee(baseFeeWei, gasUsed, config.gasLimit);
  l1.excessBlobGas = nextExcessBlobGas(l1.excessBlobGas, blobGasUsed, baseFeeWei, config.blobSchedule);
  l1.recentBlocks.push({ height, timeMs: world.nowMs, gasUsed, baseFeeWei, blobGasUsed, blobBaseFeeWei, txIds });
  if (l1.recentBlocks.length > RECENT_BLOCKS_KEPT) l1.recentBlocks.shift();
  out.push({
    t: world.nowMs, type: "l1.block", height, gasUsed, gasLimit: config.gasLimit, baseFeeWei, nextBaseFeeWei: l1.baseFeeWei, txCount: txIds.length, burned: burnedInBlock, tips: tipsInBlock,
    blobGasUsed, blobBaseFeeWei, nextBlobBaseFeeWei: currentBlobBaseFee(world),
  });
}
