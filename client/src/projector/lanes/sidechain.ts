import { nameOf } from "../../net/snapshot.ts";
import { formatEth } from "../../ui/format.ts";
import { sideWorld } from "../../views/sidechain/side-snap.ts";
import type { SideWorldSnap } from "../../views/sidechain/side-snap.ts";
import { COLOR } from "./lane.ts";
import type { Lane, LaneContext } from "./lane.ts";

const BLOCKS_SHOWN = 7;
const CHECKPOINTS_SHOWN = 4;

function short(name: string, max: number): string {
  return name.length > max ? `${name.slice(0, max - 1)}…` : name;
}

/**
 * The bridge's n key seats in a ring, m needed (in the middle). Keys that signed the latest
 * release with no burn behind it (public on L1 once it lands) are filled and marked ✍.
 */
function drawRing(ctx: LaneContext, side: SideWorldSnap, cx: number, cy: number, r: number): void {
  const { g, text, s } = ctx;
  const last = side.attempts.at(-1);
  const colluders = new Set(last?.signers ?? []);
  const color = last?.outcome === "drained" ? COLOR.vermillion : COLOR.orange;
  const seats = Math.max(side.n, side.signers.length);
  for (let i = 0; i < seats; i++) {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, seats);
    const x = cx + r * Math.cos(angle);
    const y = cy + r * Math.sin(angle);
    const id = side.signers[i];
    const signed = id !== undefined && colluders.has(id);
    g.circle(x, y, 24).fill({ color: signed ? color : COLOR.card }).stroke({ width: 3, color: id ? (signed ? COLOR.text : COLOR.green) : COLOR.grey });
    text(`sc-seat-${i}`, signed ? "✍" : `${i + 1}`, x, y - 14, 22, signed ? COLOR.bg : COLOR.text, "bold", 0.5);
    text(`sc-seat-name-${i}`, id ? short(nameOf(s, id), 7) : "empty", x, y + 24, 18, COLOR.muted, "normal", 0.5);
  }
  text("sc-ring-m", `${side.m} of ${side.n}`, cx, cy - 30, 36, COLOR.text, "bold", 0.5);
  text("sc-ring-label", "keys needed", cx, cy + 12, 20, COLOR.muted, "normal", 0.5);
  if (last) {
    text("sc-ring-last", last.outcome === "drained" ? `✍ ${last.signatures} colluded` : `✍ ${last.signatures}: too few`, cx, cy + r + 44, 22, color, "bold", 0.5);
  }
}

