import type { ScenarioConfig } from "../engine/config.ts";
import type { Debrief } from "../engine/debrief-types.ts";
import { RISK_SLICES } from "./rosette-types.ts";
import type { RiskLevel, RiskSliceName, Rosette } from "./rosette-types.ts";
import type { EngineEvent } from "../engine/events.ts";
import { CHANNEL_EVENTS, CHANNELS, DISPUTE_WINDOW_MS } from "../engine/channels/rules.ts";
import { eth, seconds, times as n } from "../engine/words.ts";

export { RISK_LEVEL_LABEL, RISK_SLICES, RISK_SLICE_LABEL } from "./rosette-types.ts";
export type { RiskLevel, RiskSlice, RiskSliceName, Rosette } from "./rosette-types.ts";

/**
 * L2BEAT's risk rosette (see L2-FACTS.md "L2BEAT's risk framework"), filled from what one round
 * showed: five slices, each with a level and one sentence carrying the round's numbers, plus the
 * stage the system would reach. Computed from the debrief and the round's events only, so a replay gives the same rosette.
 */

type Slices = Record<RiskSliceName, [RiskLevel, string]>;
type Rated = { slices: Slices; stage: string; stageReason: string; withdrawalDelay: string };

/**
 * The exit window slice for every system in the game: its contracts have no upgrade path, so
 * nobody can change the rules under a user and there is nothing to leave before (L2BEAT rates an
 * immutable system's exit window as infinite).
 */
const NO_UPGRADES: [RiskLevel, string] = ["good", "No upgrades: nothing in this game can change the contracts' rules, so there is no upgrade to leave before (L2BEAT's exit window is that time, not the withdrawal delay)."];

/**
 * Levels and stages follow L2BEAT's definitions for the design the round ran (forced inclusion
 * → "self sequence", anyone may propose → "self propose", "no mechanism" and "cannot withdraw"
 * are bad); the sentences carry what the round did with it. A missed fraud changes a sentence,
 * never a level or the stage.
 */
function optimistic(d: Debrief, config: ScenarioConfig): Rated {
  const f = d.fraud;
  const l2 = d.l2;
  // A fraudulent batch built on a caught one has its claim replaced with it, without a dispute of its own.
  const correctedAlong = Math.max(0, f.attempted - f.caught - f.missed - f.unresolved);
  const slices: Slices = {
    stateValidation: [
      "good",
      `Fraud proofs anyone may open, bisected to one step L1 executes: ${n(f.disputes, "dispute", "disputes")}, challengers won ${f.challengerWins}; ` +
        (f.attempted === 0 ? "nobody tried to cheat." : `of ${n(f.attempted, "fraudulent batch", "fraudulent batches")}, ${f.caught} caught, ${f.missed} missed${f.valueLost > 0 ? ` (${eth(f.valueLost)} stolen)` : ""}${f.unresolved > 0 ? `, ${f.unresolved} still open at the end` : ""}${correctedAlong > 0 ? `, ${correctedAlong} corrected along with an earlier one` : ""}` +
          (f.missed > 0 ? " — the proofs only protect those someone is watching for." : ".")),
    ],
    dataAvailability: [
      "good",
      l2.batchesPosted > 0
        ? `Every batch's data went to L1: ${n(l2.batchesPosted, "batch", "batches")}, ${l2.rawBytes} bytes compressed to ${l2.compressedBytes}; anyone could rebuild the state.`
        : "No batch was posted this round; when one is, its data goes to L1 so anyone can rebuild the state.",
    ],
    exitWindow: NO_UPGRADES,
    sequencerFailure: [
      "good",
      `Self sequence: after ${seconds(config.forcedInclusionDelayMs)} in the L1 delayed inbox anyone can put a transaction on L1 without the sequencer; used ${n(l2.forcedInclusions, "time", "times")} this round (${l2.censored} censored, ${n(l2.forcedBatches, "forced batch", "forced batches")}).`,
    ],
    proposerFailure: [
      "good",
      `Self propose: whoever forces the inbox in proposes its state root with a ${eth(config.sequencerBond)} bond, so withdrawals never need the sequencer (${n(l2.forcedBatches, "root was", "roots were")} proposed that way this round, ${l2.batchesPosted - l2.forcedBatches} by the sequencer).`,
    ],
  };
  return {
    slices,
    stage: "Stage 2",
    stageReason:
      "By L2BEAT's rules for this design: state roots and data on L1, fraud proofs anyone may open, users can leave without the operator (forced inclusion, then proposing the root themselves), and no upgrade path or council that could override the proofs. " +
      `A real rollup would also need its full 7-day challenge period; the game runs it in ${seconds(config.challengeWindowMs)}.`,
    withdrawalDelay: l2.withdrawalWaitAvgMs !== null
      ? `The ${seconds(config.challengeWindowMs)} challenge window (7 days on mainnet): withdrawals waited ${seconds(l2.withdrawalWaitAvgMs)} on average; ${n(l2.withdrawalsFinalized, "was", "were")} paid.`
      : `The ${seconds(config.challengeWindowMs)} challenge window (7 days on mainnet); no withdrawal was paid this round.`,
  };
}

