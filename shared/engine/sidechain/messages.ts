import { sha256Hex } from "../../crypto/hash.ts";
import { leafHash, merkleRootOf } from "../../crypto/merkle.ts";
import { SIDECHAIN_BRIDGE } from "./params.ts";

/*
 * The exact texts validators and users sign. Each has its own prefix so a signature for one
 * purpose can never be replayed as another (a block vote is not a withdrawal approval), and
 * none collides with the rollup's "l2arena:" transactions.
 */

/** What a sender signs for a sidechain transfer. */
export function transferMessage(from: string, to: string, amount: number, fee: number, nonce: number): string {
  return `sidechain:transfer:${from}:${to}:${amount}:${fee}:${nonce}`;
}

/** What a sender signs to burn sidechain funds and withdraw them to L1 (to their own L1 account). */
export function burnMessage(from: string, amount: number, fee: number, nonce: number): string {
  return `sidechain:burn:${from}:${amount}:${fee}:${nonce}`;
}

/** What a validator signs to vote for a proposed block. */
export function blockVoteMessage(hash: string): string {
  return `sidechain:block:${hash}`;
}

/** What a validator signs to approve a checkpoint. */
export function checkpointMessage(number: number, startHeight: number, endHeight: number, root: string): string {
  return `sidechain:checkpoint:${number}:${startHeight}:${endHeight}:${root}`;
}

/**
 * What a bridge signer signs to release a withdrawal on L1: bridge id + recipient + amount + nonce.
 * The L1 contract sees only this: it cannot tell whether a burn stands behind it.
 */
export function withdrawalMessage(to: string, amount: number, nonce: number): string {
  return `sidechain-bridge:${SIDECHAIN_BRIDGE}:${to}:${amount}:${nonce}`;
}

/**
 * The one-block checkpoint a checkpoint-design heist needs validators to sign: a block hash that
 * commits to a burn of `amount` by `to` with withdrawal `nonce` — a block the chain never had.
 */
export function forgedBlockHash(to: string, amount: number, nonce: number): string {
  return sha256Hex(`sidechain:forged-block:${to}:${amount}:${nonce}`);
}

/** What validators sign to put that forged block under a checkpoint on L1 (a checkpoint message like any other). */
export function forgedCheckpointMessage(to: string, amount: number, nonce: number): string {
  return checkpointMessage(nonce, 0, 0, checkpointRoot([forgedBlockHash(to, amount, nonce)]));
}

/** Canonical text of a transaction inside a block (its leaf in the block's transaction tree). */
export function sideTxText(tx: { kind: string; from: string; to: string; amount: number; fee: number; nonce: number; sig: string }): string {
  return `${tx.kind}:${tx.from}:${tx.to}:${tx.amount}:${tx.fee}:${tx.nonce}:${tx.sig}`;
}

/** Merkle root of a block's transactions. */
export function txRootOf(txs: readonly Parameters<typeof sideTxText>[0][]): string {
  return merkleRootOf(txs.map((tx) => leafHash(sideTxText(tx))));
}

/** A block's hash: commits to its height, round, parent, time, proposer, transactions and post-state. */
export function blockHash(header: { height: number; round: number; parentHash: string; timeMs: number; proposer: string; txRoot: string; stateRoot: string }): string {
  const h = header;
  return sha256Hex(`sidechain:header:${h.height}:${h.round}:${h.parentHash}:${h.timeMs}:${h.proposer}:${h.txRoot}:${h.stateRoot}`);
}

/** A checkpoint's root: the Merkle root over the block hashes it covers, in height order. */
export function checkpointRoot(blockHashes: readonly string[]): string {
  return merkleRootOf(blockHashes.map((hash) => leafHash(hash)));
}
