import { DEFAULT_CONFIG } from "../../../../shared/engine/config.ts";
import { nameOf } from "../../net/snapshot.ts";
import { formatEth } from "../../ui/format.ts";
import { baseFeeTrend, l1World } from "../../views/l1/l1-snap.ts";
import { COLOR } from "./lane.ts";
import type { Lane } from "./lane.ts";

const TRANSFER_GAS = DEFAULT_CONFIG.gas.transfer;
const PILE_COLUMNS = 20;
const PILE_ROWS = 11;
const SQUARE = 22;
const BLOCKS_CHARTED = 8;

/** Tip bands, highest first: a colour and its words (the legend and the bars say both). */
const BANDS: { min: number; label: string; color: number }[] = [
  { min: 25, label: "25+", color: COLOR.vermillion },
  { min: 10, label: "10–24", color: COLOR.orange },
  { min: 5, label: "5–9", color: COLOR.yellow },
  { min: 2, label: "2–4", color: COLOR.sky },
  { min: 0, label: "0–1", color: COLOR.grey },
];

function bandOf(tip: number): number {
  return BANDS.findIndex((b) => tip >= b.min);
}

/**
 * L1 rush hour below the L1 panel: the mempool as a pile ordered the way the next block
 * producer takes it (highest tips on top, the next block's share marked), who tips what, how many
 * transfers each block carried, and what a transfer costs right now.
 */
