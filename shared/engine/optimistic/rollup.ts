import { compressBatch, encodeBatch } from "../batch-codec.ts";
import { calldataGas } from "../calldata.ts";
import type { Cheat, DataAvailability, FeeChoice } from "../actions.ts";
import type { EngineEvent } from "../events.ts";
import { L2Executor, cloneL2State, executionTrace, l2TxMessage } from "../l2-state.ts";
import { verifySignature } from "../../crypto/sign.ts";
import type { L2Context, L2Tx } from "../l2-state.ts";
import { chargeNow, moveL1, submitL1Tx } from "../l1.ts";
import { blobsFor } from "../blob-fee.ts";
import { dataCosts } from "../data-cost.ts";
import { nextInt } from "../prng.ts";
import { newId } from "../world.ts";
import type { L1Tx, World } from "../world.ts";
import { BOND_REGISTRY, BRIDGE, OPTIMISTIC, rollupOf } from "./types.ts";
import type { Batch, ForcedEntry } from "./types.ts";

/** What an L2 executor may read of L1 right now. */
export function l2Context(world: World): L2Context {
  return { publicKeys: world.l1.publicKeys, deposits: rollupOf(world).deposits, sequencer: rollupOf(world).sequencer ?? "" };
}

/**
 * The context a batch executes under. Its L2 fees go to its poster, whoever holds the sequencer
 * role now: re-execution after a handover must reproduce the poster's honest trace.
 */
export function batchContext(world: World, batch: Batch): L2Context {
  return { ...l2Context(world), sequencer: batch.poster };
}

/** The honest execution trace of a batch: what any verifier (or L1, one step at a time) computes. */
export function honestTrace(world: World, batch: Batch): string[] {
  if (!batch.preState) throw new Error(`batch ${batch.id} is final; its pre-state is gone`);
  return executionTrace(batch.preState, batch.txs, batchContext(world, batch)).roots;
}

/** True when the sequencer's claimed post-state root differs from honest execution. */
export function isFraudulent(batch: Batch): boolean {
  return batch.forgedIds.length > 0;
}

function forgedAmount(batch: Batch): number {
  return batch.txs.filter((tx) => batch.forgedIds.includes(tx.id)).reduce((sum, tx) => sum + tx.amount, 0);
}

/**
 * The nonce `from`'s next L2 transaction must carry: one past the highest nonce it has pending,
 * and never below its account's nonce. Pending copies the account has moved past (a censored
 * transfer the sender forced through the L1 inbox) do not count.
 */
export function nextL2Nonce(world: World, from: string): number {
  let next = rollupOf(world).head.accounts[from]?.nonce ?? 0;
  for (const pending of rollupOf(world).mempool) if (pending.tx.from === from && pending.tx.nonce >= next) next = pending.tx.nonce + 1;
  return next;
}

/** Accepts a signed L2 transaction into the sequencer's mempool. The engine assigns its id. */
export function submitL2(world: World, tx: L2Tx, out: EngineEvent[]): string | null {
  if (tx.kind !== "transfer" && tx.kind !== "withdraw") return "only transfers and withdrawals can be sent on L2";
  if (!rollupOf(world).sequencer) return "this rollup has no sequencer yet";
  if (tx.fee < world.config.l2FeePerTx) return `L2 fee must be at least ${world.config.l2FeePerTx} gwei`;
  if (!Number.isSafeInteger(tx.amount) || tx.amount <= 0) return "amount must be a positive whole number of gwei";
  const expectedNonce = nextL2Nonce(world, tx.from);
  if (tx.nonce !== expectedNonce) return `nonce must be ${expectedNonce}`;
  // Balance is checked when sequenced (funds may arrive first); the signature must hold now.
  const publicKey = world.l1.publicKeys[tx.from];
  if (!publicKey || !verifySignature(publicKey, l2TxMessage(tx), tx.sig)) return "bad signature";
  const accepted: L2Tx = { ...tx, id: newId(world, "l2") };
  rollupOf(world).mempool.push({ tx: accepted, submittedAtMs: world.nowMs, censored: false });
  out.push({ t: world.nowMs, type: "l2.submitted", txId: accepted.id, kind: accepted.kind, from: accepted.from, to: accepted.to, amount: accepted.amount });
  return null;
}

