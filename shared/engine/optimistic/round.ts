import type { ScenarioConfig } from "../config.ts";
import { blobMarketInWords, costComparison, dataCostInWords, ratioInWords, sumDataCosts } from "../cost.ts";
import type { Debrief, ScenarioRound } from "../debrief-types.ts";
import type { EngineEvent } from "../events.ts";
import { eth, seconds, times } from "../words.ts";

function average(values: number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The rollup's figures (debrief.l2, debrief.fraud) and its real L1 cost per transaction, from its events. */
function fill(debrief: Debrief, events: readonly EngineEvent[]): void {
  const of = <T extends EngineEvent["type"]>(type: T) => events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);
  const soft = of("l2.softConfirmed").filter((e) => e.kind === "transfer" || e.kind === "withdraw");
  const posted = of("batch.posted");
  const submitted = of("batch.submitted");
  const finalized = of("batch.finalized");
  const postedAt = new Map(posted.map((p) => [p.batchId, p.t]));
  const resolved = of("dispute.resolved");
  const fraudBatches = new Set(of("fraud.attempted").map((f) => f.batchId));
  const missedBatches = finalized.filter((f) => f.fraudulent);
  // A fraudulent claim is settled once its batch is corrected (a lost dispute replaced it) or reverted (its post was dropped).
  const settled = new Set([...of("batch.reverted"), ...of("batch.corrected")].map((r) => r.batchId));
  const withdrawals = of("withdrawal.finalized");
  const l1CostTotal = posted.reduce((s, p) => s + p.l1Fee, 0);
  const postedTxs = posted.reduce((s, p) => s + p.txCount, 0);
  debrief.l2 = {
    transactions: soft.length,
    userFee: average(soft.map((e) => e.fee)),
    l1CostPerTx: postedTxs ? Math.round(l1CostTotal / postedTxs) : null,
    batchesPosted: posted.length,
    rawBytes: submitted.reduce((s, b) => s + b.rawBytes, 0),
    compressedBytes: submitted.reduce((s, b) => s + b.compressedBytes, 0),
    softConfirmMedianMs: median(soft.map((e) => e.latencyMs)),
    finalityAvgMs: average(finalized.map((f) => f.t - (postedAt.get(f.batchId) ?? f.t))),
    withdrawalsFinalized: withdrawals.length,
    withdrawalWaitAvgMs: average(withdrawals.map((w) => w.waitMs)),
    forcedInclusions: of("forced.included").length,
    forcedBatches: new Set(of("forced.included").flatMap((e) => (e.batchId === null ? [] : [e.batchId]))).size,
    censored: of("l2.censored").length,
  };
  debrief.fraud = {
    attempted: fraudBatches.size,
    caught: resolved.filter((r) => r.winnerSide === "challenger" && fraudBatches.has(r.batchId)).length,
    missed: missedBatches.length,
    unresolved: [...fraudBatches].filter((b) => !settled.has(b) && !missedBatches.some((m) => m.batchId === b)).length,
    valueLost: missedBatches.reduce((s, m) => s + m.stolen, 0),
    disputes: of("dispute.opened").length,
    challengerWins: resolved.filter((r) => r.winnerSide === "challenger").length,
    defenderWins: resolved.filter((r) => r.winnerSide === "defender").length,
    timeouts: resolved.filter((r) => r.reason === "timeout").length,
    bondsSlashed: resolved.reduce((s, r) => s + r.slashed, 0),
  };
  debrief.cost = costComparison(debrief.l1.transferFee, l1CostTotal, postedTxs, `the sequencer's ${times(posted.length, "batch post", "batch posts")} to L1`, sumDataCosts(posted));
}

/** Plain sentences from the figures: nothing here is hard-coded but the grammar. */
function storyOf(d: Debrief, config: ScenarioConfig): string[] {
  const lines: string[] = [];
  const l1Fee = d.l1.transferFee;
  lines.push(
    `${times(d.l2.transactions, "L2 transaction was", "L2 transactions were")} soft-confirmed${d.l2.softConfirmMedianMs !== null ? ` in a median ${seconds(d.l2.softConfirmMedianMs)}` : ""}` +
      (d.l2.userFee !== null ? `; users paid the sequencer a flat ${eth(d.l2.userFee)} each (its price, not its cost).` : "."),
  );
  const cost = d.cost;
  if (d.l2.batchesPosted > 0 && cost && cost.perTx !== null) {
    lines.push(
      `The sequencer posted ${times(d.l2.batchesPosted, "batch", "batches")}: ${d.l2.rawBytes} bytes compressed to ${d.l2.compressedBytes}, ` +
        `${eth(cost.l1Fees)} of L1 fees for ${times(cost.txs, "transaction", "transactions")}, ${eth(cost.perTx)} each, against ${eth(l1Fee)} for a plain L1 transfer` +
        `${d.l1.transferFeeEstimated ? " (estimated from the base fee)" : ""}` + (cost.ratio !== null ? `: ${ratioInWords(cost.ratio)}.` : "."),
    );
    const data = dataCostInWords(cost.data, eth);
    if (data) lines.push(data);
  } else {
    lines.push(`No batch reached L1, so what an L2 transaction costs on L1 is not known this round (a plain L1 transfer cost ${eth(l1Fee)}).`);
  }
  lines.push(`The L1 base fee went from ${d.l1.baseFeeStart} to a peak of ${d.l1.baseFeeMax} gwei per gas over ${d.l1.blocks} blocks; ${eth(d.l1.burned)} was burned.`);
  if (d.l1.blobs > 0) lines.push(blobMarketInWords(d.l1.blobs, d.l1.blobBaseFeeMaxWei, config.blobSchedule));
  if (d.fraud.attempted > 0) {
    lines.push(
      `The sequencer cheated ${times(d.fraud.attempted, "time", "times")}: challengers caught ${d.fraud.caught}, ${d.fraud.missed} slipped through` +
        (d.fraud.valueLost > 0 ? ` and ${eth(d.fraud.valueLost)} was stolen.` : "."),
    );
  } else {
    lines.push("Nobody tried to cheat this round.");
  }
  if (d.fraud.disputes > 0) {
    lines.push(`${times(d.fraud.disputes, "dispute", "disputes")}: challengers won ${d.fraud.challengerWins}, the sequencer ${d.fraud.defenderWins}; ${eth(d.fraud.bondsSlashed)} of bonds were slashed.`);
  }
  if (d.l2.finalityAvgMs !== null) lines.push(`Batches took ${seconds(d.l2.finalityAvgMs)} from landing on L1 to final: that is the price of optimism.`);
  if (d.l2.forcedInclusions > 0) {
    lines.push(
      `${times(d.l2.forcedInclusions, "transaction", "transactions")} went through the L1 delayed inbox: censorship only delays you` +
        (d.l2.forcedBatches > 0 ? ` — ${times(d.l2.forcedBatches, "batch was", "batches were")} forced onto L1 without the sequencer, ${d.l2.forcedBatches === 1 ? "its" : "their"} state root proposed by a user.` : "."),
    );
  }
  return lines;
}

/**
 * An optimistic rollup round: scored through scoreEvent (its events are the engine's own types),
 * debriefed on what the rollup cost on L1 against L1 itself, fraud caught or missed, and finality.
 */
export const optimisticRound: ScenarioRound = {
  score: () => [],
  extend(debrief, events, config) {
    fill(debrief, events);
    debrief.tradeOff = `Withdrawals wait out the ${seconds(config.challengeWindowMs)} challenge window ("7 days"), and safety needs at least one honest challenger watching.`;
    debrief.story = storyOf(debrief, config);
  },
};
