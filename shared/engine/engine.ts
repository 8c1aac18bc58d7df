import type { Action } from "./actions.ts";
import type { EngineEvent } from "./events.ts";
import { calldataGas } from "./calldata.ts";
import { encodeBatch } from "./batch-codec.ts";
import { moveL1, produceBlock, submitL1Tx } from "./l1.ts";
import { batchLanded, censor, creditDeposit, finalizeBatches, forceBatch, payWithdrawal, postBatch, revertFrom, sequence, submitL2 } from "./rollup.ts";
import { expireDisputes, makeMove, openDispute, proveOneStep } from "./bisection.ts";
import { BRIDGE, newId } from "./world.ts";
import { MODULES } from "./modules.ts";
import type { L1Payload, L1Tx, World } from "./world.ts";

const PUBLIC_KEY_PATTERN = /^[0-9a-f]{64}$/;

/** Value a payload moves out of its sender besides gas. */
function valueOf(payload: L1Payload): number {
  if (payload.kind === "module") return MODULES[payload.module]?.valueOf(payload.call) ?? 0;
  if (payload.kind === "forcedInclude") return payload.bond;
  return payload.kind === "transfer" || payload.kind === "deposit" ? payload.amount : 0;
}

/** Runs an included L1 transaction's effect against the world as it is now. */
function executePayload(world: World, tx: L1Tx, out: EngineEvent[]): string | null {
  const payload = tx.payload;
  switch (payload.kind) {
    case "transfer":
      moveL1(world, tx.from, payload.to, payload.amount);
      return null;
    case "deposit": {
      moveL1(world, tx.from, BRIDGE, payload.amount);
      world.rollup.deposits.push({ to: payload.to, amount: payload.amount, atMs: tx.submittedAtMs });
      creditDeposit(world, world.rollup.deposits.length - 1, out);
      return null;
    }
    case "batchPost":
      return batchLanded(world, payload.batchId, tx, out);
    case "challenge":
      return openDispute(world, tx.from, payload.batchId, payload.root, out);
    case "disputeMove":
      return makeMove(world, tx.from, payload.disputeId, payload.root, out);
    case "oneStepProof":
      return proveOneStep(world, tx.from, payload.disputeId, out);
    case "withdrawalFinalize":
      return payWithdrawal(world, payload.withdrawalId, tx.from, out);
    case "forcedSubmit": {
      const entryId = world.rollup.inbox.length;
      world.rollup.inbox.push({ id: entryId, tx: payload.tx, enqueuedAtMs: world.nowMs, included: false, sequenced: false });
      out.push({ t: world.nowMs, type: "forced.enqueued", entryId, txId: payload.tx.id, from: payload.tx.from });
      return null;
    }
    case "module": {
      const module = MODULES[payload.module];
      return module ? module.execute(world, tx, payload.call, out) : "unknown module";
    }
    case "forcedInclude": {
      const entry = world.rollup.inbox[payload.entryId];
      if (!entry) return "no such inbox entry";
      if (entry.included) return "already included";
      if (world.nowMs < entry.enqueuedAtMs + world.config.forcedInclusionDelayMs) return "the forced-inclusion delay has not passed";
      // Forcing moves the matured delayed inbox into the L2's canonical input through L1: the sequencer cannot leave it out.
      return forceBatch(world, tx.from, tx.id, payload.bond, out);
    }
  }
}

/** A batch post that L1 dropped takes its batch, and those after it, back. */
function onDropped(world: World, tx: L1Tx, out: EngineEvent[]): void {
  if (tx.payload.kind === "batchPost") revertFrom(world, tx.payload.batchId, tx.payload.batchId, out);
}

/** Advances the world to `toMs`, producing every L1 block due and enforcing every deadline at block time. */
export function advance(world: World, toMs: number): EngineEvent[] {
  const out: EngineEvent[] = [];
  if (toMs < world.nowMs) throw new Error(`time cannot go backwards (${toMs} < ${world.nowMs})`);
  while (world.l1.nextBlockAtMs <= toMs) {
    world.nowMs = world.l1.nextBlockAtMs;
    produceBlock(world, executePayload, valueOf, onDropped, out);
    expireDisputes(world, out);
    finalizeBatches(world, out);
    for (const [name, module] of Object.entries(MODULES)) if (world.modules[name] !== undefined) module.onBlock(world, out);
    world.l1.nextBlockAtMs += world.config.blockTimeMs;
  }
  world.nowMs = toMs;
  return out;
}

/** Who an action is on behalf of, for rejection events. */
function actorOf(action: Action): string {
  switch (action.type) {
    case "fund":
    case "registerKey":
    case "setSequencer":
      return action.account;
    case "l1Transfer":
    case "deposit":
      return action.from;
    case "l2Submit":
      return action.tx.from;
    default:
      return action.by;
  }
}

function requireSequencer(world: World, by: string): string | null {
  return world.rollup.sequencer === by ? null : "only the sequencer can do that";
}

