import type { EngineEvent } from "../events.ts";
import { L2Executor, cloneL2State } from "../l2-state.ts";
import { moduleEvent } from "../module.ts";
import type { L1Tx, World } from "../world.ts";
import { ZK_COMMIT_GAS, ZK_EVENTS, ZK_MODULE, ZK_VERIFY_GAS } from "./constants.ts";
import { l1FeeOf } from "./l1-fee.ts";
import { dataCosts } from "../data-cost.ts";
import { zkContext } from "./mempool.ts";
import { encodeStateDiff, stateDiffHash } from "./state-diff.ts";
import type { ZkBatch, ZkPending, ZkState } from "./types.ts";

/**
 * The L1 verifier of a batch proof.
 *
 * THE PROOF ITSELF IS SIMULATED: no SNARK is generated or checked. What stands in for it is
 * what the proof attests to, and those commitments are real: L1 re-executes the batch data
 * from the pre-state it holds (real ed25519 signatures, real sha256 Merkle roots) and accepts
 * only if the pre-state root is the one L1 holds, every transaction is valid, and the claimed
 * post-state root and the posted state diff are exactly what honest execution gives. So, as
 * with a sound proof system, a batch whose claim is not the honest execution can never be verified.
 *
 * Returns why the proof is rejected, or null when it verifies.
 */
export function checkBatch(world: World, state: ZkState, batch: ZkBatch): string | null {
  if (!batch.preState) return "the batch has no pre-state to check against";
  const executor = new L2Executor(cloneL2State(batch.preState));
  if (executor.root() !== batch.preRoot) return "the pre-state root does not commit to the batch's pre-state";
  const context = zkContext(world, state, batch.prover);
  let firstInvalid: string | null = null;
  for (const tx of batch.txs) {
    const reason = executor.apply(tx, context);
    if (reason && !firstInvalid) firstInvalid = `transaction ${tx.id} (${tx.kind} from ${tx.from}) is invalid: ${reason}`;
  }
  const honestRoot = executor.root();
  if (honestRoot !== batch.claimedRoot) {
    return `the claimed post-state root is not the honest execution's${firstInvalid ? `; ${firstInvalid}` : ""}`;
  }
  if (firstInvalid) return firstInvalid;
  const diff = encodeStateDiff(batch.preState, executor.state, batch.preRoot, honestRoot, batch.txs);
  if (stateDiffHash(diff) !== batch.diffHash) return "the posted state diff is not the honest execution's";
  return null;
}

/** Summary figures of a list of durations, ms. */
function spread(values: readonly number[]): { mean: number; min: number; max: number; total: number } {
  const total = values.reduce((sum, v) => sum + v, 0);
  return { mean: values.length ? Math.round(total / values.length) : 0, min: values.length ? Math.min(...values) : 0, max: values.length ? Math.max(...values) : 0, total };
}

/**
 * The verifier refused `batch`. On L1 nothing changes: the root, the bridge and every
 * withdrawal stay as they were. Off-chain, the rollup drops the batch and every later one
 * built on it, and their honest transactions go back to the front of the queue in order.
 */
function rejectBatch(world: World, state: ZkState, batch: ZkBatch, reason: string, l1: { l1TxId: string; l1Gas: number; l1Fee: number }, out: EngineEvent[]): void {
  const dropped = state.batches.filter((b) => b.id >= batch.id && (b.status === "proving" || b.status === "proven" || b.status === "submitted"));
  const requeue: ZkPending[] = [];
  const cancelledL1 = new Set<string>();
  for (const b of [batch, ...dropped.filter((d) => d.id !== batch.id)]) {
    if (b.l1TxId && b.id !== batch.id) cancelledL1.add(b.l1TxId);
    b.txs.forEach((tx, index) => {
      delete state.withdrawals[tx.id];
      if (tx.id !== b.forgedTxId) requeue.push({ tx, submittedAtMs: b.submittedAtMs[index]! });
    });
    if (b.id !== batch.id) {
      b.status = "abandoned";
      out.push(moduleEvent(world, ZK_MODULE, ZK_EVENTS.batchAbandoned, { batchId: b.id, prover: b.prover, cause: batch.id, txCount: b.txs.length, proverCost: b.proverCost }));
    }
  }
  batch.status = "rejected";
  state.built = batch.preState!;
  state.pending = [...requeue, ...state.pending];
  // Later proofs were for roots that will never exist: take their L1 submissions back.
  if (cancelledL1.size > 0) world.l1.mempool = world.l1.mempool.filter((tx) => !cancelledL1.has(tx.id));
  out.push(moduleEvent(world, ZK_MODULE, ZK_EVENTS.batchRejected, {
    batchId: batch.id,
    prover: batch.prover,
    reason,
    cheat: batch.cheat,
    fraudulent: batch.cheat !== null,
    txCount: batch.txs.length,
    proverCost: batch.proverCost,
    requeued: requeue.length,
    ...l1,
  }));
}

