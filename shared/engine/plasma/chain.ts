import { SparseMerkleTree, merkleRootOf } from "../../crypto/merkle.ts";
import { MAX_BLOCK_TXS } from "./constants.ts";
import { decodePosition, encodePosition, outputTotal, plasmaTxLeaf, signedBy } from "./plasma-tx.ts";
import type { PlasmaTx } from "./plasma-tx.ts";
import type { PlasmaBlock, PlasmaState } from "./state.ts";

/** A signature no key can have made: what the operator puts on coins it takes without their owners. */
const FORGED_SIG = "00".repeat(64);

/** Coins already spent by a transaction waiting in the pool or in the block being committed. */
export function reservedInputs(state: PlasmaState): Set<number> {
  const reserved = new Set<number>();
  for (const tx of state.chain.pool) for (const input of tx.inputs) reserved.add(input);
  const pending = state.chain.pendingBlock === null ? undefined : state.chain.blocks[state.chain.pendingBlock];
  for (const tx of pending?.txs ?? []) for (const input of tx.inputs) reserved.add(input);
  return reserved;
}

/** Why an honest operator would refuse `tx`, or null: every input unspent, not exiting, signed by its owner, value kept. */
export function checkTransfer(state: PlasmaState, tx: PlasmaTx, publicKeys: Readonly<Record<string, string>>): string | null {
  if (state.chain.pool.length >= MAX_BLOCK_TXS) return "the operator's pool is full";
  const reserved = reservedInputs(state);
  let inputTotal = 0;
  for (const [index, input] of tx.inputs.entries()) {
    const coin = state.chain.coins[input];
    if (!coin || coin.status !== "unspent") return `coin ${input} is not an unspent coin`;
    if (reserved.has(input)) return `coin ${input} is already being spent`;
    if (state.contract.exits[input]) return `coin ${input} has an exit on L1`;
    if (!signedBy(tx, index, coin.owner, publicKeys)) return `input ${index} is not signed by its owner ${coin.owner}`;
    inputTotal += coin.amount;
  }
  if (outputTotal(tx) !== inputTotal) return `outputs (${outputTotal(tx)}) must equal inputs (${inputTotal})`;
  return null;
}

/**
 * The next child block: the pool's transactions, plus (for a cheating operator) one forged
 * transaction per coin in `steal`, moving it to the operator without its owner's signature.
 * A stolen coin's honest spend waiting in the pool is silently dropped (censored). Pure:
 * returns the block or why it cannot be made.
 */
export function buildChildBlock(state: PlasmaState, operator: string, steal: readonly number[], publish: boolean): PlasmaBlock | string {
  const forged: PlasmaTx[] = [];
  for (const victim of steal) {
    const coin = state.chain.coins[victim];
    if (!coin || coin.status !== "unspent") return `coin ${victim} cannot be taken: it is not an unspent coin`;
    if (coin.owner === operator) return "that coin is already the operator's";
    forged.push({ inputs: [victim], outputs: [{ owner: operator, amount: coin.amount }], sigs: [FORGED_SIG] });
  }
  if (new Set(steal).size !== steal.length) return "each coin can be taken once";
  const pool = state.chain.pool.filter((tx) => !tx.inputs.some((input) => steal.includes(input)));
  const txs = [...pool, ...forged];
  if (txs.length === 0) return "there is nothing to put in a block";
  if (txs.length > MAX_BLOCK_TXS) return `a block holds at most ${MAX_BLOCK_TXS} transactions`;
  return {
    number: state.contract.currentChildBlock,
    kind: "child",
    txs,
    root: merkleRootOf(txs.map(plasmaTxLeaf)),
    published: publish,
    status: "pending",
    l1TxId: null,
    committedAtMs: null,
    forgedTxIndexes: forged.map((_, i) => pool.length + i),
  };
}

