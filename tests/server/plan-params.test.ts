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
