import { SparseMerkleTree, leafHash } from "../../crypto/merkle.ts";
import { verifySignature } from "../../crypto/sign.ts";
import type { FeeChoice } from "../actions.ts";
import type { EngineEvent } from "../events.ts";
import { submitL1Tx } from "../l1.ts";
import { moduleEvent } from "../module.ts";
import type { World } from "../world.ts";
import { auditSidechain } from "./ledger.ts";
import { checkpointMessage, checkpointRoot } from "./messages.ts";
import { SIDECHAIN, SIDECHAIN_GAS } from "./params.ts";
import { SIDECHAIN_EVENTS } from "./sidechain-events.ts";
import type { Checkpoint, SidechainState } from "./state.ts";
import { isSupermajority, stakeOf, totalStake } from "./state.ts";
import { idRecord } from "../id-record.ts";

/** The checkpoint still on its way to L1, if any: one at a time, as on Polygon's root chain. */
export function openCheckpoint(state: SidechainState): Checkpoint | undefined {
  const last = state.checkpoints.at(-1);
  return last && last.status !== "posted" ? last : undefined;
}

/** Proposes a checkpoint over the blocks committed since the last one, once the interval has passed. */
export function proposeCheckpointIfDue(world: World, state: SidechainState, out: EngineEvent[]): void {
  if (openCheckpoint(state) || state.uncheckpointed.length === 0) return;
  if (world.nowMs < state.lastCheckpointAtMs + state.config.checkpointIntervalMs) return;
  const blockHashes = state.uncheckpointed;
  const checkpoint: Checkpoint = {
    number: state.checkpoints.length,
    startHeight: state.height - blockHashes.length + 1,
    endHeight: state.height,
    blockHashes,
    root: checkpointRoot(blockHashes),
    proposedAtMs: world.nowMs,
    signatures: idRecord(),
    status: "signing",
    postedAtMs: null,
  };
  state.checkpoints.push(checkpoint);
  state.uncheckpointed = [];
  state.lastCheckpointAtMs = world.nowMs;
  out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.checkpointProposed, {
    number: checkpoint.number,
    startHeight: checkpoint.startHeight,
    endHeight: checkpoint.endHeight,
    blocks: blockHashes.length,
    root: checkpoint.root,
  }));
}

/** The message a validator signs for `checkpoint`. */
export function checkpointMessageOf(checkpoint: Checkpoint): string {
  return checkpointMessage(checkpoint.number, checkpoint.startHeight, checkpoint.endHeight, checkpoint.root);
}

/** Signers whose signatures really verify, and the stake behind them (what the L1 contract counts). */
function verifiedStake(world: World, state: SidechainState, checkpoint: Checkpoint): { signers: string[]; stake: number } {
  const message = checkpointMessageOf(checkpoint);
  const signers = Object.entries(checkpoint.signatures)
    .filter(([id, sig]) => state.validators[id] && verifySignature(world.l1.publicKeys[id] ?? "", message, sig))
    .map(([id]) => id);
  return { signers, stake: stakeOf(state, signers) };
}

/** Queues the L1 transaction that posts a signed checkpoint. Returns why it could not, or null. */
export function submitCheckpoint(world: World, state: SidechainState, by: string, number: number, fee: FeeChoice, out: EngineEvent[]): string | null {
  const checkpoint = state.checkpoints[number];
  if (!checkpoint || checkpoint.status === "posted") return "no such checkpoint waiting for L1";
  if (!state.validators[by]) return "only a validator posts checkpoints";
  if (!isSupermajority(stakeOf(state, Object.keys(checkpoint.signatures)), totalStake(state))) return "that checkpoint does not have signatures from more than 2/3 of stake yet";
  const tx = submitL1Tx(world, by, { kind: "module", module: SIDECHAIN, call: { kind: "postCheckpoint", number } }, SIDECHAIN_GAS.checkpoint, 0, fee, out);
  if (typeof tx === "string") return tx;
  checkpoint.status = "posting";
  out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.checkpointSubmitted, { number, by, txId: tx.id, gas: SIDECHAIN_GAS.checkpoint }));
  return null;
}

/**
 * A validator's approval of the open checkpoint. When it lifts the signed stake over two thirds,
 * the signer's client posts the checkpoint to L1 at once (if that fails, any validator may post it).
 */
export function signCheckpoint(world: World, state: SidechainState, by: string, number: number, sig: string, out: EngineEvent[]): string | null {
  const checkpoint = state.checkpoints[number];
  if (!checkpoint || checkpoint.status === "posted") return "no such checkpoint waiting for signatures";
  if (!state.validators[by]) return "only a staked validator can sign checkpoints";
  if (checkpoint.signatures[by]) return "you already signed this checkpoint";
  if (!verifySignature(world.l1.publicKeys[by] ?? "", checkpointMessageOf(checkpoint), sig)) return "the signature does not verify with your key";
  checkpoint.signatures[by] = sig;
  const signedStake = stakeOf(state, Object.keys(checkpoint.signatures));
  const total = totalStake(state);
  out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.checkpointSigned, { number, signer: by, signedStake, totalStake: total }));
  if (checkpoint.status === "signing" && isSupermajority(signedStake, total)) {
    checkpoint.status = "signed";
    const reason = submitCheckpoint(world, state, by, number, {}, out);
    if (reason) out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.checkpointAwaitingPoster, { number, by, reason }));
  }
  return null;
}

/** The L1 root-chain contract's check of a posted checkpoint: > 2/3 of stake, with valid signatures. */
export function executeCheckpoint(world: World, state: SidechainState, number: number, out: EngineEvent[]): string | null {
  const checkpoint = state.checkpoints[number];
  if (!checkpoint) return "no such checkpoint";
  if (checkpoint.status === "posted") return "checkpoint already posted";
  const { signers, stake } = verifiedStake(world, state, checkpoint);
  const total = totalStake(state);
  // Stake may have grown since it was signed: then it needs more signatures and a new post.
  if (!isSupermajority(stake, total)) return "signatures no longer cover more than 2/3 of stake";
  checkpoint.status = "posted";
  checkpoint.postedAtMs = world.nowMs;
  const audit = auditSidechain(world, state);
  out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.checkpointPosted, {
    number,
    startHeight: checkpoint.startHeight,
    endHeight: checkpoint.endHeight,
    blocks: checkpoint.blockHashes.length,
    root: checkpoint.root,
    signers: signers.length,
    signedStake: stake,
    totalStake: total,
    latencyMs: world.nowMs - checkpoint.proposedAtMs,
    escrow: audit.escrow,
    supply: audit.supply,
    backed: audit.backed,
  }));
  return null;
}

/** Proof that block `height` is under a checkpoint's root (slot and siblings), or null if it is not covered. */
export function blockInclusionProof(checkpoint: Checkpoint, height: number): { slot: number; leaf: Uint8Array; siblings: string[] } | null {
  const slot = height - checkpoint.startHeight;
  const hash = checkpoint.blockHashes[slot];
  if (hash === undefined) return null;
  const tree = new SparseMerkleTree();
  checkpoint.blockHashes.forEach((h, i) => tree.set(i, leafHash(h)));
  return { slot, leaf: leafHash(hash), siblings: tree.proof(slot) };
}