/** Applies a committed block to the chain's coins: inputs become spent, outputs become coins. */
export function applyBlock(state: PlasmaState, block: PlasmaBlock): void {
  block.txs.forEach((tx, txIndex) => {
    for (const input of tx.inputs) {
      const coin = state.chain.coins[input];
      if (coin) coin.status = "spent";
    }
    const forged = block.forgedTxIndexes.includes(txIndex);
    tx.outputs.forEach((output, outputIndex) => {
      const utxoPos = encodePosition({ block: block.number, txIndex, outputIndex });
      state.chain.coins[utxoPos] = { utxoPos, owner: output.owner, amount: output.amount, status: "unspent", forged };
    });
  });
}

/** The Merkle proof that transaction `txIndex` is in `block` (sibling hashes, leaf upwards). */
export function inclusionProof(block: PlasmaBlock, txIndex: number): string[] {
  const tree = new SparseMerkleTree();
  block.txs.forEach((tx, slot) => tree.set(slot, plasmaTxLeaf(tx)));
  return tree.proof(txIndex);
}

/** Whether `viewer` can read a block's transactions: everyone if published, only the operator if withheld. */
export function canRead(state: PlasmaState, block: PlasmaBlock, viewer: string): boolean {
  return block.published || viewer === state.contract.operator;
}

/**
 * The startExit call a client builds for a coin from the block data it holds: the transaction
 * that created the coin and its Merkle proof. Null when the viewer cannot read that block.
 */
export function exitCallFor(state: PlasmaState, viewer: string, utxoPos: number): { kind: "startExit"; utxoPos: number; tx: PlasmaTx; proof: string[] } | null {
  const pos = decodePosition(utxoPos);
  const block = state.chain.blocks[pos.block];
  const tx = block?.txs[pos.txIndex];
  if (!block || block.status !== "committed" || !tx || !canRead(state, block, viewer)) return null;
  return { kind: "startExit", utxoPos, tx, proof: inclusionProof(block, pos.txIndex) };
}

/**
 * The challenge call a watcher builds against an exit of a coin it can show was spent: the
 * committed transaction spending it and its Merkle proof. Null when no readable committed block spends it.
 * Given the registered keys, it skips spends the contract would refuse (not signed by the exiting owner).
 */
export function challengeCallFor(
  state: PlasmaState,
  viewer: string,
  exitUtxoPos: number,
  publicKeys?: Readonly<Record<string, string>>,
): { kind: "challenge"; exitUtxoPos: number; block: number; txIndex: number; inputIndex: number; tx: PlasmaTx; proof: string[] } | null {
  const owner = state.contract.exits[exitUtxoPos]?.owner;
  for (const block of Object.values(state.chain.blocks)) {
    if (block.status !== "committed" || !canRead(state, block, viewer)) continue;
    for (const [txIndex, tx] of block.txs.entries()) {
      const inputIndex = tx.inputs.indexOf(exitUtxoPos);
      if (inputIndex < 0) continue;
      if (publicKeys && (owner === undefined || !signedBy(tx, inputIndex, owner, publicKeys))) continue;
      return { kind: "challenge", exitUtxoPos, block: block.number, txIndex, inputIndex, tx, proof: inclusionProof(block, txIndex) };
    }
  }
  return null;
}

/**
 * The coins `viewer` can show it owns from the block data it can read: outputs of readable
 * committed blocks that no readable transaction spends. When a block is withheld this is what
 * an honest client exits: it cannot see (or prove) what the hidden block did to its coins.
 */
export function knownCoins(state: PlasmaState, viewer: string): number[] {
  const readable = Object.values(state.chain.blocks).filter((block) => block.status === "committed" && canRead(state, block, viewer));
  const spent = new Set(readable.flatMap((block) => block.txs.flatMap((tx) => tx.inputs)));
  const mine: number[] = [];
  for (const block of readable) {
    block.txs.forEach((tx, txIndex) =>
      tx.outputs.forEach((output, outputIndex) => {
        const utxoPos = encodePosition({ block: block.number, txIndex, outputIndex });
        if (output.owner === viewer && !spent.has(utxoPos) && state.contract.exits[utxoPos] === undefined) mine.push(utxoPos);
      }),
    );
  }
  return mine.sort((a, b) => a - b);
}
