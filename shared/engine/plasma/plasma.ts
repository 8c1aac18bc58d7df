import type { FeeChoice } from "../actions.ts";
import type { EngineEvent } from "../events.ts";
import { DEFAULT_TIP, coversBaseFee, submitL1Tx } from "../l1.ts";
import { gweiOf } from "../base-fee.ts";
import type { EngineModule } from "../module.ts";
import { moduleEvent, moduleState } from "../module.ts";
import type { L1Tx, World } from "../world.ts";
import { parsePlasmaCall, parsePlasmaL1Call } from "./calls.ts";
import type { PlasmaL1Call } from "./calls.ts";
import { buildChildBlock, checkTransfer } from "./chain.ts";
import { challenge, checkChallenge, checkExit, commitRoot, deposit, processExits, startExit } from "./contract.ts";
import { CHALLENGE_GAS, COMMIT_GAS, DEPOSIT_GAS, EXIT_BOND, PLASMA, PLASMA_BONDS, PLASMA_ESCROW, PLASMA_EVENTS, START_EXIT_GAS } from "./constants.ts";
import { encodeBlockData, outputTotal } from "./plasma-tx.ts";
import { blobsFor } from "../blob-fee.ts";
import { createPlasmaState } from "./state.ts";
import type { PlasmaState } from "./state.ts";

function state(world: World): PlasmaState {
  return moduleState<PlasmaState>(world, PLASMA);
}

/** Queues a root-chain call on L1 (with `blobs` blobs of data beside it); returns why the wallet refused it, or the transaction. */
function sendL1(world: World, by: string, call: PlasmaL1Call, gas: number, value: number, fee: FeeChoice, out: EngineEvent[], blobs = 0): L1Tx | string {
  return submitL1Tx(world, by, { kind: "module", module: PLASMA, call }, gas, value, fee, out, blobs);
}

