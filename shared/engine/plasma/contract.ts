import { merkleRootOf, verifyMerkleProof } from "../../crypto/merkle.ts";
import type { EngineEvent } from "../events.ts";
import { chargeNow, moveL1 } from "../l1.ts";
import { calldataGas } from "../calldata.ts";
import { dataCosts } from "../data-cost.ts";
import { moduleEvent } from "../module.ts";
import type { L1Tx, World } from "../world.ts";
import {
  CHALLENGE_REWARD_PERCENT,
  CHILD_BLOCK_INTERVAL,
  EXIT_BOND,
  PLASMA,
  PLASMA_BONDS,
  PLASMA_ESCROW,
  PLASMA_EVENTS,
} from "./constants.ts";
import { applyBlock } from "./chain.ts";
import { decodePosition, encodeBlockData, encodePosition, plasmaTxLeaf, signedBy } from "./plasma-tx.ts";
import type { PlasmaTx } from "./plasma-tx.ts";
import type { PlasmaBlock, PlasmaExit, PlasmaState } from "./state.ts";

/** What an exit claims: the coin at utxoPos, created by `tx`, which `proof` shows is in its block's committed root. */
export interface ExitClaim {
  utxoPos: number;
  tx: PlasmaTx;
  proof: string[];
}

/** What a challenge shows: `tx`, in committed block `block` at `txIndex`, spends the exiting coin as input `inputIndex`. */
export interface SpendProof {
  exitUtxoPos: number;
  block: number;
  txIndex: number;
  inputIndex: number;
  tx: PlasmaTx;
  proof: string[];
}

/**
 * The contract's check of an exit: the block root is on L1, the Merkle proof puts the
 * transaction in it, and the output is the exiter's. Like Plasma MVP it does NOT check that
 * the transaction was validly signed: an operator's forged output can be exited too.
 */
export function checkExit(state: PlasmaState, by: string, claim: ExitClaim): { amount: number; committedAtMs: number } | string {
  const pos = decodePosition(claim.utxoPos);
  const committed = state.contract.roots[pos.block];
  if (!committed) return `block ${pos.block} has no root on L1`;
  if (!verifyMerkleProof(committed.root, pos.txIndex, plasmaTxLeaf(claim.tx), claim.proof)) return "the Merkle proof does not match the committed root";
  const output = claim.tx.outputs[pos.outputIndex];
  if (!output) return "that transaction has no such output";
  if (output.owner !== by) return "only the coin's owner can exit it";
  if (state.contract.exits[claim.utxoPos]) return "that coin already has an exit";
  return { amount: output.amount, committedAtMs: committed.committedAtMs };
}

/** The contract's check of a challenge: the exit is open and the proof shows its coin spent with its owner's signature. */
export function checkChallenge(world: World, state: PlasmaState, spend: SpendProof): PlasmaExit | string {
  const exit = state.contract.exits[spend.exitUtxoPos];
  if (!exit || exit.status !== "queued") return "no open exit of that coin";
  const committed = state.contract.roots[spend.block];
  if (!committed) return `block ${spend.block} has no root on L1`;
  if (!verifyMerkleProof(committed.root, spend.txIndex, plasmaTxLeaf(spend.tx), spend.proof)) return "the Merkle proof does not match the committed root";
  if (spend.tx.inputs[spend.inputIndex] !== spend.exitUtxoPos) return "that transaction does not spend the exiting coin";
  if (!signedBy(spend.tx, spend.inputIndex, exit.owner, world.l1.publicKeys)) return "the spend is not signed by the coin's owner";
  return exit;
}

/** A deposit lands: the ETH goes into escrow and the contract makes a one-transaction deposit block for the new coin. */
export function deposit(world: World, state: PlasmaState, l1: L1Tx, amount: number, out: EngineEvent[]): string | null {
  const from = l1.from;
  const c = state.contract;
  if (c.nextDepositOffset >= CHILD_BLOCK_INTERVAL) return "too many deposits before the next child block";
  const number = c.currentChildBlock - CHILD_BLOCK_INTERVAL + c.nextDepositOffset;
  const tx: PlasmaTx = { inputs: [], outputs: [{ owner: from, amount }], sigs: [] };
  const root = merkleRootOf([plasmaTxLeaf(tx)]);
  moveL1(world, from, PLASMA_ESCROW, amount);
  c.nextDepositOffset++;
  c.deposited += amount;
  c.roots[number] = { root, committedAtMs: world.nowMs };
  const block = { number, kind: "deposit" as const, txs: [tx], root, published: true, status: "committed" as const, l1TxId: null, committedAtMs: world.nowMs, forgedTxIndexes: [] };
  state.chain.blocks[number] = block;
  applyBlock(state, block);
  const utxoPos = encodePosition({ block: number, txIndex: 0, outputIndex: 0 });
  out.push(moduleEvent(world, PLASMA, PLASMA_EVENTS.deposited, { owner: from, amount, block: number, utxoPos, l1TxId: l1.id }));
  return null;
}

