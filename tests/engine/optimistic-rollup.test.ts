import { describe, expect, it } from "vitest";
import { Sim, playDispute, rejection } from "./harness.ts";
import { eth } from "../../shared/engine/units.ts";
import { weiOf } from "../../shared/engine/base-fee.ts";
import { honestRootAt, midpoint } from "../../shared/engine/optimistic/bisection.ts";
import { conservationViolation } from "../../shared/engine/conservation.ts";
import { BOND_REGISTRY, BRIDGE } from "../../shared/engine/optimistic/types.ts";

/** alice and bob with 2 ETH each on L2, carol a challenger, seq the sequencer. */
function setup(seed = "rollup"): Sim {
  const sim = new Sim(seed);
  for (const name of ["alice", "bob", "carol", "seq"]) sim.player(name);
  sim.act({ type: "setSequencer", account: "seq" });
  sim.act({ type: "deposit", from: "alice", amount: eth(2) });
  sim.act({ type: "deposit", from: "bob", amount: eth(2) });
  sim.blocks(1);
  return sim;
}

/** Sends a few transfers, sequences them and posts one batch, optionally with a cheat. Returns the batch id once on L1. */
function postedBatch(sim: Sim, cheat?: { kind: "mint"; amount: number }): number {
  sim.send("alice", "bob", eth(0.1));
  sim.send("bob", "alice", eth(0.2));
  sim.send("alice", "carol", eth(0.3));
  sim.act({ type: "sequence", by: "seq" });
  const events = sim.act({ type: "postBatch", by: "seq", ...(cheat ? { cheat } : {}) });
  expect(rejection(events)).toBeUndefined();
  sim.blocks(1);
  const batch = sim.rollup.batches.at(-1)!;
  expect(batch.status).toBe("posted");
  return batch.id;
}

describe("L1 and the bridge", () => {
  it("a deposit locks ETH in the bridge and credits L2 once L1 includes it", () => {
    const sim = new Sim();
    sim.player("alice");
    sim.act({ type: "deposit", from: "alice", amount: eth(1) });
    expect(sim.l2Balance("alice")).toBe(0);
    sim.blocks(1);
    expect(sim.l2Balance("alice")).toBe(eth(1));
    expect(sim.l1Balance(BRIDGE)).toBe(eth(1));
    const included = sim.eventsOf("l1.included")[0]!;
    expect(sim.l1Balance("alice")).toBe(eth(10) - eth(1) - included.fee);
    expect(included.burned + included.tip).toBe(included.fee);
  });

  it("orders the mempool by tip and leaves what does not fit for the next block", () => {
    const sim = new Sim();
    for (let i = 0; i < 40; i++) sim.player(`p${i}`);
    for (let i = 0; i < 40; i++) sim.act({ type: "l1Transfer", from: `p${i}`, to: "p0", amount: 1, tip: i });
    sim.blocks(1);
    const block = sim.eventsOf("l1.block")[0]!;
    expect(block.txCount).toBe(30);
    const included = sim.eventsOf("l1.included").map((e) => e.from);
    expect(included[0]).toBe("p39");
    expect(included).not.toContain("p0");
    expect(sim.world.l1.mempool).toHaveLength(10);
    expect(sim.world.l1.baseFeeWei).toBeGreaterThan(weiOf(sim.world.config.initialBaseFee));
  });

  it("rejects a transaction the sender cannot pay for, changing nothing", () => {
    const sim = new Sim();
    sim.player("alice", 0.001);
    const before = JSON.stringify(sim.world);
    expect(rejection(sim.act({ type: "deposit", from: "alice", amount: eth(5) }))).toMatch(/not enough ETH/);
    expect(JSON.stringify(sim.world)).toBe(before);
  });
});

