import { nameOf } from "../../net/snapshot.ts";
import { formatEth } from "../../ui/format.ts";
import { provingTimeMs } from "../../../../shared/engine/zk/prover.ts";
import { optimisticContrastLine, tenths, zkWorld } from "../../views/zk/zk-snap.ts";
import type { ZkBatchSnap } from "../../views/zk/zk-snap.ts";
import { COLOR } from "./lane.ts";
import type { Lane, LaneContext } from "./lane.ts";

const CARDS_SHOWN = 5;
const PILE_SHOWN = 60;

/** A batch's status in big words with a glyph, and the colour that goes with it. */
function batchLabel(b: ZkBatchSnap): [string, number] {
  switch (b.status) {
    case "proving": return ["⚙ PROVING", COLOR.sky];
    case "proven": return ["proof ready", COLOR.sky];
    case "submitted": return ["→ L1 verifying", COLOR.yellow];
    case "verified": return ["✓ VERIFIED", COLOR.green];
    case "rejected": return ["✗ REJECTED", COLOR.vermillion];
    default: return ["↩ DROPPED", COLOR.grey];
  }
}

function drawCard(ctx: LaneContext, b: ZkBatchSnap, x: number, y: number, w: number, h: number): void {
  const { g, text, meter, s, clock } = ctx;
  const [label, color] = batchLabel(b);
  g.roundRect(x, y, w, h, 10).fill({ color: COLOR.card }).stroke({ width: b.status === "rejected" ? 7 : 4, color });
  text(`zk-id-${b.id}`, `#${b.id}`, x + 14, y + 10, 34, COLOR.text, "bold");
  text(`zk-tx-${b.id}`, `${b.txCount} tx`, x + w - 14, y + 16, 26, COLOR.muted, "normal", 1);
  const prover = nameOf(s, b.prover);
  text(`zk-prover-${b.id}`, prover.length > 13 ? `${prover.slice(0, 12)}…` : prover, x + 14, y + 52, 22, COLOR.muted);
  text(`zk-label-${b.id}`, label, x + 14, y + 88, 26, color, "bold");
  if (b.status === "proving") {
    // Proving fills a bar (game clock between patches) with the seconds it still needs.
    const total = provingTimeMs(b.txCount);
    const done = Math.min(1, Math.max(b.progress / 100, (clock.now() - b.startedAtMs) / total));
    text(`zk-left-${b.id}`, `${Math.round(done * 100)} % · ${Math.max(0, Math.ceil(((1 - done) * total) / 1000))} s left`, x + 14, y + 126, 22, COLOR.text);
    meter(`zk-bar-${b.id}`, x + 14, y + h - 36, w - 28, 20, done, COLOR.sky);
  } else if (b.status === "verified" && b.verifiedAtMs >= 0) {
    text(`zk-final-${b.id}`, `final ${tenths(b.verifiedAtMs - b.startedAtMs)}`, x + 14, y + 126, 22, COLOR.text);
    text(`zk-final2-${b.id}`, "from proving start", x + 14, y + 154, 20, COLOR.muted);
  } else if (b.status === "rejected") {
    text(`zk-why-${b.id}`, "false proof:", x + 14, y + 126, 22, COLOR.text);
    text(`zk-why2-${b.id}`, "never verifies", x + 14, y + 154, 22, COLOR.text);
  } else if (b.status === "submitted" || b.status === "proven") {
    text(`zk-wait-${b.id}`, `proved in ${tenths(b.provenAtMs - b.startedAtMs)}`, x + 14, y + 126, 22, COLOR.text);
  } else {
    text(`zk-drop-${b.id}`, "built on a rejected", x + 14, y + 126, 20, COLOR.muted);
    text(`zk-drop2-${b.id}`, "batch: re-queued", x + 14, y + 152, 20, COLOR.muted);
  }
}

/**
 * The ZK rollup below L1: the pile of transactions waiting for a prover, batches as cards with a
 * proving bar, "✓ VERIFIED" or "✗ REJECTED" in words, the bridge's escrow and how fast batches
 * became final (against the optimistic rollup's challenge window).
 */
export const zkLane: Lane = {
  subtitle: "ZK rollup: a batch is final once its proof verifies on L1",
  roleColors: { prover: COLOR.orange },
  draw(ctx) {
    const { g, text, s, x, y, w, h } = ctx;
    const zk = zkWorld(s);
    g.roundRect(x, y, w, h, 12).fill({ color: COLOR.panel });
    text("zk-title", `ZK rollup · ${zk.pending} waiting for a prover · bridge holds ${formatEth(zk.bridgeEscrow, 2)}`, x + 16, y + 8, 34, COLOR.text, "bold");

    // Waiting transactions: a pile of squares that grows until a prover takes them.
    const pileX = x + 16;
    const pileY = y + 70;
    const shown = Math.min(zk.pending, PILE_SHOWN);
    for (let i = 0; i < shown; i++) g.rect(pileX + (i % 8) * 22, pileY + Math.floor(i / 8) * 22, 18, 18).fill({ color: COLOR.purple });
    text("zk-pile", zk.pending > PILE_SHOWN ? `+${zk.pending - PILE_SHOWN} more` : zk.pending ? "waiting" : "none waiting", pileX, pileY + Math.ceil(Math.max(1, shown) / 8) * 22 + 6, 22, COLOR.muted);

    const cards = zk.batches.slice(-CARDS_SHOWN);
    const cardW = 196;
    const cardH = 250;
    const cardsX = x + 220;
    cards.forEach((b, i) => drawCard(ctx, b, cardsX + i * (cardW + 14), pileY - 4, cardW, cardH));
    if (cards.length === 0) text("zk-none", "No batch yet: the prover is up", cardsX + 20, pileY + 60, 28, COLOR.muted);
    if (zk.batches.length > CARDS_SHOWN) text("zk-older", `+${zk.batches.length - CARDS_SHOWN} older`, cardsX, pileY + cardH + 6, 20, COLOR.muted);

    // Finality: proving start → verified on L1, against the challenge window an optimistic rollup waits.
    const finals = zk.batches.filter((b) => b.status === "verified" && b.verifiedAtMs >= 0).map((b) => b.verifiedAtMs - b.startedAtMs);
    const verified = zk.batches.filter((b) => b.status === "verified").length;
    const rejected = zk.batches.filter((b) => b.status === "rejected").length;
    const rowY = y + h - 160;
    text("zk-count", `${verified} batch${verified === 1 ? "" : "es"} ✓ verified · ${rejected} ✗ rejected by L1's verifier`, x + 16, rowY, 28, COLOR.text, "bold");
    const average = finals.length ? finals.reduce((a, b) => a + b, 0) / finals.length : null;
    text("zk-finality", average === null
      ? "Finality: the first proof is still on its way"
      : `Final ${tenths(average)} after proving began (average) — withdrawals claimable at once`, x + 16, rowY + 44, 28, COLOR.green, "bold");
    // One line that ends inside the lane (about 1,250 px at 24 px).
    text("zk-contrast", optimisticContrastLine(s), x + 16, rowY + 88, 24, COLOR.muted);
  },
};