/** Recent blocks as bars of signing stake with the ⅔ line, then the block up for votes. */
function drawBlocks(ctx: LaneContext, side: SideWorldSnap, x: number, y: number, w: number, h: number): void {
  const { g, text, s } = ctx;
  text("sc-blocks-title", `Sidechain blocks · #${side.height} · up to one every ${Math.round(side.blockIntervalMs / 1000)} s`, x, y, 26, COLOR.text, "bold");
  const cards = side.blocks.slice(-BLOCKS_SHOWN);
  const slots = BLOCKS_SHOWN + 1;
  const gap = 10;
  const cardW = (w - gap * (slots - 1)) / slots;
  const top = y + 40;
  const barH = h - 90;
  const drawBar = (key: string, i: number, label: string, signed: number, total: number, pending: boolean, sub: string) => {
    const cx = x + i * (cardW + gap);
    g.roundRect(cx, top, cardW, barH + 50, 8).fill({ color: COLOR.card }).stroke({ width: pending ? 4 : 2, color: pending ? COLOR.yellow : COLOR.green });
    const inner = barH - 20;
    const share = total > 0 ? Math.min(1, signed / total) : 0;
    g.rect(cx + 12, top + 10, cardW - 24, inner).fill({ color: COLOR.track });
    g.rect(cx + 12, top + 10 + inner * (1 - share), cardW - 24, inner * share).fill({ color: pending ? COLOR.sky : COLOR.green });
    // The two-thirds line a block must cross to commit.
    const lineY = top + 10 + inner / 3;
    g.rect(cx + 6, lineY - 2, cardW - 12, 4).fill({ color: COLOR.yellow });
    text(`sc-b-${key}`, label, cx + cardW / 2, top + barH - 4, 20, COLOR.text, "bold", 0.5);
    text(`sc-bs-${key}`, sub, cx + cardW / 2, top + barH + 20, 16, COLOR.muted, "normal", 0.5, cardW - 4);
  };
  cards.forEach((b, i) => drawBar(String(i), i, `#${b.height}`, b.signedStake, b.totalStake, false, `${b.signers}/${side.validatorCount}`));
  const p = side.proposal;
  if (p) drawBar("p", cards.length, `#${p.height}?`, p.signedStake, side.totalStake, true, `${p.signers.length}/${side.validatorCount}…`);
  const legendY = top + barH + 56;
  g.rect(x, legendY + 10, 40, 4).fill({ color: COLOR.yellow });
  // Short enough to end before the vault beside it (20 px bold runs about 12 px a character).
  text("sc-two-thirds", `over ⅔ of stake must sign${p ? ` · #${p.height} by ${short(nameOf(s, p.proposer), 12)}` : ""}`, x + 50, legendY, 20, COLOR.yellow, "bold");
}

/** Checkpoints heading for L1 and the countdown to the next one. */
function drawCheckpoints(ctx: LaneContext, side: SideWorldSnap, x: number, y: number, w: number): void {
  const { g, text, meter, clock } = ctx;
  const now = clock.now();
  const left = Math.max(0, side.lastCheckpointAtMs + side.checkpointIntervalMs - now);
  text("sc-cp-title", `Checkpoints to L1 · next in ${Math.ceil(left / 1000)} s`, x, y, 24, COLOR.text, "bold");
  const barW = 220;
  meter("sc-cp-bar", x + w - barW, y + 8, barW, 16, side.checkpointIntervalMs > 0 ? left / side.checkpointIntervalMs : 0, COLOR.sky);
  const shown = side.checkpoints.slice(-CHECKPOINTS_SHOWN);
  const cardW = (w - 10 * (CHECKPOINTS_SHOWN - 1)) / CHECKPOINTS_SHOWN;
  shown.forEach((c, i) => {
    const cx = x + i * (cardW + 10);
    const posted = c.status === "posted";
    const [label, color] = posted ? ["✓ on L1", COLOR.green] : c.status === "posting" || c.status === "signed" ? ["→ to L1", COLOR.yellow] : ["✍ signing", COLOR.sky];
    g.roundRect(cx, y + 38, cardW, 64, 8).fill({ color: COLOR.card }).stroke({ width: 3, color });
    text(`sc-cp-${i}`, `#${c.number} · blocks ${c.startHeight}–${c.endHeight}`, cx + 10, y + 42, 16, COLOR.text, "bold");
    text(`sc-cp-s-${i}`, label, cx + 10, y + 70, 20, color, "bold");
  });
  if (shown.length === 0) text("sc-cp-none", "First checkpoint on its way", x, y + 50, 22, COLOR.muted);
}

/** The vault: ETH locked on L1, against the tokens it owes (a line). It drains visibly in a heist. */
function drawVault(ctx: LaneContext, side: SideWorldSnap, x: number, y: number, w: number, h: number): void {
  const { g, text } = ctx;
  const short = side.supply > side.escrow;
  text("sc-vault-title", "Bridge vault (L1)", x + w / 2, y, 24, COLOR.text, "bold", 0.5);
  const top = y + 40;
  const vaultH = h - 170;
  const scale = Math.max(side.escrow, side.supply, 1);
  g.roundRect(x + 20, top, w - 40, vaultH, 10).fill({ color: COLOR.card }).stroke({ width: 4, color: short ? COLOR.vermillion : COLOR.grey });
  const fill = (vaultH - 8) * (side.escrow / scale);
  g.rect(x + 24, top + vaultH - 4 - fill, w - 48, fill).fill({ color: COLOR.orange });
  const oweY = top + vaultH - 4 - (vaultH - 8) * (side.supply / scale);
  g.rect(x + 10, oweY - 2, w - 20, 5).fill({ color: COLOR.text });
  // Above the line when there is room under the title, else just below it: never over the title;
  // dark on the orange ETH, light on the empty vault, so it always reads.
  const owedY = oweY - 30 >= top + 4 ? oweY - 30 : oweY + 6;
  const onFill = owedY + 11 > top + vaultH - 4 - fill;
  text("sc-vault-owed", "owed", x + w - 30, owedY, 22, onFill ? COLOR.bg : COLOR.text, "bold", 1);
  text("sc-vault-eth", `${formatEth(side.escrow, 2)} locked`, x + w / 2, top + vaultH + 8, 22, COLOR.orange, "bold", 0.5);
  text("sc-vault-supply", `${formatEth(side.supply, 2)} of tokens`, x + w / 2, top + vaultH + 36, 20, COLOR.muted, "normal", 0.5);
  text("sc-vault-verdict", vaultVerdict(side), x + w / 2, top + vaultH + 66, short ? 24 : 22, short ? COLOR.vermillion : COLOR.green, "bold", 0.5);
}

/** The vault's verdict under it: "✗ SHORT 6.73 ETH" (what it owes beyond what it holds) or "✓ backed". */
export function vaultVerdict(side: Pick<SideWorldSnap, "supply" | "escrow">): string {
  return side.supply > side.escrow ? `✗ SHORT ${formatEth(side.supply - side.escrow, 2)}` : "✓ backed";
}

/**
 * The lane's banner once a heist drained the vault: the total stolen keys took in all, the figure
 * the vault's SHORT shows too (one heist's amount beside the whole shortfall would contradict it).
 */
export function heistBanner(side: Pick<SideWorldSnap, "stolen">, alarmBy: string | null): string {
  return `✗ HEIST: stolen keys took ${formatEth(side.stolen, 2)} in all${alarmBy ? ` · ⚠ alarm by ${alarmBy}` : ""}`;
}

/**
 * The sidechain below L1: the validator ring of the bridge's n keys (m highlighted when they
 * collude), blocks with their signing stake against the ⅔ line, checkpoints landing on L1, and
 * the bridge vault with its ETH against what it owes.
 */
export const sidechainLane: Lane = {
  subtitle: "Sidechain + bridge: validators sign blocks, m of n keys hold the vault",
  roleColors: { validator: COLOR.orange, auditor: COLOR.purple },
  draw(ctx) {
    const { g, text, s, x, y, w, h } = ctx;
    const side = sideWorld(s);
    g.roundRect(x, y, w, h, 12).fill({ color: COLOR.panel });
    const last = side.attempts.at(-1);
    const alarm = side.alarms.findLast((a) => a.verdict === "right");
    const banner = last?.outcome === "drained"
      ? [heistBanner(side, alarm ? nameOf(s, alarm.by) : null), COLOR.vermillion] as const
      : last ? [side.design === "checkpoint" ? `⊘ ${last.signatures} stolen keys lack 2/3 of the stake: L1 refused their checkpoint` : `⊘ ${last.signatures} of ${side.m} keys: the bridge refused the release`, COLOR.green] as const
      : [`Sidechain · ${side.validatorCount} validators · ${side.design === "checkpoint" ? "Polygon PoS-style bridge (checkpoint + burn proof)" : `Ronin-style bridge ${side.m}-of-${side.n}`}`, COLOR.text] as const;
    text("sc-title", banner[0], x + 16, y + 8, 32, banner[1], "bold");
    drawRing(ctx, side, x + 160, y + 230, 110);
    drawBlocks(ctx, side, x + 330, y + 60, 700, 250);
    drawCheckpoints(ctx, side, x + 330, y + 380, 700);
    drawVault(ctx, side, x + 1050, y + 60, 230, h - 70);
  },
};