function zk(d: Debrief): Rated {
  const z = d.zk;
  if (!z) return notPlayed("ZK rollup");
  const slices: Slices = {
    stateValidation: [
      "good",
      `Validity proofs: L1 verified ${n(z.batchesVerified, "batch", "batches")} and rejected ${z.batchesRejected}; ` +
        (z.fraudsAttempted > 0 ? `of ${n(z.fraudsAttempted, "false batch", "false batches")}, ${z.fraudsVerified} passed.` : "nobody tried a false one."),
    ],
    dataAvailability: [
      "good",
      `Each verified batch posted its state changes to L1 (${z.verifiedL1Gas.toLocaleString("en-US")} gas in all, blobs aside), so anyone can rebuild the balances.`,
    ],
    exitWindow: NO_UPGRADES,
    sequencerFailure: [
      "bad",
      `No mechanism: the provers also order transactions and this game has no L1 forced-inclusion path for ZK users (${n(z.l2Txs, "transaction", "transactions")} relied on them).`,
    ],
    proposerFailure: [
      "good",
      `Self propose: any player may prove a batch (${n(z.provers.length, "prover", "provers")} did this round${z.batchesAbandoned > 0 ? `; ${n(z.batchesAbandoned, "batch was", "batches were")} abandoned` : ""}).`,
    ],
  };
  return {
    slices,
    stage: "Stage 0",
    stageReason: "Validity proofs check every batch, but a prover that ignores your withdrawal cannot be bypassed: with no forced inclusion, users cannot leave without the operator. Stage 1 needs that escape hatch.",
    withdrawalDelay: z.withdrawalsPaid > 0
      ? `None beyond proving: ${n(z.withdrawalsPaid, "withdrawal was", "withdrawals were")} paid a mean ${seconds(z.meanPayoutAfterVerifyMs)} after its batch verified.`
      : "None beyond proving: a withdrawal is claimable as soon as its batch's proof verifies (none was claimed this round).",
  };
}

function l1(d: Debrief): Rated {
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
    withdrawalDelay: "None: nothing to withdraw from.",
  };
}

/** The dispute window channels opened with this round (a plan may set it), else Lightning's scaled default. */
function channelWindowMs(events: readonly EngineEvent[]): number {
  const opened = events.find((e) => e.type === "module" && e.module === CHANNELS && e.name === CHANNEL_EVENTS.opened);
  const ms = opened?.type === "module" ? opened.data.toSelfDelayMs : undefined;
  return typeof ms === "number" ? ms : DISPUTE_WINDOW_MS;
}

function channels(d: Debrief, events: readonly EngineEvent[]): Rated {
  const c = d.channels;
  if (!c) return notPlayed("channels");
  return {
    slices: {
      stateValidation: [
        "good",
        `Both parties signed every state (${n(c.payments, "payment", "payments")}); the L1 adjudicator checks signatures and nonces: ${n(c.staleCloses, "stale close", "stale closes")}, ${c.penalties} punished.`,
      ],
      dataAvailability: ["good", `Each party holds its own signed states: nothing needs publishing (${eth(c.paidOffChain)} moved off-chain).`],
      exitWindow: NO_UPGRADES,
      sequencerFailure: [
        "warning",
        `If your counterparty goes offline you close alone on L1, and while you are offline someone must watch for an old state: watchtowers answered ${c.penaltiesByWatchtower} of ${n(c.staleCloses, "stale close", "stale closes")}${c.lost > 0 ? ` and ${eth(c.lost)} was lost` : ""}.`,
      ],
      proposerFailure: ["good", `No operator: either party can settle on L1 with the latest signed state (${n(c.l1Txs, "L1 transaction", "L1 transactions")}, ${eth(c.l1Fees)} in fees).`],
    },
    stage: "not a rollup",
    stageReason: "A channel keeps its state between its two parties; nothing is rolled up to L1 until it closes.",
    withdrawalDelay: `A cooperative close pays at once; closing alone waits the ${seconds(channelWindowMs(events))} dispute window (about a day in Lightning): ${n(c.cooperativeCloses, "cooperative close", "cooperative closes")}, ${n(c.forceCloses, "force close", "force closes")} this round.`,
  };
}