export const l1Lane: Lane = {
  subtitle: "L1 rush hour: everyone pays on L1 at once",
  draw({ g, text, s, x, y, w, h }) {
    const pool = l1World(s);
    g.roundRect(x, y, w, h, 12).fill({ color: COLOR.panel });
    text("l1-title", `Mempool · ${pool.waiting} transfer${pool.waiting === 1 ? "" : "s"} waiting · ${pool.perBlock} fit in a block`, x + 16, y + 8, 34, COLOR.text, "bold");

    // The pile: one square per waiting transfer in the order the next block takes them (highest tip
    // first), then the priced-out ones as hollow squares: no block takes them until the base fee falls.
    const pileX = x + 16;
    const pileY = y + 70;
    const payable = BANDS.flatMap((_, band) => pool.tips.filter(([tip]) => bandOf(tip) === band).flatMap(([, count]) => Array<number>(count).fill(band)));
    const capacity = PILE_COLUMNS * PILE_ROWS;
    const total = payable.length + pool.pricedOut;
    const at = (i: number): [number, number] => [pileX + (i % PILE_COLUMNS) * SQUARE, pileY + Math.floor(i / PILE_COLUMNS) * SQUARE];
    for (let i = 0; i < Math.min(total, capacity); i++) {
      const [sx, sy] = at(i);
      if (i < payable.length) g.rect(sx, sy, SQUARE - 4, SQUARE - 4).fill({ color: BANDS[payable[i]!]!.color });
      else g.rect(sx + 1, sy + 1, SQUARE - 6, SQUARE - 6).stroke({ width: 2, color: COLOR.muted });
    }
    if (payable.length > pool.perBlock) {
      // Where the next block stops: everything below waits at least one more block.
      const lineY = pileY + Math.ceil(pool.perBlock / PILE_COLUMNS) * SQUARE - 2;
      g.rect(pileX - 6, lineY, PILE_COLUMNS * SQUARE + 8, 4).fill({ color: COLOR.text });
      text("l1-next", "↑ next block", pileX + PILE_COLUMNS * SQUARE + 8, lineY - 14, 24, COLOR.text, "bold");
    }
    const noteY = pileY + PILE_ROWS * SQUARE + 10;
    text("l1-pile-note", total > capacity ? `+${total - capacity} more waiting` : total ? "highest tip first" : "empty: every transfer got in", pileX, noteY, 24, COLOR.muted);
    g.rect(pileX + 1, noteY + 38, SQUARE - 6, SQUARE - 6).stroke({ width: 2, color: COLOR.muted });
    text("l1-priced-out", `⊘ ${pool.pricedOut} priced out: fee cap below the base fee`, pileX + 30, noteY + 32, 22, pool.pricedOut ? COLOR.orange : COLOR.muted, "bold");

    // Who pays what: a bar per tip band, with the count in words.
    const barsX = x + 640;
    text("l1-tips-title", "Tips (gwei per gas)", barsX, pileY - 6, 26, COLOR.text, "bold");
    const counts = BANDS.map((_, band) => pool.tips.filter(([tip]) => bandOf(tip) === band).reduce((sum, [, c]) => sum + c, 0));
    const most = Math.max(1, ...counts);
    BANDS.forEach((band, i) => {
      const by = pileY + 36 + i * 46;
      g.rect(barsX, by + 4, 26, 26).fill({ color: band.color });
      text(`l1-band-${i}`, band.label, barsX + 36, by + 2, 24, COLOR.text);
      const barW = 170 * (counts[i]! / most);
      if (barW > 0) g.rect(barsX + 140, by + 6, barW, 22).fill({ color: band.color });
      text(`l1-band-n-${i}`, String(counts[i]), barsX + 148 + barW, by + 2, 24, COLOR.text, "bold");
    });

    // What a transfer costs now, and how full the last blocks were.
    const rightX = x + 1000;
    const tip = pool.tips.length ? medianTip(pool.tips) : 1;
    const trend = baseFeeTrend(s);
    text("l1-cost-title", "Transfer cost now", rightX, pileY - 6, 26, COLOR.text, "bold");
    text("l1-cost", formatEth(TRANSFER_GAS * (s.world.baseFee + tip), 5), rightX, pileY + 28, 36, COLOR.yellow, "bold");
    text("l1-cost-how", `(base ${s.world.baseFee} ${trend.glyph} + tip ${tip})`, rightX, pileY + 74, 24, COLOR.muted);
    text("l1-cost-how2", `× ${TRANSFER_GAS.toLocaleString("en")} gas`, rightX, pileY + 100, 24, COLOR.muted);
    text("l1-per-block", "Transfers per block", rightX, pileY + 144, 24, COLOR.text, "bold");
    const blocks = s.world.blocks.slice(-BLOCKS_CHARTED);
    const chartY = pileY + 184;
    const chartH = 110;
    const pitch = 32;
    blocks.forEach((b, i) => {
      const bx = rightX + i * pitch;
      const frac = Math.min(1, b.txCount / Math.max(1, pool.perBlock));
      g.rect(bx, chartY, pitch - 6, chartH).fill({ color: COLOR.track });
      g.rect(bx, chartY + chartH * (1 - frac), pitch - 6, chartH * frac).fill({ color: frac > 0.5 ? COLOR.orange : COLOR.sky });
      // A lecture hall fills blocks with hundreds: the count shrinks (and says "k") to stay under its own bar.
      const count = b.txCount >= 1000 ? `${(b.txCount / 1000).toFixed(1)}k` : String(b.txCount);
      const size = Math.min(20, Math.floor((pitch - 2) / (count.length * 0.66)));
      text(`l1-pb-${i}`, count, bx + (pitch - 6) / 2, chartY + chartH + 4, size, COLOR.muted, "normal", 0.5, pitch);
    });
    // The EIP-1559 target: half a block.
    for (let dx = 0; dx < BLOCKS_CHARTED * pitch; dx += 12) g.rect(rightX - 4 + dx, chartY + chartH / 2 - 1, 6, 3).fill({ color: COLOR.text });
    text("l1-target", "- - target: half full", rightX, chartY + chartH + 32, 22, COLOR.muted);

    // Who is paying the most right now, by name.
    const tippers = pool.topTippers.map((t) => `${nameOf(s, t.from)} ${t.tip}`).join(" · ");
    text("l1-top", tippers ? `Highest tips now (gwei/gas): ${tippers}` : "Nobody is waiting with a tip", x + 16, y + h - 50, 24, COLOR.text);
  },
};

/** The median tip of the waiting transfers, gwei per gas. */
function medianTip(tips: [number, number][]): number {
  const total = tips.reduce((sum, [, c]) => sum + c, 0);
  let seen = 0;
  for (const [tip, count] of [...tips].sort((a, b) => a[0] - b[0])) {
    seen += count;
    if (seen * 2 >= total) return tip;
  }
  return 1;
}
