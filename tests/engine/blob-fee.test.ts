import { describe, expect, it } from "vitest";
import { BLOB_BASE_COST, BLOB_DATA_BYTES, BLOB_SCHEDULES, GAS_PER_BLOB, blobBaseFee, blobFee, blobsFor, fakeExponential, nextExcessBlobGas } from "../../shared/engine/blob-fee.ts";
import { weiOf } from "../../shared/engine/base-fee.ts";
import { computeDebrief } from "../../shared/engine/debrief.ts";
import { conservationViolation } from "../../shared/engine/conservation.ts";
import { advance } from "../../shared/engine/engine.ts";
import { currentBlobBaseFee, submitL1Tx } from "../../shared/engine/l1.ts";
import type { EngineEvent } from "../../shared/engine/events.ts";
import { eth } from "../../shared/engine/units.ts";
import { Sim, rejection } from "./harness.ts";

const { cancun, bpo2 } = BLOB_SCHEDULES;

describe("EIP-4844 blob base fee", () => {
  it("fake_exponential is factor × e^(numerator / denominator) in integers", () => {
    expect(fakeExponential(1, 0, cancun.updateFraction)).toBe(1);
    expect(fakeExponential(1_000_000, cancun.updateFraction, cancun.updateFraction)).toBe(2_718_281);
    expect(fakeExponential(1, 2 * cancun.updateFraction, cancun.updateFraction)).toBe(7); // e² = 7.39, rounded down
  });

  it("Cancun (3/6 blobs): a full block raises the fee 12.5 %, as EIP-1559 does for gas", () => {
    const excess = 40 * cancun.updateFraction / 2; // a blob base fee far above 1 wei, so rounding is negligible
    const full = nextExcessBlobGas(excess, cancun.max * GAS_PER_BLOB, weiOf(10), cancun);
    expect(full - excess).toBe((cancun.max - cancun.target) * GAS_PER_BLOB);
    expect(blobBaseFee(full, cancun) / blobBaseFee(excess, cancun)).toBeCloseTo(1.125, 3);
  });

  it("BPO2 (14/21 blobs, mainnet since Jan 2026): +8.2 % after a full block, −14.5 % after an empty one, flat at the target", () => {
    const excess = 20 * bpo2.updateFraction; // blob base fee ≈ 0.485 gwei: above EIP-7918's reserve at a 1-gwei base fee
    const fee = blobBaseFee(excess, bpo2);
    expect(fee).toBeGreaterThan(BLOB_BASE_COST * weiOf(1) / GAS_PER_BLOB);
    expect(blobBaseFee(nextExcessBlobGas(excess, 21 * GAS_PER_BLOB, weiOf(1), bpo2), bpo2) / fee).toBeCloseTo(Math.exp((7 * GAS_PER_BLOB) / bpo2.updateFraction), 4);
    expect(blobBaseFee(nextExcessBlobGas(excess, 0, weiOf(1), bpo2), bpo2) / fee).toBeCloseTo(Math.exp((-14 * GAS_PER_BLOB) / bpo2.updateFraction), 4);
    expect(nextExcessBlobGas(excess, 14 * GAS_PER_BLOB, weiOf(1), bpo2)).toBe(excess);
  });

  it("EIP-7918: while a blob costs less than 8,192 gas at the execution base fee, the fee cannot fall and rises by used × (max − target) / max", () => {
    const excess = 10 * bpo2.updateFraction; // ≈ 22,026 wei per blob gas: far below 10 gwei × 8,192 / 131,072
    expect(nextExcessBlobGas(excess, 0, weiOf(10), bpo2)).toBe(excess);
    expect(nextExcessBlobGas(excess, 3 * GAS_PER_BLOB, weiOf(10), bpo2)).toBe(excess + Math.floor((3 * GAS_PER_BLOB * 7) / 21));
    // Cancun had no reserve price: the same empty block drains the excess.
    expect(nextExcessBlobGas(excess, 0, weiOf(10), { ...bpo2, reservePrice: false })).toBe(excess - 14 * GAS_PER_BLOB);
    // Below the target with nothing in reserve, the excess is 0 and the fee is the 1-wei floor.
    expect(nextExcessBlobGas(0, GAS_PER_BLOB, weiOf(10), bpo2)).toBe(0);
    expect(blobBaseFee(0, bpo2)).toBe(1);
  });

  it("a blob carries 126,976 bytes and is paid whole; its fee is burned in gwei, rounded up", () => {
    expect(blobsFor(1)).toBe(1);
    expect(blobsFor(BLOB_DATA_BYTES)).toBe(1);
    expect(blobsFor(BLOB_DATA_BYTES + 1)).toBe(2);
    expect(blobFee(1, 1)).toBe(1); // 131,072 wei
    expect(blobFee(2, weiOf(1))).toBe(2 * GAS_PER_BLOB);
  });
});

