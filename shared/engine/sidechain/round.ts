import type { Debrief } from "../debrief-types.ts";
import { POINTS } from "../points.ts";
import type { ScenarioRound } from "../debrief-types.ts";
import { eth, seconds, times } from "../words.ts";
import { costComparison, ratioInWords } from "../cost.ts";
import { sidechainDebrief } from "./debrief.ts";
import type { SidechainDebrief } from "./debrief.ts";
import { SIDECHAIN_EVENTS } from "./sidechain-events.ts";

/** Points of a sidechain round besides the common ones (POINTS). */
export const SIDECHAIN_POINTS = {
  /** A validator's vote on a block that was up for votes. */
  blockSigned: 1,
  checkpointSigned: 2,
  /** A bridge signer whose approval was part of a withdrawal paid out. */
  withdrawalApproved: 2,
  /**
   * Each key behind a theft once an alarm reports it. A heist itself scores nothing: the game
   * frames it as Ronin's was — an attacker with stolen keys (the plan's bot validators) — not
   * as players earning a share of the loot.
   */
  heistCaught: -150,
  /** The first alarm that reports a theft: this much, less ALARM_POINTS_PER_SECOND for every second it took, but at least ALARM_MIN. */
  alarmRight: 200,
  alarmMin: 50,
  alarmFalse: -50,
} as const;
const ALARM_POINTS_PER_SECOND = 2;

