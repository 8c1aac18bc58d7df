import { describe, expect, it } from "vitest";
import { computeDebrief } from "../../shared/engine/debrief.ts";
import { eth } from "../../shared/engine/units.ts";
import { Sim } from "./harness.ts";

/** A round with L1 transfers beside an optimistic rollup whose sequencer posts two batches. */
function round(): Sim {
  const sim = new Sim("cost");
  const users = ["alice", "bob", "carol", "dave"];
  for (const name of [...users, "seq"]) sim.player(name);
  sim.act({ type: "setSequencer", account: "seq" });
  for (const name of users) sim.act({ type: "deposit", from: name, amount: eth(2) });
  sim.blocks(1);
  for (let batch = 0; batch < 2; batch++) {
    for (const [i, from] of users.entries()) sim.send(from, users[(i + 1) % users.length]!, eth(0.01));
    sim.act({ type: "l1Transfer", from: "alice", to: "bob", amount: eth(0.1) });
    sim.act({ type: "sequence", by: "seq" });
    sim.act({ type: "postBatch", by: "seq" });
    sim.blocks(2);
  }
  return sim;
}

describe("the debrief's cost ratio comes from what the round paid on L1", () => {
  it("equals the mean L1 transfer fee over (batch posts' L1 fees ÷ the transactions in those batches), not over the flat L2 fee", () => {
    const sim = round();
    const debrief = computeDebrief(sim.events, sim.world.config, sim.now);
    // Independently: each batch's L1 transaction as L1 included it, and what the batch carried.
    const batches = sim.rollup.batches.filter((b) => b.status === "posted");
    expect(batches).toHaveLength(2);
    const included = sim.eventsOf("l1.included");
    const l1Fees = batches.reduce((sum, b) => sum + included.find((e) => e.txId === b.l1TxId)!.fee, 0);
    const txs = batches.reduce((sum, b) => sum + b.txs.length, 0);
    const transfers = included.filter((e) => e.kind === "transfer");
    const transferFee = Math.round(transfers.reduce((sum, e) => sum + e.fee, 0) / transfers.length);
    const perTx = Math.round(l1Fees / txs);
    expect(debrief.cost).toMatchObject({ l1Fees, txs, perTx, l1TransferFee: transferFee });
    expect(debrief.cost!.ratio).toBe(Math.round((10 * transferFee) / perTx) / 10);
    expect(debrief.l2.l1CostPerTx).toBe(perTx);
    // The old figure (L1 transfer fee ÷ the flat 2,000-gwei L2 fee) would claim far more.
    const flat = Math.round(transferFee / sim.world.config.l2FeePerTx);
    expect(flat).toBeGreaterThan(2 * debrief.cost!.ratio!);
    expect(debrief.story.join(" ")).toContain(`${debrief.cost!.ratio}× cheaper`);
    expect(debrief.story.join(" ")).not.toContain(`${flat}× cheaper`);
  });

  it("says plainly when no batch reached L1: no ratio", () => {
    const sim = new Sim("no-batch");
    sim.player("alice");
    sim.act({ type: "l1Transfer", from: "alice", to: "bob", amount: eth(0.1) });
    sim.blocks(1);
    const debrief = computeDebrief(sim.events, sim.world.config, sim.now);
    expect(debrief.cost).toMatchObject({ txs: 0, perTx: null, ratio: null });
    expect(debrief.story.join(" ")).toMatch(/No batch reached L1/);
  });
});