describe("blob transactions on the L1 chain", () => {
  it("a block takes at most 21 blobs (BPO2); the 22nd waits for the next block; the blob fee is burned", () => {
    const sim = new Sim("blobs");
    const out: EngineEvent[] = [];
    for (let i = 0; i < 22; i++) {
      sim.player(`b${i}`);
      const tx = submitL1Tx(sim.world, `b${i}`, { kind: "transfer", to: "b0", amount: 1 }, 21_000, 1, {}, out, 1);
      expect(typeof tx).not.toBe("string");
    }
    const burnedBefore = sim.world.l1.burned;
    const blobFeeWei = currentBlobBaseFee(sim.world);
    sim.events.push(...out, ...advance(sim.world, sim.world.l1.nextBlockAtMs));
    const block = sim.eventsOf("l1.block").at(-1)!;
    expect(block.blobGasUsed).toBe(21 * GAS_PER_BLOB);
    expect(block.blobBaseFeeWei).toBe(blobFeeWei);
    const included = sim.eventsOf("l1.included");
    expect(included).toHaveLength(21);
    for (const e of included) expect(e).toMatchObject({ blobs: 1, blobFee: blobFee(1, blobFeeWei) });
    for (const e of included) expect(e.fee).toBe(e.burned + e.tip);
    expect(sim.world.l1.burned - burnedBefore).toBe(included.reduce((sum, e) => sum + e.burned, 0));
    expect(sim.world.l1.mempool).toHaveLength(1);
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("a rollup batch in a blob pays its transaction's gas and one blob instead of its bytes as calldata; the debrief shows both", () => {
    const sim = new Sim("blob-batch");
    for (const name of ["alice", "bob", "seq"]) sim.player(name);
    sim.act({ type: "setSequencer", account: "seq" });
    sim.act({ type: "deposit", from: "alice", amount: eth(2) });
    sim.blocks(1);
    for (const da of ["blob", "calldata"] as const) {
      for (let i = 0; i < 5; i++) sim.send("alice", "bob", eth(0.01));
      sim.act({ type: "sequence", by: "seq" });
      expect(rejection(sim.act({ type: "postBatch", by: "seq", da }))).toBeUndefined();
      sim.blocks(1);
    }
    const [blobBatch, calldataBatch] = sim.rollup.batches;
    const postIds = new Set(sim.rollup.batches.map((b) => b.l1TxId));
    const landed = sim.eventsOf("l1.included").filter((e) => postIds.has(e.txId));
    expect(landed[0]).toMatchObject({ gas: sim.world.config.gas.batchPost, blobs: 1 });
    expect(landed[1]!.gas).toBe(sim.world.config.gas.batchPost + calldataBatch!.calldataGas);
    expect(landed[1]!.blobs).toBeUndefined();
    const posted = sim.eventsOf("batch.posted");
    expect(posted[0]).toMatchObject({ batchId: blobBatch!.id, da: "blob", blobs: 1, dataFee: landed[0]!.blobFee, l1Fee: landed[0]!.fee });
    expect(posted[1]).toMatchObject({ da: "calldata", blobs: 0 });
    expect(posted[1]!.dataFee).toBe(posted[1]!.dataFeeAsCalldata);
    // The same bytes as calldata cost far more than the blob, at that block's prices.
    expect(posted[0]!.dataFeeAsCalldata).toBeGreaterThan(1_000 * posted[0]!.dataFeeAsBlobs);
    const debrief = computeDebrief(sim.events, sim.world.config, sim.now);
    expect(debrief.cost!.data).toEqual({
      blobs: 1,
      paid: posted[0]!.dataFee + posted[1]!.dataFee,
      asCalldata: posted[0]!.dataFeeAsCalldata + posted[1]!.dataFeeAsCalldata,
      asBlobs: posted[0]!.dataFeeAsBlobs + posted[1]!.dataFeeAsBlobs,
    });
    expect(debrief.story.join(" ")).toMatch(/blobs [\d,]+× cheaper/);
    expect(conservationViolation(sim.world)).toBeNull();
  });
});