/** A player's Plasma action: off-chain steps change the chain directly, root-chain steps queue an L1 transaction. */
function submit(world: World, by: string, raw: unknown, fee: FeeChoice, out: EngineEvent[]): string | null {
  const call = parsePlasmaCall(raw);
  if (typeof call === "string") return call;
  const s = state(world);
  const operator = s.contract.operator;
  switch (call.kind) {
    case "configure": {
      // The contract's parameters are fixed at deployment: before any operator, deposit or root.
      if (operator !== null || s.contract.deposited > 0 || Object.keys(s.contract.roots).length > 0) return "the contract is already deployed: its parameters are fixed";
      s.contract.exitPeriodMs = call.exitPeriodMs;
      s.contract.maturityMs = call.maturityMs;
      s.contract.exitsPerBlock = call.exitsPerBlock;
      out.push(moduleEvent(world, PLASMA, PLASMA_EVENTS.configured, { exitPeriodMs: call.exitPeriodMs, maturityMs: call.maturityMs, exitsPerBlock: call.exitsPerBlock }));
      return null;
    }
    case "becomeOperator":
      if (operator !== null) return `${operator} already operates this Plasma chain`;
      s.contract.operator = by;
      out.push(moduleEvent(world, PLASMA, PLASMA_EVENTS.operatorSet, { operator: by }));
      return null;
    case "deposit": {
      const tx = sendL1(world, by, { kind: "deposit", amount: call.amount }, DEPOSIT_GAS, call.amount, fee, out);
      return typeof tx === "string" ? tx : null;
    }
    case "transfer": {
      if (operator === null) return "this Plasma chain has no operator to take transactions";
      const reason = checkTransfer(s, call.tx, world.l1.publicKeys);
      if (reason) return reason;
      s.chain.pool.push(call.tx);
      out.push(moduleEvent(world, PLASMA, PLASMA_EVENTS.txAccepted, { by, inputs: call.tx.inputs, recipients: call.tx.outputs.map((o) => o.owner), amount: outputTotal(call.tx), pool: s.chain.pool.length }));
      return null;
    }
    case "commitBlock": {
      if (by !== operator) return "only the operator makes blocks";
      if (s.chain.pendingBlock !== null) return `block ${s.chain.pendingBlock} is still waiting to be committed`;
      // Data in a blob is on L1 for everyone to read: there is nothing left to withhold.
      if (call.da === "blob" && call.withhold) return "a block whose data goes in a blob is public on L1 the moment it lands: it cannot be withheld";
      const block = buildChildBlock(s, by, call.steal, !call.withhold);
      if (typeof block === "string") return block;
      // Blobs beside the root carry the block's transactions; the commit's own gas is the same either way (the data rides outside execution).
      const blobs = call.da === "blob" ? blobsFor(encodeBlockData(block.txs).length) : 0;
      const commit: PlasmaL1Call = { kind: "commit", block: block.number, root: block.root, ...(blobs > 0 ? { da: "blob" as const } : {}) };
      const tx = sendL1(world, by, commit, COMMIT_GAS, 0, fee, out, blobs);
      if (typeof tx === "string") return tx;
      if (blobs > 0) {
        block.da = "blob";
        block.blobs = blobs;
      }
      block.l1TxId = tx.id;
      s.chain.blocks[block.number] = block;
      s.chain.pendingBlock = block.number;
      s.chain.pool = [];
      out.push(moduleEvent(world, PLASMA, PLASMA_EVENTS.blockProposed, { block: block.number, root: block.root, txCount: block.txs.length, published: block.published, da: call.da, blobs, operator: by, l1TxId: tx.id }));
      if (block.forgedTxIndexes.length > 0) {
        const stolen = block.forgedTxIndexes.map((i) => block.txs[i]!);
        out.push(moduleEvent(world, PLASMA, PLASMA_EVENTS.theft, {
          /* secret: the whole event */
          operator: by,
          block: block.number,
          victims: stolen.map((t) => s.chain.coins[t.inputs[0]!]?.owner ?? "?"),
          coins: stolen.map((t) => t.inputs[0]!),
          amount: stolen.reduce((sum, t) => sum + outputTotal(t), 0),
          withheld: !block.published,
        }));
      }
      return null;
    }
    case "publishBlock": {
      if (by !== operator) return "only the operator holds the block data";
      const block = s.chain.blocks[call.block];
      if (!block || block.status !== "committed") return "no such committed block";
      if (block.published) return "that block's data is already public";
      block.published = true;
      s.chain.withheldBlocks = s.chain.withheldBlocks.filter((n) => n !== call.block);
      out.push(moduleEvent(world, PLASMA, PLASMA_EVENTS.blockPublished, { block: call.block, late: true }));
      return null;
    }
    case "startExit": {
      const checked = checkExit(s, by, call);
      if (typeof checked === "string") return checked;
      // Replace-by-fee: a second exit of the same coin replaces the waiting one if it tips more.
      const waiting = waitingExitTxs(world).find((t) => t.from === by && (t.payload as { call?: { utxoPos?: unknown } }).call?.utxoPos === call.utxoPos);
      if (waiting && (fee.tip ?? DEFAULT_TIP) <= waiting.tip) return `your exit of this coin is already waiting on L1 with a ${waiting.tip} gwei tip: offer more to replace it`;
      const tx = sendL1(world, by, call, START_EXIT_GAS, EXIT_BOND, fee, out);
      if (typeof tx === "string") return tx;
      if (waiting) {
        world.l1.mempool = world.l1.mempool.filter((t) => t.id !== waiting.id);
        out.push({ t: world.nowMs, type: "l1.dropped", txId: waiting.id, kind: waiting.payload.kind, from: by, reason: "replaced by a higher tip" });
      }
      out.push(moduleEvent(world, PLASMA, PLASMA_EVENTS.exitRequested, { owner: by, utxoPos: call.utxoPos, amount: checked.amount, l1TxId: tx.id, maxFee: tx.maxFee, tip: tx.tip }));
      return null;
    }
    case "challenge": {
      const exit = checkChallenge(world, s, call);
      if (typeof exit === "string") return exit;
      const tx = sendL1(world, by, call, CHALLENGE_GAS, 0, fee, out);
      if (typeof tx === "string") return tx;
      out.push(moduleEvent(world, PLASMA, PLASMA_EVENTS.challengeRequested, { challenger: by, utxoPos: call.exitUtxoPos, owner: exit.owner, l1TxId: tx.id }));
      return null;
    }
  }
}

/** An included root-chain transaction's effect. */
function execute(world: World, tx: L1Tx, raw: unknown, out: EngineEvent[]): string | null {
  const call = parsePlasmaL1Call(raw);
  if (typeof call === "string") return call;
  const s = state(world);
  const reason = executeCall(world, s, tx, call, out);
  if (reason) out.push(moduleEvent(world, PLASMA, PLASMA_EVENTS.reverted, { call: call.kind, by: tx.from, l1TxId: tx.id, reason }));
  return reason;
}

function executeCall(world: World, s: PlasmaState, tx: L1Tx, call: PlasmaL1Call, out: EngineEvent[]): string | null {
  switch (call.kind) {
    case "deposit":
      return deposit(world, s, tx, call.amount, out);
    case "commit":
      return commitRoot(world, s, tx, call.block, call.root, out);
    case "startExit":
      return startExit(world, s, tx, call, out);
    case "challenge":
      return challenge(world, s, tx, call, out);
  }
}

