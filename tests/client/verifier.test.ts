import { describe, expect, it } from "vitest";
import { rollupAction } from "../engine/harness.ts";
import type { RollupTestAction } from "../engine/harness.ts";
import { rollupOf } from "../../shared/engine/optimistic/types.ts";
import { verifyBatch } from "../../client/src/verify/verifier.ts";
import type { BatchToCheck } from "../../client/src/verify/verifier.ts";
import { keyPairFromSeed } from "../../shared/crypto/sign.ts";
import { sha256Bytes, utf8ToBytes } from "../../shared/crypto/hash.ts";
import { honestRootAt } from "../../shared/engine/optimistic/bisection.ts";
import { makeConfig } from "../../shared/engine/config.ts";
import { advance, applyAction } from "../../shared/engine/engine.ts";
import type { Action } from "../../shared/engine/actions.ts";
import { signL2Tx } from "../../shared/engine/l2-state.ts";
import { nextL2Nonce } from "../../shared/engine/optimistic/rollup.ts";
import { eth } from "../../shared/engine/units.ts";
import { createWorld } from "../../shared/engine/world.ts";
import type { World } from "../../shared/engine/world.ts";

/** A world with a sequencer and two funded users who have deposited to L2. */
function worldWithUsers(seed: string): { world: World; act: (testAction: Action | RollupTestAction) => void; pay: (from: string, to: string, amount: number) => void } {
  const world = createWorld(seed, makeConfig());
  const keys = new Map(["seq", "alice", "bob"].map((name) => [name, keyPairFromSeed(sha256Bytes(utf8ToBytes(`client-test:${name}`)))]));
  const act = (testAction: Action | RollupTestAction) => {
    const rejected = applyAction(world, rollupAction(testAction), world.nowMs).find((e) => e.type === "rejected");
    expect(rejected, JSON.stringify(rejected)).toBeUndefined();
  };
  act({ type: "setSequencer", account: "seq" });
  for (const [name, key] of keys) {
    act({ type: "fund", account: name, amount: eth(10) });
    act({ type: "registerKey", account: name, publicKey: key.publicKey });
    act({ type: "deposit", from: name, amount: eth(2) });
  }
  advance(world, world.l1.nextBlockAtMs);
  const pay = (from: string, to: string, amount: number) => {
    const tx = signL2Tx(keys.get(from)!.secretKey, { kind: "transfer", from, to, amount, fee: world.config.l2FeePerTx, nonce: nextL2Nonce(world, from) });
    act({ type: "l2Submit", tx });
  };
  return { world, act, pay };
}

/** What the room sends for `batch:data`, through JSON as over the wire. */
function batchData(world: World, batchId: number): BatchToCheck {
  const batch = rollupOf(world).batches[batchId]!;
  return JSON.parse(JSON.stringify({
    batchId,
    preState: batch.preState,
    txs: batch.txs,
    claimedRoots: batch.claimedRoots,
    context: { publicKeys: world.l1.publicKeys, deposits: rollupOf(world).deposits, sequencer: batch.poster },
  })) as BatchToCheck;
}

describe("challenger's local re-execution (client/src/verify/verifier.ts)", () => {
  it("finds an honest batch honest, with the same trace L1 would compute", () => {
    const { world, act, pay } = worldWithUsers("honest");
    pay("alice", "bob", eth(0.1));
    pay("bob", "alice", eth(0.05));
    act({ type: "sequence", by: "seq" });
    act({ type: "postBatch", by: "seq" });
    const verdict = verifyBatch(batchData(world, 0));
    expect(verdict.fraud).toBe(false);
    expect(verdict.firstBadStep).toBeNull();
    const txCount = rollupOf(world).batches[0]!.txs.length;
    expect(verdict.honestRoots).toHaveLength(txCount + 1);
    for (let i = 0; i <= txCount; i++) expect(verdict.honestRoots[i]).toBe(honestRootAt(world, 0, i));
  });

  it.each(["mint", "steal"] as const)("flags a batch with a forged %s and locates the first wrong root", (kind) => {
    const { world, act, pay } = worldWithUsers(`fraud-${kind}`);
    pay("alice", "bob", eth(0.1));
    pay("bob", "alice", eth(0.2));
    act({ type: "sequence", by: "seq" });
    act({ type: "postBatch", by: "seq", cheat: kind === "mint" ? { kind, amount: eth(5) } : { kind, victim: "alice", amount: eth(1) } });
    const batch = rollupOf(world).batches[0]!;
    const forgedIndex = batch.txs.findIndex((tx) => batch.forgedIds.includes(tx.id));
    expect(forgedIndex).toBeGreaterThanOrEqual(0);
    const verdict = verifyBatch(batchData(world, 0));
    expect(verdict.fraud).toBe(true);
    // roots[i] is the state after i transactions: the lie shows right after the forged one.
    expect(verdict.firstBadStep).toBe(forgedIndex + 1);
    expect(verdict.skipped.map((s) => s.index)).toEqual([forgedIndex]);
    expect(verdict.honestRoots.at(-1)).toBe(honestRootAt(world, 0, batch.txs.length));
    expect(verdict.honestRoots.at(-1)).not.toBe(batch.claimedRoots.at(-1));
  });
});
