import type { FeeChoice } from "../actions.ts";
import { encodeBatch } from "../batch-codec.ts";
import { calldataGas } from "../calldata.ts";
import type { EngineEvent } from "../events.ts";
import { moveL1, submitL1Tx } from "../l1.ts";
import type { EngineModule } from "../module.ts";
import { newId } from "../world.ts";
import type { L1Tx, World } from "../world.ts";
import { expireDisputes, makeMove, openDispute, proveOneStep } from "./bisection.ts";
import { parseOptimisticCall, parseOptimisticL1Call } from "./calls.ts";
import type { OptimisticL1Call } from "./calls.ts";
import { batchLanded, censor, creditDeposit, finalizeBatches, forceBatch, payWithdrawal, postBatch, revertFrom, sequence, submitL2 } from "./rollup.ts";
import { BRIDGE, OPTIMISTIC, createRollupState, rollupOf } from "./types.ts";

/** Queues one of the rollup's L1 calls from `by`. */
function sendL1(world: World, by: string, call: OptimisticL1Call, gas: number, value: number, fee: FeeChoice, out: EngineEvent[]): string | null {
  const tx = submitL1Tx(world, by, { kind: "module", module: OPTIMISTIC, call }, gas, value, fee, out);
  return typeof tx === "string" ? tx : null;
}

function requireSequencer(world: World, by: string): string | null {
  return rollupOf(world).sequencer === by ? null : "only the sequencer can do that";
}

/**
 * The optimistic rollup (Optimism, Arbitrum) as one module among the others: a sequencer's soft
 * confirmations and bonded batches (rollup.ts), bisection disputes down to a one-step proof
 * (bisection.ts), withdrawals through the challenge window, and the L1 delayed inbox. Its L1
 * contracts (bridge, batch inbox, dispute game, bond registry) are the module's L1 calls.
 */
