import type { ScenarioConfig } from "../engine/config.ts";
import type { Debrief } from "../engine/debrief.ts";
import type { EngineEvent } from "../engine/events.ts";
import { CHANNEL_EVENTS, CHANNELS, DISPUTE_WINDOW_MS } from "../engine/channels/rules.ts";
import { eth, seconds, times as n } from "../engine/words.ts";

/**
 * L2BEAT's risk rosette (see L2-FACTS.md "L2BEAT's risk framework"), filled from what one round
 * showed: five slices, each with a level and one sentence carrying the round's numbers, plus the
 * stage the system would reach. Computed from the debrief and the round's events only, so a replay gives the same rosette.
 */

export type RiskLevel = "good" | "warning" | "bad";

/** The five slices, clockwise from the top, as L2BEAT draws them. */
export const RISK_SLICES = ["stateValidation", "dataAvailability", "exitWindow", "sequencerFailure", "proposerFailure"] as const;
export type RiskSliceName = (typeof RISK_SLICES)[number];

export const RISK_SLICE_LABEL: Record<RiskSliceName, string> = {
  stateValidation: "State validation",
  dataAvailability: "Data availability",
  exitWindow: "Exit window",
  sequencerFailure: "Sequencer failure",
  proposerFailure: "Proposer failure",
};

/** Level words for every screen, so no level is told by colour alone. */
export const RISK_LEVEL_LABEL: Record<RiskLevel, string> = { good: "Good", warning: "Warning", bad: "Bad" };

export interface RiskSlice {
  slice: RiskSliceName;
  level: RiskLevel;
  /** One sentence built from the round's figures. */
  sentence: string;
}

export interface Rosette {
  /** Always five, in RISK_SLICES order. */
  slices: RiskSlice[];
  /** "Stage 0", "Stage 1", "Stage 2" or "not a rollup". */
  stage: string;
  stageReason: string;
}

type Slices = Record<RiskSliceName, [RiskLevel, string]>;

function optimistic(d: Debrief, config: ScenarioConfig): { slices: Slices; stage: string; stageReason: string } {
  const f = d.fraud;
  const l2 = d.l2;
  const neverForced = Math.max(0, l2.censored - l2.forcedInclusions);
  // A fraudulent batch built on a caught one has its claim replaced with it, without a dispute of its own.
  const revertedAlong = Math.max(0, f.attempted - f.caught - f.missed - f.unresolved);
  const slices: Slices = {
    stateValidation: [
      f.missed > 0 || f.unresolved > 0 ? "warning" : "good",
      `Fraud proofs: ${n(f.disputes, "dispute", "disputes")}, challengers won ${f.challengerWins}; ` +
        (f.attempted === 0 ? "nobody tried to cheat." : `of ${n(f.attempted, "fraudulent batch", "fraudulent batches")}, ${f.caught} caught, ${f.missed} missed${f.valueLost > 0 ? ` (${eth(f.valueLost)} stolen)` : ""}${f.unresolved > 0 ? `, ${f.unresolved} still open at the end` : ""}${revertedAlong > 0 ? `, ${revertedAlong} corrected along with an earlier one` : ""}.`),
    ],
    dataAvailability: [
      "good",
      l2.batchesPosted > 0
        ? `Every batch's data went to L1: ${n(l2.batchesPosted, "batch", "batches")}, ${l2.rawBytes} bytes compressed to ${l2.compressedBytes}; anyone could rebuild the state.`
        : "No batch was posted this round; when one is, its data goes to L1 so anyone can rebuild the state.",
    ],
    exitWindow: [
      "warning",
      l2.withdrawalWaitAvgMs !== null
        ? `Withdrawals waited ${seconds(l2.withdrawalWaitAvgMs)} on average for the ${seconds(config.challengeWindowMs)} challenge window (7 days in reality); ${n(l2.withdrawalsFinalized, "was", "were")} paid.`
        : `A withdrawal waits out the ${seconds(config.challengeWindowMs)} challenge window (7 days in reality); none was paid this round.`,
    ],
    sequencerFailure: [
      neverForced > 0 ? "warning" : "good",
      `Forced inclusion through the L1 inbox used ${n(l2.forcedInclusions, "time", "times")} (${l2.censored} censored): after ${seconds(config.forcedInclusionDelayMs)} anyone can put a delayed transaction on L1 without the sequencer (${n(l2.forcedBatches, "forced batch", "forced batches")} this round).`,
    ],
    proposerFailure: [
      "good",
      `Whoever forces the delayed inbox in also proposes its state root with a ${eth(config.sequencerBond)} bond, so withdrawals do not need the sequencer (${n(l2.forcedBatches, "root was", "roots were")} proposed that way this round, ${l2.batchesPosted - l2.forcedBatches} by the sequencer).`,
    ],
  };
  const stage = f.missed > 0
    ? { stage: "Stage 0", stageReason: `Fraud proofs exist, but ${n(f.missed, "fraudulent batch", "fraudulent batches")} went unchallenged: a proof system nobody uses protects nobody.` }
    : { stage: "Stage 1", stageReason: "Challengers could dispute any batch with a fraud proof, and censored users can force their transactions through L1; Stage 2 would need fraud proofs open to anyone and at least 30 days to exit before an upgrade." };
  return { slices, ...stage };
}