/** ETH a root-chain call takes from its sender besides gas: the deposit, or the exit bond. */
function valueOf(raw: unknown): number {
  const call = parsePlasmaL1Call(raw);
  if (typeof call === "string") return 0;
  if (call.kind === "deposit") return call.amount;
  if (call.kind === "startExit") return EXIT_BOND;
  return 0;
}

/**
 * A commit that left the mempool without landing (dropped for its fee, or reverted) gives its
 * honest transactions back to the pool, so the operator can try again.
 */
function releaseLostCommit(world: World, s: PlasmaState, out: EngineEvent[]): void {
  const number = s.chain.pendingBlock;
  if (number === null) return;
  const block = s.chain.blocks[number];
  if (block && block.status === "committed") return;
  if (block && world.l1.mempool.some((tx) => tx.id === block.l1TxId)) return;
  s.chain.pendingBlock = null;
  if (!block) return;
  delete s.chain.blocks[number];
  s.chain.pool = [...block.txs.filter((_, i) => !block.forgedTxIndexes.includes(i)), ...s.chain.pool];
  out.push(moduleEvent(world, PLASMA, PLASMA_EVENTS.commitLost, { block: number, txCount: block.txs.length }));
}

/** Start-exit transactions still waiting in the L1 mempool: owners trying to get out. */
function waitingExitTxs(world: World): L1Tx[] {
  return world.l1.mempool.filter((tx) => tx.payload.kind === "module" && tx.payload.module === PLASMA && (tx.payload.call as { kind?: unknown }).kind === "startExit");
}

/** Block-time work: pay mature exits in age order (capped), and report the queue while anything is stuck. */
function onBlock(world: World, out: EngineEvent[]): void {
  const s = state(world);
  releaseLostCommit(world, s, out);
  const processed = processExits(world, s, out);
  const queued = s.contract.queue.map((pos) => s.contract.exits[pos]!).filter((exit) => exit !== undefined);
  const matureWaiting = queued.filter((exit) => exit.exitableAtMs <= world.nowMs).length;
  const waiting = waitingExitTxs(world);
  if (processed === 0 && matureWaiting === 0 && waiting.length === 0) return;
  const lastBlock = world.l1.recentBlocks.at(-1);
  out.push(moduleEvent(world, PLASMA, PLASMA_EVENTS.exitQueue, {
    processed,
    queued: queued.length,
    queuedValue: queued.reduce((sum, exit) => sum + exit.amount, 0),
    matureWaiting,
    exitTxsInMempool: waiting.length,
    exitTxsPricedOut: waiting.filter((tx) => !coversBaseFee(tx, world.l1.baseFeeWei)).length,
    stuckOwners: [...new Set([...queued.map((exit) => exit.owner), ...waiting.map((tx) => tx.from)])],
    blockGasUsed: lastBlock?.gasUsed ?? 0,
    gasLimit: world.config.gasLimit,
    baseFee: gweiOf(lastBlock?.baseFeeWei ?? world.l1.baseFeeWei),
    nextBaseFee: gweiOf(world.l1.baseFeeWei),
    escrow: world.l1.balances[PLASMA_ESCROW] ?? 0,
  }));
}

/** The money invariant: escrow = deposited − paid out, bonds = open exits' bonds, chain coins = deposits. */
function violation(world: World): string | null {
  const s = state(world);
  const escrow = world.l1.balances[PLASMA_ESCROW] ?? 0;
  if (escrow !== s.contract.deposited - s.contract.paidOut) return `escrow ${escrow} != deposited ${s.contract.deposited} - paid ${s.contract.paidOut}`;
  const bonds = world.l1.balances[PLASMA_BONDS] ?? 0;
  const open = Object.values(s.contract.exits).filter((exit) => exit.status === "queued").reduce((sum, exit) => sum + exit.bond, 0);
  if (bonds !== open) return `bonds ${bonds} != open exits' bonds ${open}`;
  const coins = Object.values(s.chain.coins).filter((coin) => coin.status !== "spent").reduce((sum, coin) => sum + coin.amount, 0);
  if (coins !== s.contract.deposited) return `chain coins ${coins} != deposits ${s.contract.deposited}`;
  return null;
}

/**
 * Plasma MVP: an operator commits block roots to L1 (or, since EIP-4844, the block's data in
 * blobs beside its root, which no operator can then withhold); owners exit with Merkle proofs, in
 * the contract's priority order (coin age, clamped to one challenge period).
 */
export const plasmaModule: EngineModule = {
  name: PLASMA,
  create: createPlasmaState,
  submit,
  execute,
  valueOf,
  onBlock,
  violation,
};
