import type { ScenarioRound } from "../debrief-types.ts";
import type { Debrief } from "../debrief-types.ts";
import type { ScenarioConfig } from "../config.ts";
import { POINTS } from "../points.ts";
import { eth, seconds, times } from "../words.ts";
import { blobMarketInWords, costComparison, dataCostFigure, dataCostInWords, ratioInWords } from "../cost.ts";
import { ZK_EVENTS } from "./constants.ts";
import { zkDebrief } from "./debrief.ts";
import type { ZkDebrief } from "./debrief.ts";

/** ZK rounds score the same things: a transaction accepted, a deposit, a withdrawal paid, a prover's verified batch or rejected fraud. */
function score(name: string, data: Record<string, unknown>): [string, number][] {
  const who = (key: string) => (typeof data[key] === "string" ? (data[key] as string) : null);
  switch (name) {
    case ZK_EVENTS.txAccepted: {
      const from = who("from");
      return from ? [[from, POINTS.softConfirmed]] : [];
    }
    case ZK_EVENTS.depositCredited: {
      const to = who("to");
      return to ? [[to, POINTS.depositCredited]] : [];
    }
    case ZK_EVENTS.withdrawalPaid: {
      const to = who("to");
      return to ? [[to, POINTS.withdrawalFinalized]] : [];
    }
    case ZK_EVENTS.batchVerified: {
      const prover = who("prover");
      return prover && typeof data.txCount === "number" ? [[prover, data.txCount * POINTS.batchTxFinal]] : [];
    }
    case ZK_EVENTS.batchRejected: {
      const prover = who("prover");
      return prover && data.cheat ? [[prover, POINTS.fraudCaught]] : [];
    }
    default:
      return [];
  }
}

/** The ZK round's sentences, from its figures. */
function zkStoryOf(d: Debrief, zk: ZkDebrief, config: ScenarioConfig): string[] {
  const lines: string[] = [];
  lines.push(
    `${times(zk.l2Txs, "ZK transaction was", "ZK transactions were")} sent and ${times(zk.deposits, "deposit", "deposits")} credited; ` +
      `${times(zk.finalTxs, "was", "were")} final on L1 after a mean ${seconds(zk.meanFinalityMs)}.`,
  );
  if (zk.batchesVerified > 0) {
    lines.push(
      `L1 verified ${times(zk.batchesVerified, "batch", "batches")} at ${(zk.verifyGasPerBatch ?? 0).toLocaleString("en-US")} gas of verification each, whatever its size; ` +
        `proving cost ${eth(zk.proverCostPerFinalTx)} and L1 ${eth(zk.l1FeePerFinalTx)} per final transaction` +
        (d.cost?.ratio != null ? `, against ${eth(d.l1.transferFee)} for a plain L1 transfer: ${ratioInWords(d.cost.ratio)} on L1 fees.` : "."),
    );
    const data = dataCostInWords(zk.data, eth);
    if (data) lines.push(data.replace("Its data", "The state diffs"));
    if (d.l1.blobs > 0) lines.push(blobMarketInWords(d.l1.blobs, d.l1.blobBaseFeeMaxWei, config.blobSchedule));
  }
  lines.push(`The L1 base fee went from ${d.l1.baseFeeStart} to a peak of ${d.l1.baseFeeMax} gwei per gas over ${d.l1.blocks} blocks; ${eth(d.l1.burned)} was burned.`);
  if (zk.fraudsAttempted > 0) {
    lines.push(`A prover cheated ${times(zk.fraudsAttempted, "time", "times")}: L1's verifier rejected ${zk.batchesRejected} and accepted ${zk.fraudsVerified} — nobody had to watch.`);
  } else {
    lines.push("Nobody tried to cheat this round.");
  }
  if (zk.withdrawalsPaid > 0) {
    lines.push(`${times(zk.withdrawalsPaid, "withdrawal was", "withdrawals were")} paid on L1 (${eth(zk.withdrawn)}), a mean ${seconds(zk.meanPayoutAfterVerifyMs)} after verification: no challenge window.`);
  }
  return lines;
}

/** A ZK round: scored like an optimistic one, debriefed with proving cost against finality. */
export const zkRound: ScenarioRound = {
  score,
  extend(debrief, events, config) {
    const zk = zkDebrief(events);
    debrief.zk = zk;
    debrief.cost = costComparison(debrief.l1.transferFee, zk.proverL1Fees, zk.finalTxs, `the provers' proof submissions to L1 (verification, roots and state diffs)`, zk.data);
    debrief.tradeOff = `Provers pay for every proof (${eth(zk.proverCost)} this round) and each batch takes time to prove; in exchange there is no withdrawal delay: a withdrawal is claimable as soon as its batch's proof verifies on L1.`;
    debrief.story = zkStoryOf(debrief, zk, config);
    debrief.figures = [
      ["ZK transactions", String(zk.l2Txs)],
      ["Batches verified / rejected", `${zk.batchesVerified} / ${zk.batchesRejected}`],
      ["Submission to final (mean)", seconds(zk.meanFinalityMs)],
      ["Proving cost per final tx", eth(zk.proverCostPerFinalTx)],
      ["L1 fees per final tx vs an L1 transfer", debrief.cost.perTx === null ? "—" : `${eth(debrief.cost.perTx)} vs ${eth(debrief.l1.transferFee)}${debrief.cost.ratio !== null ? ` (${ratioInWords(debrief.cost.ratio)})` : ""}`],
      ["Verification gas per batch", zk.verifyGasPerBatch === null ? "—" : zk.verifyGasPerBatch.toLocaleString("en-US")],
      // Both ways from the same blocks' prices: what the state diffs paid, as calldata, as blobs.
      ["State diffs' data: paid / as calldata / as blobs", dataCostFigure(zk.data, eth)],
      ["Withdrawals paid", `${zk.withdrawalsPaid} (${eth(zk.withdrawn)})`],
      ["Frauds attempted / verified", `${zk.fraudsAttempted} / ${zk.fraudsVerified}`],
    ];
  },
};