/** Executes one transaction on the sequencer's head and records it as soft-confirmed. */
function softConfirm(world: World, tx: L2Tx, submittedAtMs: number, forged: boolean, forcedEntry: number | null, out: EngineEvent[]): boolean {
  const reason = new L2Executor(rollupOf(world).head).apply(tx, l2Context(world), forged);
  if (reason) {
    out.push({ t: world.nowMs, type: "l2.rejected", txId: tx.id, from: tx.from, reason });
    return false;
  }
  rollupOf(world).soft.push({ tx, forged, submittedAtMs, softAtMs: world.nowMs });
  if (tx.kind === "withdraw") {
    rollupOf(world).withdrawals[tx.id] = { id: tx.id, to: tx.to, amount: tx.amount, batchId: null, status: "initiated", initiatedAtMs: world.nowMs };
    out.push({ t: world.nowMs, type: "withdrawal.initiated", withdrawalId: tx.id, to: tx.to, amount: tx.amount });
  }
  if (tx.kind !== "mint") {
    out.push({ t: world.nowMs, type: "l2.softConfirmed", txId: tx.id, kind: tx.kind, from: tx.from, fee: tx.fee, latencyMs: world.nowMs - submittedAtMs, forced: forcedEntry !== null });
  }
  return true;
}

/** The L2 transaction that credits L1 deposit `depositIndex`. */
function depositTx(world: World, depositIndex: number): L2Tx {
  const deposit = rollupOf(world).deposits[depositIndex]!;
  return { id: `dep-${depositIndex}`, kind: "deposit", from: BRIDGE, to: deposit.to, amount: deposit.amount, fee: 0, nonce: 0, sig: "", depositIndex };
}

/** Credits an L1 deposit on L2: derived from L1, so the sequencer cannot skip it. */
export function creditDeposit(world: World, depositIndex: number, out: EngineEvent[]): void {
  const deposit = rollupOf(world).deposits[depositIndex]!;
  const tx = depositTx(world, depositIndex);
  if (softConfirm(world, tx, deposit.atMs, false, null, out)) {
    out.push({ t: world.nowMs, type: "deposit.credited", to: deposit.to, amount: deposit.amount, depositIndex });
  }
}

/**
 * The sequencer orders transactions: the listed ones (or every uncensored one, in arrival
 * order), after the delayed inbox unless it chooses to ignore it until forced.
 */
export function sequence(world: World, txIds: readonly string[] | undefined, includeInbox: boolean, out: EngineEvent[]): void {
  const rollup = rollupOf(world);
  if (includeInbox) {
    for (const entry of rollup.inbox) {
      if (entry.included || entry.sequenced) continue;
      entry.sequenced = true;
      softConfirm(world, entry.tx, entry.enqueuedAtMs, false, entry.id, out);
    }
  }
  const chosen = txIds
    ? txIds.map((id) => rollup.mempool.find((p) => p.tx.id === id)).filter((p) => p !== undefined)
    : rollup.mempool.filter((p) => !p.censored);
  const taken = new Set<string>();
  for (const pending of chosen) {
    taken.add(pending.tx.id);
    softConfirm(world, pending.tx, pending.submittedAtMs, false, null, out);
  }
  rollup.mempool = rollup.mempool.filter((p) => !taken.has(p.tx.id));
}

/** Leaves a transaction out on purpose; its sender's way out is the L1 delayed inbox. */
export function censor(world: World, txId: string, out: EngineEvent[]): string | null {
  const pending = rollupOf(world).mempool.find((p) => p.tx.id === txId);
  if (!pending) return "no such pending L2 transaction";
  pending.censored = true;
  out.push({ t: world.nowMs, type: "l2.censored", txId, from: pending.tx.from, by: rollupOf(world).sequencer ?? "" });
  return null;
}