/**
 * An included verify transaction: the verifier checks the batch; if it holds, L1 takes the
 * new root and the batch is final at once (no challenge window), its withdrawals payable now.
 */
export function verifyOnL1(world: World, state: ZkState, tx: L1Tx, batchId: number, out: EngineEvent[]): string | null {
  const batch = state.batches[batchId];
  if (!batch || batch.status !== "submitted" || batch.l1TxId !== tx.id) return "the batch is no longer waiting for verification";
  // What this L1 transaction cost its prover: paid whether it verifies or reverts.
  const l1 = l1FeeOf(world, tx);
  if (batch.preRoot !== state.verifiedRoot) {
    // An earlier batch is still on its way: this proof is sound but must wait for it.
    batch.status = "proven";
    batch.l1TxId = null;
    batch.autoSubmit = true;
    batch.outOfOrderReverts += 1;
    out.push(moduleEvent(world, ZK_MODULE, ZK_EVENTS.verifyOutOfOrder, { batchId, prover: batch.prover, ...l1 }));
    return "the batch's pre-state root is not the root L1 holds yet (an earlier batch is unverified)";
  }
  const reason = checkBatch(world, state, batch);
  if (reason) {
    rejectBatch(world, state, batch, reason, l1, out);
    return `proof rejected: ${reason}`;
  }
  state.verifiedRoot = batch.claimedRoot;
  batch.status = "verified";
  batch.verifiedAtMs = world.nowMs;
  batch.preState = null;
  const txCount = batch.txs.length;
  const finality = spread(batch.submittedAtMs.map((at) => world.nowMs - at));
  const withdrawals = Object.values(state.withdrawals).filter((w) => w.batchId === batch.id);
  const costs = dataCosts(world, tx, batch.calldataGas, batch.diffBytes);
  out.push(moduleEvent(world, ZK_MODULE, ZK_EVENTS.batchVerified, {
    batchId,
    prover: batch.prover,
    txCount,
    userTxCount: batch.txs.filter((t) => t.kind === "transfer" || t.kind === "withdraw").length,
    depositCount: batch.txs.filter((t) => t.kind === "deposit").length,
    withdrawalCount: withdrawals.length,
    root: batch.claimedRoot,
    verifyGas: ZK_VERIFY_GAS,
    verifyGasPerTx: Math.round(ZK_VERIFY_GAS / txCount),
    commitGas: ZK_COMMIT_GAS,
    calldataGas: batch.calldataGas,
    diffBytes: batch.diffBytes,
    // Where the state diff went (blobs or calldata), what it cost, and what it would have cost the other way in this block.
    da: batch.da,
    blobs: batch.blobs,
    dataFee: batch.da === "blob" ? costs.asBlobs : costs.asCalldata,
    dataFeeAsCalldata: costs.asCalldata,
    dataFeeAsBlobs: costs.asBlobs,
    ...l1,
    l1GasPerTx: Math.round(tx.gas / txCount),
    l1FeePerTx: Math.round(l1.l1Fee / txCount),
    proverCost: batch.proverCost,
    proverCostPerTx: Math.round(batch.proverCost / txCount),
    l2Fees: batch.txs.reduce((sum, t) => sum + t.fee, 0),
    provingMs: batch.provingMs,
    meanFinalityMs: finality.mean,
    minFinalityMs: finality.min,
    maxFinalityMs: finality.max,
    totalFinalityMs: finality.total,
  }));
  for (const w of withdrawals) {
    if (w.status !== "pending") continue;
    w.status = "ready";
    out.push(moduleEvent(world, ZK_MODULE, ZK_EVENTS.withdrawalReady, { withdrawalId: w.id, to: w.to, amount: w.amount, batchId, waitMs: world.nowMs - w.submittedAtMs }));
  }
  return null;
}
