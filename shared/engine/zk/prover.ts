import type { DataAvailability, FeeChoice } from "../actions.ts";
import { blobsFor } from "../blob-fee.ts";
import { calldataGas } from "../calldata.ts";
import type { EngineEvent } from "../events.ts";
import { L2Executor, cloneL2State } from "../l2-state.ts";
import type { L2Tx } from "../l2-state.ts";
import { submitL1Tx } from "../l1.ts";
import { moduleEvent } from "../module.ts";
import { sha256Hex } from "../../crypto/hash.ts";
import { newId } from "../world.ts";
import type { World } from "../world.ts";
import {
  PROVING_BASE_COST,
  PROVING_BASE_MS,
  PROVING_COST_PER_TX,
  PROVING_MS_PER_TX,
  ZK_COMMIT_GAS,
  ZK_EVENTS,
  ZK_MODULE,
  ZK_VERIFY_GAS,
} from "./constants.ts";
import { zkContext } from "./mempool.ts";
import { encodeStateDiff, stateDiffHash } from "./state-diff.ts";
import type { ZkBatch, ZkCheat, ZkState } from "./types.ts";

/** Game time to prove a batch of `txCount` transactions, ms: grows with the batch. */
export function provingTimeMs(txCount: number): number {
  return PROVING_BASE_MS + PROVING_MS_PER_TX * txCount;
}

/** What proving a batch of `txCount` transactions costs its prover, gwei. */
export function provingCost(txCount: number): number {
  return PROVING_BASE_COST + PROVING_COST_PER_TX * txCount;
}

/** Gas of the L1 transaction that submits a proven batch: fixed verification + commitment, + the diff's calldata unless it goes in blobs. */
export function verifyTxGas(batch: Pick<ZkBatch, "calldataGas" | "da">): number {
  return ZK_COMMIT_GAS + ZK_VERIFY_GAS + (batch.da === "calldata" ? batch.calldataGas : 0);
}

/** The forged transaction a cheating prover adds, or why it cannot. */
function forge(world: World, honestPost: L2Executor, prover: string, cheat: ZkCheat): L2Tx | null | string {
  if (cheat.kind === "wrongRoot") return null;
  if (cheat.kind === "mint") return { id: newId(world, "zk"), kind: "mint", from: prover, to: prover, amount: cheat.amount, fee: 0, nonce: 0, sig: "" };
  const victim = honestPost.state.accounts[cheat.victim];
  if (!victim || victim.balance < cheat.amount) return "the victim does not hold that much on the ZK rollup";
  // The prover has no key for the victim: the signature cannot verify.
  return { id: newId(world, "zk"), kind: "transfer", from: cheat.victim, to: prover, amount: cheat.amount, fee: 0, nonce: victim.nonce, sig: "00".repeat(64) };
}

/**
 * A prover (any player) takes the oldest pending transactions, executes them honestly, commits
 * to the post-state root and starts proving. Proving costs it `provingCost` gwei now (burned:
 * the hardware it pays for off-chain) and takes `provingTimeMs` of game time. With `cheat`,
 * the commitment is a lie (a forged mint, an unsigned steal, or simply a wrong root): the
 * proof will be produced (it is simulated), but L1's verifier will never accept it.
 */