/** Checks and applies one action at world.nowMs; returns why it was refused, or null. Refusal changes nothing. */
function apply(world: World, action: Action, out: EngineEvent[]): string | null {
  const gas = world.config.gas;
  switch (action.type) {
    case "fund":
      if (!Number.isSafeInteger(action.amount) || action.amount <= 0) return "amount must be a positive whole number of gwei";
      world.l1.balances[action.account] = (world.l1.balances[action.account] ?? 0) + action.amount;
      world.l1.minted += action.amount;
      out.push({ t: world.nowMs, type: "funded", account: action.account, amount: action.amount });
      return null;
    case "registerKey":
      if (!PUBLIC_KEY_PATTERN.test(action.publicKey)) return "public key must be 64 hex characters";
      if (world.l1.publicKeys[action.account]) return "this account already has a key";
      world.l1.publicKeys[action.account] = action.publicKey;
      return null;
    case "setSequencer":
      world.rollup.sequencer = action.account;
      return null;
    case "l1Transfer":
    case "deposit": {
      if (!Number.isSafeInteger(action.amount) || action.amount <= 0) return "amount must be a positive whole number of gwei";
      const payload: L1Payload = action.type === "l1Transfer"
        ? { kind: "transfer", to: action.to, amount: action.amount }
        : { kind: "deposit", to: action.from, amount: action.amount };
      const tx = submitL1Tx(world, action.from, payload, action.type === "deposit" ? gas.deposit : gas.transfer, action.amount, action, out);
      return typeof tx === "string" ? tx : null;
    }
    case "l2Submit":
      return submitL2(world, action.tx, out);
    case "sequence":
      return requireSequencer(world, action.by) ?? (sequence(world, action.txIds, true, out), null);
    case "censor":
      return requireSequencer(world, action.by) ?? censor(world, action.txId, out);
    case "postBatch":
      return requireSequencer(world, action.by) ?? postBatch(world, action.cheat, action.da ?? "blob", action, out);
    case "challenge": {
      const batch = world.rollup.batches[action.batchId];
      if (!batch || batch.status !== "posted") return "that batch is not open to challenge";
      if (action.by === batch.poster) return "the sequencer cannot challenge its own batch";
      if ((world.l1.balances[action.by] ?? 0) < world.config.challengerBond) return "not enough ETH on L1 for the challenger bond";
      const tx = submitL1Tx(world, action.by, { kind: "challenge", batchId: action.batchId, root: action.root }, gas.challengeOpen, world.config.challengerBond, action, out);
      return typeof tx === "string" ? tx : null;
    }
    case "disputeMove":
    case "oneStepProof": {
      const dispute = world.rollup.disputes[action.disputeId];
      if (!dispute || dispute.status !== "open") return "that dispute is not open";
      if (action.by !== dispute.defender && action.by !== dispute.challenger) return "you are not a party to this dispute";
      const payload: L1Payload = action.type === "disputeMove"
        ? { kind: "disputeMove", disputeId: action.disputeId, root: action.root }
        : { kind: "oneStepProof", disputeId: action.disputeId };
      const tx = submitL1Tx(world, action.by, payload, action.type === "disputeMove" ? gas.disputeMove : gas.oneStepProof, 0, action, out);
      return typeof tx === "string" ? tx : null;
    }
    case "finalizeWithdrawal": {
      const withdrawal = world.rollup.withdrawals[action.withdrawalId];
      if (!withdrawal || withdrawal.to !== action.by) return "no such withdrawal of yours";
      if (withdrawal.status !== "ready") return "its batch is not final yet";
      const tx = submitL1Tx(world, action.by, { kind: "withdrawalFinalize", withdrawalId: action.withdrawalId }, gas.withdrawalFinalize, 0, action, out);
      return typeof tx === "string" ? tx : null;
    }
    case "forceSubmit": {
      if (action.tx.from !== action.by) return "you can only force your own transaction";
      if (action.tx.kind !== "transfer" && action.tx.kind !== "withdraw") return "only transfers and withdrawals can be forced";
      const tx = { ...action.tx, id: newId(world, "l2") };
      const dataGas = calldataGas(encodeBatch([tx]), gas);
      const l1 = submitL1Tx(world, action.by, { kind: "forcedSubmit", tx }, gas.forcedInclusion + dataGas, 0, action, out);
      return typeof l1 === "string" ? l1 : null;
    }
    case "module": {
      const module = MODULES[action.module];
      if (!module) return `unknown mechanism "${action.module}"`;
      const fresh = world.modules[action.module] === undefined;
      if (fresh) world.modules[action.module] = module.create();
      const reason = module.submit(world, action.by, action.call, action, out);
      if (reason && fresh) delete world.modules[action.module];
      return reason;
    }
    case "forceInclude": {
      const entry = world.rollup.inbox[action.entryId];
      if (!entry || entry.included) return "no such waiting inbox entry";
      // Forcing also proposes the state root after the forced transactions: the proposer's bond rides along.
      const bond = world.config.sequencerBond;
      const tx = submitL1Tx(world, action.by, { kind: "forcedInclude", entryId: action.entryId, bond }, gas.forcedInclusion, bond, action, out);
      return typeof tx === "string" ? tx : null;
    }
  }
}

/**
 * Advances the world to `atMs`, then applies `action`. Returns every event, a `rejected`
 * event included when the world refused the action.
 */
export function applyAction(world: World, action: Action, atMs: number): EngineEvent[] {
  const out = advance(world, atMs);
  // Checks come before mutations; ids and random draws made while checking are given back on refusal.
  const nextId = world.nextId;
  const rng = [...world.rng] as World["rng"];
  const reason = apply(world, action, out);
  if (reason) {
    world.nextId = nextId;
    world.rng = rng;
  }
  if (reason) out.push({ t: world.nowMs, type: "rejected", action: action.type, actor: actorOf(action), reason });
  return out;
}
