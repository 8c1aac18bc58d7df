import { describe, expect, it } from "vitest";
import { configFor } from "../../server/round.ts";
import { SCENARIO_DEFS } from "../../server/scenarios/index.ts";
import type { RoundPlan } from "../../shared/protocol/messages.ts";

const check = (plan: RoundPlan) => configFor(plan, SCENARIO_DEFS[plan.scenario]);

describe("plan parameters a scenario reads itself", () => {
  it("values the round could not run with are refused by name, before the round starts", () => {
    expect(check({ scenario: "plasma", durationSec: 120, params: { exitPeriodSec: 0.5 } })).toMatch(/exitPeriodSec/);
    expect(check({ scenario: "plasma", durationSec: 120, params: { exitsPerBlock: 2.5 } })).toMatch(/exitsPerBlock/);
    expect(check({ scenario: "channels", durationSec: 120, params: { disputeWindowSec: 2 } })).toMatch(/disputeWindowSec must be 6 to 300 s/);
    expect(check({ scenario: "sidechain", durationSec: 120, params: { bridgeThreshold: 7, bridgeSeats: 5 } })).toMatch(/bridgeThreshold/);
    expect(check({ scenario: "sidechain", durationSec: 120, params: { colluders: 12 } })).toMatch(/colluders/);
  });

  it("sensible values pass, and names that only look like properties (constructor) are unknown", () => {
    expect(typeof check({ scenario: "plasma", durationSec: 120, params: { exitPeriodSec: 30, exitsPerBlock: 1 } })).toBe("object");
    expect(typeof check({ scenario: "channels", durationSec: 120, params: { disputeWindowSec: 30 } })).toBe("object");
    expect(typeof check({ scenario: "sidechain", durationSec: 120, params: { bridgeThreshold: 5, bridgeSeats: 9, colluders: 5 } })).toBe("object");
    expect(check({ scenario: "zk", durationSec: 120, params: { constructor: 1 } })).toMatch(/unknown parameter "constructor"/);
  });
});