/** Rebuilds the head from batchStart plus the soft list, dropping what no longer executes. */
function rebuildHead(world: World, out: EngineEvent[]): void {
  const rollup = rollupOf(world);
  rollup.head = cloneL2State(rollup.batchStart);
  const executor = new L2Executor(rollup.head);
  const context = l2Context(world);
  rollup.soft = rollup.soft.filter((soft) => {
    const reason = executor.apply(soft.tx, context, soft.forged);
    if (!reason) return true;
    delete rollup.withdrawals[soft.tx.id];
    out.push({ t: world.nowMs, type: "l2.rejected", txId: soft.tx.id, from: soft.tx.from, reason });
    return false;
  });
}

/** Builds a forged transaction for a cheating sequencer, or says why it cannot. */
function forge(world: World, cheat: Cheat): L2Tx | string {
  const sequencer = rollupOf(world).sequencer!;
  if (!Number.isSafeInteger(cheat.amount) || cheat.amount <= 0) return "cheat amount must be a positive whole number of gwei";
  if (cheat.kind === "mint") {
    return { id: newId(world, "l2"), kind: "mint", from: sequencer, to: sequencer, amount: cheat.amount, fee: 0, nonce: 0, sig: "" };
  }
  const victim = rollupOf(world).head.accounts[cheat.victim];
  if (!victim || victim.balance < cheat.amount) return "the victim does not hold that much on L2";
  // The sequencer has no key for the victim: the signature cannot verify.
  return { id: newId(world, "l2"), kind: "transfer", from: cheat.victim, to: sequencer, amount: cheat.amount, fee: 0, nonce: victim.nonce, sig: "00".repeat(64) };
}

/**
 * The sequencer posts its soft-confirmed transactions as a compressed batch with a claimed
 * post-state root and a bond. With `cheat`, a forged transaction rides along at a random place.
 */
export function postBatch(world: World, cheat: Cheat | undefined, da: DataAvailability, fee: FeeChoice, out: EngineEvent[]): string | null {
  const rollup = rollupOf(world);
  const sequencer = rollup.sequencer!;
  const honest = rollup.soft.slice(0, cheat ? world.config.maxBatchTxs - 1 : world.config.maxBatchTxs);
  const txs = honest.map((soft) => soft.tx);
  const forgedIds = honest.filter((soft) => soft.forged).map((soft) => soft.tx.id);
  let forgedTx: L2Tx | null = null;
  if (cheat) {
    const forged = forge(world, cheat);
    if (typeof forged === "string") return forged;
    forgedTx = forged;
    txs.splice(nextInt(world.rng, txs.length + 1), 0, forged);
    forgedIds.push(forged.id);
  }
  if (txs.length === 0) return "nothing to post: no soft-confirmed transactions";
  const raw = encodeBatch(txs);
  const compressed = compressBatch(raw);
  const dataGas = calldataGas(compressed, world.config.gas);
  // As blobs the data rides outside execution: the transaction pays only its own gas, plus whole blobs.
  const blobs = da === "blob" ? blobsFor(compressed.length) : 0;
  const gas = world.config.gas.batchPost + (da === "calldata" ? dataGas : 0);
  const bond = world.config.sequencerBond;
  const trace = executionTrace(rollup.batchStart, txs, l2Context(world), new Set(forgedIds));
  const batchId = rollup.batches.length;
  const tx = submitL1Tx(world, sequencer, { kind: "module", module: OPTIMISTIC, call: { op: "batchPost", batchId } }, gas, bond, fee, out, blobs);
  if (typeof tx === "string") return `cannot post the batch: ${tx} (bond ${bond} gwei)`;
  moveL1(world, sequencer, BOND_REGISTRY, bond);
  rollup.batches.push({
    id: batchId,
    poster: sequencer,
    forced: false,
    txs,
    forgedIds,
    preState: cloneL2State(rollup.batchStart),
    claimedRoots: trace.roots,
    rawBytes: raw.length,
    compressedBytes: compressed.length,
    da,
    blobs,
    calldataGas: dataGas,
    status: "submitted",
    l1TxId: tx.id,
    submittedAtMs: world.nowMs,
    postedAtMs: null,
    windowEndsMs: null,
    bond,
  });
  // Transactions the sequencer's own execution skipped are no-ops in the batch.
  for (const [txId, reason] of trace.failed) {
    const soft = honest.find((s) => s.tx.id === txId);
    if (!soft) continue;
    delete rollup.withdrawals[txId];
    out.push({ t: world.nowMs, type: "l2.rejected", txId, from: soft.tx.from, reason });
  }
  rollup.batchStart = trace.post.state;
  rollup.soft = rollup.soft.slice(honest.length);
  rebuildHead(world, out);
  // Delayed-inbox transactions are included once a batch carrying them goes to L1, not when soft-confirmed.
  const inBatch = new Set(txs.map((t) => t.id));
  for (const entry of rollup.inbox) {
    if (entry.included || !inBatch.has(entry.tx.id)) continue;
    entry.included = true;
    out.push({ t: world.nowMs, type: "forced.included", entryId: entry.id, txId: entry.tx.id, by: sequencer, waitMs: world.nowMs - entry.enqueuedAtMs, batchId });
  }
  for (const t of txs) {
    const withdrawal = rollup.withdrawals[t.id];
    if (withdrawal && !trace.failed.has(t.id)) withdrawal.batchId = batchId;
  }
  out.push({ t: world.nowMs, type: "batch.submitted", batchId, by: sequencer, txCount: txs.length, rawBytes: raw.length, compressedBytes: compressed.length, calldataGas: dataGas, da, blobs });
  if (cheat && forgedTx) {
    out.push({ t: world.nowMs, type: "fraud.attempted", batchId, by: sequencer, kind: cheat.kind, victim: cheat.kind === "steal" ? cheat.victim : null, amount: forgedTx.amount });
  }
  return null;
}

