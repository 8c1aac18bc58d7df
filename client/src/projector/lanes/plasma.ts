import { childBlockLabel, coinBlockLabel } from "../../../../shared/engine/plasma/views.ts";
import type { PlasmaPublicView } from "../../../../shared/engine/plasma/views.ts";
import { nameOf, parseJson } from "../../net/snapshot.ts";
import { formatEth } from "../../ui/format.ts";
import { COLOR } from "./lane.ts";
import type { Lane, LaneContext } from "./lane.ts";

const BLOCK_W = 128;
const BLOCK_H = 96;
const BLOCKS_SHOWN = 9;
const QUEUE_ROWS = 6;

/** The chain: one card per block root on L1; a withheld block is a dark card with a big "?". */
function drawChain(ctx: LaneContext, w: PlasmaPublicView, top: number): void {
  const { g, text, x } = ctx;
  if (w.blocks.length === 0) text("no-blocks", "No Plasma block yet: the operator collects transfers…", x + 16, top + 30, 26, COLOR.muted);
  w.blocks.slice(-BLOCKS_SHOWN).forEach((b, i) => {
    const bx = x + 16 + i * (BLOCK_W + 12);
    const withheld = !b.published;
    const pending = b.status === "pending";
    g.roundRect(bx, top, BLOCK_W, BLOCK_H, 8).fill({ color: withheld ? 0x000000 : COLOR.card }).stroke({ width: withheld ? 5 : 3, color: withheld ? COLOR.vermillion : pending ? COLOR.grey : COLOR.green });
    text(`blk-${b.number}`, `#${childBlockLabel(b.number)}`, bx + 10, top + 6, 28, COLOR.text, "bold");
    if (withheld) {
      text(`blk-q-${b.number}`, "?", bx + BLOCK_W - 12, top, 52, COLOR.vermillion, "bold", 1);
      text(`blk-s-${b.number}`, "WITHHELD", bx + BLOCK_W / 2, top + 64, 20, COLOR.vermillion, "bold", 0.5);
    } else {
      text(`blk-s-${b.number}`, pending ? "→ L1…" : `✓ ${b.txCount} tx`, bx + 10, top + 40, 22, pending ? COLOR.muted : COLOR.green, "bold");
      // A block whose data went in a blob is on L1 for everyone: say so instead of the root.
      text(`blk-r-${b.number}`, b.da === "blob" && !pending ? "in a blob" : `${b.root.slice(0, 6)}…`, bx + 10, top + 66, 20, b.da === "blob" && !pending ? COLOR.sky : COLOR.muted);
    }
  });
}

/** The exit queue in the contract's priority order: each exit's challenge period as a shrinking bar with seconds. */
function drawQueue(ctx: LaneContext, w: PlasmaPublicView, top: number): void {
  const { text, meter, x, s, clock } = ctx;
  // Short enough to end before the counts column beside the queue.
  text("q-title", `Exit queue on L1 · in priority order · ${w.exitsPerBlock} paid a block`, x + 16, top, 28, COLOR.text, "bold");
  if (w.queue.length === 0) text("q-empty", "No exit waiting.", x + 16, top + 48, 24, COLOR.muted);
  const barX = x + 580;
  const barW = 220;
  w.queue.slice(0, QUEUE_ROWS).forEach((exit, i) => {
    const y = top + 44 + i * 40;
    const left = Math.max(0, exit.exitableAtMs - clock.now());
    const who = nameOf(s, exit.owner);
    const operator = exit.owner === w.operator;
    text(`q-${i}`, `${i + 1}. ${who.length > 12 ? `${who.slice(0, 11)}…` : who}${operator ? " (op.)" : ""} · ${formatEth(exit.amount, 2)}`, x + 16, y, 24, operator ? COLOR.vermillion : COLOR.text, "bold");
    text(`q-age-${i}`, coinBlockLabel(exit.utxoPos), x + 420, y + 2, 20, COLOR.muted);
    meter(`q-bar-${i}`, barX, y + 8, barW, 16, Math.min(w.exitPeriodMs, left) / Math.max(1, w.exitPeriodMs), COLOR.orange);
    text(`q-left-${i}`, left > 0 ? `${Math.ceil(left / 1000)} s` : "ready", barX + barW + 12, y, 22, left > 0 ? COLOR.text : COLOR.yellow, "bold");
  });
  if (w.queued > QUEUE_ROWS) text("q-more", `+ ${w.queued - QUEUE_ROWS} more in the queue`, x + 16, top + 44 + QUEUE_ROWS * 40, 22, COLOR.muted);
}

/** Exits paid vs stuck, in numbers big enough for the back row. */
function drawCounts(ctx: LaneContext, w: PlasmaPublicView, top: number): void {
  const { text, x } = ctx;
  const cx = x + 920;
  const rows: [string, string, number][] = [
    ["paid", `✓ ${w.paid} exits paid out`, COLOR.green],
    ["queued", `… ${w.queued} queued (${w.matureWaiting} ready)`, COLOR.orange],
    ["mempool", `✗ ${w.exitTxsWaiting} stuck in L1 mempool`, w.exitTxsWaiting > 0 ? COLOR.vermillion : COLOR.muted],
    ["priced", `   ${w.exitTxsPricedOut} of them priced out`, COLOR.muted],
    ["challenged", `⚔ ${w.challenged} challenged`, COLOR.purple],
    ["escrow", `escrow ${formatEth(w.escrow, 1)}`, COLOR.text],
  ];
  rows.forEach(([key, label, color], i) => text(`c-${key}`, label, cx, top + i * 40, 24, color, "bold"));
}

/** The projector's Plasma lane: the chain of roots, the withheld-data alarm, the exit queue and its counts. */
export const plasmaLane: Lane = {
  subtitle: "Plasma: only block roots on L1",
  roleColors: { operator: COLOR.vermillion, user: COLOR.sky },
  draw(ctx) {
    const { g, text, x, y, w: width, h: height, s } = ctx;
    const w = parseJson<PlasmaPublicView | null>(s.world.module, null);
    g.roundRect(x, y - 8, width, height, 12).fill({ color: COLOR.panel });
    if (!w) {
      text("waiting", "Plasma chain starting…", x + 16, y + 10, 30, COLOR.muted);
      return;
    }
    text("title", `Plasma · operator ${nameOf(s, w.operator) || "—"} · ${w.pool} transfer${w.pool === 1 ? "" : "s"} waiting · ${w.deposits} deposits`, x + 16, y, 30, COLOR.text, "bold");
    drawChain(ctx, w, y + 48);
    const alarmY = y + 160;
    if (w.withheld.length > 0) {
      g.roundRect(x + 12, alarmY - 4, width - 24, 48, 8).fill({ color: 0x3a1608 }).stroke({ width: 3, color: COLOR.vermillion });
      text("alarm", `⚠ Block #${childBlockLabel(w.withheld[0]!)}'s data is WITHHELD: nobody can check it — everyone exit!`, x + 28, alarmY + 4, 28, COLOR.text, "bold");
    } else {
      text("alarm", "✓ Every block's data is published: anyone can check the operator.", x + 16, alarmY + 4, 24, COLOR.green);
    }
    drawQueue(ctx, w, y + 218);
    drawCounts(ctx, w, y + 218);
  },
};
