import { verifySignature } from "../../crypto/sign.ts";
import type { EngineEvent } from "../events.ts";
import { moveL1 } from "../l1.ts";
import { moduleEvent } from "../module.ts";
import type { World } from "../world.ts";
import type { SidechainCall, SignerSignature } from "./calls.ts";
import { auditSidechain } from "./ledger.ts";
import { withdrawalMessage } from "./messages.ts";
import { SIDECHAIN, SIDECHAIN_BRIDGE, SIDECHAIN_GAS } from "./params.ts";
import { SIDECHAIN_EVENTS } from "./sidechain-events.ts";
import type { Checkpoint, SideTx, SideWithdrawal, SidechainState } from "./state.ts";
import { blockInclusionProof } from "./checkpoint.ts";
import { isSupermajority, stakeOf, totalStake } from "./state.ts";
import { verifyMerkleProof, leafHash } from "../../crypto/merkle.ts";
import { forgedCheckpointMessage } from "./messages.ts";
import { idRecord } from "../id-record.ts";

/** L1 gas of a bridge release carrying `signatures` signatures: a fixed part plus one check each. */
export function releaseGas(signatures: number): number {
  return SIDECHAIN_GAS.releaseBase + SIDECHAIN_GAS.releasePerSignature * signatures;
}

/** A deposit's effect on L1: ETH locks in the bridge and waits in the pool to be minted on the sidechain. */
export function executeDeposit(world: World, state: SidechainState, from: string, amount: number, submittedAtMs: number, out: EngineEvent[]): null {
  moveL1(world, from, SIDECHAIN_BRIDGE, amount);
  const depositId = state.nextDepositId++;
  state.pool.push({ kind: "mint", from: SIDECHAIN_BRIDGE, to: from, amount, fee: 0, nonce: 0, sig: "", submittedAtMs, depositId });
  const audit = auditSidechain(world, state);
  out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.depositLocked, { depositId, from, amount, escrow: audit.escrow, supply: audit.supply }));
  return null;
}

/** A committed burn becomes a withdrawal with the next nonce the L1 bridge has not paid yet. */
export function recordBurn(world: World, state: SidechainState, tx: SideTx, height: number, out: EngineEvent[]): void {
  let nonce = state.nextWithdrawalNonce;
  while (state.usedNonces[nonce] || state.withdrawals[nonce]) nonce++;
  state.nextWithdrawalNonce = nonce + 1;
  state.withdrawals[nonce] = { nonce, to: tx.from, amount: tx.amount, height, burnedAtMs: world.nowMs, signatures: idRecord(), status: "burned" };
  out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.withdrawalBurned, { nonce, to: tx.from, amount: tx.amount, height, threshold: state.config.bridgeThreshold }));
}

/** A bridge signer's approval of a burned withdrawal, kept so the recipient can collect it. */
export function signWithdrawal(world: World, state: SidechainState, by: string, nonce: number, sig: string, out: EngineEvent[]): string | null {
  if (state.config.bridgeDesign !== "multisig") return "this bridge needs no signatures: a withdrawal proves its burn against a checkpoint";
  const withdrawal = state.withdrawals[nonce];
  if (!withdrawal || withdrawal.status !== "burned") return "no such unpaid withdrawal";
  if (!state.bridgeSigners.includes(by)) return "only a bridge signer can approve withdrawals";
  if (withdrawal.signatures[by]) return "you already signed this withdrawal";
  if (!verifySignature(world.l1.publicKeys[by] ?? "", withdrawalMessage(withdrawal.to, withdrawal.amount, nonce), sig)) return "the signature does not verify with your key";
  withdrawal.signatures[by] = sig;
  out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.withdrawalSigned, {
    nonce,
    signer: by,
    signatures: Object.keys(withdrawal.signatures).length,
    threshold: state.config.bridgeThreshold,
  }));
  return null;
}

/**
 * Whether a burned withdrawal can be collected on L1 now: m signatures against the multisig; a
 * posted checkpoint covering its block against the checkpoint bridge.
 */
export function withdrawalReady(state: SidechainState, withdrawal: SideWithdrawal): boolean {
  if (state.config.bridgeDesign === "multisig") return Object.keys(withdrawal.signatures).length >= state.config.bridgeThreshold;
  return coveringCheckpoint(state, withdrawal.height) !== undefined;
}

/** The posted checkpoint whose blocks include `height`, if any. */
export function coveringCheckpoint(state: SidechainState, height: number): Checkpoint | undefined {
  return state.checkpoints.find((c) => c.status === "posted" && c.startHeight <= height && height <= c.endHeight);
}

/** The exit call that proves `withdrawal`'s burn against the checkpoint covering its block (what a wallet builds), or null before one is posted. */
export function exitCallFor(state: SidechainState, withdrawal: SideWithdrawal): Extract<SidechainCall, { kind: "exit" }> | null {
  const checkpoint = coveringCheckpoint(state, withdrawal.height);
  const proof = checkpoint ? blockInclusionProof(checkpoint, withdrawal.height) : null;
  if (!checkpoint || !proof) return null;
  return { kind: "exit", nonce: withdrawal.nonce, checkpoint: checkpoint.number, blockHash: checkpoint.blockHashes[proof.slot]!, slot: proof.slot, siblings: proof.siblings };
}