/** Inbox entries whose forced-inclusion delay has passed and that no batch holds yet, oldest first. */
export function maturedInbox(world: World): ForcedEntry[] {
  return rollupOf(world).inbox.filter((entry) => !entry.included && world.nowMs >= entry.enqueuedAtMs + world.config.forcedInclusionDelayMs);
}

/**
 * Forced inclusion, as Arbitrum's SequencerInbox.forceInclusion and the OP Stack's deposit rule
 * (a deposit must be in the L2 chain within the sequencing window) make it: once the delay has
 * passed, anyone's L1 transaction turns every matured delayed-inbox entry into canonical L2
 * input, after the last batch, without the sequencer. Whoever forced it also proposes the state
 * root after those transactions and bonds it like any claim (permissionless proposing, as
 * Arbitrum BoLD and OP's permissionless fault proofs allow): the batch is posted at once and its
 * challenge window starts, so a withdrawal in it is paid after the window even if the sequencer
 * never posts again. The sequencer's unposted soft confirmations are re-executed on top (some may
 * no longer execute: that is the reorg a censoring sequencer brings on itself).
 */
export function forceBatch(world: World, by: string, l1TxId: string, bond: number, out: EngineEvent[]): string | null {
  const rollup = rollupOf(world);
  const entries = maturedInbox(world);
  if (entries.length === 0) return "nothing left to force: the sequencer included it, or the delay has not passed";
  if ((world.l1.balances[by] ?? 0) < bond) return "not enough ETH on L1 for the proposal bond";
  const batchId = rollup.batches.length;
  // L1 deposits no batch holds yet come first: they are derived from L1, so forcing carries them too (the
  // OP Stack's deposits, Arbitrum's delayed inbox); then the matured inbox entries.
  const deposits: L2Tx[] = [];
  for (let index = rollup.batchStart.nextDeposit; index < rollup.deposits.length; index++) deposits.push(depositTx(world, index));
  const txs = [...deposits, ...entries.map((entry) => entry.tx)];
  // Whoever proposes the state root collects the batch's L2 fees, as the sequencer does for its own batches.
  const context = { ...l2Context(world), sequencer: by };
  const trace = executionTrace(rollup.batchStart, txs, context);
  const raw = encodeBatch(txs);
  moveL1(world, by, BOND_REGISTRY, bond);
  rollup.batches.push({
    id: batchId,
    poster: by,
    forced: true,
    txs,
    forgedIds: [],
    preState: cloneL2State(rollup.batchStart),
    claimedRoots: trace.roots,
    rawBytes: raw.length,
    compressedBytes: compressBatch(raw).length,
    // The data went to L1 as calldata with each forcedSubmit; this transaction only moves it into the L2's input.
    da: "calldata",
    blobs: 0,
    calldataGas: 0,
    status: "posted",
    l1TxId,
    submittedAtMs: world.nowMs,
    postedAtMs: world.nowMs,
    windowEndsMs: world.nowMs + world.config.challengeWindowMs,
    bond,
  });
  // The sequencer's soft confirmations of these (if it took them and never posted) are replaced by the canonical ones.
  const forcedIds = new Set(txs.map((t) => t.id));
  rollup.soft = rollup.soft.filter((soft) => !forcedIds.has(soft.tx.id));
  for (const tx of deposits) if (trace.failed.has(tx.id)) out.push({ t: world.nowMs, type: "l2.rejected", txId: tx.id, from: tx.from, reason: trace.failed.get(tx.id)! });
  for (const entry of entries) {
    entry.included = true;
    entry.sequenced = true;
    const failed = trace.failed.get(entry.tx.id);
    if (failed) {
      delete rollup.withdrawals[entry.tx.id];
      out.push({ t: world.nowMs, type: "l2.rejected", txId: entry.tx.id, from: entry.tx.from, reason: failed });
    } else if (entry.tx.kind === "withdraw") {
      const known = rollup.withdrawals[entry.tx.id];
      rollup.withdrawals[entry.tx.id] = { id: entry.tx.id, to: entry.tx.to, amount: entry.tx.amount, batchId, status: "initiated", initiatedAtMs: known?.initiatedAtMs ?? world.nowMs };
      if (!known) out.push({ t: world.nowMs, type: "withdrawal.initiated", withdrawalId: entry.tx.id, to: entry.tx.to, amount: entry.tx.amount });
    }
    out.push({ t: world.nowMs, type: "forced.included", entryId: entry.id, txId: entry.tx.id, by, waitMs: world.nowMs - entry.enqueuedAtMs, batchId });
  }
  rollup.batchStart = trace.post.state;
  rebuildHead(world, out);
  out.push({ t: world.nowMs, type: "batch.submitted", batchId, by, txCount: txs.length, rawBytes: raw.length, compressedBytes: compressBatch(raw).length, calldataGas: 0, da: "calldata", blobs: 0 });
  out.push({
    t: world.nowMs, type: "batch.posted", batchId, by, claimedRoot: trace.roots.at(-1)!, txCount: txs.length, l1Fee: 0,
    da: "calldata", blobs: 0, dataFee: 0, dataFeeAsCalldata: 0, dataFeeAsBlobs: 0, windowEndsMs: world.nowMs + world.config.challengeWindowMs, fraudulent: false,
  });
  return null;
}

