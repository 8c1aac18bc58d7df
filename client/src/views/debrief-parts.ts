import type { Debrief } from "../../../shared/engine/debrief.ts";
import { ratioInWords } from "../../../shared/engine/cost.ts";
import { SCENARIO_LABEL } from "../../../shared/protocol/messages.ts";
import type { Scenario } from "../../../shared/protocol/messages.ts";
import { h } from "../ui/dom.ts";
import { formatEth, formatFee } from "../ui/format.ts";
import { barChart, baseFeeChart } from "./charts.ts";
import type { Bar } from "./charts.ts";

/**
 * The pieces a debrief is made of, from a Debrief alone (no live state): the projector's one
 * screen, the phones' and host's details and the results page all build from these.
 */

/** A player's name from their id (the live roster, or the results' rows). */
export type NameOf = (id: string) => string;

/** A round's scenario in words. */
export function scenarioLabel(scenario: string): string {
  return SCENARIO_LABEL[scenario as Scenario] ?? scenario;
}

function seconds(ms: number | null): string {
  return ms === null ? "—" : `${(ms / 1000).toFixed(1)} s`;
}

/** The optimistic rollup's headline figures (other scenarios bring theirs in `figures`). */
function optimisticFigures(d: Debrief): [string, string][] {
  return [
    ["L2 transactions", String(d.l2.transactions)],
    ["Soft confirmation (median)", seconds(d.l2.softConfirmMedianMs)],
    ["Landing to final (average)", seconds(d.l2.finalityAvgMs)],
    ["Disputes (challenger / sequencer wins)", `${d.fraud.disputes} (${d.fraud.challengerWins} / ${d.fraud.defenderWins})`],
    ["Fraud: caught / missed", `${d.fraud.caught} / ${d.fraud.missed}`],
    ["Bonds slashed", formatEth(d.fraud.bondsSlashed)],
    ["Batches posted", String(d.l2.batchesPosted)],
    ["Batch bytes (raw → compressed)", `${d.l2.rawBytes} → ${d.l2.compressedBytes}`],
    ["Withdrawals paid", String(d.l2.withdrawalsFinalized)],
    ["ETH burned on L1", formatEth(d.l1.burned)],
  ];
}

/** Every headline figure of the round, most telling first: [label, value in words]. */
export function headlineFigures(d: Debrief): [string, string][] {
  return d.scenario !== "optimistic" && d.figures ? d.figures : optimisticFigures(d);
}

/** Figures as a definition list of tiles. */
export function figuresList(figures: readonly [string, string][]): HTMLElement {
  return h("dl", { class: "figures" }, ...figures.map(([term, value]) => h("div", {}, h("dt", {}, term), h("dd", {}, value))));
}

function feeFigure(d: Debrief): HTMLElement {
  const bars: Bar[] = [
    { label: "L1 transfer", value: d.l1.transferFee, display: `${formatFee(d.l1.transferFee)}${d.l1.transferFeeEstimated ? " (est.)" : ""}`, tone: "tone-vermillion" },
    { label: "L2 transaction", value: d.l2.userFee ?? 0, display: d.l2.userFee === null ? "none sent" : formatFee(Math.round(d.l2.userFee)), tone: "tone-green" },
    { label: "L1 cost per L2 tx", value: d.l2.l1CostPerTx ?? 0, display: d.l2.l1CostPerTx === null ? "no batch" : formatFee(d.l2.l1CostPerTx), tone: "tone-sky" },
  ];
  // The engine's ratio from what was really paid on L1 (batch posts ÷ their transactions), never from the flat L2 fee.
  const cheaper = d.cost?.ratio != null ? ratioInWords(d.cost.ratio) : null;
  return h("figure", { class: "chart-fees" }, h("figcaption", {}, cheaper ? `Fee per transaction: on L1 fees, an L2 transaction was ${cheaper}` : "Fee per transaction"),
    barChart(bars, bars.map((b) => `${b.label}: ${b.display}`).join("; ")));
}

