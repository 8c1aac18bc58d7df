import { verifySignature } from "../../crypto/sign.ts";
import type { FeeChoice } from "../actions.ts";
import type { EngineEvent } from "../events.ts";
import { submitL1Tx } from "../l1.ts";
import { moduleEvent } from "../module.ts";
import type { World } from "../world.ts";
import { releaseGas, signerWeight } from "./bridge.ts";
import type { SidechainCall } from "./calls.ts";
import { auditSidechain } from "./ledger.ts";
import { forgedCheckpointMessage, withdrawalMessage } from "./messages.ts";
import { SIDECHAIN, SIDECHAIN_BRIDGE, SIDECHAIN_GAS } from "./params.ts";
import type { BridgeDesign } from "./params.ts";
import { SIDECHAIN_EVENTS } from "./sidechain-events.ts";
import type { Heist, SidechainState } from "./state.ts";
import { idRecord } from "../id-record.ts";

/** Heist releases use nonces far above any round's burns, so they never block a real withdrawal. */
export const HEIST_NONCE_BASE = 1_000_000;

/**
 * The text every stolen key signs for `heist`, by bridge design: against Ronin's multisig an
 * ordinary bridge release to its organizer; against Polygon's checkpoint bridge a checkpoint over
 * a block that burned the amount for the organizer (which only > 2/3 of the stake can post).
 */
export function heistMessage(heist: Pick<Heist, "organizer" | "amount" | "nonce">, design: BridgeDesign = "multisig"): string {
  return design === "checkpoint" ? forgedCheckpointMessage(heist.organizer, heist.amount, heist.nonce) : withdrawalMessage(heist.organizer, heist.amount, heist.nonce);
}

/** Who holds a key a heist can use: a bridge seat against the multisig, any validator against the checkpoint bridge. */
function holdsUsefulKey(state: SidechainState, by: string): boolean {
  return state.config.bridgeDesign === "checkpoint" ? state.validators[by] !== undefined : state.bridgeSigners.includes(by);
}

/** An organizer's heist still in play (gathering signatures or waiting for its release to land). */
function openHeistOf(state: SidechainState, organizer: string): Heist | undefined {
  return state.heists.find((h) => h.organizer === organizer && h.status !== "drained");
}

/** A bridge signer invites the others to sign away `amount` of the escrow to them. */
export function proposeHeist(world: World, state: SidechainState, by: string, amount: number, out: EngineEvent[]): string | null {
  if (!holdsUsefulKey(state, by)) return "only a key the bridge would accept can start a heist";
  if (openHeistOf(state, by)) return "you already have a heist in play";
  if (amount > (world.l1.balances[SIDECHAIN_BRIDGE] ?? 0)) return "the bridge does not hold that much";
  const heist: Heist = {
    id: state.heists.length,
    organizer: by,
    amount,
    nonce: HEIST_NONCE_BASE + state.heists.length,
    signatures: idRecord(),
    status: "gathering",
    proposedAtMs: world.nowMs,
    txId: null,
    attempts: 0,
  };
  state.heists.push(heist);
  out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.heistProposed, {
    id: heist.id, organizer: by, amount, nonce: heist.nonce, threshold: state.config.bridgeThreshold, seats: state.bridgeSigners.length,
  }));
  return null;
}

/** A bridge signer joins a heist with a valid signature over its release. */
export function signHeist(world: World, state: SidechainState, by: string, id: number, sig: string, out: EngineEvent[]): string | null {
  const heist = state.heists[id];
  if (!heist || heist.status === "drained") return "no such heist in play";
  if (heist.status === "submitted") return "its release is on its way to L1: wait for it to land";
  if (!holdsUsefulKey(state, by)) return "only a key the bridge would accept can sign a heist";
  if (heist.signatures[by]) return "you already signed this heist";
  if (!verifySignature(world.l1.publicKeys[by] ?? "", heistMessage(heist, state.config.bridgeDesign), sig)) return "the signature does not verify with your key";
  heist.signatures[by] = sig;
  out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.heistSigned, {
    id, signer: by, organizer: heist.organizer, signatures: Object.keys(heist.signatures).length, threshold: state.config.bridgeThreshold,
  }));
  return null;
}