/**
 * L1 included the batch (its transaction `tx`): its challenge window starts now. The event carries
 * what its data cost, and what the same bytes would have cost the other way at this block's
 * prices, so the debrief can show blobs against calldata from the round itself.
 */
export function batchLanded(world: World, batchId: number, tx: L1Tx, out: EngineEvent[]): string | null {
  const batch = rollupOf(world).batches[batchId];
  if (!batch || batch.status !== "submitted") return "batch is no longer pending";
  batch.status = "posted";
  batch.postedAtMs = world.nowMs;
  batch.windowEndsMs = world.nowMs + world.config.challengeWindowMs;
  const l1Fee = chargeNow(world, tx).fee;
  const costs = dataCosts(world, tx, batch.calldataGas, batch.compressedBytes);
  out.push({
    t: world.nowMs, type: "batch.posted", batchId, by: batch.poster, claimedRoot: batch.claimedRoots.at(-1)!, txCount: batch.txs.length, l1Fee,
    da: batch.da, blobs: batch.blobs, dataFee: batch.da === "blob" ? costs.asBlobs : costs.asCalldata, dataFeeAsCalldata: costs.asCalldata, dataFeeAsBlobs: costs.asBlobs,
    windowEndsMs: batch.windowEndsMs, fraudulent: isFraudulent(batch),
  });
  return null;
}

