import { nameOf } from "../../net/snapshot.ts";
import { channelsWorld } from "../../views/channels/channels-snap.ts";
import type { PublicChannelSnap } from "../../views/channels/channels-snap.ts";
import { COLOR } from "./lane.ts";
import type { Lane, LaneContext } from "./lane.ts";

const COLUMNS = 3;
const ROWS = 3;
const GAP = 14;
const CARD_H = 150;

/** ETH with two decimals: enough to see a payment move the bar from the back row. */
function eth2(gwei: number): string {
  return `${(gwei / 1e9).toFixed(2)}`;
}

/** A name cut to fit `px` board pixels at `size` (bold sans runs about 0.62 em a character). */
function fit(name: string, px: number, size: number): string {
  const chars = Math.max(3, Math.floor(px / (size * 0.62)));
  return name.length > chars ? `${name.slice(0, chars - 1)}…` : name;
}

/** The rules of the game in four lines, for the back row. */
const RULES = (windowSec: number): string[] => [
  "How a channel works",
  "• A payment = a new split both sides sign, with a higher state number: instant, no L1 fee.",
  `• Close together: paid at once. Close alone: your share waits ${windowSec} s (the dispute window).`,
  "• Publish an OLD state and the other side (or its watchtower) takes the whole channel.",
];

/** What the class should look at first: open disputes, then cheats and their endings, then busy channels. */
function rank(c: PublicChannelSnap): number {
  if (c.status === "closing") return c.close?.stale ? 0 : 1;
  if (c.ending) return 2;
  if (c.status === "open" || c.status === "funding") return 3;
  return 4;
}

/** A channel's state in at most a dozen characters, glyph first (the card's corner is narrow). */
function statusWords(c: PublicChannelSnap): [string, number] {
  if (c.ending?.penalizedBy) return ["⚖ PUNISHED", COLOR.vermillion];
  if (c.ending?.gotAway) return ["✗ GOT AWAY", COLOR.vermillion];
  if (c.status === "closing") return c.close?.stale ? ["⚠ OLD STATE", COLOR.vermillion] : ["◔ CLOSING", COLOR.orange];
  if (c.status === "open") return ["● OPEN", COLOR.green];
  if (c.status === "funding") return ["… FUNDING", COLOR.muted];
  return [c.outcome === "cancelled" ? "✗ CANCELLED" : "✓ CLOSED", COLOR.muted];
}

function drawCard(ctx: LaneContext, c: PublicChannelSnap, x: number, y: number, w: number, offline: Set<string>, windowMs: number): void {
  const { g, text, meter, s, clock } = ctx;
  const k = `ch-${c.id}`;
  const [words, color] = statusWords(c);
  const highlight = c.ending !== null || (c.status === "closing" && c.close?.stale === true);
  g.roundRect(x, y, w, CARD_H, 10).fill({ color: COLOR.card }).stroke({ width: highlight ? 7 : 3, color: highlight ? COLOR.vermillion : c.status === "closing" ? COLOR.orange : COLOR.grey });
  // The status takes the right end of the first line; the two names share what is left, never running into it.
  const statusPx = words.length * 20 * 0.62 + 16;
  const namePx = (w - 28 - statusPx - 3 * 22 * 0.62) / 2;
  const nameA = `${fit(nameOf(s, c.a), namePx, 22)}${offline.has(c.a) ? " ○" : ""}`;
  const nameB = `${fit(nameOf(s, c.b), namePx, 22)}${offline.has(c.b) ? " ○" : ""}`;
  text(`${k}-names`, `${nameA} ⇄ ${nameB}`, x + 14, y + 8, 22, COLOR.text, "bold", 0, w - 28 - statusPx);
  text(`${k}-status`, words, x + w - 14, y + 10, 20, color, "bold", 1);
  // The split: opener on the left (sky), partner on the right (orange), amounts in words below.
  const barX = x + 14;
  const barW = w - 28;
  const barY = y + 46;
  const leftW = c.capacity > 0 ? (barW * c.balanceA) / c.capacity : barW / 2;
  g.rect(barX, barY, leftW, 24).fill({ color: COLOR.sky });
  g.rect(barX + leftW, barY, barW - leftW, 24).fill({ color: COLOR.orange });
  g.rect(barX, barY, barW, 24).stroke({ width: 2, color: COLOR.text });
  // Amounts only: the names are in the title, left and right in the same order, and two names here ran together.
  text(`${k}-a`, `◀ ${eth2(c.balanceA)} ETH`, barX, barY + 28, 22, COLOR.text, "bold");
  text(`${k}-b`, `${eth2(c.balanceB)} ETH ▶`, barX + barW, barY + 28, 22, COLOR.text, "bold", 1);
  const lineY = y + 110;
  if (c.status === "closing" && c.close) {
    // The dispute window: a shrinking bar and the seconds left.
    const left = Math.max(0, c.close.windowEndsMs - clock.now());
    const frac = windowMs > 0 ? Math.min(1, left / windowMs) : 0;
    const windowW = barW * 0.3;
    meter(`${k}-window`, barX, lineY + 4, windowW, 18, frac, c.close.stale ? COLOR.vermillion : COLOR.orange);
    // The words fit what is left of the card: the closer's name gives way first.
    const head = `${Math.ceil(left / 1000)} s · ${c.close.stale ? `OLD #${c.close.seq}` : `#${c.close.seq}`} by `;
    const tail = c.close.stale ? "" : " (latest)";
    const room = barW - windowW - 12 - (head.length + tail.length) * 20 * 0.62;
    text(`${k}-line`, `${head}${fit(nameOf(s, c.close.by), room, 20)}${tail}`, barX + windowW + 12, lineY + 1, 20, c.close.stale ? COLOR.vermillion : COLOR.muted, "bold", 0, barW - windowW - 12);
  } else if (c.ending?.penalizedBy) {
    const tail = ` cheated: −${eth2(c.ending.cheaterLost ?? 0)} ETH${c.ending.byWatchtower ? " · tower" : ""}`;
    text(`${k}-line`, `${fit(nameOf(s, c.ending.cheater), barW - tail.length * 20 * 0.62, 20)}${tail}`, barX, lineY + 1, 20, COLOR.vermillion, "bold", 0, barW);
  } else if (c.ending?.gotAway) {
    const tail = ` kept ${eth2(c.ending.gotAway)} ETH too much`;
    text(`${k}-line`, `${fit(nameOf(s, c.ending.cheater), barW - tail.length * 20 * 0.62, 20)}${tail}`, barX, lineY + 1, 20, COLOR.vermillion, "bold", 0, barW);
  } else {
    const how = c.outcome === "cooperative" ? "closed together" : c.outcome === "settled" ? "closed alone" : `state #${c.seq}${c.towers.length ? " · guarded" : ""}`;
    text(`${k}-line`, `${c.payments} payment${c.payments === 1 ? "" : "s"} · ${how}`, barX, lineY, 22, COLOR.muted, "normal", 0, barW);
  }
}