/**
 * The operator's commit lands: L1 stores the root (and, for a blob commit, the block's data is in
 * the transaction's blobs for all to read); the chain's block becomes committed, published or not.
 */
export function commitRoot(world: World, state: PlasmaState, l1: L1Tx, number: number, root: string, out: EngineEvent[]): string | null {
  const from = l1.from;
  const c = state.contract;
  if (from !== c.operator) return "only the operator commits blocks";
  if (number !== c.currentChildBlock) return `the next child block is ${c.currentChildBlock}`;
  c.roots[number] = { root, committedAtMs: world.nowMs };
  c.currentChildBlock += CHILD_BLOCK_INTERVAL;
  c.nextDepositOffset = 1;
  const block = state.chain.blocks[number];
  if (block && block.root === root) {
    block.status = "committed";
    block.committedAtMs = world.nowMs;
    applyBlock(state, block);
    if (!block.published) state.chain.withheldBlocks.push(number);
  }
  if (state.chain.pendingBlock === number) state.chain.pendingBlock = null;
  const published = block?.published ?? false;
  out.push(moduleEvent(world, PLASMA, PLASMA_EVENTS.blockCommitted, {
    block: number, root, txCount: block?.txs.length ?? 0, dataAvailable: published, operator: from, l1TxId: l1.id,
    ...commitCosts(world, l1, block && block.root === root ? block : undefined),
    /* secret for a withheld block: what it did to coins, for the debrief */
    ...(block && block.root === root ? blockEffects(block) : { created: [], spent: [] }),
  }));
  if (!published) out.push(moduleEvent(world, PLASMA, PLASMA_EVENTS.blockWithheld, { block: number, root, operator: from }));
  return null;
}

/**
 * What a commit paid on L1 and what its block's data cost, both ways, at this block's prices
 * (gwei): `dataFee` is what the data itself cost — the blobs' fee, or 0 for a root alone, whose
 * data never reached L1 — and `dataFeeAsBlobs` / `dataFeeAsCalldata` what putting the block's
 * transactions on L1 would cost in blobs or as calldata. The debrief shows them side by side.
 */
function commitCosts(world: World, l1: L1Tx, block: PlasmaBlock | undefined): {
  da: "blob" | "calldata"; blobs: number; dataBytes: number; l1Fee: number; dataFee: number; dataFeeAsBlobs: number; dataFeeAsCalldata: number;
} {
  const data = encodeBlockData(block?.txs ?? []);
  const costs = dataCosts(world, l1, calldataGas(data, world.config.gas), data.length);
  const blob = (l1.blobs ?? 0) > 0;
  return {
    da: blob ? "blob" : "calldata",
    blobs: l1.blobs ?? 0,
    dataBytes: data.length,
    l1Fee: chargeNow(world, l1).fee,
    dataFee: blob ? costs.asBlobs : 0,
    dataFeeAsBlobs: costs.asBlobs,
    dataFeeAsCalldata: costs.asCalldata,
  };
}

/**
 * A committed block's effect on coins: `created` [utxoPos, owner, amount, forged] and `spent`
 * [utxoPos, forged]. The debrief follows every coin with it (who held what, who was robbed).
 */
function blockEffects(block: PlasmaBlock): { created: [number, string, number, boolean][]; spent: [number, boolean][] } {
  const created: [number, string, number, boolean][] = [];
  const spent: [number, boolean][] = [];
  block.txs.forEach((tx, txIndex) => {
    const forged = block.forgedTxIndexes.includes(txIndex);
    for (const input of tx.inputs) spent.push([input, forged]);
    tx.outputs.forEach((output, outputIndex) => created.push([encodePosition({ block: block.number, txIndex, outputIndex }), output.owner, output.amount, forged]));
  });
  return { created, spent };
}

/** Queue order: older (clamped) coin age first, then position (block, tx index, output index). */
function comesBefore(exit: PlasmaExit, other: PlasmaExit | undefined): boolean {
  if (!other) return true;
  return exit.ageAtMs < other.ageAtMs || (exit.ageAtMs === other.ageAtMs && exit.utxoPos < other.utxoPos);
}

