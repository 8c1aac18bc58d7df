import { describe, expect, it } from "vitest";
import { normalise } from "../../../client/src/net/snapshot.ts";
import { optimisticContrast, optimisticContrastLine } from "../../../client/src/views/zk/zk-snap.ts";
import { DEFAULT_CONFIG } from "../../../shared/engine/config.ts";
import type { RoundPlan } from "../../../shared/protocol/messages.ts";

/** A snapshot during round `roundIndex` of a lesson whose plan is `rounds`, as the room syncs it. */
function during(rounds: RoundPlan[], roundIndex: number) {
  return normalise({ phase: "round", scenario: rounds[roundIndex]!.scenario, roundIndex, roundCount: rounds.length, plan: JSON.stringify(rounds) });
}

describe("the ZK screens' comparison with an optimistic rollup", () => {
  it("quotes the lesson's own optimistic challenge window, on the phone's claim row and the projector's lane", () => {
    const s = during([{ scenario: "optimistic", durationSec: 120, params: { challengeWindowSec: 45 } }, { scenario: "zk", durationSec: 120 }], 1);
    expect(optimisticContrast(s)).toContain("its challenge window too: 45 s in this lesson");
    expect(optimisticContrastLine(s)).toContain("its 45 s challenge window");
    // Not the engine's default, which this ZK round's own config carries.
    expect(DEFAULT_CONFIG.challengeWindowMs).not.toBe(45_000);
    expect(optimisticContrast(s)).not.toContain(`${DEFAULT_CONFIG.challengeWindowMs / 1000} s`);
  });

  it("with no optimistic round in the lesson, the engine's default window", () => {
    const s = during([{ scenario: "zk", durationSec: 120 }], 0);
    expect(optimisticContrastLine(s)).toContain(`its ${DEFAULT_CONFIG.challengeWindowMs / 1000} s challenge window`);
  });
});
