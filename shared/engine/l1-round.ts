import type { ScenarioRound } from "./debrief-types.ts";
import { eth, seconds, times } from "./words.ts";

function quantile(values: number[], q: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * "L1 rush hour": everyone pays everyone on L1 itself. Scored per included transfer (in
 * scoreEvent); the debrief shows what congestion did to fees and waiting times.
 */
export const l1Round: ScenarioRound = {
  score: () => [],
  extend(debrief, events) {
    const transfers = events.flatMap((e) => (e.type === "l1.included" && e.kind === "transfer" && e.ok ? [e] : []));
    // Dropped: a block producer reached it but its sender could no longer pay gas + value (it is gone).
    const dropped = events.filter((e) => e.type === "l1.dropped" && e.kind === "transfer").length;
    // Priced out: its max fee fell below the base fee, so it waited in the mempool (not dropped); some got in later.
    const pricedOut = new Set(events.flatMap((e) => (e.type === "l1.pricedOut" && e.kind === "transfer" ? [e.txId] : [])));
    const includedIds = new Set(transfers.map((e) => e.txId));
    const pricedOutThenIncluded = [...pricedOut].filter((id) => includedIds.has(id)).length;
    const fees = transfers.map((e) => e.fee);
    const waits = transfers.map((e) => e.waitMs);
    const full = debrief.l1.series.filter(([, , fullness]) => fullness >= 95).length;
    const cheapest = quantile(fees, 0);
    const dearest = quantile(fees, 1);
    debrief.figures = [
      ["L1 transfers included", String(transfers.length)],
      ["Priced out for a while (max fee below the base fee) / of them included later", `${pricedOut.size} / ${pricedOutThenIncluded}`],
      ["Dropped (sender could no longer pay gas + amount)", String(dropped)],
      ["Fee paid: cheapest / median / dearest", `${eth(cheapest ?? 0)} / ${eth(quantile(fees, 0.5) ?? 0)} / ${eth(dearest ?? 0)}`],
      ["Wait for a block: median / slowest", `${seconds(quantile(waits, 0.5) ?? 0)} / ${seconds(quantile(waits, 1) ?? 0)}`],
      ["Base fee: start → peak", `${debrief.l1.baseFeeStart} → ${debrief.l1.baseFeeMax} gwei`],
      ["Full blocks", `${full} of ${debrief.l1.blocks}`],
    ];
    debrief.tradeOff = "Nothing is traded away on L1 — full security, no bridge, no delay — but every transaction competes for the same block space, so the whole class pays the rush-hour price.";
    debrief.story = [
      `${times(transfers.length, "L1 transfer was", "L1 transfers were")} included in ${times(debrief.l1.blocks, "block", "blocks")}; ${times(full, "block was", "blocks were")} full.`,
      `The base fee went from ${debrief.l1.baseFeeStart} to a peak of ${debrief.l1.baseFeeMax} gwei per gas: EIP-1559 raises it 12.5 % after every full block.`,
      cheapest !== null && dearest !== null
        ? `The same 21,000-gas transfer cost from ${eth(cheapest)} to ${eth(dearest)}; those who tipped more got in sooner (median wait ${seconds(quantile(waits, 0.5) ?? 0)}).`
        : "Nobody's transfer made it into a block.",
      `${eth(debrief.l1.burned)} was burned by the base fee.`,
      ...(pricedOut.size > 0 ? [`${times(pricedOut.size, "transfer was", "transfers were")} priced out when the base fee climbed above ${pricedOut.size === 1 ? "its" : "their"} max fee: ${pricedOut.size === 1 ? "it" : "they"} waited in the mempool rather than being dropped, and ${pricedOutThenIncluded} got in once the base fee fell back.`] : []),
      ...(dropped > 0 ? [`${times(dropped, "transfer was", "transfers were")} dropped because the sender could no longer pay the gas and the amount.`] : []),
    ];
  },
};