describe("optimistic rollup: sequencing and batches", () => {
  it("soft-confirms transfers at once and posts them as a compressed batch with a real state root", () => {
    const sim = setup();
    sim.send("alice", "bob", eth(0.5));
    expect(sim.rollup.mempool).toHaveLength(1);
    sim.act({ type: "sequence", by: "seq" });
    expect(sim.l2Balance("bob")).toBe(eth(2.5));
    expect(sim.eventsOf("l2.softConfirmed").some((e) => e.kind === "transfer" && e.latencyMs === 0)).toBe(true);
    sim.act({ type: "postBatch", by: "seq" });
    const submitted = sim.eventsOf("batch.submitted")[0]!;
    expect(submitted.compressedBytes).toBeGreaterThan(0);
    const batch = sim.rollup.batches[0]!;
    expect(batch.claimedRoots.at(-1)).toBe(honestRootAt(sim.world, 0, batch.txs.length));
    expect(batch.claimedRoots.at(-1)).toMatch(/^[0-9a-f]{64}$/);
    sim.blocks(1);
    expect(sim.rollup.batches[0]!.status).toBe("posted");
  });

  it("rejects a transfer with a forged signature and one with a replayed nonce", () => {
    const sim = setup();
    sim.send("alice", "bob", eth(0.1));
    const forged = { ...sim.rollup.mempool[0]!.tx, amount: eth(1) };
    expect(rejection(sim.act({ type: "l2Submit", tx: forged }))).toBe("nonce must be 1");
    expect(rejection(sim.act({ type: "l2Submit", tx: { ...forged, nonce: 1 } }))).toBe("bad signature");
  });

  it("only the sequencer can sequence or post", () => {
    const sim = setup();
    expect(rejection(sim.act({ type: "postBatch", by: "alice" }))).toBe("only the sequencer can do that");
  });

  it("an honest batch becomes final when its window closes, and then not before", () => {
    const sim = setup();
    const id = postedBatch(sim);
    const windowEnds = sim.rollup.batches[id]!.windowEndsMs!;
    sim.wait(windowEnds - sim.now - 1);
    expect(sim.rollup.batches[id]!.status).toBe("posted");
    sim.blocks(1);
    expect(sim.rollup.batches[id]!.status).toBe("final");
    expect(sim.l1Balance(BOND_REGISTRY)).toBe(0);
  });

  it("a censored user forces a transfer through the delayed inbox after the delay", () => {
    const sim = setup();
    sim.send("alice", "bob", eth(0.4));
    const txId = sim.rollup.mempool[0]!.tx.id;
    sim.act({ type: "censor", by: "seq", txId });
    sim.act({ type: "sequence", by: "seq" });
    expect(sim.l2Balance("bob")).toBe(eth(2));
    const tx = { ...sim.rollup.mempool[0]!.tx };
    sim.act({ type: "forceSubmit", by: "alice", tx });
    sim.blocks(1);
    expect(sim.rollup.inbox).toHaveLength(1);
    sim.act({ type: "forceInclude", by: "bob", entryId: 0 });
    sim.blocks(1);
    const early = sim.eventsOf("l1.included").at(-1)!;
    expect(early.ok).toBe(false);
    expect(early.reason).toMatch(/delay has not passed/);
    sim.wait(sim.world.config.forcedInclusionDelayMs);
    sim.act({ type: "forceInclude", by: "bob", entryId: 0 });
    sim.blocks(1);
    expect(sim.eventsOf("forced.included")).toHaveLength(1);
    // Bob got the transfer, and the forced batch's L2 fee as the one who proposed its root.
    expect(sim.l2Balance("bob")).toBe(eth(2.4) + sim.world.config.l2FeePerTx);
    // The forced transfer is canonical: a batch on L1 without the sequencer, its root proposed and bonded by bob.
    const forced = sim.rollup.batches.at(-1)!;
    expect(forced).toMatchObject({ forced: true, poster: "bob", status: "posted", bond: sim.world.config.sequencerBond });
    // It carries the L1 deposits no batch held yet (derived from L1, they cannot be skipped either), then the inbox entry.
    expect(forced.txs.map((t) => t.id)).toEqual(["dep-0", "dep-1", sim.rollup.inbox[0]!.tx.id]);
    expect(sim.rollup.inbox[0]!.included).toBe(true);
  });

  it("a silent sequencer cannot hold a forced withdrawal: forced in after the delay, its root proposed by the user, paid after the window", () => {
    const sim = setup();
    // The sequencer soft-confirms alice's withdrawal request… and then goes silent for good: it never posts again.
    sim.act({ type: "forceSubmit", by: "alice", tx: sim.signed("withdraw", "alice", "alice", eth(1)) });
    sim.blocks(1);
    sim.act({ type: "sequence", by: "seq" });
    const entry = sim.rollup.inbox[0]!;
    expect(entry).toMatchObject({ sequenced: true, included: false });
    // A soft confirmation is not inclusion: after the delay alice forces it herself.
    sim.wait(sim.world.config.forcedInclusionDelayMs);
    const aliceL1 = sim.l1Balance("alice");
    expect(rejection(sim.act({ type: "forceInclude", by: "alice", entryId: entry.id }))).toBeUndefined();
    sim.blocks(1);
    expect(entry.included).toBe(true);
    const batch = sim.rollup.batches.at(-1)!;
    expect(batch).toMatchObject({ forced: true, poster: "alice", status: "posted" });
    const withdrawal = sim.rollup.withdrawals[entry.tx.id]!;
    expect(withdrawal).toMatchObject({ batchId: batch.id, status: "initiated", amount: eth(1) });
    // Nobody challenges an honest claim; after the window it is final and the bridge pays, with no sequencer at all.
    sim.wait(sim.world.config.challengeWindowMs);
    sim.blocks(1);
    expect(batch.status).toBe("final");
    expect(withdrawal.status).toBe("ready");
    expect(rejection(sim.act({ type: "finalizeWithdrawal", by: "alice", withdrawalId: withdrawal.id }))).toBeUndefined();
    sim.blocks(1);
    expect(withdrawal.status).toBe("finalized");
    const gas = sim.eventsOf("l1.included").filter((e) => e.from === "alice" && e.t > entry.enqueuedAtMs).reduce((sum, e) => sum + e.fee, 0);
    // Her proposal bond came back when the batch became final; the withdrawal paid 1 ETH.
    expect(sim.l1Balance("alice")).toBe(aliceL1 + eth(1) - gas);
    expect(sim.eventsOf("batch.posted").filter((e) => e.by === "seq")).toHaveLength(0);
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("a forced batch goes after the last posted batch; the sequencer's unposted soft confirmations are re-executed on top", () => {
    const sim = setup();
    postedBatch(sim);
    sim.send("bob", "carol", eth(0.5));
    sim.act({ type: "sequence", by: "seq" });
    sim.act({ type: "forceSubmit", by: "alice", tx: sim.signed("transfer", "alice", "carol", eth(0.25)) });
    sim.blocks(1);
    sim.wait(sim.world.config.forcedInclusionDelayMs);
    sim.act({ type: "forceInclude", by: "carol", entryId: 0 });
    sim.blocks(1);
    const [first, forced] = sim.rollup.batches;
    expect(forced!.claimedRoots[0]).toBe(first!.claimedRoots.at(-1));
    // Bob's soft-confirmed transfer was not on L1: it stays soft, now after alice's forced one; both reached carol,
    // who also collects the forced batch's L2 fee as its proposer.
    expect(sim.rollup.soft.map((s) => s.tx.from)).toContain("bob");
    expect(sim.l2Balance("carol")).toBe(eth(0.3) + eth(0.25) + eth(0.5) + sim.world.config.l2FeePerTx);
    expect(conservationViolation(sim.world)).toBeNull();
  });
});

describe("optimistic rollup: withdrawals", () => {
  it("a withdrawal can be finalised on L1 only after its batch's window closes", () => {
    const sim = setup();
    sim.withdraw("alice", eth(1));
    sim.act({ type: "sequence", by: "seq" });
    const withdrawalId = Object.keys(sim.rollup.withdrawals)[0]!;
    sim.act({ type: "postBatch", by: "seq" });
    sim.blocks(1);
    expect(rejection(sim.act({ type: "finalizeWithdrawal", by: "alice", withdrawalId }))).toMatch(/not final/);
    sim.wait(sim.world.config.challengeWindowMs);
    sim.blocks(1);
    const before = sim.l1Balance("alice");
    sim.act({ type: "finalizeWithdrawal", by: "alice", withdrawalId });
    sim.blocks(1);
    const fee = sim.eventsOf("l1.included").at(-1)!.fee;
    expect(sim.l1Balance("alice")).toBe(before + eth(1) - fee);
    expect(sim.eventsOf("withdrawal.finalized")[0]!.waitMs).toBeGreaterThanOrEqual(sim.world.config.challengeWindowMs);
    expect(conservationViolation(sim.world)).toBeNull();
  });
});

describe("optimistic rollup: fraud proofs", () => {
  it("lying sequencer vs honest challenger: the challenger wins the bisection; the batches keep their data, their claims are replaced", () => {
    const sim = setup();
    const id = postedBatch(sim, { kind: "mint", amount: eth(50) });
    expect(sim.l2Balance("seq")).toBeGreaterThanOrEqual(eth(50));
    const later = postedBatch(sim);
    const honestPost = honestRootAt(sim.world, id, sim.rollup.batches[id]!.txs.length);
    expect(honestPost).not.toBe(sim.rollup.batches[id]!.claimedRoots.at(-1));
    const seqL1 = sim.l1Balance("seq");
    const carolL1 = sim.l1Balance("carol");
    sim.act({ type: "challenge", by: "carol", batchId: id, root: honestPost });
    sim.blocks(1);
    const dispute = playDispute(sim, 0);
    expect(dispute.status).toBe("challenger-won");
    expect(dispute.hi - dispute.lo).toBe(1);
    const resolved = sim.eventsOf("dispute.resolved")[0]!;
    expect(resolved.reason).toBe("one-step-proof");
    expect(resolved.slashed).toBe(sim.world.config.sequencerBond);
    expect(resolved.reward + resolved.burned).toBe(resolved.slashed);
    // The posted data stays canonical: both batches keep every transaction, the mint included (a no-op now).
    const [fraud, next] = [sim.rollup.batches[id]!, sim.rollup.batches[later]!];
    expect([fraud.status, next.status]).toEqual(["posted", "posted"]);
    expect(fraud.txs.some((tx) => tx.kind === "mint")).toBe(true);
    expect(fraud.claimedRoots.at(-1)).toBe(honestPost);
    expect(next.claimedRoots.at(-1)).toBe(honestRootAt(sim.world, later, next.txs.length));
    expect(sim.eventsOf("batch.corrected").map((e) => e.batchId)).toEqual([id, later]);
    expect(sim.eventsOf("batch.reverted")).toHaveLength(0);
    // Nothing was requeued for the sequencer to censor again: the honest transfers are already on L2, the mint is gone.
    expect(sim.eventsOf("l2.requeued")).toHaveLength(0);
    expect(sim.rollup.mempool).toHaveLength(0);
    expect(sim.l2Balance("carol")).toBe(eth(0.6));
    expect(sim.l2Balance("seq")).toBeLessThan(eth(1));
    // Carol got her bond back plus the reward, minus the gas she paid.
    const carolGas = sim.eventsOf("l1.included").filter((e) => e.from === "carol").reduce((s, e) => s + e.fee, 0);
    expect(sim.l1Balance("carol")).toBe(carolL1 + resolved.reward - carolGas);
    // The sequencer lost its bond on the fraudulent batch; the later batch's bond stays locked until it is final.
    const seqGas = () => sim.eventsOf("l1.included").filter((e) => e.from === "seq" && e.t > sim.eventsOf("dispute.opened")[0]!.t).reduce((s, e) => s + e.fee, 0);
    expect(sim.l1Balance("seq")).toBe(seqL1 - seqGas());
    // The replaced claims are new proposals: a full window from now, then final, and the honest bond comes back.
    expect(fraud.windowEndsMs).toBe(resolved.t + sim.world.config.challengeWindowMs);
    sim.wait(sim.world.config.challengeWindowMs + sim.world.config.blockTimeMs);
    expect(sim.eventsOf("batch.finalized").map((e) => [e.batchId, e.fraudulent])).toEqual([[id, false], [later, false]]);
    expect(sim.l1Balance("seq")).toBe(seqL1 + sim.world.config.sequencerBond - seqGas());
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("one-step proof from the agreed root: a challenger who agreed with a fraudulent root narrows the dispute to an honest step and loses", () => {
    // A batch (2 deposits, 6 transfers, the forged mint) with the mint in its first half, so the first midpoint lies after the fraud.
    let sim: Sim | null = null;
    let id = 0;
    for (let seed = 0; seed < 40 && sim === null; seed++) {
      const candidate = setup(`agree-${seed}`);
      for (let i = 0; i < 3; i++) candidate.send("alice", "bob", eth(0.01));
      for (let i = 0; i < 3; i++) candidate.send("bob", "alice", eth(0.01));
      candidate.act({ type: "sequence", by: "seq" });
      candidate.act({ type: "postBatch", by: "seq", cheat: { kind: "mint", amount: eth(5) } });
      candidate.blocks(1);
      const batch = candidate.rollup.batches[0]!;
      if (batch.txs.findIndex((tx) => tx.kind === "mint") < Math.floor(batch.txs.length / 2)) [sim, id] = [candidate, batch.id];
    }
    expect(sim).not.toBeNull();
    const world = sim!.world;
    const rollup = () => sim!.rollup;
    const batch = rollup().batches[id]!;
    const fraudAt = batch.txs.findIndex((tx) => tx.kind === "mint");
    sim!.act({ type: "challenge", by: "carol", batchId: id, root: honestRootAt(world, id, batch.txs.length) });
    sim!.blocks(1);
    // Carol's first answer agrees with the sequencer's root at the midpoint, which already carries the mint; after that she is honest.
    let agreed = false;
    for (let guard = 0; guard < 40 && rollup().disputes[0]!.status === "open"; guard++) {
      const d = rollup().disputes[0]!;
      if (d.turn === "proof") sim!.act({ type: "oneStepProof", by: "carol", disputeId: 0 });
      else if (d.turn === "defender") sim!.act({ type: "disputeMove", by: "seq", disputeId: 0, root: batch.claimedRoots[midpoint(d)]! });
      else {
        const root = agreed ? honestRootAt(world, id, midpoint(d)) : d.defenderMidRoot!;
        if (!agreed) expect(midpoint(d)).toBeGreaterThan(fraudAt);
        agreed = true;
        sim!.act({ type: "disputeMove", by: "carol", disputeId: 0, root });
      }
      sim!.blocks(1);
    }
    const dispute = rollup().disputes[0]!;
    // The single step L1 executed is an honest transaction after the mint, from the (fraudulent) state both agreed on.
    expect(dispute.lo).toBeGreaterThan(fraudAt);
    expect(dispute.agreedRoot).toBe(batch.claimedRoots[dispute.lo]);
    expect(dispute.status).toBe("defender-won");
    expect(sim!.eventsOf("dispute.resolved")[0]).toMatchObject({ winnerSide: "defender", reason: "one-step-proof", slashed: world.config.challengerBond });
    // Re-executing from the batch's start instead (the old rule) would have found the sequencer's root wrong.
    expect(honestRootAt(world, id, dispute.hi)).not.toBe(dispute.defenderHiRoot);
    expect(conservationViolation(world)).toBeNull();
  });

  it("honest sequencer vs lying challenger: the batch survives, the challenger's bond is slashed", () => {
    const sim = setup();
    const id = postedBatch(sim);
    const carolL1 = sim.l1Balance("carol");
    sim.act({ type: "challenge", by: "carol", batchId: id, root: "cd".repeat(32) });
    sim.blocks(1);
    const dispute = playDispute(sim, 0, { challenger: true });
    expect(dispute.status).toBe("defender-won");
    const resolved = sim.eventsOf("dispute.resolved")[0]!;
    expect(resolved.slashed).toBe(sim.world.config.challengerBond);
    const carolGas = sim.eventsOf("l1.included").filter((e) => e.from === "carol").reduce((s, e) => s + e.fee, 0);
    expect(sim.l1Balance("carol")).toBe(carolL1 - sim.world.config.challengerBond - carolGas);
    sim.wait(sim.world.config.challengeWindowMs);
    expect(sim.rollup.batches[id]!.status).toBe("final");
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("a defender who misses its move timer loses, even with a true claim", () => {
    const sim = setup();
    const id = postedBatch(sim);
    sim.act({ type: "challenge", by: "carol", batchId: id, root: "cd".repeat(32) });
    sim.blocks(1);
    const dispute = playDispute(sim, 0, { challenger: true, silent: "defender" });
    expect(dispute.status).toBe("challenger-won");
    expect(sim.eventsOf("dispute.resolved")[0]!.reason).toBe("timeout");
    // The claim is removed all the same; the same (true) root is proposed again and waits a new window.
    const batch = sim.rollup.batches[id]!;
    expect(batch.status).toBe("posted");
    expect(batch.claimedRoots.at(-1)).toBe(honestRootAt(sim.world, id, batch.txs.length));
    expect(sim.eventsOf("batch.corrected")).toEqual([expect.objectContaining({ batchId: id, oldRoot: batch.claimedRoots.at(-1), newRoot: batch.claimedRoots.at(-1) })]);
  });

  it("a challenger who misses its move timer loses", () => {
    const sim = setup();
    const id = postedBatch(sim, { kind: "mint", amount: eth(5) });
    sim.act({ type: "challenge", by: "carol", batchId: id, root: honestRootAt(sim.world, id, sim.rollup.batches[id]!.txs.length) });
    sim.blocks(1);
    const dispute = playDispute(sim, 0, { silent: "challenger" });
    expect(dispute.status).toBe("defender-won");
    expect(sim.eventsOf("dispute.resolved")[0]!.reason).toBe("timeout");
  });

  it("a challenge after the window closes is refused, and an unchallenged fraud becomes final", () => {
    const sim = setup();
    const id = postedBatch(sim, { kind: "mint", amount: eth(3) });
    sim.wait(sim.world.config.challengeWindowMs + sim.world.config.blockTimeMs);
    expect(rejection(sim.act({ type: "challenge", by: "carol", batchId: id, root: "ab".repeat(32) }))).toMatch(/not open to challenge/);
    const finalized = sim.eventsOf("batch.finalized")[0]!;
    expect(finalized.fraudulent).toBe(true);
    expect(finalized.stolen).toBe(eth(3));
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("a sequencer can steal from a user with a transfer the user never signed", () => {
    const sim = setup();
    sim.send("alice", "bob", eth(0.1));
    sim.act({ type: "sequence", by: "seq" });
    sim.act({ type: "postBatch", by: "seq", cheat: { kind: "steal", victim: "bob", amount: eth(1) } });
    sim.blocks(1);
    const batch = sim.rollup.batches[0]!;
    const honest = honestRootAt(sim.world, 0, batch.txs.length);
    expect(honest).not.toBe(batch.claimedRoots.at(-1));
    expect(sim.l2Balance("bob")).toBe(eth(1.1));
    sim.act({ type: "challenge", by: "carol", batchId: 0, root: honest });
    sim.blocks(1);
    expect(playDispute(sim, 0).status).toBe("challenger-won");
    expect(sim.l2Balance("bob")).toBe(eth(2.1));
  });
});