/**
 * The organizer sends the heist's release to L1 with whatever signatures it has. Unlike an
 * honest relayer it skips the dry run: with fewer than m signatures the multisig reverts it
 * on-chain (gas paid, nothing moved) and the colluders may try again once more keys join.
 */
export function releaseHeist(world: World, state: SidechainState, by: string, id: number, fee: FeeChoice, out: EngineEvent[]): string | null {
  const heist = state.heists[id];
  if (!heist || heist.organizer !== by) return "no heist of yours by that id";
  if (heist.status !== "gathering") return heist.status === "drained" ? "that heist already drained the bridge" : "its release is already on its way to L1";
  const signatures = Object.entries(heist.signatures).map(([validator, sig]) => ({ validator, sig }));
  if (signatures.length === 0) return "nobody has signed it yet";
  // Against the multisig: a release with m keys; against the checkpoint bridge: a forged checkpoint and its exit.
  const call: SidechainCall = { kind: state.config.bridgeDesign === "checkpoint" ? "checkpointExit" : "release", to: heist.organizer, amount: heist.amount, nonce: heist.nonce, signatures };
  const gas = releaseGas(signatures.length) + (call.kind === "checkpointExit" ? SIDECHAIN_GAS.checkpoint + SIDECHAIN_GAS.exit : 0);
  const tx = submitL1Tx(world, by, { kind: "module", module: SIDECHAIN, call }, gas, 0, fee, out);
  if (typeof tx === "string") return tx;
  heist.status = "submitted";
  heist.txId = tx.id;
  heist.attempts += 1;
  out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.heistSubmitted, {
    id, txId: tx.id, organizer: by, signatures: signatures.length, threshold: state.config.bridgeThreshold, gas,
  }));
  return null;
}

/** After a release lands on L1: the heist that sent it learns whether the multisig paid or reverted. */
export function settleHeist(world: World, state: SidechainState, txId: string, refusal: string | null, out: EngineEvent[]): void {
  const heist = state.heists.find((h) => h.txId === txId && h.status === "submitted");
  if (!heist) return;
  if (refusal === null) {
    heist.status = "drained";
    return;
  }
  heist.status = "gathering";
  const signers = Object.keys(heist.signatures);
  out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.heistRefused, {
    id: heist.id, organizer: heist.organizer, amount: heist.amount, design: state.config.bridgeDesign, signatures: signers.length, threshold: state.config.bridgeThreshold, signers,
    ...signerWeight(state, signers), reason: refusal,
  }));
}

/**
 * Anyone may raise the alarm. It is right when thefts no alarm reported yet stand behind a
 * shortfall of escrow against supply; the event carries how long after the first of them it
 * came and whose keys signed them (both public on L1 once a release lands).
 */
export function raiseAlarm(world: World, state: SidechainState, by: string, out: EngineEvent[]): null {
  const audit = auditSidechain(world, state);
  const fresh = state.thefts.slice(state.alarmedThefts);
  state.alarmedThefts = state.thefts.length;
  const signers = [...new Set(fresh.flatMap((t) => t.signers))];
  out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.alarmRaised, {
    by,
    escrow: audit.escrow,
    supply: audit.supply,
    deficit: audit.deficit,
    backed: audit.backed,
    /** Thefts this alarm is the first to report, and what they took. */
    thefts: fresh.length,
    stolen: fresh.reduce((sum, t) => sum + t.amount, 0),
    noticedAfterMs: fresh.length > 0 ? world.nowMs - fresh[0]!.atMs : -1,
    signers,
  }));
  return null;
}
