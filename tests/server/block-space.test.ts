import { describe, expect, it } from "vitest";
import { makeConfig } from "../../shared/engine/config.ts";
import { REFERENCE_CLASS, scaleBlockSpace } from "../../server/round.ts";

describe("block space per class size", () => {
  it("a class of up to 30 keeps the plan's blocks; 300 players get ten times the space, in whole transfers", () => {
    const small = makeConfig();
    const base = small.gasLimit;
    scaleBlockSpace(small, REFERENCE_CLASS);
    expect(small.gasLimit).toBe(base);
    const hall = makeConfig();
    scaleBlockSpace(hall, 300);
    expect(hall.gasLimit).toBe(base * 10);
    const odd = makeConfig();
    scaleBlockSpace(odd, 31);
    expect(odd.gasLimit % odd.gas.transfer).toBe(0);
    expect(odd.gasLimit).toBeGreaterThanOrEqual(base);
  });
});
