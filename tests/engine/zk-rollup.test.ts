import { describe, expect, it } from "vitest";
import { computeDebrief } from "../../shared/engine/debrief.ts";
import { weiOf } from "../../shared/engine/base-fee.ts";
import { Sim, rejection, signedL2Tx } from "./harness.ts";
import type { EngineEvent } from "../../shared/engine/events.ts";
import { conservationViolation } from "../../shared/engine/conservation.ts";
import { L2Executor } from "../../shared/engine/l2-state.ts";
import { eth } from "../../shared/engine/units.ts";
import { PROVING_BASE_MS, ZK_BRIDGE, ZK_COMMIT_GAS, ZK_VERIFY_GAS } from "../../shared/engine/zk/constants.ts";
import { zkBalance, zkNextNonce } from "../../shared/engine/zk/mempool.ts";
import { provingCost, provingTimeMs } from "../../shared/engine/zk/prover.ts";
import type { ZkBatch, ZkCheat, ZkState } from "../../shared/engine/zk/types.ts";
import { zkDebrief } from "../../shared/engine/zk/debrief.ts";
import { replay, stateHash } from "../../shared/engine/replay.ts";
import { eth as ethWords } from "../../shared/engine/words.ts";

type ModuleEvent = Extract<EngineEvent, { type: "module" }>;

function zk(sim: Sim): ZkState {
  return sim.world.modules.zk as ZkState;
}

function call(sim: Sim, by: string, zkCall: unknown, fee: { tip?: number; maxFee?: number } = {}): EngineEvent[] {
  return sim.act({ type: "module", module: "zk", by, call: zkCall, ...fee });
}

function zkEvents(sim: Sim, name: string): ModuleEvent[] {
  return sim.eventsOf("module").filter((e) => e.module === "zk" && e.name === name);
}

function balance(sim: Sim, who: string): number {
  return zkBalance(sim.world, zk(sim), who);
}

/** Signs and sends a ZK transfer or withdrawal from `from` with its next nonce. */
function send(sim: Sim, kind: "transfer" | "withdraw", from: string, to: string, amount: number): EngineEvent[] {
  const nonce = zkNextNonce(sim.world, zk(sim), from);
  const tx = signedL2Tx(sim.keys.get(from)!, { kind, from, to, amount, fee: sim.world.config.l2FeePerTx, nonce });
  return call(sim, from, { kind: "send", tx });
}

/** alice and bob with 2 ETH each on the ZK rollup; carol holds nothing there; pat proves. */
function setup(seed = "zk"): Sim {
  const sim = new Sim(seed);
  for (const name of ["alice", "bob", "carol", "pat"]) sim.player(name);
  expect(rejection(call(sim, "alice", { kind: "deposit", amount: eth(2) }))).toBeUndefined();
  expect(rejection(call(sim, "bob", { kind: "deposit", amount: eth(2) }))).toBeUndefined();
  sim.blocks(1);
  return sim;
}

/** Waits block by block until `batch` leaves the proving/submission pipeline (verified or rejected). */
function settle(sim: Sim, batchId: number): ZkBatch {
  for (let guard = 0; guard < 200; guard++) {
    const batch = zk(sim).batches[batchId]!;
    if (batch.status === "verified" || batch.status === "rejected" || batch.status === "abandoned") return batch;
    sim.blocks(1);
  }
  throw new Error(`batch ${batchId} never settled`);
}

function prove(sim: Sim, by = "pat", extra: { maxTxs?: number; cheat?: ZkCheat; da?: "blob" | "calldata" } = {}): number {
  const events = call(sim, by, { kind: "prove", ...extra });
  expect(rejection(events)).toBeUndefined();
  return zk(sim).batches.length - 1;
}