/**
 * A lost dispute replaces the claim of batch `fromId`, and of every later batch built on it, with
 * what honest execution of their posted data gives. The data stays canonical, as on Arbitrum and
 * the OP Stack (L2 state is derived from the inbox; a fault proof only removes a wrong state
 * root): every transaction stays in its batch and keeps its place, a forged one is a no-op under
 * the honest rules, and one that no longer executes (it spent forged money) becomes a no-op too.
 * A replaced claim is a new proposal: its challenge window starts again. Open disputes on a
 * replaced claim lose their object and refund the challenger. The sequencer's unposted
 * soft-confirmed transactions are re-executed on top.
 */
export function replaceClaimsFrom(world: World, fromId: number, out: EngineEvent[]): void {
  const rollup = rollupOf(world);
  let state = cloneL2State(rollup.batches[fromId]!.preState!);
  for (const batch of rollup.batches) {
    if (batch.id < fromId || (batch.status !== "posted" && batch.status !== "submitted")) continue;
    const context = batchContext(world, batch);
    const forged = new Set(batch.forgedIds);
    // What the poster's claimed execution skipped, to report only what changes.
    const failedBefore = executionTrace(batch.preState!, batch.txs, context, forged).failed;
    const trace = executionTrace(state, batch.txs, context);
    batch.preState = cloneL2State(state);
    const oldRoot = batch.claimedRoots.at(-1)!;
    const newRoot = trace.roots.at(-1)!;
    // The disputed claim is gone even when it was true (its defender timed out): a new proposal restarts its window.
    if (batch.id === fromId || oldRoot !== newRoot || batch.forgedIds.length > 0) {
      batch.claimedRoots = trace.roots;
      batch.forgedIds = [];
      if (batch.status === "posted") batch.windowEndsMs = world.nowMs + world.config.challengeWindowMs;
      for (const dispute of rollup.disputes) {
        if (dispute.batchId !== batch.id || dispute.status !== "open") continue;
        moveL1(world, BOND_REGISTRY, dispute.challenger, dispute.bond);
        dispute.status = "void";
      }
      out.push({ t: world.nowMs, type: "batch.corrected", batchId: batch.id, cause: fromId, oldRoot, newRoot, windowEndsMs: batch.windowEndsMs });
    }
    for (const tx of batch.txs) {
      if (forged.has(tx.id)) continue;
      const failed = trace.failed.get(tx.id);
      if (failed !== undefined && !failedBefore.has(tx.id)) {
        delete rollup.withdrawals[tx.id];
        out.push({ t: world.nowMs, type: "l2.rejected", txId: tx.id, from: tx.from, reason: failed });
      } else if (failed === undefined && failedBefore.has(tx.id) && tx.kind === "withdraw") {
        // It failed on the poster's forged state and executes on the honest one: its withdrawal exists after all.
        rollup.withdrawals[tx.id] = { id: tx.id, to: tx.to, amount: tx.amount, batchId: batch.id, status: "initiated", initiatedAtMs: world.nowMs };
        out.push({ t: world.nowMs, type: "withdrawal.initiated", withdrawalId: tx.id, to: tx.to, amount: tx.amount });
      }
    }
    state = trace.post.state;
  }
  rollup.batchStart = state;
  rebuildHead(world, out);
}

/**
 * Reverts `fromId` and every batch after it, refunding bonds not already slashed: for a batch
 * post L1 dropped, whose data never reached L1. Honest transactions return to the mempool,
 * deposits are re-derived, forged ones vanish.
 */