export function buildBatch(world: World, state: ZkState, prover: string, maxTxs: number | undefined, cheat: ZkCheat | undefined, da: DataAvailability, fee: FeeChoice, out: EngineEvent[]): string | null {
  const cap = Math.min(maxTxs ?? world.config.maxBatchTxs, world.config.maxBatchTxs);
  const forges = cheat !== undefined && cheat.kind !== "wrongRoot";
  const taken = state.pending.slice(0, Math.max(0, forges ? cap - 1 : cap));
  if (taken.length === 0 && !forges) return "nothing to prove: no pending ZK transactions";

  // Honest execution, on a copy until every check has passed.
  const context = zkContext(world, state, prover);
  const executor = new L2Executor(cloneL2State(state.built));
  const preRoot = executor.root();
  const included: typeof taken = [];
  const failed: { txId: string; from: string; reason: string }[] = [];
  for (const pending of taken) {
    const reason = executor.apply(pending.tx, context);
    if (reason) failed.push({ txId: pending.tx.id, from: pending.tx.from, reason });
    else included.push(pending);
  }
  const honestRoot = executor.root();

  let forged: L2Tx | null = null;
  let claimed = executor;
  let claimedRoot = honestRoot;
  if (cheat) {
    const made = forge(world, executor, prover, cheat);
    if (typeof made === "string") return made;
    forged = made;
    if (forged) {
      claimed = executor.fork();
      claimed.apply(forged, context, true);
      claimedRoot = claimed.root();
    } else {
      claimedRoot = sha256Hex(`not-the-honest-root:${honestRoot}`);
    }
  }
  const txs = included.map((p) => p.tx);
  const submittedAtMs = included.map((p) => p.submittedAtMs);
  if (forged) {
    txs.push(forged);
    submittedAtMs.push(world.nowMs);
  }
  if (txs.length === 0) {
    // Nothing in the taken slice still executes: drop it so it does not block the queue.
    state.pending = state.pending.slice(taken.length);
    for (const f of failed) out.push(moduleEvent(world, ZK_MODULE, ZK_EVENTS.txDropped, f));
    return null;
  }
  const cost = provingCost(txs.length);
  if ((world.l1.balances[prover] ?? 0) < cost) return `not enough ETH on L1 to pay for proving (${cost} gwei)`;

  const preState = cloneL2State(state.built);
  const diff = encodeStateDiff(preState, claimed.state, preRoot, claimedRoot, txs);
  const dataGas = calldataGas(diff, world.config.gas);
  const provingMs = provingTimeMs(txs.length);
  const batch: ZkBatch = {
    id: state.batches.length,
    prover,
    txs,
    submittedAtMs,
    preState,
    preRoot,
    claimedRoot,
    diffHash: stateDiffHash(diff),
    diffBytes: diff.length,
    da,
    blobs: da === "blob" ? blobsFor(diff.length) : 0,
    calldataGas: dataGas,
    cheat: cheat?.kind ?? null,
    forgedTxId: forged?.id ?? null,
    proverCost: cost,
    provingMs,
    startedAtMs: world.nowMs,
    provenAtMs: null,
    verifiedAtMs: null,
    status: "proving",
    l1TxId: null,
    tip: fee.tip ?? null,
    maxFee: fee.maxFee ?? null,
    autoSubmit: true,
    outOfOrderReverts: 0,
  };

  // Every check passed: commit.
  world.l1.balances[prover] = (world.l1.balances[prover] ?? 0) - cost;
  world.l1.burned += cost;
  if (!state.provers.includes(prover)) state.provers.push(prover);
  state.batches.push(batch);
  state.built = executor.state;
  state.pending = state.pending.slice(taken.length);
  for (const f of failed) out.push(moduleEvent(world, ZK_MODULE, ZK_EVENTS.txDropped, f));
  for (const [index, tx] of txs.entries()) {
    if (tx.kind !== "withdraw" || tx.id === batch.forgedTxId) continue;
    state.withdrawals[tx.id] = { id: tx.id, to: tx.to, amount: tx.amount, batchId: batch.id, status: "pending", submittedAtMs: submittedAtMs[index]! };
  }
  out.push(moduleEvent(world, ZK_MODULE, ZK_EVENTS.proverPaid, { batchId: batch.id, prover, cost, costPerTx: Math.round(cost / txs.length), burned: true }));
  out.push(moduleEvent(world, ZK_MODULE, ZK_EVENTS.provingStarted, {
    batchId: batch.id,
    prover,
    txCount: txs.length,
    provingMs,
    readyAtMs: world.nowMs + provingMs,
    proverCost: cost,
    proverCostPerTx: Math.round(cost / txs.length),
    diffBytes: diff.length,
    calldataGas: dataGas,
    verifyGas: ZK_VERIFY_GAS,
  }));
  if (cheat) {
    out.push(moduleEvent(world, ZK_MODULE, ZK_EVENTS.fraudAttempted, { batchId: batch.id, by: prover, kind: cheat.kind, victim: cheat.kind === "steal" ? cheat.victim : null, amount: forged?.amount ?? 0 }));
  }
  return null;
}

