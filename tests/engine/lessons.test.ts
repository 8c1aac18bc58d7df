import { describe, expect, it } from "vitest";
import { configFor } from "../../server/round.ts";
import { channelsDebrief } from "../../shared/engine/channels/debrief.ts";
import { CHANNEL_EVENTS } from "../../shared/engine/channels/rules.ts";
import { makeConfig } from "../../shared/engine/config.ts";
import { computeDebrief } from "../../shared/engine/debrief.ts";
import type { Debrief } from "../../shared/engine/debrief.ts";
import { plasmaDebrief } from "../../shared/engine/plasma/debrief.ts";
import { sidechainDebrief } from "../../shared/engine/sidechain/debrief.ts";
import type { EngineEvent } from "../../shared/engine/events.ts";
import { eth } from "../../shared/engine/units.ts";
import { zkDebrief } from "../../shared/engine/zk/debrief.ts";
import { LESSON_PLANS, describeRound, formatDuration, parseDuration, planChallengeWindowMs } from "../../shared/lessons/plans.ts";
import { RISK_SLICES, riskRosette } from "../../shared/lessons/rosette.ts";
import type { RiskLevel, RiskSliceName, Rosette } from "../../shared/lessons/rosette.ts";
import { CLIENT_MESSAGES, SCENARIOS, roundPlan } from "../../shared/protocol/messages.ts";
import type { RoundPlan } from "../../shared/protocol/messages.ts";

const config = makeConfig();

/** An empty debrief of `scenario` (computed from no events), for the test to fill. */
function blank(scenario: string): Debrief {
  return computeDebrief([], config, 240_000, scenario);
}

function level(rosette: Rosette, slice: RiskSliceName): RiskLevel {
  return rosette.slices.find((s) => s.slice === slice)!.level;
}

function sentence(rosette: Rosette, slice: RiskSliceName): string {
  return rosette.slices.find((s) => s.slice === slice)!.sentence;
}

describe("lesson plans", () => {
  it("every preset is a valid host:plan the server accepts (zod + configFor with the scenario's own params)", () => {
    expect(LESSON_PLANS.length).toBeGreaterThanOrEqual(8);
    for (const plan of LESSON_PLANS) {
      const parsed = CLIENT_MESSAGES["host:plan"].safeParse({ token: "x".repeat(20), rounds: plan.rounds });
      expect(parsed.success, `${plan.id}: ${parsed.error?.message}`).toBe(true);
      for (const round of plan.rounds) {
        expect(roundPlan.safeParse(round).success).toBe(true);
        const config = configFor(round);
        expect(typeof config, `${plan.id}: ${typeof config === "string" ? config : ""}`).toBe("object");
      }
    }
  });

  it("the presets the brief names exist, and the full tour visits every scenario in a 45-minute lesson", () => {
    const ids = LESSON_PLANS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ["l1-rush-hour", "optimistic-vs-zk", "lightning-duel", "plasma-mass-exit", "bridge-heist", "full-tour", "quick"]) expect(ids).toContain(id);
    const tour = LESSON_PLANS.find((p) => p.id === "full-tour")!;
    expect(tour.rounds.map((r) => r.scenario)).toEqual(["l1", "optimistic", "zk", "channels", "plasma", "sidechain"]);
    // 2 minutes of debrief after each round still fits 45 minutes.
    const playedSec = tour.rounds.reduce((s, r) => s + r.durationSec, 0);
    expect(playedSec + tour.rounds.length * 120).toBeLessThanOrEqual(45 * 60);
    const duel = LESSON_PLANS.find((p) => p.id === "optimistic-vs-zk")!;
    expect(duel.rounds.map((r) => r.scenario)).toEqual(["optimistic", "zk"]);
    expect(duel.rounds[0]!.durationSec).toBe(duel.rounds[1]!.durationSec);
  });

  it("describes any round: scenario, m:ss, known params in words, unknown ones by name", () => {
    expect(describeRound({ scenario: "optimistic", durationSec: 240, params: { challengeWindowSec: 45 } })).toBe("Optimistic rollup · 4:00 · challenge window 45 s");
    expect(describeRound({ scenario: "plasma", durationSec: 90, params: { exitsPerBlock: 3, newKnob: 2 } })).toBe("Plasma · 1:30 · 3 exits paid per L1 block · newKnob 2");
    expect(describeRound({ scenario: "sidechain", durationSec: 65 })).toBe("Sidechain + bridge · 1:05");
  });

  it("every preset's settings read as words, not parameter names", () => {
    for (const plan of LESSON_PLANS) {
      for (const round of plan.rounds) {
        const text = describeRound(round);
        for (const name of Object.keys(round.params ?? {})) expect(text, `${plan.id}`).not.toContain(name);
      }
    }
  });

  it("a ZK round compares with the lesson's own optimistic challenge window (the nearest before it, else after, else the default)", () => {
    const opt = (sec?: number): RoundPlan => ({ scenario: "optimistic", durationSec: 60, ...(sec ? { params: { challengeWindowSec: sec } } : {}) });
    const zkRound: RoundPlan = { scenario: "zk", durationSec: 60 };
    expect(planChallengeWindowMs([opt(45), zkRound], 1)).toBe(45_000);
    expect(planChallengeWindowMs([opt(45), opt(30), zkRound], 2)).toBe(30_000);
    expect(planChallengeWindowMs([zkRound, opt(30)], 0)).toBe(30_000);
    expect(planChallengeWindowMs([opt(), zkRound], 1)).toBe(makeConfig().challengeWindowMs);
    expect(planChallengeWindowMs([zkRound], 0)).toBe(makeConfig().challengeWindowMs);
    const tour = LESSON_PLANS.find((plan) => plan.id === "optimistic-vs-zk")!;
    expect(planChallengeWindowMs(tour.rounds, 1)).toBe(45_000);
  });

  it("parses the durations a teacher types", () => {
    expect(parseDuration("4:30")).toBe(270);
    expect(parseDuration(" 90 ")).toBe(90);
    expect(parseDuration("90 s")).toBe(90);
    expect(parseDuration("4 min")).toBe(240);
    expect(parseDuration("2.5m")).toBe(150);
    expect(parseDuration("4:75")).toBeNull();
    expect(parseDuration("soon")).toBeNull();
    expect(parseDuration("")).toBeNull();
    expect(formatDuration(parseDuration("3:05")!)).toBe("3:05");
  });
});

