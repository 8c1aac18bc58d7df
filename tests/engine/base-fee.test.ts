import { describe, expect, it } from "vitest";
import { nextBaseFee } from "../../shared/engine/base-fee.ts";

// Vectors computed by hand from EIP-1559: delta = parent * |used - target| / target / 8 (integer division).
describe("EIP-1559 base fee", () => {
  const limit = 30_000_000; // target 15M

  it("stays put at exactly the target", () => {
    expect(nextBaseFee(1000, 15_000_000, limit)).toBe(1000);
  });
  it("rises 12.5% after a full block", () => {
    expect(nextBaseFee(1000, 30_000_000, limit)).toBe(1125);
    expect(nextBaseFee(1125, 30_000_000, limit)).toBe(1265); // 1125/8 = 140.6 -> 140
  });
  it("falls 12.5% after an empty block", () => {
    expect(nextBaseFee(1000, 0, limit)).toBe(875);
  });
  it("moves in proportion to the distance from target", () => {
    expect(nextBaseFee(1000, 20_000_000, limit)).toBe(1041); // 1000*5M/15M = 333, /8 = 41
    expect(nextBaseFee(1000, 10_000_000, limit)).toBe(959);
  });
  it("rises by at least 1 above target, even when the proportional change rounds to 0", () => {
    expect(nextBaseFee(7, 15_000_001, limit)).toBe(8);
  });
  it("can get stuck when the decrease rounds to 0", () => {
    expect(nextBaseFee(7, 0, limit)).toBe(7); // 7/8 = 0
  });
  it("the classroom block (30 transfers, target 15) follows the same rule", () => {
    const classroom = 30 * 21_000;
    expect(nextBaseFee(10, classroom, classroom)).toBe(11); // 10/8 = 1.25 -> 1
    expect(nextBaseFee(80, classroom, classroom)).toBe(90);
  });
});
