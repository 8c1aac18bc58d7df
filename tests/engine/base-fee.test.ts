import { describe, expect, it } from "vitest";
import { WEI_PER_GWEI, gweiCeil, gweiOf, nextBaseFee, weiOf } from "../../shared/engine/base-fee.ts";
import { computeDebrief } from "../../shared/engine/debrief.ts";
import { l1Charge } from "../../shared/engine/l1.ts";
import { conservationViolation } from "../../shared/engine/conservation.ts";
import { eth } from "../../shared/engine/units.ts";
import { Sim } from "./harness.ts";

// Vectors computed by hand from EIP-1559: delta = parent * |used - target| / target / 8 (integer division, wei).
describe("EIP-1559 base fee, in wei", () => {
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
  it("rises by at least 1 wei above target, even when the proportional change rounds to 0", () => {
    expect(nextBaseFee(7, 15_000_001, limit)).toBe(8);
  });
  it("keeps 1/8 of a 10-gwei base fee exactly: 10 gwei → 11.25 gwei after a full classroom block", () => {
    const classroom = 30 * 21_000;
    expect(nextBaseFee(weiOf(10), classroom, classroom)).toBe(11_250_000_000);
    expect(nextBaseFee(weiOf(10), 0, classroom)).toBe(8_750_000_000);
  });
  it("stays exact where a double would not (a 10,000-gwei base fee over a 36M-gas block)", () => {
    expect(nextBaseFee(weiOf(10_000), 36_000_000, 36_000_000)).toBe(11_250 * WEI_PER_GWEI);
  });
  it("quotes whole gwei rounded up for wallets, two decimals for charts", () => {
    expect(gweiCeil(10_125_000_000)).toBe(11);
    expect(gweiCeil(weiOf(10))).toBe(10);
    expect(gweiOf(11_250_000_000)).toBe(11.25);
  });
});

describe("EIP-1559 charge of one transaction, whole gwei", () => {
  it("burns gas × base fee and pays the tip to the producer; fee = burned + tip, never above gas × max fee", () => {
    const tx = { gas: 21_000, tip: 2, maxFee: 30 };
    expect(l1Charge(tx, 10_125_000_000)).toEqual({ fee: 254_625, burned: 212_625, tip: 42_000, blobFee: 0 });
    // The tip is capped by the max fee: 21,000 × (11 − 10.5) gwei.
    expect(l1Charge({ gas: 21_000, tip: 5, maxFee: 11 }, 10_500_000_000)).toEqual({ fee: 231_000, burned: 220_500, tip: 10_500, blobFee: 0 });
    // Fractional gwei are rounded up once; the total still fits under the cap.
    const odd = l1Charge({ gas: 21_001, tip: 0, maxFee: 11 }, 10_000_000_001);
    expect(odd.fee).toBe(210_011);
    expect(odd.fee).toBeLessThanOrEqual(21_001 * 11);
    expect(odd.burned + odd.tip).toBe(odd.fee);
  });
});

/** 30 funded players who fill every block of `blocks` blocks with transfers (30 per block in the classroom config). */
function fullBlocks(blocks: number): Sim {
  const sim = new Sim("full-blocks");
  const players = Array.from({ length: 30 }, (_, i) => sim.player(`p${i}`, 100));
  for (let round = 0; round < blocks; round++) {
    for (const from of players) sim.act({ type: "l1Transfer", from, to: "p0", amount: 1, tip: 1, maxFee: 1_000 });
  }
  return sim;
}

describe("the L1 chain's base fee over many blocks", () => {
  it("ten full blocks from 10 gwei reach 10 × 1.125¹⁰ ≈ 32.47 gwei (whole gwei stopped at 24)", () => {
    const sim = fullBlocks(10);
    sim.blocks(10);
    const blocks = sim.eventsOf("l1.block");
    expect(blocks.map((b) => b.gasUsed)).toEqual(Array(10).fill(sim.world.config.gasLimit));
    const expected = 10 * 1.125 ** 10;
    expect(Math.abs(sim.world.l1.baseFeeWei / WEI_PER_GWEI - expected) / expected).toBeLessThan(0.01);
    expect(conservationViolation(sim.world)).toBeNull();
    const debrief = computeDebrief(sim.events, sim.world.config, sim.now, "l1");
    expect(debrief.l1.baseFeeStart).toBe(10);
    expect(Math.abs(debrief.l1.baseFeeEnd - expected)).toBeLessThan(0.01);
  });

  it("an empty chain keeps falling below 7 gwei (whole gwei stuck there: 7/8 rounded to 0)", () => {
    const sim = new Sim("empty");
    sim.blocks(30);
    // 10 × 0.875³⁰ = 0.18 gwei
    expect(sim.world.l1.baseFeeWei).toBeLessThan(weiOf(0.2));
    expect(sim.world.l1.baseFeeWei).toBeGreaterThan(weiOf(0.17));
  });
});

describe("priced out is not dropped", () => {
  it("a transfer whose max fee falls under the base fee waits, is counted as priced out, and gets in when the fee falls", () => {
    const sim = fullBlocks(3);
    sim.player("capped", 1);
    sim.player("broke", 0.001);
    // 11 gwei is above today's base fee (10), but below it after one full block (11.25).
    sim.act({ type: "l1Transfer", from: "capped", to: "p1", amount: eth(0.01), tip: 0, maxFee: 11 });
    // 0.001 ETH covers either transfer (21,000 gas × 20 gwei + 0.0004 ETH) but not both: the second is dropped.
    sim.act({ type: "l1Transfer", from: "broke", to: "p1", amount: eth(0.0004), tip: 0, maxFee: 20 });
    sim.act({ type: "l1Transfer", from: "broke", to: "p2", amount: eth(0.0004), tip: 0, maxFee: 20 });
    sim.blocks(4);
    const capped = sim.eventsOf("l1.pricedOut").filter((e) => e.from === "capped");
    expect(capped).toHaveLength(1);
    expect(sim.world.l1.mempool.some((tx) => tx.from === "capped")).toBe(true);
    // Empty blocks bring the base fee back under 11 gwei: the transfer that waited gets in.
    sim.blocks(6);
    expect(sim.eventsOf("l1.included").some((e) => e.from === "capped")).toBe(true);
    const debrief = computeDebrief(sim.events, sim.world.config, sim.now, "l1");
    const figure = (start: string) => debrief.figures?.find(([label]) => label.startsWith(start))?.[1];
    expect(sim.eventsOf("l1.pricedOut").map((e) => e.from)).toEqual(["capped"]);
    expect(figure("Priced out")).toBe("1 / 1");
    expect(sim.eventsOf("l1.dropped").map((e) => e.from)).toEqual(["broke"]);
    expect(figure("Dropped")).toBe("1");
    expect(conservationViolation(sim.world)).toBeNull();
  });
});