function names(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** Points a sidechain event gives: users for using it, validators for signing honestly, keys behind a theft once caught, auditors for catching fast. */
function score(name: string, data: Record<string, unknown>): [string, number][] {
  const who = (key: string) => (typeof data[key] === "string" ? (data[key] as string) : null);
  const one = (key: string, points: number): [string, number][] => {
    const id = who(key);
    return id ? [[id, points]] : [];
  };
  switch (name) {
    case SIDECHAIN_EVENTS.txIncluded:
      return one("from", POINTS.softConfirmed);
    case SIDECHAIN_EVENTS.depositMinted:
      return one("to", POINTS.depositCredited);
    case SIDECHAIN_EVENTS.withdrawalReleased:
      return [...one("to", POINTS.withdrawalFinalized), ...names(data.signers).map((s): [string, number] => [s, SIDECHAIN_POINTS.withdrawalApproved])];
    case SIDECHAIN_EVENTS.blockSigned:
      return one("signer", SIDECHAIN_POINTS.blockSigned);
    case SIDECHAIN_EVENTS.checkpointSigned:
      return one("signer", SIDECHAIN_POINTS.checkpointSigned);
    case SIDECHAIN_EVENTS.alarmRaised: {
      if (typeof data.thefts === "number" && data.thefts > 0) {
        const afterSec = Math.floor((typeof data.noticedAfterMs === "number" ? data.noticedAfterMs : 0) / 1000);
        const points = Math.max(SIDECHAIN_POINTS.alarmMin, SIDECHAIN_POINTS.alarmRight - ALARM_POINTS_PER_SECOND * afterSec);
        return [...one("by", points), ...names(data.signers).map((s): [string, number] => [s, SIDECHAIN_POINTS.heistCaught])];
      }
      return data.backed === true ? one("by", SIDECHAIN_POINTS.alarmFalse) : [];
    }
    default:
      return [];
  }
}

/** A sidechain transaction's mean fee, gwei (flat per transaction). */
function sideFeeOf(s: SidechainDebrief): number {
  return s.sideTxs === 0 ? 0 : Math.round(s.sideFees / s.sideTxs);
}

/** What happened to the bridge, in a few words (the total taken, as the escrow's shortfall shows it). */
function heistInWords(s: SidechainDebrief, m: number, n: number): string {
  if (s.thefts > 0) return `${eth(s.stolen)} stolen in ${times(s.thefts, "release", "releases")} with ${s.heistSigners.length} stolen keys`;
  if (s.heistAttemptsRefused > 0) {
    return s.design === "checkpoint"
      ? `refused: ${s.heistWeight?.stakePercent ?? 0} % of the stake signed, more than 2/3 needed`
      : `refused: ${s.refusedSignatures} of the ${m} of ${n} keys needed`;
  }
  return s.heistsProposed > 0 ? "planned, never sent" : "none";
}

/**
 * The same stolen keys against the other bridge design, from the round's own figures: what the
 * multisig counts (bridge keys, m of n) and what the checkpoint bridge counts (stake, more than 2/3).
 */
function designComparison(s: SidechainDebrief, m: number, n: number): string | null {
  const w = s.heistWeight;
  if (!w) return null;
  const enoughForMultisig = w.bridgeKeys >= m;
  const enoughForCheckpoint = 3 * w.stakePercent > 200;
  const keys = `The attacker's ${times(w.keys, "stolen key", "stolen keys")} held ${w.bridgeKeys} of the ${n} bridge keys and ${w.stakePercent} % of the stake.`;
  const rule = "a burn proven against a checkpoint signed by more than 2/3 of the stake";
  if (s.design === "multisig") {
    return `${keys} Ronin's ${m}-of-${n} multisig counts keys: ${w.bridgeKeys} ${enoughForMultisig ? "were enough to drain it" : "were not enough"}. ` +
      `Polygon PoS's bridge would pay only ${rule}: ${w.stakePercent} % ${enoughForCheckpoint ? "would have been enough to forge one" : "would not have been enough"}.`;
  }
  return `${keys} Polygon PoS's bridge pays only ${rule}: ${w.stakePercent} % ${enoughForCheckpoint ? "was enough to forge one" : "was not enough"}. ` +
    `Ronin's ${m}-of-${n} multisig would have counted keys: ${w.bridgeKeys} ${enoughForMultisig ? "would have drained it" : "would not have been enough"}.`;
}

function sidechainStoryOf(d: Debrief, s: SidechainDebrief, m: number, n: number): string[] {
  const lines: string[] = [];
  const fee = sideFeeOf(s);
  const cost = d.cost;
  lines.push(
    `${times(s.sideTxs, "sidechain transaction was", "sidechain transactions were")} included after a mean ${seconds(s.meanTxLatencyMs)} for a flat ${eth(fee)} each (the validators' price). ` +
      (cost?.perTx != null && cost.ratio !== null
        ? `On L1 the sidechain paid only for its checkpoints: ${eth(cost.l1Fees)}, ${eth(cost.perTx)} per transaction, against ${eth(d.l1.transferFee)} for a plain L1 transfer (${ratioInWords(cost.ratio)}) — cheap because L1 checks none of them.`
        : `No checkpoint reached L1 this round; a plain L1 transfer cost ${eth(d.l1.transferFee)}.`),
  );
  lines.push(
    `${times(s.validators, "validator", "validators")} signed ${times(s.blocksCommitted, "block", "blocks")} (more than two thirds of the stake on each)` +
      `${s.roundTimeouts > 0 ? `; ${times(s.roundTimeouts, "proposal", "proposals")} stalled for want of signatures` : ""}; ` +
      `${times(s.checkpointsPosted, "checkpoint", "checkpoints")} put ${s.blocksCheckpointed} block hashes on L1, a mean ${seconds(s.meanCheckpointLatencyMs)} after each was proposed.`,
  );
  lines.push(
    s.design === "checkpoint"
      ? `${times(s.withdrawalsPaid, "withdrawal", "withdrawals")} of ${s.withdrawalsBurned} came back to L1 (${eth(s.withdrawn)}), each proving its burn against a checkpoint on L1 (Polygon PoS's bridge), ${seconds(s.meanWithdrawalWaitMs)} after the burn on average: the wait is the checkpoint's.`
      : `${times(s.withdrawalsPaid, "withdrawal", "withdrawals")} of ${s.withdrawalsBurned} came back to L1 (${eth(s.withdrawn)}), each needing ${m} of the ${n} bridge keys (Ronin's multisig; ` +
        `a mean ${s.meanSignaturesPerWithdrawal} signed), ${seconds(s.meanWithdrawalWaitMs)} after the burn on average.`,
  );
  if (s.heistAttemptsRefused > 0) {
    lines.push(
      s.design === "checkpoint"
        ? `Stolen keys signed a checkpoint over a block the chain never had, with a burn paying the attacker: it carried ${s.heistWeight?.stakePercent ?? 0} % of the stake, and L1 reverted it ${times(s.heistAttemptsRefused, "time", "times")}.`
        : `Stolen keys sent a release with only ${s.refusedSignatures} of the ${m} signatures: the multisig reverted it on L1 ${times(s.heistAttemptsRefused, "time", "times")}.`,
    );
  }
  if (s.thefts > 0) {
    lines.push(
      `${s.heistSigners.length} stolen keys ${s.design === "checkpoint" ? "signed a false checkpoint and" : "signed"} ${times(s.thefts, "release", "releases")} nobody had burned for and took ${eth(s.stolen)} from the bridge, as Ronin's attacker did with 5 of 9 keys in March 2022; ` +
        `the sidechain still shows everyone's tokens, but the L1 escrow holds only ${eth(s.escrow)} for ${eth(s.supply)} of them.`,
    );
    lines.push(
      s.noticedAfterMs !== null
        ? `An auditor raised the alarm ${seconds(s.noticedAfterMs)} after the theft${s.falseAlarms > 0 ? ` (and ${times(s.falseAlarms, "false alarm was", "false alarms were")} raised)` : ""}. Ronin's took six days.`
        : "Nobody raised the alarm: Ronin's theft went unnoticed for six days.",
    );
  } else {
    lines.push(`No theft got through: the L1 escrow (${eth(s.escrow)}) still backs every token on the sidechain${s.falseAlarms > 0 ? `; ${times(s.falseAlarms, "false alarm", "false alarms")} cost points` : ""}.`);
  }
  const comparison = designComparison(s, m, n);
  if (comparison) lines.push(comparison);
  return lines;
}

/** The bridge's m and n as configured this round (from the `configured` event). */
function bridgeShape(events: Parameters<ScenarioRound["extend"]>[1]): { m: number; n: number } {
  for (const e of events) {
    if (e.type === "module" && e.module === "sidechain" && e.name === SIDECHAIN_EVENTS.configured) {
      return { m: e.data.bridgeThreshold as number, n: e.data.bridgeSeats as number };
    }
  }
  return { m: 0, n: 0 };
}

/** A sidechain round: scored per signature, deposit and withdrawal and alarm; debriefed as speed against trust, and one bridge design against the other. */
export const sidechainRound: ScenarioRound = {
  score,
  extend(debrief, events) {
    const s = sidechainDebrief(events);
    const { m, n } = bridgeShape(events);
    debrief.sidechain = s;
    debrief.cost = costComparison(debrief.l1.transferFee, s.checkpointL1Fees, s.sideTxs, `the validators' ${times(s.checkpointsPosted, "checkpoint", "checkpoints")} to L1`);
    debrief.tradeOff =
      `Fast and cheap (${eth(sideFeeOf(s))} a transaction, included in ${seconds(s.meanTxLatencyMs)}) because only the validators vouch for it: ` +
      (s.design === "checkpoint"
        ? `validators with more than 2/3 of the stake can sign a false checkpoint and take everything the bridge holds`
        : `any ${m} of the ${n} bridge keys can take everything the bridge holds`) +
      `${s.thefts > 0 ? ` — this round stolen keys took ${eth(s.stolen)}` : ""}.`;
    debrief.story = sidechainStoryOf(debrief, s, m, n);
    debrief.figures = [
      ["Sidechain transactions", `${s.sideTxs} in ${seconds(s.meanTxLatencyMs)} (mean)`],
      ["Fee: sidechain (flat) vs L1 transfer", `${eth(sideFeeOf(s))} vs ${eth(debrief.l1.transferFee)}`],
      ["L1 cost per sidechain tx (checkpoints ÷ txs)", debrief.cost.perTx === null ? "—" : `${eth(debrief.cost.perTx)}${debrief.cost.ratio !== null ? ` (${ratioInWords(debrief.cost.ratio)} than L1)` : ""}`],
      ["Blocks / checkpoints to L1", `${s.blocksCommitted} / ${s.checkpointsPosted}`],
      ["Withdrawals paid (mean wait)", `${s.withdrawalsPaid} of ${s.withdrawalsBurned} (${seconds(s.meanWithdrawalWaitMs)})`],
      ["Bridge", s.design === "checkpoint" ? "Polygon PoS-style: burn proof against a checkpoint (> 2/3 of stake)" : `Ronin-style multisig: ${m} of ${n} keys`],
      ["Bridge heist", heistInWords(s, m, n)],
      ["Noticed after", s.noticedAfterMs === null ? (s.thefts > 0 ? "never" : "—") : seconds(s.noticedAfterMs)],
      ["Escrow vs supply at the end", `${eth(s.escrow)} vs ${eth(s.supply)}`],
    ];
  },
};