function baseFeeFigure(d: Debrief): HTMLElement {
  return h("figure", { class: "chart-base-fee" }, h("figcaption", {}, `L1 base fee (line, ${d.l1.baseFeeStart} → peak ${d.l1.baseFeeMax} gwei) and block fullness (bars; dashed: 50 % target)`),
    baseFeeChart(d.l1.series, `Base fee from ${d.l1.baseFeeStart} to a peak of ${d.l1.baseFeeMax} gwei over ${d.l1.blocks} blocks`));
}

function fraudFigure(d: Debrief): HTMLElement {
  const bars: Bar[] = [
    { label: "Fraud attempted", value: d.fraud.attempted, display: String(d.fraud.attempted), tone: "tone-orange" },
    { label: "Caught ✓", value: d.fraud.caught, display: String(d.fraud.caught), tone: "tone-green" },
    { label: "Missed ✗", value: d.fraud.missed, display: String(d.fraud.missed), tone: "tone-vermillion" },
    { label: "Still open", value: d.fraud.unresolved, display: String(d.fraud.unresolved), tone: "tone-purple" },
  ];
  return h("figure", {}, h("figcaption", {}, `Fraud: ${d.fraud.caught} caught, ${d.fraud.missed} missed`), barChart(bars, bars.map((b) => `${b.label}: ${b.display}`).join("; ")));
}

/** The one chart the projector shows: what a transaction cost on L2 against L1 (optimistic), else what the L1 base fee did. */
export function mainChart(d: Debrief): HTMLElement {
  return d.scenario === "optimistic" ? feeFigure(d) : baseFeeFigure(d);
}

/** Every chart of the round, for phones, the host and the results page. */
export function allCharts(d: Debrief): HTMLElement {
  return d.scenario === "optimistic"
    ? h("div", { class: "charts" }, feeFigure(d), baseFeeFigure(d), fraudFigure(d))
    : h("div", { class: "charts" }, baseFeeFigure(d));
}

/** How many losses are listed before "Show all". */
const LOSSES_SHOWN = 6;

/** Who lost what and why, by name, `me` first and highlighted; a long list folds away after the biggest few. */
export function lossesSection(d: Debrief, nameOf: NameOf, me: string | null): HTMLElement | null {
  const losses = d.losses ?? [];
  if (losses.length === 0) return null;
  const mine = losses.filter((l) => l.player === me);
  const others = losses.filter((l) => l.player !== me);
  const table = (rows: typeof losses, caption: string) => h("table", { class: "losses" },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Player"), h("th", { scope: "col", class: "num" }, "ETH"), h("th", { scope: "col" }, "Why"))),
    h("tbody", {}, ...rows.map((loss) => h("tr", { class: loss.player === me ? "me" : "" },
      h("th", { scope: "row" }, nameOf(loss.player), loss.player === me ? " (you)" : ""),
      h("td", { class: "num" }, formatEth(loss.amount)),
      h("td", {}, loss.why)))));
  const total = losses.reduce((sum, l) => sum + l.amount, 0);
  const shown = [...mine, ...others.slice(0, Math.max(0, LOSSES_SHOWN - mine.length))];
  const rest = losses.filter((l) => !shown.includes(l));
  return h("section", { class: "losses-section", "aria-label": "Who lost what" },
    table(shown, `Who lost what, and why (${losses.length} loss${losses.length === 1 ? "" : "es"}, ${formatEth(total)} in all)`),
    rest.length > 0 ? h("details", {}, h("summary", {}, `Show the other ${rest.length}`), table(rest, "The other losses")) : null);
}

/** Why the figures of a round the host ended early cover only part of it. */
export function endedEarlyNote(durationMs: number): HTMLElement {
  return h("p", { class: "notice-box ended-early" }, `The host ended this round early, after ${(durationMs / 1000).toFixed(0)} s: its figures cover only that time, and it gets no stage rating.`);
}

/**
 * One paragraph about a round: what the mechanism trades away (what the rosettes side by side are
 * about, so it comes first), then what happened in this round (the first sentence of its story).
 */
export function roundParagraph(story: readonly string[], tradeOff: string): string {
  return [`Trade-off: ${tradeOff}`, ...story.slice(0, 1).map((line) => `In this round: ${line}`)].join(" ");
}