describe("ZK bridge deposits", () => {
  it("a deposit goes through the L1 mempool, is escrowed by the ZK bridge and credited on the ZK L2 once included", () => {
    const sim = new Sim();
    sim.player("alice");
    call(sim, "alice", { kind: "deposit", amount: eth(1) });
    expect(sim.world.l1.mempool.map((tx) => tx.payload.kind)).toEqual(["module"]);
    expect(sim.l1Balance(ZK_BRIDGE)).toBe(0);
    expect(balance(sim, "alice")).toBe(0);
    sim.blocks(1);
    const included = sim.eventsOf("l1.included")[0]!;
    expect(included.ok).toBe(true);
    expect(sim.l1Balance(ZK_BRIDGE)).toBe(eth(1));
    expect(sim.l1Balance("alice")).toBe(eth(10) - eth(1) - included.fee);
    expect(balance(sim, "alice")).toBe(eth(1));
    expect(zkEvents(sim, "depositCredited")[0]!.data).toMatchObject({ to: "alice", amount: eth(1), depositIndex: 0 });
    // It does not touch the optimistic rollup.
    expect(sim.rollup.deposits).toHaveLength(0);
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("refuses malformed calls and changes nothing", () => {
    const sim = setup();
    const before = JSON.stringify(sim.world);
    const bad: unknown[] = [
      null,
      "prove",
      { kind: "deposit", amount: -5 },
      { kind: "deposit", amount: 1.5 },
      { kind: "send", tx: { kind: "mint", from: "alice", to: "alice", amount: 1, fee: 2000, nonce: 0, sig: "00".repeat(64) } },
      { kind: "send", tx: { kind: "transfer", from: "alice", to: "bob", amount: 1, fee: 2000, nonce: 0, sig: "zz" } },
      { kind: "prove", maxTxs: 0 },
      { kind: "prove", cheat: { kind: "steal", amount: 5 } },
      { kind: "submitProof", batchId: "0" },
      { kind: "claim" },
      { kind: "nope" },
    ];
    for (const zkCall of bad) expect(rejection(call(sim, "alice", zkCall))).toBeDefined();
    // Well-formed but not allowed by the world.
    const bobsKey = sim.keys.get("bob")!;
    const forgedByBob = signedL2Tx(bobsKey, { kind: "transfer", from: "alice", to: "bob", amount: eth(1), fee: 2000, nonce: 0 });
    expect(rejection(call(sim, "alice", { kind: "send", tx: forgedByBob }))).toBe("bad signature");
    const mine = signedL2Tx(sim.keys.get("alice")!, { kind: "transfer", from: "alice", to: "bob", amount: eth(1), fee: 2000, nonce: 0 });
    expect(rejection(call(sim, "bob", { kind: "send", tx: mine }))).toBe("you can only send your own transactions");
    const tooMuch = signedL2Tx(sim.keys.get("alice")!, { kind: "transfer", from: "alice", to: "bob", amount: eth(5), fee: 2000, nonce: 0 });
    expect(rejection(call(sim, "alice", { kind: "send", tx: tooMuch }))).toMatch(/not enough/);
    const replayNonce = signedL2Tx(sim.keys.get("alice")!, { kind: "transfer", from: "alice", to: "bob", amount: 1, fee: 2000, nonce: 3 });
    expect(rejection(call(sim, "alice", { kind: "send", tx: replayNonce }))).toBe("nonce must be 0");
    expect(rejection(call(sim, "pat", { kind: "submitProof", batchId: 0 }))).toBe("no such ZK batch");
    expect(rejection(call(sim, "carol", { kind: "prove", cheat: { kind: "steal", victim: "carol", amount: 5 } }))).toMatch(/victim/);
    expect(JSON.stringify(sim.world)).toBe(before);
  });
});

describe("valid batches", () => {
  it("a prover proves a batch, pays for it, submits it when the proof is ready and L1 verifies it", () => {
    const sim = setup();
    send(sim, "transfer", "alice", "bob", eth(0.5));
    send(sim, "transfer", "bob", "carol", eth(0.25));
    expect(balance(sim, "carol")).toBe(eth(0.25));
    const l1Before = sim.l1Balance("pat");
    const burnedBefore = sim.world.l1.burned;
    const batchId = prove(sim);
    const batch = zk(sim).batches[batchId]!;
    // Two deposits and two transfers.
    expect(batch.txs.map((tx) => tx.kind)).toEqual(["deposit", "deposit", "transfer", "transfer"]);
    expect(batch.prover).toBe("pat");
    expect(zk(sim).provers).toEqual(["pat"]);
    expect(batch.proverCost).toBe(provingCost(4));
    expect(sim.l1Balance("pat")).toBe(l1Before - provingCost(4));
    expect(sim.world.l1.burned).toBe(burnedBefore + provingCost(4));
    expect(zkEvents(sim, "proverPaid")[0]!.data).toMatchObject({ prover: "pat", cost: provingCost(4), burned: true });

    // Not submitted while proving.
    sim.blocks(1);
    expect(batch.status).toBe("proving");
    expect(sim.world.l1.mempool).toHaveLength(0);
    const verified = settle(sim, batchId);
    expect(verified.status).toBe("verified");

    const ready = zkEvents(sim, "proofReady")[0]!;
    expect(ready.t - batch.startedAtMs).toBeGreaterThanOrEqual(provingTimeMs(4));
    const [event] = zkEvents(sim, "batchVerified");
    expect(event!.data).toMatchObject({ batchId, prover: "pat", txCount: 4, userTxCount: 2, depositCount: 2, verifyGas: ZK_VERIFY_GAS });
    const included = sim.eventsOf("l1.included").find((e) => e.txId === verified.l1TxId)!;
    expect(included.ok).toBe(true);
    // The state diff went in a blob (the default): the transaction's gas is verification + commitment only, plus one blob.
    expect(included.gas).toBe(ZK_COMMIT_GAS + ZK_VERIFY_GAS);
    expect(included.blobs).toBe(1);
    expect(event!.data).toMatchObject({ da: "blob", blobs: 1, dataFee: included.blobFee });
    expect(event!.data.l1Gas).toBe(included.gas);
    expect(event!.data.l1Fee).toBe(included.fee);
    expect(event!.data.proverCostPerTx).toBe(provingCost(4) / 4);
    // Finality: from each transaction's submission to this block.
    expect(event!.data.maxFinalityMs).toBe(included.t - Math.min(...batch.submittedAtMs));
    expect(event!.data.minFinalityMs).toBeGreaterThanOrEqual(provingTimeMs(4));

    // L1 holds the root of the honest post-state, and the prover earned the L2 fees.
    expect(zk(sim).verifiedRoot).toBe(new L2Executor(zk(sim).built).root());
    expect(balance(sim, "pat")).toBe(2 * sim.world.config.l2FeePerTx);
    expect(balance(sim, "carol")).toBe(eth(0.25));
    expect(batch.preState).toBeNull();
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("several batches in flight are verified in order, each on the root of the one before", () => {
    const sim = setup();
    send(sim, "transfer", "alice", "bob", eth(0.1));
    const first = prove(sim, "pat");
    send(sim, "transfer", "bob", "alice", eth(0.1));
    const second = prove(sim, "carol");
    expect(zk(sim).batches[second]!.preRoot).toBe(zk(sim).batches[first]!.claimedRoot);
    settle(sim, second);
    expect(zk(sim).batches.map((b) => b.status)).toEqual(["verified", "verified"]);
    const order = zkEvents(sim, "batchVerified").map((e) => e.data.batchId);
    expect(order).toEqual([first, second]);
    expect(zk(sim).provers).toEqual(["pat", "carol"]);
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("a proof that overtakes its predecessor on L1 waits for it and is verified after it", () => {
    const sim = setup();
    send(sim, "transfer", "alice", "bob", eth(0.1));
    const first = prove(sim, "pat");
    send(sim, "transfer", "bob", "alice", eth(0.1));
    // A smaller batch proves sooner; a higher tip puts its proof first in the same L1 block.
    expect(rejection(call(sim, "carol", { kind: "prove" }, { tip: 50 }))).toBeUndefined();
    const second = zk(sim).batches.length - 1;
    settle(sim, second);
    expect(zkEvents(sim, "verifyOutOfOrder").map((e) => e.data.batchId)).toEqual([second]);
    expect(zkEvents(sim, "batchVerified").map((e) => e.data.batchId)).toEqual([first, second]);
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("a proof that overtook a stuck predecessor waits for it instead of reverting block after block", () => {
    const sim = setup();
    send(sim, "transfer", "alice", "bob", eth(0.1));
    // A max fee of 1 gwei is far below the base fee: this proof stays in the L1 mempool.
    expect(rejection(call(sim, "pat", { kind: "prove" }, { tip: 1, maxFee: 1 }))).toBeUndefined();
    const first = zk(sim).batches.length - 1;
    send(sim, "transfer", "bob", "alice", eth(0.1));
    expect(rejection(call(sim, "carol", { kind: "prove" }, { tip: 5 }))).toBeUndefined();
    const second = zk(sim).batches.length - 1;
    sim.blocks(12);
    expect(sim.world.l1.baseFeeWei).toBeGreaterThan(weiOf(1));
    expect(zk(sim).batches[first]!.status).toBe("submitted");
    expect(zk(sim).batches[second]!.status).toBe("proven");
    // It reverted once, then waits: it does not pay for a revert every block.
    expect(zkEvents(sim, "verifyOutOfOrder").map((e) => e.data.batchId)).toEqual([second]);
    expect(zkEvents(sim, "batchVerified")).toHaveLength(0);
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("a prover who cannot pay the verify gas when its proof is ready submits it by hand later", () => {
    const sim = setup();
    send(sim, "transfer", "alice", "bob", eth(0.1));
    const batchId = prove(sim, "pat");
    sim.act({ type: "l1Transfer", from: "pat", to: "carol", amount: sim.l1Balance("pat") - 21_000 * 40 });
    while (zk(sim).batches[batchId]!.status === "proving") sim.blocks(1);
    expect(zk(sim).batches[batchId]!.status).toBe("proven");
    expect(zkEvents(sim, "proofSubmitFailed")[0]!.data.reason).toMatch(/not enough ETH/);
    sim.blocks(2);
    expect(zk(sim).batches[batchId]!.status).toBe("proven");
    expect(rejection(call(sim, "carol", { kind: "submitProof", batchId }))).toBe("only the batch's prover holds its proof");
    sim.act({ type: "fund", account: "pat", amount: eth(1) });
    expect(rejection(call(sim, "pat", { kind: "submitProof", batchId }, { tip: 3 }))).toBeUndefined();
    expect(settle(sim, batchId).status).toBe("verified");
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("a proof L1 drops because its prover emptied its account goes back to proven, and settles nothing", () => {
    const sim = setup();
    send(sim, "transfer", "alice", "bob", eth(0.1));
    const batchId = prove(sim, "pat");
    while (zk(sim).batches[batchId]!.status !== "submitted") sim.blocks(1);
    // A high-tip transfer of nearly everything lands first in the same block.
    sim.act({ type: "l1Transfer", from: "pat", to: "carol", amount: sim.l1Balance("pat") - 21_000 * 200, tip: 100 });
    const rootBefore = zk(sim).verifiedRoot;
    sim.blocks(1);
    expect(sim.eventsOf("l1.dropped").map((e) => e.from)).toEqual(["pat"]);
    expect(zk(sim).batches[batchId]!.status).toBe("proven");
    expect(zkEvents(sim, "proofSubmissionDropped")[0]!.data.batchId).toBe(batchId);
    expect(zk(sim).verifiedRoot).toBe(rootBefore);
    expect(conservationViolation(sim.world)).toBeNull();
  });
});

describe("invalid batches can never be verified", () => {
  const cheats: [string, ZkCheat][] = [
    ["a forged mint", { kind: "mint", amount: eth(5) }],
    ["an unsigned steal", { kind: "steal", victim: "alice", amount: eth(1) }],
    ["a wrong post-state root", { kind: "wrongRoot" }],
  ];
  for (const [label, cheat] of cheats) {
    it(`${label}: L1's verifier reverts, nothing settles, and the honest transactions are proven again`, () => {
      const sim = setup(`zk-${cheat.kind}`);
      send(sim, "transfer", "alice", "bob", eth(0.5));
      const rootBefore = zk(sim).verifiedRoot;
      const escrowBefore = sim.l1Balance(ZK_BRIDGE);
      const batchId = prove(sim, "pat", { cheat });
      expect(zkEvents(sim, "fraudAttempted")[0]!.data).toMatchObject({ batchId, by: "pat", kind: cheat.kind });
      const batch = settle(sim, batchId);
      expect(batch.status).toBe("rejected");
      const included = sim.eventsOf("l1.included").find((e) => e.txId === batch.l1TxId)!;
      expect(included.ok).toBe(false);
      expect(included.reason).toMatch(/^proof rejected: /);
      expect(zkEvents(sim, "batchRejected")[0]!.data).toMatchObject({ batchId, prover: "pat", cheat: cheat.kind, fraudulent: true });
      expect(zkEvents(sim, "batchVerified")).toHaveLength(0);
      // Nothing settled: L1's root and the bridge are untouched, the cheat gained nothing.
      expect(zk(sim).verifiedRoot).toBe(rootBefore);
      expect(sim.l1Balance(ZK_BRIDGE)).toBe(escrowBefore);
      expect(balance(sim, "alice")).toBe(eth(1.5) - sim.world.config.l2FeePerTx);
      expect(balance(sim, "pat")).toBe(0);
      // The rejected batch stays rejected: its prover cannot push it again.
      expect(rejection(call(sim, "pat", { kind: "submitProof", batchId }))).toMatch(/rejected/);
      expect(conservationViolation(sim.world)).toBeNull();

      // The honest transactions were requeued; an honest prover gets them verified.
      expect(zk(sim).pending.map((p) => p.tx.kind)).toEqual(["deposit", "deposit", "transfer"]);
      const honest = settle(sim, prove(sim, "carol"));
      expect(honest.status).toBe("verified");
      expect(honest.txs).toHaveLength(3);
      expect(balance(sim, "bob")).toBe(eth(2.5));
      expect(conservationViolation(sim.world)).toBeNull();
    });
  }

  it("a rejected batch takes the batches built on it down with it; they are re-proven on the honest root", () => {
    const sim = setup();
    send(sim, "transfer", "alice", "bob", eth(0.1));
    const bad = prove(sim, "pat", { cheat: { kind: "mint", amount: eth(3) } });
    send(sim, "transfer", "bob", "carol", eth(0.2));
    const later = prove(sim, "carol");
    settle(sim, bad);
    expect(zk(sim).batches[bad]!.status).toBe("rejected");
    expect(zk(sim).batches[later]!.status).toBe("abandoned");
    expect(zkEvents(sim, "batchAbandoned")[0]!.data).toMatchObject({ batchId: later, cause: bad });
    expect(sim.world.l1.mempool.filter((tx) => tx.from === "carol")).toHaveLength(0);
    expect(zk(sim).pending.map((p) => p.tx.kind)).toEqual(["deposit", "deposit", "transfer", "transfer"]);
    expect(conservationViolation(sim.world)).toBeNull();
    const redo = settle(sim, prove(sim, "bob"));
    expect(redo.status).toBe("verified");
    expect(balance(sim, "carol")).toBe(eth(0.2));
    expect(zkEvents(sim, "batchVerified")).toHaveLength(1);
    expect(conservationViolation(sim.world)).toBeNull();
  });
});

describe("withdrawals", () => {
  it("are payable on L1 right after verification, and not before", () => {
    const sim = setup();
    send(sim, "withdraw", "alice", "alice", eth(0.5));
    const withdrawalId = zkEvents(sim, "txAccepted")[0]!.data.txId as string;
    expect(rejection(call(sim, "alice", { kind: "claim", withdrawalId }))).toBe("no such ZK withdrawal of yours");
    const batchId = prove(sim);
    expect(zk(sim).withdrawals[withdrawalId]!.status).toBe("pending");
    expect(rejection(call(sim, "alice", { kind: "claim", withdrawalId }))).toBe("its batch is not verified on L1 yet");
    // Still not while the proof waits in the L1 mempool.
    while (zk(sim).batches[batchId]!.status !== "submitted") sim.blocks(1);
    expect(rejection(call(sim, "alice", { kind: "claim", withdrawalId }))).toBe("its batch is not verified on L1 yet");
    expect(rejection(call(sim, "bob", { kind: "claim", withdrawalId }))).toBe("no such ZK withdrawal of yours");
    settle(sim, batchId);
    expect(zk(sim).withdrawals[withdrawalId]!.status).toBe("ready");
    expect(zkEvents(sim, "withdrawalReady")[0]!.t).toBe(zk(sim).batches[batchId]!.verifiedAtMs);

    const l1Before = sim.l1Balance("alice");
    expect(rejection(call(sim, "alice", { kind: "claim", withdrawalId }))).toBeUndefined();
    sim.blocks(1);
    const included = sim.eventsOf("l1.included").at(-1)!;
    expect(included.ok).toBe(true);
    expect(sim.l1Balance("alice")).toBe(l1Before + eth(0.5) - included.fee);
    const paid = zkEvents(sim, "withdrawalPaid")[0]!;
    // One L1 block after verification: no challenge window.
    expect(paid.data.sinceVerifiedMs).toBe(sim.world.config.blockTimeMs);
    expect(zk(sim).withdrawals[withdrawalId]!.status).toBe("paid");
    expect(rejection(call(sim, "alice", { kind: "claim", withdrawalId }))).toBe("already paid");
    expect(sim.l1Balance(ZK_BRIDGE)).toBe(eth(3.5));
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("a withdrawal in a rejected batch is never payable", () => {
    const sim = setup();
    send(sim, "withdraw", "bob", "bob", eth(1));
    const withdrawalId = zkEvents(sim, "txAccepted")[0]!.data.txId as string;
    settle(sim, prove(sim, "pat", { cheat: { kind: "wrongRoot" } }));
    expect(zk(sim).withdrawals[withdrawalId]).toBeUndefined();
    expect(rejection(call(sim, "bob", { kind: "claim", withdrawalId }))).toBe("no such ZK withdrawal of yours");
    expect(sim.l1Balance(ZK_BRIDGE)).toBe(eth(4));
    expect(conservationViolation(sim.world)).toBeNull();
  });
});

describe("costs", () => {
  /** A world where alice sends `count` transfers and pat proves them all in one batch. */
  function batchOf(count: number, da: "blob" | "calldata" = "calldata"): { sim: Sim; batch: ZkBatch; verified: ModuleEvent } {
    const sim = setup(`zk-size-${count}`);
    for (let i = 0; i < count; i++) send(sim, "transfer", "alice", i % 2 ? "bob" : "carol", eth(0.01));
    const batchId = prove(sim, "pat", { da });
    const batch = settle(sim, batchId);
    expect(batch.status).toBe("verified");
    return { sim, batch, verified: zkEvents(sim, "batchVerified")[0]! };
  }

  it("proving time grows with the batch, and so does the time to finality", () => {
    const small = batchOf(1);
    const large = batchOf(24);
    expect(small.batch.provingMs).toBeGreaterThanOrEqual(PROVING_BASE_MS);
    expect(large.batch.provingMs).toBeGreaterThan(small.batch.provingMs);
    const readyAfter = (run: { sim: Sim; batch: ZkBatch }) => zkEvents(run.sim, "proofReady")[0]!.t - run.batch.startedAtMs;
    expect(readyAfter(large)).toBeGreaterThan(readyAfter(small));
    expect(large.verified.data.minFinalityMs as number).toBeGreaterThan(small.verified.data.maxFinalityMs as number);
    // The prover pays more in total, less per transaction.
    expect(large.batch.proverCost).toBeGreaterThan(small.batch.proverCost);
    expect(large.verified.data.proverCostPerTx as number).toBeLessThan(small.verified.data.proverCostPerTx as number);
    expect(conservationViolation(small.sim.world)).toBeNull();
    expect(conservationViolation(large.sim.world)).toBeNull();
  });

  it("verification gas is the same for every batch size; only the state diff's calldata grows", () => {
    const runs = [batchOf(1), batchOf(8), batchOf(24)];
    for (const run of runs) {
      expect(run.verified.data.verifyGas).toBe(ZK_VERIFY_GAS);
      expect((run.verified.data.l1Gas as number) - (run.verified.data.calldataGas as number)).toBe(ZK_COMMIT_GAS + ZK_VERIFY_GAS);
    }
    const [one, eight, many] = runs.map((run) => run.verified.data);
    expect(many!.calldataGas as number).toBeGreaterThan(one!.calldataGas as number);
    expect(eight!.verifyGasPerTx as number).toBeLessThan(one!.verifyGasPerTx as number);
    expect(many!.l1GasPerTx as number).toBeLessThan(eight!.l1GasPerTx as number);
    // Signatures never reach L1: the diff is smaller than the transactions it summarises.
    expect(many!.diffBytes as number).toBeLessThan(24 * 64);
  });

  it("in a blob the diff costs one whole blob at the blob base fee, whatever its size, and far less than as calldata", () => {
    const [one, many] = [batchOf(1, "blob"), batchOf(24, "blob")].map((run) => run.verified.data);
    for (const data of [one!, many!]) {
      expect(data).toMatchObject({ da: "blob", blobs: 1 });
      expect(data.l1Gas).toBe(ZK_COMMIT_GAS + ZK_VERIFY_GAS);
      expect(data.dataFee).toBe(data.dataFeeAsBlobs);
      expect(data.dataFeeAsCalldata as number).toBeGreaterThan(100 * (data.dataFeeAsBlobs as number));
    }
    expect(many!.dataFee).toBe(one!.dataFee);
  });

  it("a state diff in a blob pays its transaction's gas and one blob instead of its bytes as calldata; the debrief shows both costs", () => {
    // The ZK twin of blob-fee.test.ts's optimistic batch: one batch's diff in a blob, the next one's as calldata.
    const sim = setup("zk-both-costs");
    for (const da of ["blob", "calldata"] as const) {
      for (let i = 0; i < 5; i++) send(sim, "transfer", "alice", "bob", eth(0.01));
      expect(settle(sim, prove(sim, "pat", { da })).status).toBe("verified");
    }
    const [blobBatch, calldataBatch] = zk(sim).batches;
    const included = sim.eventsOf("l1.included");
    const landed = zkEvents(sim, "batchVerified").map((e) => e.data);
    const [blobTx, calldataTx] = landed.map((data) => included.find((e) => e.txId === data.l1TxId)!);
    expect(blobTx).toMatchObject({ gas: ZK_COMMIT_GAS + ZK_VERIFY_GAS, blobs: 1 });
    expect(calldataTx!.gas).toBe(ZK_COMMIT_GAS + ZK_VERIFY_GAS + calldataBatch!.calldataGas);
    expect(calldataTx!.blobs).toBeUndefined();
    expect(landed[0]).toMatchObject({ batchId: blobBatch!.id, da: "blob", blobs: 1, dataFee: blobTx!.blobFee, l1Fee: blobTx!.fee });
    expect(landed[1]).toMatchObject({ batchId: calldataBatch!.id, da: "calldata", blobs: 0, dataFee: landed[1]!.dataFeeAsCalldata });
    // The same diff as calldata costs far more than the blob, at that block's prices.
    expect(landed[0]!.dataFeeAsCalldata as number).toBeGreaterThan(100 * (landed[0]!.dataFeeAsBlobs as number));
    const sum = (key: string) => landed.reduce((total, data) => total + (data[key] as number), 0);
    const debrief = computeDebrief(sim.events, sim.world.config, sim.now, "zk");
    const data = { blobs: 1, paid: sum("dataFee"), asCalldata: sum("dataFeeAsCalldata"), asBlobs: sum("dataFeeAsBlobs") };
    expect(debrief.zk!.data).toEqual(data);
    expect(debrief.cost!.data).toEqual(data);
    const story = debrief.story.join(" ");
    expect(story).toMatch(/The state diffs went in 1 EIP-4844 blob/);
    expect(story).toMatch(/blobs [\d,]+× cheaper/);
    expect(debrief.figures).toContainEqual(["State diffs' data: paid / as calldata / as blobs", `${ethWords(data.paid)} / ${ethWords(data.asCalldata)} / ${ethWords(data.asBlobs)}`]);
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("a prover who cannot pay for proving is refused and nothing changes", () => {
    const sim = setup();
    sim.act({ type: "fund", account: "poor", amount: provingCost(3) - 1 });
    send(sim, "transfer", "alice", "bob", 1);
    const before = JSON.stringify(sim.world);
    expect(rejection(call(sim, "poor", { kind: "prove" }))).toMatch(/not enough ETH on L1 to pay for proving/);
    expect(JSON.stringify(sim.world)).toBe(before);
  });
});

/**
 * A mixed round: deposits, transfers and withdrawals from three users; pat and bob prove,
 * sometimes honestly, sometimes with a forged mint, an unsigned steal or a wrong root; ready
 * withdrawals are claimed. Checks conservation after every block, then drains the queue.
 */
function mixedRound(seed: string): Sim {
  const sim = setup(seed);
  const players = ["alice", "bob", "carol"];
  const cheats: (ZkCheat | undefined)[] = [undefined, { kind: "mint", amount: eth(1) }, undefined, { kind: "steal", victim: "bob", amount: eth(0.1) }, undefined, { kind: "wrongRoot" }];
  for (let round = 0; round < 12; round++) {
    const from = players[round % 3]!;
    const to = players[(round + 1) % 3]!;
    if (round % 4 === 0) call(sim, "carol", { kind: "deposit", amount: eth(0.3) });
    if (balance(sim, from) > eth(0.2)) send(sim, round % 5 === 4 ? "withdraw" : "transfer", from, round % 5 === 4 ? from : to, eth(0.05));
    const cheat = cheats[(round >> 1) % cheats.length];
    if (round % 2 === 1) call(sim, round % 4 === 1 ? "pat" : "bob", { kind: "prove", ...(cheat ? { cheat } : {}) });
    for (const w of Object.values(zk(sim).withdrawals)) if (w.status === "ready") call(sim, w.to, { kind: "claim", withdrawalId: w.id });
    sim.blocks(1);
    expect(conservationViolation(sim.world)).toBeNull();
  }
  const unsettled = () => zk(sim).batches.some((b) => b.status === "proving" || b.status === "proven" || b.status === "submitted");
  for (let guard = 0; guard < 300 && (zk(sim).pending.length > 0 || unsettled()); guard++) {
    if (zk(sim).pending.length > 0 && !zk(sim).batches.some((b) => b.status === "proving")) call(sim, "pat", { kind: "prove" });
    sim.blocks(1);
    expect(conservationViolation(sim.world)).toBeNull();
  }
  expect(zk(sim).pending).toHaveLength(0);
  expect(unsettled()).toBe(false);
  for (const w of Object.values(zk(sim).withdrawals)) if (w.status === "ready") call(sim, w.to, { kind: "claim", withdrawalId: w.id });
  sim.blocks(1);
  expect(conservationViolation(sim.world)).toBeNull();
  return sim;
}

describe("conservation, debrief and replay", () => {
  it("money is conserved block by block through deposits, transfers, honest and forged batches, and withdrawals", () => {
    const sim = mixedRound("zk-conservation");
    expect(zkEvents(sim, "batchRejected").length).toBeGreaterThan(0);
    expect(zkEvents(sim, "batchVerified").length).toBeGreaterThan(0);
    expect(zkEvents(sim, "withdrawalPaid").length).toBeGreaterThan(0);
    // Every verified batch was honest; every fraudulent one was rejected.
    for (const batch of zk(sim).batches) {
      if (batch.cheat) expect(batch.status).toBe("rejected");
      if (batch.status === "verified") expect(batch.cheat).toBeNull();
    }
    // With everything settled, L1 holds the root of the built state and the bridge holds exactly the L2's balances.
    expect(zk(sim).verifiedRoot).toBe(new L2Executor(zk(sim).built).root());
    const l2Total = Object.values(zk(sim).built.accounts).reduce((sum, a) => sum + a.balance, 0);
    expect(sim.l1Balance(ZK_BRIDGE)).toBe(l2Total);
  });

  it("the debrief's figures are what the round really did", () => {
    const sim = mixedRound("zk-debrief");
    const d = zkDebrief(sim.events);
    const batches = zk(sim).batches;
    const verified = batches.filter((b) => b.status === "verified");
    expect(d.batchesVerified).toBe(verified.length);
    expect(d.batchesRejected).toBe(batches.filter((b) => b.status === "rejected").length);
    expect(d.batchesAbandoned).toBe(batches.filter((b) => b.status === "abandoned").length);
    expect(d.fraudsAttempted).toBe(batches.filter((b) => b.cheat !== null).length);
    expect(d.fraudsAttempted).toBeGreaterThan(0);
    expect(d.fraudsVerified).toBe(0);
    expect(d.finalTxs).toBe(verified.reduce((sum, b) => sum + b.txs.length, 0));
    expect(d.proverCost).toBe(batches.reduce((sum, b) => sum + b.proverCost, 0));
    expect(d.provers.sort()).toEqual([...zk(sim).provers].sort());
    expect(d.verifyGasPerBatch).toBe(ZK_VERIFY_GAS);
    // L1 fees provers paid = the fees of every included verify transaction, reverted or not.
    const verifyTxIds = new Set(zkEvents(sim, "proofSubmitted").map((e) => e.data.l1TxId));
    const paid = sim.eventsOf("l1.included").filter((e) => verifyTxIds.has(e.txId)).reduce((sum, e) => sum + e.fee, 0);
    expect(d.proverL1Fees).toBe(paid);
    // The debrief's cost ratio is those fees over the final transactions, against the round's L1 transfer fee.
    const debrief = computeDebrief(sim.events, sim.world.config, sim.now, "zk");
    const perTx = Math.round(paid / d.finalTxs);
    expect(debrief.cost).toMatchObject({ l1Fees: paid, txs: d.finalTxs, perTx, ratio: Math.round((10 * debrief.l1.transferFee) / perTx) / 10 });
    expect(d.deposits).toBe(zk(sim).deposits.length);
    expect(d.deposited).toBe(zk(sim).deposits.reduce((sum, dep) => sum + dep.amount, 0));
    expect(d.l2Txs).toBe(zkEvents(sim, "txAccepted").length);
    expect(d.withdrawalsPaid).toBe(Object.values(zk(sim).withdrawals).filter((w) => w.status === "paid").length);
    expect(d.meanPayoutAfterVerifyMs).toBeGreaterThan(0);
    expect(d.meanFinalityMs).toBeGreaterThan(0);
    expect(d.maxFinalityMs).toBeGreaterThanOrEqual(d.meanFinalityMs);
  });

  it("replaying the action log rebuilds the same world and events", () => {
    const sim = mixedRound("zk-replay");
    const log = JSON.parse(JSON.stringify(sim.log)) as typeof sim.log;
    const again = replay("zk-replay", sim.world.config, log, sim.now);
    expect(again.hash).toBe(stateHash(sim.world));
    expect(again.events).toEqual(sim.events);
  });
});
