import type { Debrief } from "../../../shared/engine/debrief.ts";
import { leaderboard, nameOf, parseJson } from "../net/snapshot.ts";
import type { PlayerSnap, Snapshot } from "../net/snapshot.ts";
import { h, replaceChildren, setHidden } from "../ui/dom.ts";
import { ROLE_LABEL, formatEth, formatFee } from "../ui/format.ts";
import { barChart, baseFeeChart } from "./charts.ts";
import { rosetteView } from "./rosette.ts";
import { ratioInWords } from "../../../shared/engine/cost.ts";
import type { View } from "./view.ts";

const TOP = 10;

function seconds(ms: number | null): string {
  return ms === null ? "—" : `${(ms / 1000).toFixed(1)} s`;
}

/** A leaderboard table: rank, name, role, this round's points, total. `me` is highlighted and always listed. */
export function leaderboardTable(players: Record<string, PlayerSnap>, roundScores: Record<string, number>, me: string | null, caption: string): HTMLTableElement {
  const ranked = leaderboard(players);
  const rows = ranked.slice(0, TOP);
  const myIndex = me ? ranked.findIndex((p) => p.id === me) : -1;
  const body = h("tbody");
  const row = (p: PlayerSnap, rank: number) =>
    h("tr", { class: p.id === me ? "me" : "" },
      h("td", {}, String(rank)),
      h("th", { scope: "row" }, p.bot ? `${p.name} (bot)` : p.name, p.id === me ? " (you)" : ""),
      h("td", {}, ROLE_LABEL[p.role] ?? p.role),
      h("td", { class: "num" }, String(roundScores[p.id] ?? 0)),
      h("td", { class: "num" }, String(p.score)));
  rows.forEach((p, i) => body.appendChild(row(p, i + 1)));
  if (myIndex >= TOP) body.appendChild(row(ranked[myIndex]!, myIndex + 1));
  return h("table", { class: "leaderboard" },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "#"), h("th", { scope: "col" }, "Player"), h("th", { scope: "col" }, "Role"), h("th", { scope: "col", class: "num" }, "Round"), h("th", { scope: "col", class: "num" }, "Total"))),
    body);
}

