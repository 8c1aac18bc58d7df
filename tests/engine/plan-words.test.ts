import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../shared/engine/config.ts";
import { DISPUTE_WINDOW_MS } from "../../shared/engine/channels/rules.ts";
import { LESSON_PLANS } from "../../shared/lessons/plans.ts";

/**
 * Each number a preset's label or description gives for a setting, with the parameter it names
 * and the value a round has when the plan does not set it.
 */
const PHRASES: readonly { pattern: RegExp; param: string; fallback: number }[] = [
  { pattern: /(\d+) s challenge window/g, param: "challengeWindowSec", fallback: DEFAULT_CONFIG.challengeWindowMs / 1000 },
  { pattern: /challenge window of (\d+) s/g, param: "challengeWindowSec", fallback: DEFAULT_CONFIG.challengeWindowMs / 1000 },
  { pattern: /(\d+) s per dispute move/g, param: "moveTimeoutSec", fallback: DEFAULT_CONFIG.moveTimeoutMs / 1000 },
  { pattern: /(\d+) s dispute window/g, param: "disputeWindowSec", fallback: DISPUTE_WINDOW_MS / 1000 },
  { pattern: /L1 block every (\d+) s/g, param: "blockTimeSec", fallback: DEFAULT_CONFIG.blockTimeMs / 1000 },
];

describe("lesson plan words", () => {
  it("every setting a preset names in its label or description is the value its rounds use", () => {
    let checked = 0;
    for (const plan of LESSON_PLANS) {
      const text = `${plan.label} ${plan.description}`;
      for (const { pattern, param, fallback } of PHRASES) {
        const used = new Set(plan.rounds.map((round) => round.params?.[param] ?? fallback));
        for (const match of text.matchAll(pattern)) {
          expect([...used], `${plan.id} says "${match[0]}"`).toContain(Number(match[1]));
          checked += 1;
        }
      }
    }
    // The demo's challenge window and move time, the duel's dispute window, the quick round's defaults…
    expect(checked).toBeGreaterThanOrEqual(6);
  });

  it("the fast demo says the move time it sets", () => {
    const demo = LESSON_PLANS.find((plan) => plan.id === "demo")!;
    const moveSec = demo.rounds[0]!.params!.moveTimeoutSec!;
    expect(demo.description).toContain(`${moveSec} s per dispute move`);
  });
});