function zk(d: Debrief): { slices: Slices; stage: string; stageReason: string } {
  const z = d.zk;
  if (!z) return notPlayed("ZK rollup");
  const slices: Slices = {
    stateValidation: [
      z.fraudsVerified > 0 ? "bad" : "good",
      `Validity proofs: L1 verified ${n(z.batchesVerified, "batch", "batches")} and rejected ${z.batchesRejected}; ` +
        (z.fraudsAttempted > 0 ? `of ${n(z.fraudsAttempted, "false batch", "false batches")}, ${z.fraudsVerified} passed.` : "nobody tried a false one."),
    ],
    dataAvailability: [
      "good",
      `Each verified batch posted its state changes to L1 (${z.verifiedL1Gas.toLocaleString("en-US")} gas in all), so anyone can rebuild the balances.`,
    ],
    exitWindow: [
      "good",
      z.withdrawalsPaid > 0
        ? `${n(z.withdrawalsPaid, "withdrawal was", "withdrawals were")} paid a mean ${seconds(z.meanPayoutAfterVerifyMs)} after verification: no challenge window.`
        : "A withdrawal is claimable as soon as its batch's proof verifies: no challenge window (none was claimed this round).",
    ],
    sequencerFailure: [
      "warning",
      `The prover also orders transactions, and this game has no L1 forced-inclusion path for ZK users: ${n(z.l2Txs, "transaction", "transactions")} relied on it.`,
    ],
    proposerFailure: [
      z.provers.length >= 2 ? "good" : "warning",
      `${n(z.provers.length, "prover", "provers")} proved batches${z.batchesAbandoned > 0 ? ` and ${n(z.batchesAbandoned, "batch was", "batches were")} abandoned` : ""}; ${z.provers.length >= 2 ? "if one stops, another can prove." : "if it stops, nothing becomes final."}`,
    ],
  };
  return {
    slices,
    stage: "Stage 0",
    stageReason: z.fraudsVerified > 0
      ? "A false batch was verified: the proof system failed."
      : "Validity proofs worked, but users cannot exit without the prover (no forced inclusion here); Stage 1 needs that escape hatch.",
  };
}

function l1(d: Debrief): { slices: Slices; stage: string; stageReason: string } {
  return {
    slices: {
      stateValidation: ["good", `This is L1 itself: every node re-executed all ${n(d.l1.blocks, "block", "blocks")}.`],
      dataAvailability: ["good", `Every transaction's data is in L1's blocks (${n(d.l1.transfers, "transfer", "transfers")} this round).`],
      exitWindow: ["good", "Nothing to exit: your money is already on L1."],
      sequencerFailure: ["good", `No single sequencer: any block producer includes you if your fee is high enough (the base fee peaked at ${d.l1.baseFeeMax} gwei).`],
      proposerFailure: ["good", `Blocks kept coming from many producers: ${n(d.l1.blocks, "block", "blocks")} this round.`],
    },
    stage: "not a rollup",
    stageReason: "L1 is the base layer: stages measure how close a Layer 2 comes to its security.",
  };
}

