import { describe, expect, it } from "vitest";
import { Sim, playDispute, rejection } from "./harness.ts";
import type { LoggedAction } from "../../shared/engine/actions.ts";
import { honestRootAt } from "../../shared/engine/optimistic/bisection.ts";
import { conservationViolation } from "../../shared/engine/conservation.ts";
import { replay, stateHash } from "../../shared/engine/replay.ts";
import { eth } from "../../shared/engine/units.ts";
import type { World } from "../../shared/engine/world.ts";
import { rollupOf } from "../../shared/engine/optimistic/types.ts";

interface ScriptedRound {
  sim: Sim;
  /** The world's hash, log length and clock right after the dispute resolved. */
  checkpoint: { hash: string; logLength: number; atMs: number };
}

/**
 * A full round: deposits, transfers and a withdrawal in an honest batch; then (with `cheat`) a
 * batch hiding a 10 ETH mint that carol disputes and wins (the batch keeps its data, its claim is
 * replaced); carol pays alice in a third batch; alice finalises her withdrawal once its batch is
 * final. The only random draw in
 * the engine is where the forged transaction goes in its batch.
 */
function scriptedRound(seed: string, cheat: boolean): ScriptedRound {
  const sim = new Sim(seed);
  for (const name of ["alice", "bob", "carol"]) sim.player(name);
  sim.player("seq", 20); // three bonds of 3.6 ETH
  sim.act({ type: "setSequencer", account: "seq" });
  sim.act({ type: "deposit", from: "alice", amount: eth(3) });
  sim.act({ type: "deposit", from: "bob", amount: eth(2) });
  sim.blocks(1);
  sim.send("alice", "bob", eth(0.5));
  sim.send("bob", "carol", eth(0.2));
  sim.withdraw("alice", eth(1));
  sim.act({ type: "sequence", by: "seq" });
  expect(rejection(sim.act({ type: "postBatch", by: "seq" }))).toBeUndefined();
  sim.blocks(1);
  for (let i = 0; i < 3; i++) {
    sim.send("bob", "alice", eth(0.1));
    sim.send("alice", "bob", eth(0.05));
  }
  sim.act({ type: "sequence", by: "seq" });
  expect(rejection(sim.act({ type: "postBatch", by: "seq", ...(cheat ? { cheat: { kind: "mint", amount: eth(10) } } : {}) }))).toBeUndefined();
  sim.blocks(1);
  if (cheat) {
    const batch = sim.rollup.batches[1]!;
    sim.act({ type: "challenge", by: "carol", batchId: 1, root: honestRootAt(sim.world, 1, batch.txs.length) });
    sim.blocks(1);
    expect(playDispute(sim, 0).status).toBe("challenger-won");
  }
  const checkpoint = { hash: stateHash(sim.world), logLength: sim.log.length, atMs: sim.now };
  if (cheat) {
    sim.send("carol", "alice", eth(0.05));
    sim.act({ type: "sequence", by: "seq" });
    expect(rejection(sim.act({ type: "postBatch", by: "seq" }))).toBeUndefined();
  }
  sim.wait(sim.world.config.challengeWindowMs);
  sim.blocks(1);
  const withdrawalId = Object.keys(sim.rollup.withdrawals)[0]!;
  expect(rejection(sim.act({ type: "finalizeWithdrawal", by: "alice", withdrawalId }))).toBeUndefined();
  sim.wait(sim.world.config.challengeWindowMs);
  sim.blocks(1);
  return { sim, checkpoint };
}

/** Where the forged mint sits in the batch (it stays there once the claim is replaced: the data is canonical). */
function forgedIndex(world: World, batchId: number): number {
  return rollupOf(world).batches[batchId]!.txs.findIndex((tx) => tx.kind === "mint");
}

/** The world without the seed and the PRNG state: what the round made of it. */
function withoutRandomness(world: World): string {
  return stateHash({ ...world, seed: "", rng: [0, 0, 0, 0] });
}