/** Who lost what and why, by name, you highlighted. */
function lossesTable(s: Snapshot, losses: NonNullable<Debrief["losses"]>, me: string | null): HTMLTableElement {
  return h("table", { class: "losses" },
    h("caption", {}, "Who lost what, and why"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Player"), h("th", { scope: "col", class: "num" }, "ETH"), h("th", { scope: "col" }, "Why"))),
    h("tbody", {}, ...losses.map((loss) => h("tr", { class: loss.player === me ? "me" : "" },
      h("th", { scope: "row" }, nameOf(s, loss.player), loss.player === me ? " (you)" : ""),
      h("td", { class: "num" }, formatEth(loss.amount)),
      h("td", {}, loss.why)))));
}

/**
 * The debrief everyone sees after a round: the story in sentences, the trade-off, the risk rosette,
 * the figures as charts, and the leaderboard (the final one after the last round).
 */
export function createDebriefView(me: () => string | null): View {
  const el = h("section", { class: "debrief", "aria-labelledby": "debrief-title" });
  let shown = "";
  return {
    el,
    /** Shows itself only between rounds (debrief, final) and redraws only when something in it changed. */
    update(s: Snapshot) {
      const visible = s.phase === "debrief" || s.phase === "final";
      setHidden(el, !visible);
      if (!visible) return;
      const scores = Object.values(s.players).map((p) => `${p.id}:${p.score}:${p.name}`).join(",");
      const key = `${s.phase}|${s.roundIndex}|${s.debrief}|${scores}`;
      if (key === shown) return;
      shown = key;
      const d = parseJson<Debrief | null>(s.debrief, null);
      const final = s.phase === "final" || s.phase === "ended";
      const title = h("h2", { id: "debrief-title" }, final ? "Final results" : `Round ${s.roundIndex + 1} debrief`);
      if (!d) {
        replaceChildren(el, title, h("p", {}, "The figures are on their way…"));
        return;
      }
      const feeBars = [
        { label: "L1 transfer", value: d.l1.transferFee, display: `${formatFee(d.l1.transferFee)}${d.l1.transferFeeEstimated ? " (est.)" : ""}`, tone: "tone-vermillion" },
        { label: "L2 transaction", value: d.l2.userFee ?? 0, display: d.l2.userFee === null ? "none sent" : formatFee(Math.round(d.l2.userFee)), tone: "tone-green" },
        { label: "L1 cost per L2 tx", value: d.l2.l1CostPerTx ?? 0, display: d.l2.l1CostPerTx === null ? "no batch" : formatFee(d.l2.l1CostPerTx), tone: "tone-sky" },
      ];
      const fraudBars = [
        { label: "Fraud attempted", value: d.fraud.attempted, display: String(d.fraud.attempted), tone: "tone-orange" },
        { label: "Caught ✓", value: d.fraud.caught, display: String(d.fraud.caught), tone: "tone-green" },
        { label: "Missed ✗", value: d.fraud.missed, display: String(d.fraud.missed), tone: "tone-vermillion" },
        { label: "Still open", value: d.fraud.unresolved, display: String(d.fraud.unresolved), tone: "tone-purple" },
      ];
      // The ratio the engine computed from what was really paid on L1 (batch posts ÷ their transactions), never from the flat L2 fee.
      const cheaper = d.cost?.ratio != null ? ratioInWords(d.cost.ratio) : null;
      const figures: [string, string][] = [
        ["L2 transactions", String(d.l2.transactions)],
        ["Batches posted", String(d.l2.batchesPosted)],
        ["Batch bytes (raw → compressed)", `${d.l2.rawBytes} → ${d.l2.compressedBytes}`],
        ["Soft confirmation (median)", seconds(d.l2.softConfirmMedianMs)],
        ["Landing to final (average)", seconds(d.l2.finalityAvgMs)],
        ["Withdrawals paid", String(d.l2.withdrawalsFinalized)],
        ["Disputes (challenger / sequencer wins)", `${d.fraud.disputes} (${d.fraud.challengerWins} / ${d.fraud.defenderWins})`],
        ["Bonds slashed", formatEth(d.fraud.bondsSlashed)],
        ["ETH burned on L1", formatEth(d.l1.burned)],
      ];
      // Other scenarios bring their own headline figures; L1's base-fee chart is common to all.
      const own = d.scenario !== "optimistic" && d.figures;
      const baseFee = h("figure", {}, h("figcaption", {}, `L1 base fee (line, ${d.l1.baseFeeStart} → peak ${d.l1.baseFeeMax} gwei) and block fullness (bars; dashed: 50 % target)`),
        baseFeeChart(d.l1.series, `Base fee from ${d.l1.baseFeeStart} to a peak of ${d.l1.baseFeeMax} gwei over ${d.l1.blocks} blocks`));
      const charts = own ? h("div", { class: "charts" }, baseFee) : h("div", { class: "charts" },
        h("figure", {}, h("figcaption", {}, cheaper ? `Fee per transaction: on L1 fees, an L2 transaction was ${cheaper}` : "Fee per transaction"),
          barChart(feeBars, feeBars.map((b) => `${b.label}: ${b.display}`).join("; "))),
        baseFee,
        h("figure", {}, h("figcaption", {}, `Fraud: ${d.fraud.caught} caught, ${d.fraud.missed} missed`),
          barChart(fraudBars, fraudBars.map((b) => `${b.label}: ${b.display}`).join("; "))));
      const main = h("div", { class: "debrief-main" },
        h("ul", { class: "story" }, ...d.story.map((line) => h("li", {}, line))),
        h("p", { class: "trade-off" }, h("strong", {}, "The trade-off: "), d.tradeOff),
        d.rosette ? rosetteView(d.rosette, d.scenario) : null,
        d.losses && d.losses.length > 0 ? lossesTable(s, d.losses, me()) : null,
        charts,
        h("dl", { class: "figures" }, ...(own || figures).map(([term, value]) => h("div", {}, h("dt", {}, term), h("dd", {}, value)))));
      const side = h("aside", { class: "debrief-side", "aria-label": "Leaderboard" },
        leaderboardTable(s.players, d.scores, me(), final ? "Final leaderboard" : "Leaderboard"));
      replaceChildren(el, title, h("div", { class: "debrief-body" }, main, side));
    },
  };
}