/** The projector's channels lane: every channel as a card with its two-sided balance, status in words and the closing window. */
export const channelsLane: Lane = {
  subtitle: "state channels (Lightning duel)",
  roleColors: { user: COLOR.sky, watchtower: COLOR.purple },
  draw(ctx) {
    const { g, text, s, x, y, w, h } = ctx;
    const world = channelsWorld(s);
    g.roundRect(x, y - 8, w, h, 12).fill({ color: COLOR.panel });
    const { open, payments } = world.totals;
    const earned = Object.values(world.towers).reduce((sum, v) => sum + v, 0);
    text("title", `Channels · ${open} open · ${payments} off-chain payment${payments === 1 ? "" : "s"}${world.offline.length ? ` · ${world.offline.length} offline ○` : ""}${Object.keys(world.towers).length ? ` · towers earned ${eth2(earned)} ETH` : ""}${world.hub ? ` · ${world.routing.routed} routed via the hub (fees ${eth2(world.routing.fees)} ETH)` : ""}`, x + 16, y, 28, COLOR.text, "bold");
    const shown = [...world.channels].sort((a, b) => rank(a) - rank(b)).slice(0, COLUMNS * ROWS);
    // Few channels get wider cards; the rules fill the space below when there is room.
    const columns = shown.length <= 2 ? 2 : COLUMNS;
    const cardW = (w - 32 - GAP * (columns - 1)) / columns;
    const offline = new Set(world.offline);
    shown.forEach((c, i) => drawCard(ctx, c, x + 16 + (i % columns) * (cardW + GAP), y + 50 + Math.floor(i / columns) * (CARD_H + GAP), cardW, offline, world.windowMs));
    const rows = Math.ceil(shown.length / columns);
    if (rows <= 2) {
      const top = y + 50 + Math.max(1, rows) * (CARD_H + GAP) + 10;
      const seconds = Math.round(world.windowMs / 1000);
      RULES(seconds).forEach((line, i) => text(`rule-${i}`, line, x + 16, top + i * 36, 24, i === 0 ? COLOR.text : COLOR.muted, i === 0 ? "bold" : "normal"));
    }
    if (world.channels.length === 0) text("empty", "Channels open with the first L1 block…", x + 16, y + 70, 28, COLOR.muted);
    if (world.totals.channels > shown.length) text("more", `+${world.totals.channels - shown.length} more channels`, x + w - 16, y + h - 34, 22, COLOR.muted, "normal", 1);
  },
};