/** The dispute window channels opened with this round (a plan may set it), else Lightning's scaled default. */
function channelWindowMs(events: readonly EngineEvent[]): number {
  const opened = events.find((e) => e.type === "module" && e.module === CHANNELS && e.name === CHANNEL_EVENTS.opened);
  const ms = opened?.type === "module" ? opened.data.toSelfDelayMs : undefined;
  return typeof ms === "number" ? ms : DISPUTE_WINDOW_MS;
}

function channels(d: Debrief, events: readonly EngineEvent[]): { slices: Slices; stage: string; stageReason: string } {
  const c = d.channels;
  if (!c) return notPlayed("channels");
  const unanswered = c.cheatsGotAway;
  return {
    slices: {
      stateValidation: [
        c.lost > 0 ? "warning" : "good",
        `Both parties signed every state (${n(c.payments, "payment", "payments")}); the L1 adjudicator checks signatures and nonces: ${n(c.staleCloses, "stale close", "stale closes")}, ${c.penalties} punished.`,
      ],
      dataAvailability: ["good", `Each party holds its own signed states: nothing needs publishing (${eth(c.paidOffChain)} moved off-chain).`],
      exitWindow: [
        "warning",
        `Closing alone waits the ${seconds(channelWindowMs(events))} dispute window (about a day in Lightning): ${n(c.forceCloses, "force close", "force closes")}, ${n(c.cooperativeCloses, "cooperative close", "cooperative closes")} paid out at once.`,
      ],
      sequencerFailure: [
        c.lost > 0 ? "bad" : unanswered > 0 ? "warning" : "good",
        `If your counterparty goes offline you close alone on L1; while you are offline, watchtowers answered ${c.penaltiesByWatchtower} of ${n(c.staleCloses, "stale close", "stale closes")}${c.lost > 0 ? ` and ${eth(c.lost)} was lost` : ""}.`,
      ],
      proposerFailure: ["good", `No operator: either party can settle on L1 with the latest signed state (${n(c.l1Txs, "L1 transaction", "L1 transactions")}, ${eth(c.l1Fees)} in fees).`],
    },
    stage: "not a rollup",
    stageReason: "A channel keeps its state between its two parties; nothing is rolled up to L1 until it closes.",
  };
}

function plasma(d: Debrief): { slices: Slices; stage: string; stageReason: string } {
  const p = d.plasma;
  if (!p) return notPlayed("plasma");
  const stuck = p.exitsStuck.length;
  return {
    slices: {
      stateValidation: [
        p.paidToForgedExits > 0 ? "bad" : "warning",
        `Nothing checks the operator's blocks on L1: users must watch and challenge bad exits (${n(p.exitsChallenged, "exit", "exits")} challenged, ${eth(p.paidToForgedExits)} paid to forged ones).`,
      ],
      dataAvailability: [
        p.blocksWithheld > 0 ? "bad" : "warning",
        p.blocksWithheld > 0
          ? `The operator withheld ${n(p.blocksWithheld, "block", "blocks")}: only ${p.blocksWithheld === 1 ? "its root" : "their roots"} reached L1, so nobody could check ${p.blocksWithheld === 1 ? "it" : "them"}.`
          : `Only block roots go to L1 (${n(p.blocksCommitted, "block", "blocks")}); the data stays with the operator.`,
      ],
      exitWindow: [
        stuck > 0 ? "bad" : "warning",
        `Exits wait ${seconds(p.exitPeriodMs)} for challenges and coins ${seconds(p.maturityMs)} to mature: ${p.exitsPaid} paid, ${stuck} stuck${p.valueStuck > 0 ? ` (${eth(p.valueStuck)})` : ""}${p.longestExitWaitMs > 0 ? `, the longest waited ${seconds(p.longestExitWaitMs)}` : ""}.`,
      ],
      sequencerFailure: [
        p.jammedBlocks > 0 ? "bad" : "warning",
        p.jammedBlocks > 0
          ? `When the operator fails, everyone exits at once: exits jammed L1 for ${n(p.jammedBlocks, "block", "blocks")}, the base fee peaked at ${p.peakBaseFeeDuringJam ?? d.l1.baseFeeMax} gwei.`
          : `If the operator stops, every user must exit with a Merkle proof (${n(p.exitsStarted, "exit", "exits")} started this round).`,
      ],
      proposerFailure: ["warning", `Only the operator commits block roots (${n(p.blocksCommitted, "root", "roots")}); if it stops, the chain stops and everyone has to exit.`],
    },
    stage: "not a rollup",
    stageReason: "Plasma puts only block roots on L1, not the data, so it cannot be a rollup: users must watch and exit themselves.",
  };
}