/** Queues the L1 transaction that carries a proven batch, its state diff and its proof. */
export function submitProof(world: World, batch: ZkBatch, fee: FeeChoice, out: EngineEvent[]): string | null {
  const gas = verifyTxGas(batch);
  const choice: FeeChoice = { ...(fee.tip !== undefined ? { tip: fee.tip } : {}), ...(fee.maxFee !== undefined ? { maxFee: fee.maxFee } : {}) };
  const tx = submitL1Tx(world, batch.prover, { kind: "module", module: ZK_MODULE, call: { op: "verifyBatch", batchId: batch.id } }, gas, 0, choice, out, batch.blobs);
  if (typeof tx === "string") return tx;
  batch.status = "submitted";
  batch.l1TxId = tx.id;
  out.push(moduleEvent(world, ZK_MODULE, ZK_EVENTS.proofSubmitted, { batchId: batch.id, prover: batch.prover, l1TxId: tx.id, gas, verifyGas: ZK_VERIFY_GAS, commitGas: ZK_COMMIT_GAS, calldataGas: batch.da === "calldata" ? batch.calldataGas : 0, da: batch.da, blobs: batch.blobs }));
  return null;
}

/** The prover resubmits its proven batch by hand (after a failed or dropped submission, or to bid a higher tip). */
export function resubmitProof(world: World, state: ZkState, by: string, batchId: number, fee: FeeChoice, out: EngineEvent[]): string | null {
  const batch = state.batches[batchId];
  if (!batch) return "no such ZK batch";
  if (batch.prover !== by) return "only the batch's prover holds its proof";
  if (batch.status !== "proven") return batch.status === "proving" ? "its proof is not ready yet" : `the batch is ${batch.status}, not waiting for submission`;
  const reason = submitProof(world, batch, fee, out);
  if (reason) return reason;
  batch.tip = fee.tip ?? null;
  batch.maxFee = fee.maxFee ?? null;
  batch.autoSubmit = true;
  return null;
}

/**
 * At each L1 block: proofs whose time has come are ready; a submission L1 dropped (the
 * prover could no longer pay its gas) goes back to "proven"; proven batches are submitted in
 * order, each once every earlier batch is on its way to L1.
 */
export function advanceProving(world: World, state: ZkState, out: EngineEvent[]): void {
  const inMempool = new Set(world.l1.mempool.map((tx) => tx.id));
  for (const batch of state.batches) {
    if (batch.status === "proving" && world.nowMs >= batch.startedAtMs + batch.provingMs) {
      batch.status = "proven";
      batch.provenAtMs = world.nowMs;
      out.push(moduleEvent(world, ZK_MODULE, ZK_EVENTS.proofReady, { batchId: batch.id, prover: batch.prover, txCount: batch.txs.length, provingMs: batch.provingMs, elapsedMs: world.nowMs - batch.startedAtMs }));
    } else if (batch.status === "submitted" && batch.l1TxId !== null && !inMempool.has(batch.l1TxId)) {
      batch.status = "proven";
      batch.l1TxId = null;
      batch.autoSubmit = false;
      out.push(moduleEvent(world, ZK_MODULE, ZK_EVENTS.proofSubmissionDropped, { batchId: batch.id, prover: batch.prover }));
    }
  }
  // Submit in order. A proof that already overtook its predecessor once waits until that one
  // is verified, so a stuck predecessor cannot make it revert (and pay gas) block after block.
  let previous: ZkBatch | null = null;
  for (const batch of state.batches) {
    if (batch.status === "rejected" || batch.status === "abandoned") continue;
    if (batch.status === "proving") return;
    if (batch.status === "proven") {
      if (!batch.autoSubmit) return;
      if (batch.outOfOrderReverts > 0 && previous !== null && previous.status !== "verified") return;
      const fee: FeeChoice = { ...(batch.tip !== null ? { tip: batch.tip } : {}), ...(batch.maxFee !== null ? { maxFee: batch.maxFee } : {}) };
      const reason = submitProof(world, batch, fee, out);
      if (reason) {
        batch.autoSubmit = false;
        out.push(moduleEvent(world, ZK_MODULE, ZK_EVENTS.proofSubmitFailed, { batchId: batch.id, prover: batch.prover, reason }));
        return;
      }
    }
    previous = batch;
  }
}