/** The signatures a recipient would submit for a burned withdrawal, as collected so far. */
export function collectedSignatures(state: SidechainState, nonce: number): SignerSignature[] {
  const withdrawal = state.withdrawals[nonce];
  return withdrawal ? Object.entries(withdrawal.signatures).map(([validator, sig]) => ({ validator, sig })) : [];
}

/**
 * The L1 multisig's check, exactly what the contract can see: every signature from a distinct
 * bridge signer and valid over (bridge, recipient, amount, nonce), at least m of them, nonce
 * unpaid, escrow large enough. It cannot see the sidechain, so it cannot ask for a burn.
 * Returns why it refuses, or null.
 */
export function releaseRefusal(world: World, state: SidechainState, to: string, amount: number, nonce: number, signatures: readonly SignerSignature[]): string | null {
  if (state.config.bridgeDesign !== "multisig") return "this bridge has no multisig: a withdrawal proves its burn against a checkpoint";
  if (state.usedNonces[nonce]) return `withdrawal nonce ${nonce} was already paid`;
  const message = withdrawalMessage(to, amount, nonce);
  const seen = new Set<string>();
  for (const { validator, sig } of signatures) {
    if (seen.has(validator)) return `${validator} signed twice`;
    seen.add(validator);
    if (!state.bridgeSigners.includes(validator)) return `${validator} is not a bridge signer`;
    if (!verifySignature(world.l1.publicKeys[validator] ?? "", message, sig)) return `the signature for ${validator} is not valid`;
  }
  const m = state.config.bridgeThreshold;
  if (seen.size < m) return `the bridge needs ${m} signatures, got ${seen.size}`;
  if ((world.l1.balances[SIDECHAIN_BRIDGE] ?? 0) < amount) return "the bridge does not hold that much";
  return null;
}

/**
 * A release the multisig accepted pays out of escrow. If a burn on the sidechain matches it,
 * that withdrawal is paid; if none does, the signers drew on escrow nobody burned for:
 * the theft is recorded and announced with its figures.
 */
export function executeRelease(world: World, state: SidechainState, relayer: string, to: string, amount: number, nonce: number, signatures: readonly SignerSignature[], out: EngineEvent[]): string | null {
  const refusal = releaseRefusal(world, state, to, amount, nonce, signatures);
  if (refusal) return refusal;
  moveL1(world, SIDECHAIN_BRIDGE, to, amount);
  state.usedNonces[nonce] = true;
  const signers = signatures.map((s) => s.validator);
  const withdrawal = state.withdrawals[nonce];
  if (withdrawal && withdrawal.status === "burned" && withdrawal.to === to && withdrawal.amount === amount) {
    withdrawal.status = "paid";
    const audit = auditSidechain(world, state);
    out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.withdrawalReleased, {
      nonce,
      to,
      amount,
      relayer,
      signatures: signers.length,
      threshold: state.config.bridgeThreshold,
      signers,
      waitMs: world.nowMs - withdrawal.burnedAtMs,
      gas: releaseGas(signers.length),
      escrow: audit.escrow,
      supply: audit.supply,
      backed: audit.backed,
    }));
    return null;
  }
  recordTheft(world, state, relayer, to, amount, nonce, signers, out);
  return null;
}

/**
 * Escrow left the bridge with no burn behind it: the theft is recorded and announced with its
 * figures, among them how much of the stake and how many bridge keys signed it (the debrief
 * compares the two bridge designs from these).
 */
function recordTheft(world: World, state: SidechainState, relayer: string, to: string, amount: number, nonce: number, signers: string[], out: EngineEvent[]): void {
  state.stolen += amount;
  state.thefts.push({ nonce, to, amount, signers, atMs: world.nowMs });
  const withdrawal = state.withdrawals[nonce];
  const audit = auditSidechain(world, state);
  out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.bridgeDrained, {
    nonce,
    to,
    amount,
    relayer,
    design: state.config.bridgeDesign,
    signatures: signers.length,
    threshold: state.config.bridgeThreshold,
    seats: state.bridgeSigners.length,
    signers,
    ...signerWeight(state, signers),
    stolen: state.stolen,
    escrow: audit.escrow,
    supply: audit.supply,
    deficit: audit.deficit,
    backed: audit.backed,
    /** The nonce belonged to a real burn that can now never be paid. */
    blockedWithdrawal: withdrawal !== undefined && withdrawal.status === "burned",
  }));
}

/** The weight of a set of signers under each design: their share of the stake, and how many of the bridge's keys they hold. */
export function signerWeight(state: SidechainState, signers: readonly string[]): { signedStake: number; totalStake: number; bridgeKeys: number } {
  return { signedStake: stakeOf(state, signers), totalStake: totalStake(state), bridgeKeys: signers.filter((s) => state.bridgeSigners.includes(s)).length };
}

