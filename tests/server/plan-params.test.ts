import { describe, expect, it } from "vitest";
import { configFor } from "../../server/round.ts";
import { PLAN_PARAMS, paramsOf } from "../../shared/lessons/params.ts";
import { SCENARIOS } from "../../shared/protocol/messages.ts";
import type { RoundPlan } from "../../shared/protocol/messages.ts";

const check = (plan: RoundPlan) => configFor(plan);

describe("plan parameters a scenario reads itself", () => {
  it("values the round could not run with are refused by name, before the round starts", () => {
    expect(check({ scenario: "plasma", durationSec: 120, params: { exitPeriodSec: 0.5 } })).toMatch(/exitPeriodSec/);
    expect(check({ scenario: "plasma", durationSec: 120, params: { exitsPerBlock: 2.5 } })).toMatch(/exitsPerBlock/);
    expect(check({ scenario: "channels", durationSec: 120, params: { disputeWindowSec: 2 } })).toMatch(/disputeWindowSec must be from 6 to 300/);
    expect(check({ scenario: "sidechain", durationSec: 120, params: { bridgeThreshold: 7, bridgeSeats: 5 } })).toMatch(/bridgeThreshold/);
    expect(check({ scenario: "sidechain", durationSec: 120, params: { stolenKeys: 12 } })).toMatch(/stolenKeys/);
  });

  it("sensible values pass, and names that only look like properties (constructor) are unknown", () => {
    expect(typeof check({ scenario: "plasma", durationSec: 120, params: { exitPeriodSec: 30, exitsPerBlock: 1 } })).toBe("object");
    expect(typeof check({ scenario: "channels", durationSec: 120, params: { disputeWindowSec: 30 } })).toBe("object");
    expect(typeof check({ scenario: "sidechain", durationSec: 120, params: { bridgeThreshold: 5, bridgeSeats: 9, stolenKeys: 5 } })).toBe("object");
    expect(check({ scenario: "zk", durationSec: 120, params: { constructor: 1 } })).toMatch(/unknown parameter "constructor"/);
    // The default a meaning states is a value the table accepts: a plan may write it out (stolenKeys: 0 is an honest round).
    expect(typeof check({ scenario: "sidechain", durationSec: 120, params: { stolenKeys: 0 } })).toBe("object");
  });

  it("every default a parameter's meaning states lies in its own range", () => {
    for (const [name, spec] of Object.entries(PLAN_PARAMS)) {
      const defaults = [...spec.meaning.matchAll(/default (\d+(?:\.\d+)?)/g)].map((m) => Number(m[1]));
      expect(defaults.length, `${name} states its default`).toBeGreaterThan(0);
      for (const value of defaults) {
        expect(value, `${name}: default ${value} in ${spec.min}..${spec.max}`).toBeGreaterThanOrEqual(spec.min);
        expect(value, `${name}: default ${value} in ${spec.min}..${spec.max}`).toBeLessThanOrEqual(spec.max);
        if (spec.whole) expect(Number.isInteger(value), `${name}: default ${value} is whole`).toBe(true);
      }
    }
  });

  it("one table: every parameter has words, a range and the rounds that read it; engine ones set the config, a scenario's own are refused elsewhere", () => {
    for (const [name, spec] of Object.entries(PLAN_PARAMS)) {
      expect(spec.words(spec.min), name).not.toContain(name);
      expect(spec.min, name).toBeLessThanOrEqual(spec.max);
      expect(spec.meaning.length, name).toBeGreaterThan(10);
    }
    const config = check({ scenario: "zk", durationSec: 120, params: { challengeWindowSec: 45, transfersPerBlock: 8 } });
    expect(config).toMatchObject({ challengeWindowMs: 45_000, gasLimit: 8 * 21_000 });
    expect(check({ scenario: "zk", durationSec: 120, params: { exitPeriodSec: 30 } })).toMatch(/unknown parameter "exitPeriodSec" for a zk round/);
    expect(check({ scenario: "optimistic", durationSec: 120, params: { challengeWindowSec: 0 } })).toMatch(/challengeWindowSec must be from 5/);
    for (const scenario of SCENARIOS) expect(paramsOf(scenario).slice(0, 7)).toEqual(["blockTimeSec", "challengeWindowSec", "moveTimeoutSec", "forcedInclusionDelaySec", "transfersPerBlock", "sequencerBondEth", "challengerBondEth"]);
  });
});
