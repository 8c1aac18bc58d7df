import { signMessage, verifySignature } from "../../crypto/sign.ts";
import type { Channel, ChannelBalances, SignedState } from "./types.ts";

/**
 * What a signature commits to. An "update" signature makes a state publishable by a unilateral
 * close (and usable in a penalty); a "close" signature agrees to pay out at once. Keeping the
 * two apart stops a party from turning an old update into an instant cooperative close.
 */
export type SignatureKind = "update" | "close";

const SIGNATURE_PATTERN = /^[0-9a-f]{128}$/;

/**
 * The canonical message both parties sign: domain, kind, channel id, both party names, the
 * sequence number, the split and the pending HTLCs in order. The channel id makes a signature useless on any other channel.
 */
export function channelMessage(channel: Pick<Channel, "id" | "a" | "b">, kind: SignatureKind, state: ChannelBalances): string {
  // Names are JSON-quoted and HTLC offerers written as their side, so no field can bleed into another.
  const htlcs = (state.htlcs ?? []).map((h) => `${h.id}:${h.offerer === channel.a ? "a" : "b"}:${h.amount}:${h.hash}:${h.expiryMs}`).join(",");
  return `l2arena/channel/v1|${kind}|${JSON.stringify([channel.id, channel.a, channel.b])}|seq=${state.seq}|a=${state.balanceA}|b=${state.balanceB}|htlcs=${htlcs}`;
}

/** Signs a channel state with a player's secret key (client or bot side; the engine only verifies). */
export function signChannelState(secretKeyHex: string, channel: Pick<Channel, "id" | "a" | "b">, kind: SignatureKind, state: ChannelBalances): string {
  return signMessage(secretKeyHex, channelMessage(channel, kind, state));
}

/**
 * Checks one party's signature as the adjudicator would, and says exactly why it fails:
 * malformed, made with the other party's key, meant for another channel, of the wrong kind,
 * or simply not a signature of this state by this key (forged or for another split).
 */
export function signatureProblem(
  publicKeys: Record<string, string>,
  channel: Channel,
  others: Channel[],
  kind: SignatureKind,
  state: ChannelBalances,
  signer: string,
  signature: string,
): string | null {
  const key = publicKeys[signer];
  if (!key) return `${signer} has no registered key`;
  if (!SIGNATURE_PATTERN.test(signature)) return `${signer}'s signature must be 128 hex characters`;
  const message = channelMessage(channel, kind, state);
  if (verifySignature(key, message, signature)) return null;
  // Only the failure path spends extra verifications on a precise reason.
  const other = signer === channel.a ? channel.b : channel.a;
  const otherKey = publicKeys[other];
  if (otherKey && verifySignature(otherKey, message, signature)) return `${signer}'s signature was made with ${other}'s key, not ${signer}'s`;
  for (const elsewhere of others) {
    if (elsewhere.id === channel.id) continue;
    if (verifySignature(key, channelMessage(elsewhere, kind, state), signature)) return `${signer}'s signature is for channel ${elsewhere.id}, not ${channel.id}`;
  }
  const otherKind: SignatureKind = kind === "update" ? "close" : "update";
  if (verifySignature(key, channelMessage(channel, otherKind, state), signature)) return `${signer}'s signature is a ${otherKind} signature, not a ${kind} signature`;
  return `${signer}'s signature does not verify for this state of ${channel.id} (forged, or signed over a different split or sequence)`;
}

/** Both parties' signatures on `state`, or the first problem. Sequence 0 of an update is the funding split itself. */
export function stateProblem(
  publicKeys: Record<string, string>,
  channel: Channel,
  others: Channel[],
  kind: SignatureKind,
  state: SignedState,
): string | null {
  if (kind === "update" && state.seq === 0) {
    const funding = state.balanceA === channel.depositA - channel.pushed && state.balanceB === channel.depositB + channel.pushed && (state.htlcs ?? []).length === 0;
    return funding ? null : "sequence 0 is the funding split and must match the deposits (and what the opener pushed)";
  }
  return (
    signatureProblem(publicKeys, channel, others, kind, state, channel.a, state.sigA) ??
    signatureProblem(publicKeys, channel, others, kind, state, channel.b, state.sigB)
  );
}