describe("the risk rosette", () => {
  it("every scenario's debrief carries five slices in L2BEAT's order, each with a sentence, and a stage", () => {
    for (const scenario of SCENARIOS) {
      const rosette = blank(scenario).rosette!;
      expect(rosette.slices.map((s) => s.slice)).toEqual([...RISK_SLICES]);
      for (const slice of rosette.slices) expect(slice.sentence.length).toBeGreaterThan(20);
      expect(rosette.stage).toMatch(/^(Stage [012]|not a rollup)$/);
      expect(rosette.stageReason.length).toBeGreaterThan(20);
    }
  });

  it("levels and stages rate the design: a missed fraud changes the sentence, never a level or the stage", () => {
    const d = blank("optimistic");
    Object.assign(d.fraud, { attempted: 2, caught: 2, disputes: 3, challengerWins: 2, defenderWins: 1 });
    Object.assign(d.l2, { batchesPosted: 5, forcedBatches: 1, rawBytes: 4000, compressedBytes: 1500, withdrawalsFinalized: 2, withdrawalWaitAvgMs: 61_500, forcedInclusions: 1, censored: 1 });
    const caught = riskRosette(d, config);
    expect(sentence(caught, "stateValidation")).toBe("Fraud proofs anyone may open, bisected to one step L1 executes: 3 disputes, challengers won 2; of 2 fraudulent batches, 2 caught, 0 missed.");
    Object.assign(d.fraud, { attempted: 3, caught: 1, missed: 1, valueLost: eth(1) });
    Object.assign(d.l2, { censored: 3 });
    const missed = riskRosette(d, config);
    expect(sentence(missed, "stateValidation")).toContain("of 3 fraudulent batches, 1 caught, 1 missed (1.0000 ETH stolen), 1 corrected along with an earlier one");
    expect(missed.slices.map((s) => s.level)).toEqual(caught.slices.map((s) => s.level));
    expect(missed.stage).toBe(caught.stage);
  });

  it("optimistic: L2BEAT's rules for this design — self sequence, self propose, no upgrades — give Stage 2, and the reason does not ask for what the game already has", () => {
    const d = blank("optimistic");
    Object.assign(d.l2, { batchesPosted: 5, forcedBatches: 1, withdrawalsFinalized: 2, withdrawalWaitAvgMs: 61_500, forcedInclusions: 1, censored: 1 });
    const r = riskRosette(d, config);
    expect(r.slices.every((s) => s.level === "good")).toBe(true);
    expect(sentence(r, "sequencerFailure")).toMatch(/^Self sequence: after 24\.0 s .* used 1 time/);
    expect(sentence(r, "proposerFailure")).toMatch(/^Self propose: .*\(1 root was proposed that way this round, 4 by the sequencer\)/);
    expect(r.stage).toBe("Stage 2");
    expect(r.stageReason).toContain("fraud proofs anyone may open");
    expect(r.stageReason).not.toMatch(/would need fraud proofs open to anyone/);
  });

  it("the exit window is about upgrades (the game has none); the withdrawal delay is named apart, with the round's window", () => {
    for (const scenario of ["optimistic", "zk", "channels", "plasma"] as const) {
      const r = riskRosette(blank(scenario), config);
      expect(level(r, "exitWindow"), scenario).toBe("good");
      expect(sentence(r, "exitWindow"), scenario).toMatch(/^No upgrades/);
    }
    const r = riskRosette(blank("optimistic"), makeConfig({ challengeWindowMs: 45_000 }));
    expect(r.withdrawalDelay).toContain("45.0 s challenge window");
    expect(r.withdrawalDelay).toContain("no withdrawal was paid");
  });

  it("zk: validity proofs are good; no forced inclusion is 'no mechanism' (bad) and keeps it Stage 0 whatever happened", () => {
    const d = blank("zk");
    d.zk = { ...zkDebrief([]), batchesVerified: 4, batchesRejected: 1, fraudsAttempted: 1, provers: ["p1"], withdrawalsPaid: 2, meanPayoutAfterVerifyMs: 3_000, verifiedL1Gas: 900_000 };
    const r = riskRosette(d, config);
    expect(level(r, "stateValidation")).toBe("good");
    expect(sentence(r, "stateValidation")).toContain("verified 4 batches and rejected 1");
    expect(r.withdrawalDelay).toContain("3.0 s after its batch verified");
    expect(level(r, "sequencerFailure")).toBe("bad");
    expect(sentence(r, "sequencerFailure")).toMatch(/^No mechanism/);
    expect(level(r, "proposerFailure")).toBe("good");
    expect(r.stage).toBe("Stage 0");
  });

  it("l1: everything is good, because this is L1 itself", () => {
    const r = riskRosette(blank("l1"), config);
    expect(r.slices.every((s) => s.level === "good")).toBe(true);
    expect(sentence(r, "stateValidation")).toContain("This is L1 itself");
    expect(r.stage).toBe("not a rollup");
  });

  it("channels: data is held by the parties; being offline needs a watchtower (a warning whatever happened); the withdrawal delay is the round's dispute window", () => {
    const d = blank("channels");
    d.channels = { ...channelsDebrief([]), payments: 12, staleCloses: 2, penalties: 2, penaltiesByWatchtower: 1, forceCloses: 2 };
    let r = riskRosette(d, config);
    expect(level(r, "dataAvailability")).toBe("good");
    expect(level(r, "sequencerFailure")).toBe("warning");
    expect(sentence(r, "sequencerFailure")).toContain("watchtowers answered 1 of 2 stale closes");
    expect(r.withdrawalDelay).toContain("24.0 s dispute window");
    d.channels = { ...d.channels, staleCloses: 3, cheatsGotAway: 1, lost: eth(0.5) };
    r = riskRosette(d, config);
    expect(level(r, "sequencerFailure")).toBe("warning");
    expect(sentence(r, "sequencerFailure")).toContain("0.5000 ETH was lost");
    const opened: EngineEvent = { t: 0, type: "module", module: "channels", name: CHANNEL_EVENTS.opened, data: { channelId: 1, toSelfDelayMs: 40_000 } };
    expect(riskRosette(d, config, [opened]).withdrawalDelay).toContain("40.0 s dispute window");
  });

  it("plasma: the data is external (bad) whether or not a block was withheld; the exits go under the withdrawal delay", () => {
    const d = blank("plasma");
    d.plasma = { ...plasmaDebrief([]), blocksCommitted: 6 };
    let r = riskRosette(d, config);
    expect(level(r, "dataAvailability")).toBe("bad");
    d.plasma = { ...d.plasma, blocksWithheld: 1, exitsPaid: 3, exitsStuck: [{ owner: "a", utxoPos: 1, amount: eth(1), where: "queue" }], valueStuck: eth(1), jammedBlocks: 4, peakBaseFeeDuringJam: 31 };
    r = riskRosette(d, config);
    expect(level(r, "dataAvailability")).toBe("bad");
    expect(sentence(r, "dataAvailability")).toContain("withheld 1 block");
    expect(r.withdrawalDelay).toContain("3 paid, 1 stuck (1.0000 ETH)");
    expect(sentence(r, "sequencerFailure")).toContain("4 blocks");
    expect(r.stage).toBe("not a rollup");
  });

  it("sidechain: no state validation, no forced inclusion, no exit window and no withdrawal without the validators are all bad", () => {
    const d = blank("sidechain");
    d.sidechain = { ...sidechainDebrief([]), validators: 4, blocksCommitted: 80, withdrawalsPaid: 2, meanSignaturesPerWithdrawal: 3 };
    let r = riskRosette(d, config);
    expect(r.slices.every((s) => s.level === "bad")).toBe(true);
    expect(sentence(r, "stateValidation")).toContain("4 validators signed 80 blocks");
    expect(r.withdrawalDelay).toContain("mean 3 signatures");
    d.sidechain = { ...d.sidechain, thefts: 1, stolen: eth(5), backed: false, escrow: eth(1), supply: eth(6), heistSigners: ["v1", "v2", "v3", "v4", "v5"], noticedAfterMs: 4_000 };
    r = riskRosette(d, config);
    expect(sentence(r, "stateValidation")).toContain("5 keys signed releases with no burn behind them and 5.0000 ETH left the bridge");
    expect(sentence(r, "exitWindow")).toContain("auditors noticed after 4.0 s");
  });

  it("a scenario whose module figures are missing says so instead of guessing", () => {
    const d = blank("plasma");
    delete d.plasma;
    const r = riskRosette(d, config);
    expect(r.slices.every((s) => s.sentence.includes("No plasma figures"))).toBe(true);
  });
});