export function revertFrom(world: World, fromId: number, cause: number, out: EngineEvent[]): void {
  const rollup = rollupOf(world);
  const first = rollup.batches[fromId]!;
  const reverted = rollup.batches.filter((b) => b.id >= fromId && (b.status === "posted" || b.status === "submitted"));
  const requeue: { tx: L2Tx; submittedAtMs: number }[] = [];
  const revertedTxIds = new Set<string>();
  const pendingL1 = new Set<string>();
  for (const batch of reverted) {
    batch.status = "reverted";
    if (batch.bond > 0) moveL1(world, BOND_REGISTRY, batch.poster, batch.bond);
    batch.bond = 0;
    pendingL1.add(batch.l1TxId);
    for (const tx of batch.txs) revertedTxIds.add(tx.id);
    out.push({ t: world.nowMs, type: "batch.reverted", batchId: batch.id, cause, fraudulent: isFraudulent(batch) });
    for (const tx of batch.txs) {
      if (!batch.forgedIds.includes(tx.id)) requeue.push({ tx, submittedAtMs: batch.submittedAtMs });
    }
    // Disputes on later batches lose their object: refund the challenger.
    for (const dispute of rollup.disputes) {
      if (dispute.batchId === batch.id && dispute.status === "open") {
        moveL1(world, BOND_REGISTRY, dispute.challenger, dispute.bond);
        dispute.status = "void";
      }
    }
  }
  for (const soft of rollup.soft) {
    revertedTxIds.add(soft.tx.id);
    if (!soft.forged) requeue.push({ tx: soft.tx, submittedAtMs: soft.submittedAtMs });
  }
  world.l1.mempool = world.l1.mempool.filter((tx) => !pendingL1.has(tx.id));
  for (const id of revertedTxIds) delete rollup.withdrawals[id];
  for (const entry of rollup.inbox) {
    if (!revertedTxIds.has(entry.tx.id)) continue;
    entry.included = false;
    entry.sequenced = false;
  }
  rollup.batchStart = cloneL2State(first.preState!);
  rollup.head = cloneL2State(rollup.batchStart);
  rollup.soft = [];
  const inboxTxIds = new Set(rollup.inbox.map((entry) => entry.tx.id));
  const mempoolTxs = requeue.filter(({ tx }) => tx.kind !== "deposit" && !inboxTxIds.has(tx.id));
  rollup.mempool = [...mempoolTxs.map(({ tx, submittedAtMs }) => ({ tx, submittedAtMs, censored: false })), ...rollup.mempool];
  for (const { tx } of mempoolTxs) out.push({ t: world.nowMs, type: "l2.requeued", txId: tx.id, from: tx.from });
  for (let index = rollup.batchStart.nextDeposit; index < rollup.deposits.length; index++) creditDeposit(world, index, out);
}

/** At each L1 block: batches whose window closed with no open dispute become final, in order. */
export function finalizeBatches(world: World, out: EngineEvent[]): void {
  const rollup = rollupOf(world);
  for (const batch of rollup.batches) {
    if (batch.status === "final" || batch.status === "reverted") continue;
    if (batch.status !== "posted" || world.nowMs < batch.windowEndsMs!) return;
    if (rollup.disputes.some((d) => d.batchId === batch.id && d.status === "open")) return;
    batch.status = "final";
    moveL1(world, BOND_REGISTRY, batch.poster, batch.bond);
    batch.bond = 0;
    batch.preState = null;
    out.push({ t: world.nowMs, type: "batch.finalized", batchId: batch.id, fraudulent: isFraudulent(batch), stolen: forgedAmount(batch), txCount: batch.txs.length });
    for (const withdrawal of Object.values(rollup.withdrawals)) {
      if (withdrawal.batchId === batch.id && withdrawal.status === "initiated") {
        withdrawal.status = "ready";
        out.push({ t: world.nowMs, type: "withdrawal.ready", withdrawalId: withdrawal.id, to: withdrawal.to, amount: withdrawal.amount });
      }
    }
  }
}

/** L1 bridge pays a withdrawal whose batch is final. */
export function payWithdrawal(world: World, withdrawalId: string, by: string, out: EngineEvent[]): string | null {
  const withdrawal = rollupOf(world).withdrawals[withdrawalId];
  if (!withdrawal) return "no such withdrawal";
  if (withdrawal.to !== by) return "only the recipient can finalise this withdrawal";
  if (withdrawal.status !== "ready") return withdrawal.status === "finalized" ? "already finalised" : "its batch is not final yet";
  if ((world.l1.balances[BRIDGE] ?? 0) < withdrawal.amount) return "the bridge is insolvent";
  moveL1(world, BRIDGE, by, withdrawal.amount);
  withdrawal.status = "finalized";
  out.push({ t: world.nowMs, type: "withdrawal.finalized", withdrawalId, to: by, amount: withdrawal.amount, waitMs: world.nowMs - withdrawal.initiatedAtMs });
  return null;
}