function sidechain(d: Debrief): { slices: Slices; stage: string; stageReason: string } {
  const s = d.sidechain;
  if (!s) return notPlayed("sidechain");
  return {
    slices: {
      stateValidation: [
        "bad",
        `The validators' word: ${n(s.validators, "validator", "validators")} signed ${n(s.blocksCommitted, "block", "blocks")} and nothing on L1 checks them` +
          (s.thefts > 0 ? `; ${n(s.heistSigners.length, "key", "keys")} signed releases with no burn behind them and ${eth(s.stolen)} left the bridge.` : "."),
      ],
      dataAvailability: ["bad", `The data stays on the sidechain; L1 sees only ${n(s.checkpointsPosted, "checkpoint", "checkpoints")} of block hashes (${s.blocksCheckpointed} blocks).`],
      exitWindow: [
        s.thefts > 0 || !s.backed ? "bad" : "warning",
        `Withdrawals need the bridge multisig: ${s.withdrawalsPaid} paid with a mean ${s.meanSignaturesPerWithdrawal} signatures after ${seconds(s.meanWithdrawalWaitMs)}; ` +
          (s.backed ? "the L1 escrow still covered every token." : `the L1 escrow (${eth(s.escrow)}) no longer covered the ${eth(s.supply)} of tokens` +
            (s.noticedAfterMs !== null ? `; auditors noticed after ${seconds(s.noticedAfterMs)}.` : "; no auditor noticed.")),
      ],
      sequencerFailure: [
        s.roundTimeouts > 0 ? "bad" : "warning",
        `Blocks need more than 2/3 of the stake to sign (${n(s.roundTimeouts, "round", "rounds")} timed out); there is no way to force a transaction through L1.`,
      ],
      proposerFailure: ["warning", `Only the validators post checkpoints to L1 (${s.checkpointsPosted} this round); if they stop, L1 hears nothing.`],
    },
    stage: "not a rollup",
    stageReason: "A sidechain has its own consensus and a multisig bridge: nothing it does is proven or replayable on L1.",
  };
}

/** A scenario whose figures are missing from the debrief (e.g. no module ran): say so rather than guess. */
function notPlayed(scenario: string): { slices: Slices; stage: string; stageReason: string } {
  const sentence = `No ${scenario} figures were recorded this round.`;
  return {
    slices: Object.fromEntries(RISK_SLICES.map((slice) => [slice, ["warning", sentence]])) as Slices,
    stage: "not a rollup",
    stageReason: sentence,
  };
}

/** The risk rosette of a finished round, from its debrief, the round's config and (for module settings) its events. */
export function riskRosette(d: Debrief, config: ScenarioConfig, events: readonly EngineEvent[] = []): Rosette {
  const rated = d.scenario === "zk" ? zk(d)
    : d.scenario === "l1" ? l1(d)
    : d.scenario === "channels" ? channels(d, events)
    : d.scenario === "plasma" ? plasma(d)
    : d.scenario === "sidechain" ? sidechain(d)
    : optimistic(d, config);
  return {
    slices: RISK_SLICES.map((slice) => ({ slice, level: rated.slices[slice][0], sentence: rated.slices[slice][1] })),
    stage: rated.stage,
    stageReason: rated.stageReason,
  };
}