function plasma(d: Debrief): Rated {
  const p = d.plasma;
  if (!p) return notPlayed("plasma");
  const stuck = p.exitsStuck.length;
  return {
    slices: {
      stateValidation: [
        "warning",
        `Nothing checks the operator's blocks on L1: users must watch and challenge bad exits with proofs of spend (${n(p.exitsChallenged, "exit", "exits")} challenged, ${eth(p.paidToForgedExits)} paid to forged ones).`,
      ],
      dataAvailability: [
        "bad",
        p.blocksWithheld > 0
          ? `External: only roots go to L1, and the operator withheld ${n(p.blocksWithheld, "block", "blocks")}, so nobody could check ${p.blocksWithheld === 1 ? "it" : "them"}.`
          : `External: only block roots go to L1 (${n(p.blocksCommitted, "block", "blocks")}); the data stays with the operator, who published it this time.`,
      ],
      exitWindow: NO_UPGRADES,
      sequencerFailure: [
        "warning",
        p.jammedBlocks > 0
          ? `Escape hatch only: no way to force a transaction in, so everyone exits at once — exits jammed L1 for ${n(p.jammedBlocks, "block", "blocks")} and the base fee peaked at ${p.peakBaseFeeDuringJam ?? d.l1.baseFeeMax} gwei.`
          : `Escape hatch only: no way to force a transaction in; if the operator stops, every user must exit with a Merkle proof (${n(p.exitsStarted, "exit", "exits")} started this round).`,
      ],
      proposerFailure: ["warning", `Escape hatch only: nobody but the operator commits block roots (${n(p.blocksCommitted, "root", "roots")}); if it stops, the chain stops and everyone has to exit.`],
    },
    stage: "not a rollup",
    stageReason: "Plasma puts only block roots on L1, not the data, so it cannot be a rollup: users must watch and exit themselves.",
    withdrawalDelay: `Exits wait ${seconds(p.exitPeriodMs)} for challenges and coins ${seconds(p.maturityMs)} to mature (Plasma MVP's 7 and 14 days), at most ${p.exitsPerBlock} paid per L1 block: ${p.exitsPaid} paid, ${stuck} stuck${p.valueStuck > 0 ? ` (${eth(p.valueStuck)})` : ""}${p.longestExitWaitMs > 0 ? `, the longest waited ${seconds(p.longestExitWaitMs)}` : ""}.`,
  };
}

function sidechain(d: Debrief): Rated {
  const s = d.sidechain;
  if (!s) return notPlayed("sidechain");
  return {
    slices: {
      stateValidation: [
        "bad",
        `None: the validators' word — ${n(s.validators, "validator", "validators")} signed ${n(s.blocksCommitted, "block", "blocks")} and nothing on L1 checks them` +
          (s.thefts > 0 ? `; ${n(s.heistSigners.length, "key", "keys")} signed releases with no burn behind them and ${eth(s.stolen)} left the bridge.` : "."),
      ],
      dataAvailability: ["bad", `External: the data stays on the sidechain; L1 sees only ${n(s.checkpointsPosted, "checkpoint", "checkpoints")} of block hashes (${s.blocksCheckpointed} blocks).`],
      exitWindow: [
        "bad",
        `None: ${s.design === "checkpoint" ? "validators with more than 2/3 of the stake can sign a false checkpoint and move the bridge's funds" : "the bridge's keys can move its funds"} at any moment, with no delay to leave before${s.backed ? "; this round the L1 escrow still covered every token." : ` — this round the escrow (${eth(s.escrow)}) no longer covered the ${eth(s.supply)} of tokens` + (s.noticedAfterMs !== null ? `; auditors noticed after ${seconds(s.noticedAfterMs)}.` : "; no auditor noticed.")}`,
      ],
      sequencerFailure: [
        "bad",
        `No mechanism: blocks need more than 2/3 of the stake to sign (${n(s.roundTimeouts, "round", "rounds")} timed out) and there is no way to force a transaction through L1.`,
      ],
      proposerFailure: ["bad", `Cannot withdraw without them: only the validators post checkpoints (${s.checkpointsPosted} this round)${s.design === "checkpoint" ? ", and a burn is proven only against one" : " and sign withdrawals"}; if they stop, nobody gets out.`],
    },
    stage: "not a rollup",
    stageReason: `A sidechain has its own consensus and a bridge its validators control (${s.design === "checkpoint" ? "through the checkpoints they sign" : "through the multisig's keys"}): nothing it does is proven or replayable on L1.`,
    withdrawalDelay: s.design === "checkpoint"
      ? `Until a checkpoint covering the burn is on L1 (Polygon: 30 min – 3 h): ${s.withdrawalsPaid} paid on burn proofs, ${seconds(s.meanWithdrawalWaitMs)} after the burn on average.`
      : `Until the bridge's keys sign: ${s.withdrawalsPaid} paid with a mean ${s.meanSignaturesPerWithdrawal} signatures, ${seconds(s.meanWithdrawalWaitMs)} after the burn.`,
  };
}

/** A scenario whose figures are missing from the debrief (e.g. no module ran): say so rather than guess. */
function notPlayed(scenario: string): Rated {
  const sentence = `No ${scenario} figures were recorded this round.`;
  return {
    slices: Object.fromEntries(RISK_SLICES.map((slice) => [slice, ["warning", sentence]])) as Slices,
    stage: "not a rollup",
    stageReason: sentence,
    withdrawalDelay: sentence,
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
    withdrawalDelay: rated.withdrawalDelay,
  };
}
