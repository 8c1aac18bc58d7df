import { describe, expect, it } from "vitest";
import { Sim, playDispute, rejection } from "./harness.ts";
import { eth } from "../../shared/engine/units.ts";
import { honestRootAt, midpoint } from "../../shared/engine/optimistic/bisection.ts";
import { conservationViolation } from "../../shared/engine/conservation.ts";
import { POINTS, computeDebrief, scoreEvent } from "../../shared/engine/debrief.ts";

/**
 * Engine bugs found while writing the property tests, each pinned by the scenario that showed it.
 * alice and bob hold 2 ETH each on L2; carol is an honest challenger, mallory the sequencer's
 * accomplice; seq and seq2 can take the sequencer role.
 */
function setup(seed = "regressions"): Sim {
  const sim = new Sim(seed);
  for (const name of ["alice", "bob", "carol", "mallory", "seq", "seq2"]) sim.player(name);
  sim.act({ type: "setSequencer", account: "seq" });
  sim.act({ type: "deposit", from: "alice", amount: eth(2) });
  sim.act({ type: "deposit", from: "bob", amount: eth(2) });
  sim.blocks(1);
  return sim;
}

/** Sequences `count` back-and-forth transfers and posts them as one batch; returns its id once on L1. */
function postTransfers(sim: Sim, count: number, cheat?: { kind: "mint"; amount: number }): number {
  for (let i = 0; i < count; i++) sim.send(i % 2 ? "bob" : "alice", i % 2 ? "alice" : "bob", eth(0.01));
  sim.act({ type: "sequence", by: sim.rollup.sequencer! });
  expect(rejection(sim.act({ type: "postBatch", by: sim.rollup.sequencer!, ...(cheat ? { cheat } : {}) }))).toBeUndefined();
  sim.blocks(1);
  const batch = sim.rollup.batches.at(-1)!;
  expect(batch.status).toBe("posted");
  return batch.id;
}