describe("replay from seed + config + action log", () => {
  const live = scriptedRound("alpha", true);
  const { sim } = live;

  it("the scripted round did what it says: fraud corrected, every batch final, withdrawal paid", () => {
    expect(sim.rollup.batches.map((b) => b.status)).toEqual(["final", "final", "final"]);
    expect(sim.eventsOf("batch.corrected").map((e) => e.batchId)).toEqual([1]);
    expect(sim.eventsOf("batch.finalized").filter((e) => e.fraudulent)).toHaveLength(0);
    expect(sim.eventsOf("withdrawal.finalized")).toHaveLength(1);
    expect(sim.eventsOf("dispute.resolved")[0]!.winner).toBe("carol");
    expect(sim.rollup.head.forgedSupply).toBe(0);
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("replaying the stored (JSON) log gives the identical final state hash and the identical event list", () => {
    const storedLog = JSON.parse(JSON.stringify(sim.log)) as LoggedAction[];
    const replayed = replay("alpha", sim.world.config, storedLog, sim.now);
    expect(replayed.hash).toBe(stateHash(sim.world));
    expect(replayed.world).toEqual(sim.world);
    expect(replayed.events).toEqual(sim.events);
    expect(replayed.events.length).toBeGreaterThan(100);
  });

  it("replaying a prefix of the log reproduces the world at that point (a restored room)", () => {
    const { hash, logLength, atMs } = live.checkpoint;
    expect(replay("alpha", sim.world.config, sim.log.slice(0, logLength), atMs).hash).toBe(hash);
    expect(hash).not.toBe(stateHash(sim.world));
  });

  it("a different seed moves the forged transaction, and changes only what follows from where it went", () => {
    const other = scriptedRound("beta", true).sim;
    const [a, b] = [forgedIndex(sim.world, 1), forgedIndex(other.world, 1)];
    expect(a).not.toBe(b);
    expect(stateHash(other.world)).not.toBe(stateHash(sim.world));
    // Same transactions in batch 1, the forged one at another place.
    const ids = (world: World) => rollupOf(world).batches[1]!.txs.map((tx) => tx.id);
    expect([...ids(other.world)].sort()).toEqual([...ids(sim.world)].sort());
    expect(ids(other.world).filter((_, i) => i !== b)).toEqual(ids(sim.world).filter((_, i) => i !== a));
    // The (replaced, honest) traces agree up to the earlier forged position and after the later
    // one, and differ in between, where one trace has passed the no-op mint and the other not yet.
    const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
    const rootsA = sim.rollup.batches[1]!.claimedRoots;
    const rootsB = other.rollup.batches[1]!.claimedRoots;
    rootsA.forEach((root, i) => {
      if (i <= lo || i > hi) expect(rootsB[i]).toBe(root);
      else expect(rootsB[i]).not.toBe(root);
    });
    // Once the fraud is corrected, L2 ends in the same state whatever the seed.
    expect(other.rollup.head).toEqual(sim.rollup.head);
    expect(other.rollup.batches[2]!.claimedRoots).toEqual(sim.rollup.batches[2]!.claimedRoots);
  });

  it("without a cheat nothing random happens: two seeds give worlds that differ only in seed and PRNG state", () => {
    const honestA = scriptedRound("alpha", false).sim.world;
    const honestB = scriptedRound("beta", false).sim.world;
    expect(stateHash(honestA)).not.toBe(stateHash(honestB));
    expect(withoutRandomness(honestA)).toBe(withoutRandomness(honestB));
    // With a cheat they differ beyond the seed: the forged position shaped the round.
    expect(withoutRandomness(sim.world)).not.toBe(withoutRandomness(scriptedRound("beta", true).sim.world));
  });

  it("the state hash does not depend on prototypes: null-prototype records hash as the plain objects rounds stored before them did", () => {
    const { sim } = scriptedRound("prototype-free", true);
    const world = sim.world;
    expect(Object.getPrototypeOf(world.l1.balances)).toBeNull();
    // structuredClone gives every record Object.prototype back: the world as it was before id-keyed records lost theirs.
    const plain = structuredClone(world);
    expect(Object.getPrototypeOf(plain.l1.balances)).toBe(Object.prototype);
    expect(stateHash(plain as World)).toBe(stateHash(world));
  });
});
