import { describe, expect, it } from "vitest";
import { rollupAction } from "../engine/harness.ts";
import type { RollupTestAction } from "../engine/harness.ts";
import { rollupOf } from "../../shared/engine/optimistic/types.ts";
import { batchSignatureChecks, installBrowserVerifier } from "../../client/src/verify/browser-verifier.ts";
import { verifyBatch, verifyBatchAsync } from "../../client/src/verify/verifier.ts";
import type { BatchToCheck } from "../../client/src/verify/verifier.ts";
import { sha256Bytes, utf8ToBytes } from "../../shared/crypto/hash.ts";
import { NOBLE_STRICT_VERIFIER } from "../../shared/crypto/noble-ed25519-verifier.ts";
import { keyPairFromSeed } from "../../shared/crypto/sign.ts";
import { setSignatureVerifier } from "../../shared/crypto/signature-verifier.ts";
import { makeConfig } from "../../shared/engine/config.ts";
import { advance, applyAction } from "../../shared/engine/engine.ts";
import type { Action } from "../../shared/engine/actions.ts";
import { signL2Tx } from "../../shared/engine/l2-state.ts";
import { nextL2Nonce } from "../../shared/engine/optimistic/rollup.ts";
import { eth } from "../../shared/engine/units.ts";
import { createWorld } from "../../shared/engine/world.ts";

/** A posted batch of six signed transfers and a forged steal (no valid signature), as the wire carries it. */
function stealBatch(): BatchToCheck {
  const world = createWorld("browser-verifier", makeConfig());
  const keys = new Map(["seq", "alice", "bob"].map((name) => [name, keyPairFromSeed(sha256Bytes(utf8ToBytes(`browser-verifier:${name}`)))]));
  const act = (testAction: Action | RollupTestAction) => expect(applyAction(world, rollupAction(testAction), world.nowMs).find((e) => e.type === "rejected")).toBeUndefined();
  act({ type: "setSequencer", account: "seq" });
  for (const [name, key] of keys) {
    act({ type: "fund", account: name, amount: eth(10) });
    act({ type: "registerKey", account: name, publicKey: key.publicKey });
    act({ type: "deposit", from: name, amount: eth(2) });
  }
  advance(world, world.l1.nextBlockAtMs);
  for (let i = 0; i < 6; i++) {
    const [from, to] = i % 2 ? ["alice", "bob"] : ["bob", "alice"];
    act({ type: "l2Submit", tx: signL2Tx(keys.get(from!)!.secretKey, { kind: "transfer", from: from!, to: to!, amount: eth(0.01), fee: world.config.l2FeePerTx, nonce: nextL2Nonce(world, from!) }) });
  }
  act({ type: "sequence", by: "seq" });
  act({ type: "postBatch", by: "seq", cheat: { kind: "steal", victim: "alice", amount: eth(1) } });
  const batch = rollupOf(world).batches.at(-1)!;
  return JSON.parse(JSON.stringify({ batchId: batch.id, preState: batch.preState, txs: batch.txs, claimedRoots: batch.claimedRoots, context: { publicKeys: world.l1.publicKeys, deposits: rollupOf(world).deposits, sequencer: batch.poster } })) as BatchToCheck;
}

describe("the browser's signature checks (client/src/verify/browser-verifier.ts)", () => {
  it("uses WebCrypto where the runtime has it, and a batch re-executed with it reaches noble's verdict without noble's curve math", async () => {
    expect(await installBrowserVerifier()).toBe("webcrypto");
    const data = stealBatch();
    const checks = batchSignatureChecks(data.txs, data.context);
    expect(checks.length).toBe(data.txs.filter((tx) => tx.kind === "transfer" || tx.kind === "withdraw").length);
    expect(checks.length).toBeGreaterThanOrEqual(7); // six transfers and the forged steal

    // Reference: noble alone, nothing cached.
    setSignatureVerifier(NOBLE_STRICT_VERIFIER);
    const reference = verifyBatch(data);
    expect(reference.fraud).toBe(true);
    expect(reference.skipped.map((s) => s.reason)).toContain("bad signature");

    // WebCrypto first: the engine's synchronous backend is never asked.
    let nobleCalls = 0;
    setSignatureVerifier({ name: "counting noble", verify: (...args) => (nobleCalls++, NOBLE_STRICT_VERIFIER.verify(...args)) });
    expect(await verifyBatchAsync(data)).toEqual(reference);
    expect(nobleCalls).toBe(0);
  });
});
