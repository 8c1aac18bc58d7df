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
  /** Each signer of a release that drained the bridge: their share of the loot. */
  heistShare: 100,
  /** Each such signer once an alarm reports the theft. */
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

/** Points a sidechain event gives: users for using it, validators for signing honestly, colluders their share until caught, auditors for catching fast. */
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
    case SIDECHAIN_EVENTS.bridgeDrained:
      return names(data.signers).map((s) => [s, SIDECHAIN_POINTS.heistShare]);
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

/** What happened to the bridge, in a few words. */
function heistInWords(s: SidechainDebrief, m: number, n: number): string {
  if (s.thefts > 0) return `${eth(s.stolen)} stolen with ${s.heistSigners.length} of ${n} keys`;
  if (s.heistAttemptsRefused > 0) return `refused: ${s.refusedSignatures} of the ${m} keys needed`;
  return s.heistsProposed > 0 ? "planned, never sent" : "none";
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
    `${times(s.withdrawalsPaid, "withdrawal", "withdrawals")} of ${s.withdrawalsBurned} came back to L1 (${eth(s.withdrawn)}), each needing ${m} of the ${n} bridge keys ` +
      `(a mean ${s.meanSignaturesPerWithdrawal} signed), ${seconds(s.meanWithdrawalWaitMs)} after the burn on average.`,
  );
  if (s.heistAttemptsRefused > 0) {
    lines.push(`Colluding signers sent a release with only ${s.refusedSignatures} of the ${m} keys: the multisig reverted it on L1 ${times(s.heistAttemptsRefused, "time", "times")}.`);
  }
  if (s.thefts > 0) {
    lines.push(
      `${s.heistSigners.length} of ${n} bridge keys signed ${times(s.thefts, "release", "releases")} nobody had burned for and took ${eth(s.stolen)} from the bridge; ` +
        `the sidechain still shows everyone's tokens, but the L1 escrow holds only ${eth(s.escrow)} for ${eth(s.supply)} of them.`,
    );
    lines.push(
      s.noticedAfterMs !== null
        ? `An auditor raised the alarm ${seconds(s.noticedAfterMs)} after the theft${s.falseAlarms > 0 ? ` (and ${times(s.falseAlarms, "false alarm was", "false alarms were")} raised)` : ""}. Ronin's took six days.`
        : "Nobody raised the alarm: Ronin's theft went unnoticed for six days.",
    );
  } else {
    lines.push(`No key signed a theft: the L1 escrow (${eth(s.escrow)}) still backs every token on the sidechain${s.falseAlarms > 0 ? `; ${times(s.falseAlarms, "false alarm", "false alarms")} cost points` : ""}.`);
  }
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

/** A sidechain round: scored per signature, deposit and withdrawal, heist share and alarm; debriefed as speed against trust. */
export const sidechainRound: ScenarioRound = {
  score,
  extend(debrief, events) {
    const s = sidechainDebrief(events);
    const { m, n } = bridgeShape(events);
    debrief.sidechain = s;
    debrief.cost = costComparison(debrief.l1.transferFee, s.checkpointL1Fees, s.sideTxs, `the validators' ${times(s.checkpointsPosted, "checkpoint", "checkpoints")} to L1`);
    debrief.tradeOff =
      `Fast and cheap (${eth(sideFeeOf(s))} a transaction, included in ${seconds(s.meanTxLatencyMs)}) because only the validators vouch for it: ` +
      `any ${m} of the ${n} bridge keys can take everything the bridge holds${s.thefts > 0 ? ` — this round they took ${eth(s.stolen)}` : ""}.`;
    debrief.story = sidechainStoryOf(debrief, s, m, n);
    debrief.figures = [
      ["Sidechain transactions", `${s.sideTxs} in ${seconds(s.meanTxLatencyMs)} (mean)`],
      ["Fee: sidechain (flat) vs L1 transfer", `${eth(sideFeeOf(s))} vs ${eth(debrief.l1.transferFee)}`],
      ["L1 cost per sidechain tx (checkpoints ÷ txs)", debrief.cost.perTx === null ? "—" : `${eth(debrief.cost.perTx)}${debrief.cost.ratio !== null ? ` (${ratioInWords(debrief.cost.ratio)} than L1)` : ""}`],
      ["Blocks / checkpoints to L1", `${s.blocksCommitted} / ${s.checkpointsPosted}`],
      ["Withdrawals paid (mean wait)", `${s.withdrawalsPaid} of ${s.withdrawalsBurned} (${seconds(s.meanWithdrawalWaitMs)})`],
      ["Bridge keys", `${m} of ${n} needed`],
      ["Bridge heist", heistInWords(s, m, n)],
      ["Noticed after", s.noticedAfterMs === null ? (s.thefts > 0 ? "never" : "—") : seconds(s.noticedAfterMs)],
      ["Escrow vs supply at the end", `${eth(s.escrow)} vs ${eth(s.supply)}`],
    ];
  },
};
