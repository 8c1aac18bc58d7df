import { l1Moves } from "../../shared/bots/l1.ts";
import type { EngineEvent } from "../../shared/engine/events.ts";
import { coversBaseFee, effectiveTipWei } from "../../shared/engine/l1.ts";
import type { World } from "../../shared/engine/world.ts";
import { feeOf } from "./common.ts";
import { assignInOrder } from "./scenario.ts";
import type { ScenarioDef } from "./scenario.ts";

const SENT_SHOWN = 8;
const TOP_TIPPERS = 5;

/** One of a player's L1 transfers as their wallet shows it (times in game ms, fees in gwei). */
interface SentTransfer {
  id: string;
  to: string;
  amount: number;
  tip: number;
  maxFee: number;
  atMs: number;
  status: "waiting" | "included" | "dropped";
  waitMs?: number;
  fee?: number;
  reason?: string;
}

/** A waiting transaction's place in line: what the next block producer picks first (highest effective tip, then oldest). */
function queueOrder(world: World): Map<string, number> {
  const base = world.l1.baseFeeWei;
  const payable = world.l1.mempool.filter((tx) => coversBaseFee(tx, base))
    .sort((a, b) => effectiveTipWei(b, base) - effectiveTipWei(a, base) || a.submittedAtMs - b.submittedAtMs);
  return new Map(payable.map((tx, i) => [tx.id, i]));
}

/** "L1 rush hour": no Layer 2 at all; everyone pays everyone on L1 and the blocks fill up. */
export const l1: ScenarioDef = {
  lead: null,
  balance: (players) => assignInOrder(players, [], "user", false),
  start() {
    const sent = new Map<string, SentTransfer[]>();
    const byId = new Map<string, SentTransfer>();
    let order = new Map<string, number>();
    return {
      genesis: () => [],
      act(_world, me, type, d) {
        if (type !== "l1:send") return `unknown message ${type}`;
        if (d.to === me) return "Pick someone else to pay.";
        return { type: "l1Transfer", from: me, to: d.to as string, amount: d.amount as number, ...feeOf(d) };
      },
      observe(world, events: readonly EngineEvent[]) {
        for (const e of events) {
          if (e.type === "l1.submitted" && e.kind === "transfer") {
            const tx = world.l1.mempool.find((t) => t.id === e.txId);
            if (tx?.payload.kind !== "transfer") continue;
            const entry: SentTransfer = { id: tx.id, to: tx.payload.to, amount: tx.payload.amount, tip: tx.tip, maxFee: tx.maxFee, atMs: tx.submittedAtMs, status: "waiting" };
            const list = [entry, ...(sent.get(e.from) ?? [])];
            for (const old of list.splice(SENT_SHOWN)) byId.delete(old.id);
            sent.set(e.from, list);
            byId.set(entry.id, entry);
          } else if (e.type === "l1.included" || e.type === "l1.dropped") {
            const entry = byId.get(e.txId);
            if (!entry) continue;
            if (e.type === "l1.included") Object.assign(entry, { status: "included", waitMs: e.waitMs, fee: e.fee });
            else Object.assign(entry, { status: "dropped", reason: e.reason });
          }
        }
      },
      /**
       * { waiting, pricedOut, perBlock, tips: [[tip gwei/gas, count]] of the payable ones, highest first,
       *   topTippers: [{ from, tip }] } — the mempool as the next block producer sees it.
       */
      publicView(world) {
        order = queueOrder(world);
        const base = world.l1.baseFeeWei;
        const tips = new Map<number, number>();
        for (const tx of world.l1.mempool) if (coversBaseFee(tx, base)) tips.set(tx.tip, (tips.get(tx.tip) ?? 0) + 1);
        const top = [...world.l1.mempool].filter((tx) => coversBaseFee(tx, base)).sort((a, b) => b.tip - a.tip || a.submittedAtMs - b.submittedAtMs).slice(0, TOP_TIPPERS);
        return JSON.stringify({
          waiting: world.l1.mempool.length,
          pricedOut: world.l1.mempool.filter((tx) => !coversBaseFee(tx, base)).length,
          perBlock: Math.floor(world.config.gasLimit / world.config.gas.transfer),
          tips: [...tips].sort((a, b) => b[0] - a[0]),
          topTippers: top.map((tx) => ({ from: tx.from, tip: tx.tip })),
        });
      },
      /** { sent: [SentTransfer & { ahead? }] } newest first; `ahead` = transactions the next block takes before it. */
      privateView(_world, playerId) {
        const mine = sent.get(playerId);
        if (!mine) return "";
        return JSON.stringify({ sent: mine.map((t) => (t.status === "waiting" && order.has(t.id) ? { ...t, ahead: order.get(t.id) } : t)) });
      },
      wallet: () => ({ l2Balance: 0, l2Nonce: 0, withdrawals: "[]" }),
      botMoves: (world, mind, players) => l1Moves(world, mind, players.map((p) => p.id)),
    };
  },
};
