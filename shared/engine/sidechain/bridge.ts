import { verifySignature } from "../../crypto/sign.ts";
import type { EngineEvent } from "../events.ts";
import { moveL1 } from "../l1.ts";
import { moduleEvent } from "../module.ts";
import type { World } from "../world.ts";
import type { SignerSignature } from "./calls.ts";
import { auditSidechain } from "./ledger.ts";
import { withdrawalMessage } from "./messages.ts";
import { SIDECHAIN, SIDECHAIN_BRIDGE, SIDECHAIN_GAS } from "./params.ts";
import { SIDECHAIN_EVENTS } from "./sidechain-events.ts";
import type { SideTx, SidechainState } from "./state.ts";
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
  state.stolen += amount;
  state.thefts.push({ nonce, to, amount, signers, atMs: world.nowMs });
  const audit = auditSidechain(world, state);
  out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.bridgeDrained, {
    nonce,
    to,
    amount,
    relayer,
    signatures: signers.length,
    threshold: state.config.bridgeThreshold,
    seats: state.bridgeSigners.length,
    signers,
    stolen: state.stolen,
    escrow: audit.escrow,
    supply: audit.supply,
    deficit: audit.deficit,
    backed: audit.backed,
    /** The nonce belonged to a real burn that can now never be paid. */
    blockedWithdrawal: withdrawal !== undefined && withdrawal.status === "burned",
  }));
  return null;
}