export const optimisticModule: EngineModule = {
  name: OPTIMISTIC,
  create: createRollupState,

  submit(world, by, rawCall, fee, out) {
    const call = parseOptimisticCall(rawCall);
    if (typeof call === "string") return call;
    const rollup = rollupOf(world);
    const gas = world.config.gas;
    switch (call.kind) {
      case "setSequencer":
        // The room appoints the sequencer at genesis; no player message leads here.
        rollup.sequencer = by;
        return null;
      case "deposit":
        if (call.amount <= 0) return "amount must be a positive whole number of gwei";
        return sendL1(world, by, { op: "deposit", amount: call.amount }, gas.deposit, call.amount, fee, out);
      case "l2Submit":
        if (call.tx.from !== by) return "you can only send your own transactions";
        return submitL2(world, call.tx, out);
      case "sequence":
        return requireSequencer(world, by) ?? (sequence(world, call.txIds, true, out), null);
      case "censor":
        return requireSequencer(world, by) ?? censor(world, call.txId, out);
      case "postBatch":
        return requireSequencer(world, by) ?? postBatch(world, call.cheat, call.da ?? "blob", fee, out);
      case "challenge": {
        const batch = rollup.batches[call.batchId];
        if (!batch || batch.status !== "posted") return "that batch is not open to challenge";
        if (by === batch.poster) return "the sequencer cannot challenge its own batch";
        if ((world.l1.balances[by] ?? 0) < world.config.challengerBond) return "not enough ETH on L1 for the challenger bond";
        return sendL1(world, by, { op: "challenge", batchId: call.batchId, root: call.root }, gas.challengeOpen, world.config.challengerBond, fee, out);
      }
      case "disputeMove":
      case "oneStepProof": {
        const dispute = rollup.disputes[call.disputeId];
        if (!dispute || dispute.status !== "open") return "that dispute is not open";
        if (by !== dispute.defender && by !== dispute.challenger) return "you are not a party to this dispute";
        return call.kind === "disputeMove"
          ? sendL1(world, by, { op: "disputeMove", disputeId: call.disputeId, root: call.root }, gas.disputeMove, 0, fee, out)
          : sendL1(world, by, { op: "oneStepProof", disputeId: call.disputeId }, gas.oneStepProof, 0, fee, out);
      }
      case "finalizeWithdrawal": {
        const withdrawal = rollup.withdrawals[call.withdrawalId];
        if (!withdrawal || withdrawal.to !== by) return "no such withdrawal of yours";
        if (withdrawal.status !== "ready") return "its batch is not final yet";
        return sendL1(world, by, { op: "withdrawalFinalize", withdrawalId: call.withdrawalId }, gas.withdrawalFinalize, 0, fee, out);
      }
      case "forceSubmit": {
        if (call.tx.from !== by) return "you can only force your own transaction";
        if (call.tx.kind !== "transfer" && call.tx.kind !== "withdraw") return "only transfers and withdrawals can be forced";
        const tx = { ...call.tx, id: newId(world, "l2") };
        // The transaction's bytes go to L1 now, as calldata: forcing it in later only points at them.
        const dataGas = calldataGas(encodeBatch([tx]), gas);
        return sendL1(world, by, { op: "forcedSubmit", tx }, gas.forcedInclusion + dataGas, 0, fee, out);
      }
      case "forceInclude": {
        const entry = rollup.inbox[call.entryId];
        if (!entry || entry.included) return "no such waiting inbox entry";
        // Forcing also proposes the state root after the forced transactions: the proposer's bond rides along.
        const bond = world.config.sequencerBond;
        return sendL1(world, by, { op: "forcedInclude", entryId: call.entryId, bond }, gas.forcedInclusion, bond, fee, out);
      }
    }
  },

  execute(world: World, tx: L1Tx, rawCall: unknown, out: EngineEvent[]) {
    const call = parseOptimisticL1Call(rawCall);
    if (!call) return "malformed optimistic rollup transaction";
    const rollup = rollupOf(world);
    switch (call.op) {
      case "deposit":
        moveL1(world, tx.from, BRIDGE, call.amount);
        rollup.deposits.push({ to: tx.from, amount: call.amount, atMs: tx.submittedAtMs });
        creditDeposit(world, rollup.deposits.length - 1, out);
        return null;
      case "batchPost":
        return batchLanded(world, call.batchId, tx, out);
      case "challenge":
        return openDispute(world, tx.from, call.batchId, call.root, out);
      case "disputeMove":
        return makeMove(world, tx.from, call.disputeId, call.root, out);
      case "oneStepProof":
        return proveOneStep(world, tx.from, call.disputeId, out);
      case "withdrawalFinalize":
        return payWithdrawal(world, call.withdrawalId, tx.from, out);
      case "forcedSubmit": {
        const entryId = rollup.inbox.length;
        rollup.inbox.push({ id: entryId, tx: call.tx, enqueuedAtMs: world.nowMs, included: false, sequenced: false });
        out.push({ t: world.nowMs, type: "forced.enqueued", entryId, txId: call.tx.id, from: call.tx.from });
        return null;
      }
      case "forcedInclude": {
        const entry = rollup.inbox[call.entryId];
        if (!entry) return "no such inbox entry";
        if (entry.included) return "already included";
        if (world.nowMs < entry.enqueuedAtMs + world.config.forcedInclusionDelayMs) return "the forced-inclusion delay has not passed";
        // Forcing moves the matured delayed inbox into the L2's canonical input through L1: the sequencer cannot leave it out.
        return forceBatch(world, tx.from, tx.id, call.bond, out);
      }
    }
  },

  valueOf(rawCall) {
    const call = parseOptimisticL1Call(rawCall);
    if (call?.op === "deposit") return call.amount;
    return call?.op === "forcedInclude" ? call.bond : 0;
  },

  /** A batch post that L1 dropped (its sender could no longer pay) takes its batch, and those after it, back: its data never reached L1. */
  onDropped(world, _tx, rawCall, out) {
    const call = parseOptimisticL1Call(rawCall);
    if (call?.op === "batchPost") revertFrom(world, call.batchId, call.batchId, out);
  },

  onBlock(world, out) {
    expireDisputes(world, out);
    finalizeBatches(world, out);
  },

  violation(world) {
    // L2 claims (balances and withdrawals not yet paid) are exactly the bridge's escrow plus whatever a fraud minted.
    const rollup = rollupOf(world);
    const balances = Object.values(rollup.head.accounts).reduce((sum, account) => sum + account.balance, 0);
    const unpaid = Object.values(rollup.withdrawals).filter((w) => w.status === "initiated" || w.status === "ready").reduce((sum, w) => sum + w.amount, 0);
    const escrow = world.l1.balances[BRIDGE] ?? 0;
    const forged = rollup.head.forgedSupply;
    return balances + unpaid === escrow + forged ? null : `claims ${balances + unpaid} != escrow ${escrow} + forged ${forged}`;
  },
};