/**
 * Polygon PoS's exit (RootChainManager.exit): the withdrawal's burn is proven against a
 * checkpoint already on L1. The contract checks the Merkle proof that the burn's block hash is
 * under the checkpoint's root, signed by more than 2/3 of the stake when it was posted; that the
 * burn is in that block (the receipt proof) is checked against the block's record here. Any
 * relayer may send it; it pays the burner. Returns why it refuses, or null.
 */
export function exitRefusal(world: World, state: SidechainState, call: Extract<SidechainCall, { kind: "exit" }>): string | null {
  if (state.config.bridgeDesign !== "checkpoint") return "this bridge pays on its multisig's signatures, not on a burn proof";
  const withdrawal = state.withdrawals[call.nonce];
  if (!withdrawal || withdrawal.status !== "burned" || state.usedNonces[call.nonce]) return "no unpaid burn with that nonce";
  const checkpoint = state.checkpoints[call.checkpoint];
  if (!checkpoint || checkpoint.status !== "posted") return "that checkpoint is not on L1 yet: wait for the next one";
  if (withdrawal.height < checkpoint.startHeight || withdrawal.height > checkpoint.endHeight) return "the burn's block is not under that checkpoint";
  if (call.slot !== withdrawal.height - checkpoint.startHeight) return "the proof is for another block";
  if (!verifyMerkleProof(checkpoint.root, call.slot, leafHash(call.blockHash), call.siblings)) return "the Merkle proof does not lead to the checkpoint's root";
  if (checkpoint.blockHashes[call.slot] !== call.blockHash) return "that block does not carry the burn";
  if ((world.l1.balances[SIDECHAIN_BRIDGE] ?? 0) < withdrawal.amount) return "the bridge does not hold that much";
  return null;
}

/** An exit the contract accepted pays the burn's owner out of escrow. */
export function executeExit(world: World, state: SidechainState, relayer: string, call: Extract<SidechainCall, { kind: "exit" }>, out: EngineEvent[]): string | null {
  const refusal = exitRefusal(world, state, call);
  if (refusal) return refusal;
  const withdrawal = state.withdrawals[call.nonce]!;
  moveL1(world, SIDECHAIN_BRIDGE, withdrawal.to, withdrawal.amount);
  state.usedNonces[call.nonce] = true;
  withdrawal.status = "paid";
  const audit = auditSidechain(world, state);
  out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.withdrawalReleased, {
    nonce: call.nonce, to: withdrawal.to, amount: withdrawal.amount, relayer, design: "checkpoint", checkpoint: call.checkpoint,
    signatures: 0, threshold: state.config.bridgeThreshold, signers: [], waitMs: world.nowMs - withdrawal.burnedAtMs, gas: SIDECHAIN_GAS.exit,
    escrow: audit.escrow, supply: audit.supply, backed: audit.backed,
  }));
  return null;
}

/**
 * What stolen keys must do against the checkpoint design: get L1 to accept a checkpoint over a
 * block the chain never had, whose burn pays them. The root-chain contract accepts a checkpoint
 * only with valid signatures from validators holding more than 2/3 of the stake — the number of
 * bridge keys does not matter. Returns why it refuses, or null.
 */
export function checkpointExitRefusal(world: World, state: SidechainState, to: string, amount: number, nonce: number, signatures: readonly SignerSignature[]): string | null {
  if (state.config.bridgeDesign !== "checkpoint") return "this bridge pays on its multisig's signatures, not on a burn proof";
  if (state.usedNonces[nonce]) return `withdrawal nonce ${nonce} was already paid`;
  const message = forgedCheckpointMessage(to, amount, nonce);
  const seen = new Set<string>();
  for (const { validator, sig } of signatures) {
    if (seen.has(validator)) return `${validator} signed twice`;
    seen.add(validator);
    if (!state.validators[validator]) return `${validator} is not a validator`;
    if (!verifySignature(world.l1.publicKeys[validator] ?? "", message, sig)) return `the signature for ${validator} is not valid`;
  }
  const signed = stakeOf(state, seen);
  if (!isSupermajority(signed, totalStake(state))) return `the checkpoint needs more than 2/3 of the stake, got ${Math.round((100 * signed) / Math.max(1, totalStake(state)))} %`;
  if ((world.l1.balances[SIDECHAIN_BRIDGE] ?? 0) < amount) return "the bridge does not hold that much";
  return null;
}

/** The contract accepted the checkpoint and the exit its forged block proves: escrow leaves with no burn behind it. */
export function executeCheckpointExit(world: World, state: SidechainState, relayer: string, to: string, amount: number, nonce: number, signatures: readonly SignerSignature[], out: EngineEvent[]): string | null {
  const refusal = checkpointExitRefusal(world, state, to, amount, nonce, signatures);
  if (refusal) return refusal;
  moveL1(world, SIDECHAIN_BRIDGE, to, amount);
  state.usedNonces[nonce] = true;
  recordTheft(world, state, relayer, to, amount, nonce, signatures.map((s) => s.validator), out);
  return null;
}
