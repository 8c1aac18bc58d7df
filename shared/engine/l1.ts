import { nextBaseFee } from "./base-fee.ts";
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

/**
 * Puts a transaction in the L1 mempool after the wallet's upfront check
 * (balance covers gas × max fee + value). Returns the transaction or a reason.
 */
export function submitL1Tx(
  world: World,
  from: string,
  payload: L1Payload,
  gas: number,
  value: number,
  fee: FeeChoice,
  out: EngineEvent[],
): L1Tx | string {
  const tip = fee.tip ?? DEFAULT_TIP;
  const maxFee = fee.maxFee ?? 2 * world.l1.baseFee + tip;
  if (!Number.isSafeInteger(tip) || tip < 0) return "tip must be a whole number of gwei, at least 0";
  if (!Number.isSafeInteger(maxFee) || maxFee < tip) return "max fee must be at least the tip";
  const balance = world.l1.balances[from] ?? 0;
  if (balance < gas * maxFee + value) return "not enough ETH on L1 for the value plus gas at your max fee";
  const tx: L1Tx = { id: newId(world, "l1"), from, payload, gas, maxFee, tip, submittedAtMs: world.nowMs };
  world.l1.mempool.push(tx);
  out.push({ t: world.nowMs, type: "l1.submitted", txId: tx.id, kind: payload.kind, from });
  return tx;
}

/** What the producer earns per gas from `tx` at `baseFee`: min(tip, maxFee − baseFee). */
function effectiveTip(tx: L1Tx, baseFee: number): number {
  return Math.min(tx.tip, tx.maxFee - baseFee);
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
  const baseFee = l1.baseFee;
  const height = l1.height + 1;
  const candidates = l1.mempool
    .filter((tx) => tx.maxFee >= baseFee)
    .sort((a, b) => effectiveTip(b, baseFee) - effectiveTip(a, baseFee) || a.submittedAtMs - b.submittedAtMs);
  const pendingAtStart = l1.mempool;
  const done = new Set<string>();
  const dropped: L1Tx[] = [];
  const txIds: string[] = [];
  let gasUsed = 0;
  let burnedInBlock = 0;
  let tipsInBlock = 0;
  for (const tx of candidates) {
    // An earlier transaction's effect may have cancelled this one (a revert takes its batches' posts back).
    if (l1.mempool !== pendingAtStart && !l1.mempool.includes(tx)) continue;
    if (gasUsed + tx.gas > config.gasLimit) continue;
    const tip = effectiveTip(tx, baseFee);
    const gasCost = tx.gas * (baseFee + tip);
    if ((l1.balances[tx.from] ?? 0) < gasCost + valueOf(tx.payload)) {
      done.add(tx.id);
      dropped.push(tx);
      out.push({ t: world.nowMs, type: "l1.dropped", txId: tx.id, kind: tx.payload.kind, from: tx.from, reason: "balance no longer covers gas and value" });
      continue;
    }
    l1.balances[tx.from] = (l1.balances[tx.from] ?? 0) - gasCost;
    l1.balances[BLOCK_PRODUCER] = (l1.balances[BLOCK_PRODUCER] ?? 0) + tx.gas * tip;
    l1.burned += tx.gas * baseFee;
    burnedInBlock += tx.gas * baseFee;
    tipsInBlock += tx.gas * tip;
    gasUsed += tx.gas;
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
      burned: tx.gas * baseFee,
      tip: tx.gas * tip,
      waitMs: world.nowMs - tx.submittedAtMs,
      ok: reason === null,
      ...(reason ? { reason } : {}),
    });
  }
  l1.mempool = l1.mempool.filter((tx) => !done.has(tx.id));
  for (const tx of dropped) onDropped(world, tx, out);
  l1.height = height;
  l1.baseFee = nextBaseFee(baseFee, gasUsed, config.gasLimit);
  l1.recentBlocks.push({ height, timeMs: world.nowMs, gasUsed, baseFee, txIds });
  if (l1.recentBlocks.length > RECENT_BLOCKS_KEPT) l1.recentBlocks.shift();
  out.push({ t: world.nowMs, type: "l1.block", height, gasUsed, gasLimit: config.gasLimit, baseFee, nextBaseFee: l1.baseFee, txCount: txIds.length, burned: burnedInBlock, tips: tipsInBlock });
}