/** Queues an exit behind every older coin's exit; it pays out no earlier than Plasma MVP's max(start + 1 week, block + 2 weeks). */
export function startExit(world: World, state: PlasmaState, l1: L1Tx, claim: ExitClaim, out: EngineEvent[]): string | null {
  const from = l1.from;
  const checked = checkExit(state, from, claim);
  if (typeof checked === "string") return checked;
  if ((world.l1.balances[from] ?? 0) < EXIT_BOND) return "not enough ETH for the exit bond";
  moveL1(world, from, PLASMA_BONDS, EXIT_BOND);
  const { exitPeriodMs, maturityMs } = state.contract;
  const exitableAtMs = Math.max(world.nowMs + exitPeriodMs, checked.committedAtMs + maturityMs);
  // "Any coin older than 7 days counts as 7 days old": a late exit of an ancient coin cannot
  // jump ahead of exits already waiting, but any exit started within a week of a bad block
  // still ranks ahead of every coin that block created.
  const ageAtMs = Math.max(checked.committedAtMs, world.nowMs - exitPeriodMs);
  const exit: PlasmaExit = {
    utxoPos: claim.utxoPos,
    owner: from,
    amount: checked.amount,
    bond: EXIT_BOND,
    startedAtMs: world.nowMs,
    exitableAtMs,
    ageAtMs,
    status: "queued",
    paid: 0,
    shortfall: 0,
  };
  const c = state.contract;
  c.exits[claim.utxoPos] = exit;
  const at = c.queue.findIndex((pos) => comesBefore(exit, c.exits[pos]));
  c.queue.splice(at < 0 ? c.queue.length : at, 0, claim.utxoPos);
  const coin = state.chain.coins[claim.utxoPos];
  out.push(moduleEvent(world, PLASMA, PLASMA_EVENTS.exitStarted, {
    owner: from,
    l1TxId: l1.id,
    utxoPos: claim.utxoPos,
    ...decodePosition(claim.utxoPos),
    amount: checked.amount,
    bond: EXIT_BOND,
    exitableAtMs,
    ageAtMs,
    queuePlace: c.queue.indexOf(claim.utxoPos) + 1,
    queued: c.queue.length,
    coinSpent: coin?.status === "spent",
    forged: coin?.forged ?? false /* secret */,
  }));
  return null;
}

/** A successful challenge cancels the exit; the challenger takes part of the exiter's bond and the rest is burned. */
export function challenge(world: World, state: PlasmaState, l1: L1Tx, spend: SpendProof, out: EngineEvent[]): string | null {
  const challenger = l1.from;
  const exit = checkChallenge(world, state, spend);
  if (typeof exit === "string") return exit;
  const reward = Math.floor((exit.bond * CHALLENGE_REWARD_PERCENT) / 100);
  const burned = exit.bond - reward;
  moveL1(world, PLASMA_BONDS, challenger, reward);
  world.l1.balances[PLASMA_BONDS] = (world.l1.balances[PLASMA_BONDS] ?? 0) - burned;
  world.l1.burned += burned;
  exit.status = "challenged";
  state.contract.queue = state.contract.queue.filter((pos) => pos !== exit.utxoPos);
  out.push(moduleEvent(world, PLASMA, PLASMA_EVENTS.exitChallenged, {
    owner: exit.owner,
    challenger,
    l1TxId: l1.id,
    utxoPos: exit.utxoPos,
    amount: exit.amount,
    reward,
    burned,
    spendBlock: spend.block,
    /** False when the spend came from a withheld block: its owner could not have known it was spent. */
    spendPublished: state.chain.blocks[spend.block]?.published ?? true,
  }));
  return null;
}

/**
 * At block time the contract pays mature exits in priority order (coin age clamped to one challenge period, then position), at most
 * contract.exitsPerBlock of them. As in Plasma MVP's processExits, an immature exit at the
 * head stops the loop for everything behind it. An owner who starts an exit within one challenge
 * period of a bad block ranks ahead of every coin that block created, so honest owners who exit
 * in time are paid before the operator's forged outputs; later ones rank behind them.
 * When escrow runs dry the exit pays what is left and the rest is lost.
 */
export function processExits(world: World, state: PlasmaState, out: EngineEvent[]): number {
  const c = state.contract;
  let processed = 0;
  while (processed < c.exitsPerBlock && c.queue.length > 0) {
    const exit = c.exits[c.queue[0]!];
    if (!exit) {
      c.queue.shift();
      continue;
    }
    if (exit.exitableAtMs > world.nowMs) break;
    c.queue.shift();
    const escrow = world.l1.balances[PLASMA_ESCROW] ?? 0;
    const paid = Math.min(exit.amount, escrow);
    moveL1(world, PLASMA_ESCROW, exit.owner, paid);
    moveL1(world, PLASMA_BONDS, exit.owner, exit.bond);
    c.paidOut += paid;
    exit.status = "paid";
    exit.paid = paid;
    exit.shortfall = exit.amount - paid;
    const coin = state.chain.coins[exit.utxoPos];
    const coinWasSpent = coin?.status === "spent";
    // An honest operator never spends an exited coin again.
    if (coin && coin.status === "unspent") coin.status = "exited";
    processed++;
    out.push(moduleEvent(world, PLASMA, PLASMA_EVENTS.exitPaid, {
      owner: exit.owner,
      utxoPos: exit.utxoPos,
      ...decodePosition(exit.utxoPos),
      amount: exit.amount,
      paid,
      shortfall: exit.shortfall,
      bondRefund: exit.bond,
      waitMs: world.nowMs - exit.startedAtMs,
      lateMs: world.nowMs - exit.exitableAtMs,
      coinWasSpent,
      forged: coin?.forged ?? false /* secret */,
    }));
  }
  return processed;
}