describe("engine regressions", () => {
  it("a dispute the accomplice lets time out earns the cheating sequencer nothing, and the honest challenger who catches the fraud outscores it", () => {
    const sim = setup("accomplice-timeout");
    const id = postTransfers(sim, 4, { kind: "mint", amount: eth(5) });
    const honestPost = honestRootAt(sim.world, id, sim.rollup.batches[id]!.txs.length);
    // The accomplice's bogus dispute opens first and is left to time out; carol's runs beside it.
    sim.act({ type: "challenge", by: "mallory", batchId: id, root: "ab".repeat(32), tip: 50 });
    sim.act({ type: "challenge", by: "carol", batchId: id, root: honestPost, tip: 10 });
    sim.blocks(1);
    const mallorys = sim.rollup.disputes.find((d) => d.challenger === "mallory")!.id;
    const carols = sim.rollup.disputes.find((d) => d.challenger === "carol")!.id;
    const batch = sim.rollup.batches[id]!;
    const pendingFrom = (who: string) => sim.world.l1.mempool.some((tx) => tx.from === who);
    // The sequencer answers at once in the accomplice's dispute, which the accomplice lets time out,
    // and stalls carol's as long as its move timer allows; carol answers every move in the next block.
    for (let block = 0; block < 200 && sim.rollup.disputes[carols]!.status === "open"; block++) {
      for (const d of [sim.rollup.disputes[mallorys]!, sim.rollup.disputes[carols]!]) {
        if (d.status !== "open") continue;
        const stalling = d.id === carols && d.deadlineMs - sim.now > sim.world.config.blockTimeMs;
        if (d.turn === "defender" && !stalling && !pendingFrom("seq")) sim.act({ type: "disputeMove", by: "seq", disputeId: d.id, root: batch.claimedRoots[midpoint(d)]! });
        else if (d.turn === "proof" && !stalling && !pendingFrom("seq")) sim.act({ type: "oneStepProof", by: "seq", disputeId: d.id });
        else if (d.turn === "challenger" && d.id === carols && !pendingFrom("carol")) sim.act({ type: "disputeMove", by: "carol", disputeId: d.id, root: honestRootAt(sim.world, id, midpoint(d)), tip: 10 });
        else if (d.turn === "proof" && d.id === carols && !pendingFrom("carol")) sim.act({ type: "oneStepProof", by: "carol", disputeId: d.id, tip: 10 });
      }
      sim.blocks(1);
    }
    const timedOut = sim.eventsOf("dispute.resolved").find((e) => e.disputeId === mallorys);
    expect(timedOut).toMatchObject({ winner: "seq", winnerSide: "defender", reason: "timeout", fraudulent: true });
    expect(sim.rollup.disputes[carols]!.status).toBe("challenger-won");
    const debrief = computeDebrief(sim.events, sim.world.config, sim.now);
    // The timed-out dispute gave the sequencer no points: all it has from disputes is carol's loss.
    const fromDisputes = (who: string) => sim.events.filter((e) => e.type.startsWith("dispute.")).flatMap((e) => scoreEvent(e, () => "seq")).filter(([p]) => p === who).reduce((sum, [, points]) => sum + points, 0);
    expect(fromDisputes("seq")).toBe(POINTS.disputeLost + POINTS.fraudCaught + POINTS.disputeMove * sim.eventsOf("dispute.moved").filter((e) => e.by === "seq").length);
    expect(debrief.scores.carol ?? 0).toBeGreaterThan(debrief.scores.seq ?? 0);
  });

  it("delay attack: an accomplice's slow, losing dispute cannot lock the honest challenger out of the window", () => {
    const sim = setup();
    const id = postTransfers(sim, 8, { kind: "mint", amount: eth(5) });
    const batch = sim.rollup.batches[id]!;
    const honestPost = honestRootAt(sim.world, id, batch.txs.length);
    // The accomplice outbids carol, so its bogus dispute opens first.
    sim.act({ type: "challenge", by: "mallory", batchId: id, root: "ab".repeat(32), tip: 50 });
    sim.act({ type: "challenge", by: "carol", batchId: id, root: honestPost, tip: 10 });
    sim.blocks(1);
    const carolDispute = () => sim.rollup.disputes.find((d) => d.challenger === "carol");
    const accompliceDispute = sim.rollup.disputes.find((d) => d.challenger === "mallory")!;
    expect(accompliceDispute.status).toBe("open");
    // The colluders move as late as the move timer allows, and the accomplice goes silent once
    // the window has closed. Carol answers every move of her own dispute in the next block,
    // and asks again whenever she has no dispute running.
    for (let block = 0; block < 60 && carolDispute()?.status !== "challenger-won"; block++) {
      const acc = sim.rollup.disputes[accompliceDispute.id]!;
      const pendingFrom = (who: string) => sim.world.l1.mempool.some((tx) => tx.from === who);
      if (acc.status === "open" && acc.deadlineMs - sim.now <= sim.world.config.blockTimeMs && !pendingFrom("seq") && !pendingFrom("mallory")) {
        if (acc.turn === "defender") sim.act({ type: "disputeMove", by: "seq", disputeId: acc.id, root: batch.claimedRoots[midpoint(acc)]! });
        else if (acc.turn === "proof") sim.act({ type: "oneStepProof", by: "seq", disputeId: acc.id });
        else if (sim.now < batch.windowEndsMs!) sim.act({ type: "disputeMove", by: "mallory", disputeId: acc.id, root: "cd".repeat(32) });
      }
      const mine = carolDispute();
      if (!pendingFrom("carol")) {
        if (!mine || mine.status !== "open") {
          if (sim.now < batch.windowEndsMs!) sim.act({ type: "challenge", by: "carol", batchId: id, root: honestPost, tip: 10 });
        } else if (mine.turn === "challenger") {
          sim.act({ type: "disputeMove", by: "carol", disputeId: mine.id, root: honestRootAt(sim.world, id, midpoint(mine)), tip: 10 });
        } else if (mine.turn === "proof") {
          sim.act({ type: "oneStepProof", by: "carol", disputeId: mine.id, tip: 10 });
        }
      }
      sim.blocks(1);
    }
    expect(carolDispute()?.status).toBe("challenger-won");
    // The fraudulent claim was replaced by the honest one before it could become final.
    expect(sim.eventsOf("batch.corrected").map((e) => e.batchId)).toContain(id);
    expect(batch.claimedRoots.at(-1)).toBe(honestPost);
    sim.wait(sim.world.config.challengeWindowMs + sim.world.config.blockTimeMs);
    expect(sim.eventsOf("batch.finalized").filter((e) => e.fraudulent)).toHaveLength(0);
    expect(sim.eventsOf("batch.finalized").map((e) => e.batchId)).toContain(id);
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("sequencer handover: a batch stays provable after the role moves on (its fees belong to its poster)", () => {
    const sim = setup();
    const id = postTransfers(sim, 4);
    const claimed = sim.rollup.batches[id]!.claimedRoots;
    sim.act({ type: "setSequencer", account: "seq2" });
    // Honest re-execution after the handover must still give exactly the poster's trace.
    for (let i = 0; i < claimed.length; i++) expect(honestRootAt(sim.world, id, i)).toBe(claimed[i]);
    sim.act({ type: "challenge", by: "carol", batchId: id, root: "ab".repeat(32) });
    sim.blocks(1);
    expect(playDispute(sim, 0, { challenger: true }).status).toBe("defender-won");
    sim.wait(sim.world.config.challengeWindowMs);
    expect(sim.rollup.batches[id]!.status).toBe("final");
  });

  it("forced inclusion of a censored transfer leaves its sender able to send normally again", () => {
    const sim = setup();
    sim.send("alice", "bob", eth(0.4));
    const censored = sim.rollup.mempool[0]!.tx;
    sim.act({ type: "censor", by: "seq", txId: censored.id });
    sim.act({ type: "forceSubmit", by: "alice", tx: { ...censored } });
    sim.blocks(1);
    sim.wait(sim.world.config.forcedInclusionDelayMs);
    sim.act({ type: "forceInclude", by: "bob", entryId: 0 });
    sim.blocks(1);
    expect(sim.rollup.head.accounts["alice"]!.nonce).toBe(1);
    // Her next transfer carries nonce 1, the one her L2 account expects.
    expect(rejection(sim.act({ type: "l2Submit", tx: sim.signed("transfer", "alice", "bob", eth(0.1), 1) }))).toBeUndefined();
    const events = sim.act({ type: "sequence", by: "seq" });
    expect(events.filter((e) => e.type === "l2.rejected")).toEqual([]);
    // Bob forced the entry in and proposed its root: the forced batch's L2 fee is his.
    expect(sim.l2Balance("bob")).toBe(eth(2.5) + sim.world.config.l2FeePerTx);
  });

  it("a batch post waiting behind the proof that wins a dispute lands in the same block with its claim rebuilt on the honest state", () => {
    const sim = setup();
    const id = postTransfers(sim, 3, { kind: "mint", amount: eth(5) });
    const batch = sim.rollup.batches[id]!;
    sim.act({ type: "challenge", by: "carol", batchId: id, root: honestRootAt(sim.world, id, batch.txs.length) });
    sim.blocks(1);
    const dispute = sim.rollup.disputes[0]!;
    while (dispute.turn !== "proof") {
      if (dispute.turn === "defender") sim.act({ type: "disputeMove", by: "seq", disputeId: 0, root: batch.claimedRoots[midpoint(dispute)]! });
      else sim.act({ type: "disputeMove", by: "carol", disputeId: 0, root: honestRootAt(sim.world, id, midpoint(dispute)) });
      sim.blocks(1);
    }
    // A later batch waits in the L1 mempool behind carol's proof in the same block.
    sim.send("bob", "alice", eth(0.1));
    sim.act({ type: "sequence", by: "seq" });
    sim.act({ type: "postBatch", by: "seq", tip: 0 });
    const postTxId = sim.rollup.batches[id + 1]!.l1TxId;
    sim.act({ type: "oneStepProof", by: "carol", disputeId: 0, tip: 100 });
    sim.blocks(1);
    // Its data stays; the claim it carries was replaced before it landed, so it lands honest.
    expect(sim.rollup.batches.map((b) => b.status)).toEqual(["posted", "posted"]);
    expect(sim.eventsOf("l1.included").some((e) => e.txId === postTxId && e.ok)).toBe(true);
    const later = sim.rollup.batches[id + 1]!;
    expect(later.claimedRoots.at(-1)).toBe(honestRootAt(sim.world, id + 1, later.txs.length));
    expect(later.claimedRoots[0]).toBe(sim.rollup.batches[id]!.claimedRoots.at(-1));
    // The mint is a no-op in the replaced claims: the sequencer holds no forged 5 ETH on L2.
    expect(sim.l2Balance("seq")).toBeLessThan(eth(5));
    expect(conservationViolation(sim.world)).toBeNull();
  });
});
