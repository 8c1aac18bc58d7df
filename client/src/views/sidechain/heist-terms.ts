import { signMessage } from "../../../../shared/crypto/sign.ts";
import { heistMessage } from "../../../../shared/engine/sidechain/heist.ts";
import type { Heist } from "../../../../shared/engine/sidechain/state.ts";
import { isSupermajority } from "../../../../shared/engine/sidechain/state.ts";
import type { SideWorldSnap } from "./side-snap.ts";

/*
 * A heist in the words and signatures of the round's bridge design. Against Ronin's multisig the
 * stolen keys sign a bridge release and need m of its n keys; against Polygon PoS's checkpoint
 * bridge they sign a checkpoint over a block the sidechain never had and need more than 2/3 of the
 * stake. No DOM here: the validator view, its losses and the tests share these.
 */

/** The bridge facts a heist's words depend on (from `world.module`). */
export type BridgeTerms = Pick<SideWorldSnap, "design" | "m" | "n" | "validators" | "totalStake">;

/**
 * The signature this browser puts on a heist: ed25519 over exactly the text the engine checks for
 * the round's design (heistMessage), so a student's key counts like a bot's.
 */
export function signHeistAs(secretKey: string, heist: Pick<Heist, "organizer" | "amount" | "nonce">, bridge: Pick<BridgeTerms, "design">): string {
  return signMessage(secretKey, heistMessage(heist, bridge.design));
}

/** What a heist must gather under this bridge, in words: "5 of 9 bridge keys" or "more than 2/3 of the stake". */
export function heistThreshold(bridge: Pick<BridgeTerms, "design" | "m" | "n">): string {
  return bridge.design === "checkpoint" ? "more than 2/3 of the stake" : `${bridge.m} of ${bridge.n} bridge keys`;
}

/** The stake behind a set of validators, gwei (0 for ids that hold none). */
export function stakeBehind(bridge: Pick<BridgeTerms, "validators">, signers: readonly string[]): number {
  const set = new Set(signers);
  return bridge.validators.reduce((sum, v) => sum + (set.has(v.id) ? v.stake : 0), 0);
}

/** A share of the stake as a whole percentage ("56 %"). */
function percent(part: number, whole: number): string {
  return `${Math.round((100 * part) / Math.max(1, whole))} %`;
}

/**
 * How far a heist's signatures are from draining the bridge: `enough`, what they hold ("4 of 5
 * keys" / "56 % of the stake") and what is still missing, in words. `signedStake` counts only
 * under the checkpoint design.
 */
export function heistStanding(bridge: BridgeTerms, signatures: number, signedStake: number): { enough: boolean; held: string; missing: string } {
  if (bridge.design === "checkpoint") {
    const enough = isSupermajority(signedStake, bridge.totalStake);
    return {
      enough,
      held: `${signatures} key${signatures === 1 ? "" : "s"}, ${percent(signedStake, bridge.totalStake)} of the stake`,
      missing: enough
        ? "more than 2/3 of the stake: L1 would accept their forged checkpoint and pay the exit it proves."
        : "not yet more than 2/3 of the stake: L1 refuses a checkpoint with less, however many keys sign it.",
    };
  }
  const left = bridge.m - signatures;
  return {
    enough: left <= 0,
    held: `${signatures} of ${bridge.m} keys`,
    missing: left <= 0
      ? `${bridge.m} of ${bridge.n} bridge keys: enough for the multisig to pay it.`
      : `${left} more key${left === 1 ? "" : "s"} needed; with fewer than ${bridge.m} of ${bridge.n} bridge keys the multisig refuses it.`,
  };
}

/** What a heist has keys sign, paying `to` ("the attacker", "you"): a bridge release, or a checkpoint over a block that never was. */
export function heistAsk(bridge: Pick<BridgeTerms, "design">, amount: string, to: string): string {
  return bridge.design === "checkpoint"
    ? `a checkpoint over a block the sidechain never had, whose burn of ${amount} pays ${to}`
    : `a bridge release of ${amount} to ${to}`;
}

/** What the server's acks of the heist messages mean under this bridge (shown by the play screen). */
export function heistAcks(bridge: Pick<BridgeTerms, "design" | "m" | "n">): Record<string, string> {
  const need = heistThreshold(bridge);
  return bridge.design === "checkpoint"
    ? {
      "sidechain:heistSign": "You signed the heist: your key is now on a checkpoint over a block the sidechain never had.",
      "sidechain:heistPropose": `Heist planned with a stolen key: the other validators see it. It needs ${need}.`,
      "sidechain:heistRelease": `Forged checkpoint sent to L1: the root chain accepts it only with signatures from ${need}.`,
    }
    : {
      "sidechain:heistSign": "You signed the heist: your key is now on a release nobody burned for.",
      "sidechain:heistPropose": `Heist planned with a stolen key: the other bridge signers see it. It needs ${need}.`,
      "sidechain:heistRelease": `Release sent to L1: the multisig pays it only with ${need}.`,
    };
}

/** Who may start a heist: a bridge seat against the multisig, any validator against the checkpoint bridge (as the engine's holdsUsefulKey). */
export function canStartHeist(bridge: Pick<BridgeTerms, "design" | "validators">, seat: number, me: string): boolean {
  return bridge.design === "checkpoint" ? bridge.validators.some((v) => v.id === me) : seat >= 0;
}
