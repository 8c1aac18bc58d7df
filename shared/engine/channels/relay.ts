import type { World } from "../world.ts";
import { counterpartyOf, findChannel, shareOf, siblingChannels } from "./adjudicator.ts";
import { signatureProblem } from "./message.ts";
import type { SignatureKind } from "./message.ts";
import { htlcStepProblem, splitProblem } from "./payments.ts";
import type { Channel, ChannelBalances, Htlc, SignedState } from "./types.ts";
import { idRecord } from "../id-record.ts";
import type { IdRecord } from "../id-record.ts";

/**
 * What travels between two channel partners off-chain before the engine sees anything: a state
 * one of them proposed and signed, waiting for the other's countersignature. The server relays it
 * (it cannot sign for anyone); only the doubly-signed result reaches the engine.
 */
export interface Proposal {
  channelId: string;
  /** "update": a payment (next sequence number); "close": the final split of a cooperative close. */
  kind: SignatureKind;
  from: string;
  seq: number;
  balanceA: number;
  balanceB: number;
  /** The HTLCs pending in the proposed state; absent: none. */
  htlcs?: Htlc[];
  /** A fulfil (update_fulfill_htlc): the HTLC the state removes and the preimage that pays it, shown to the partner. */
  fulfil?: { htlcId: number; preimage: string };
  /** The proposer's signature over channelMessage(channel, kind, split). */
  sig: string;
  atMs: number;
}

/**
 * A payment routed payer → hub → receiver. Keysend-style (bLIP 3): the payer picks the preimage
 * and the onion's last layer carries it to the receiver, so nobody asks the receiver for an
 * invoice first; the hub sees only the hash, the amount to forward and its expiry (BOLT 4) until
 * the receiver claims. Amounts in gwei, times in game ms.
 */
export interface Route {
  hash: string;
  payer: string;
  hub: string;
  receiver: string;
  /** What the receiver gets. */
  amount: number;
  /** What the hub keeps: the payer's HTLC is amount + fee. */
  fee: number;
  /** Known to the payer and the receiver only; public once claimed. */
  preimage: string;
  /** Expiry of the payer → hub HTLC, and of the hub → receiver one (CLTV_EXPIRY_DELTA_MS earlier). */
  payerExpiryMs: number;
  receiverExpiryMs: number;
  startedAtMs: number;
  /**
   * "sent": the payer's node is offering the first HTLC; "forwarding": the hub holds it;
   * "offered": the receiver holds the hub's; "claimed": the receiver was paid (the hub now claims
   * upstream); "done": the hub was paid too; "bounced": the receiver's HTLC went back to the hub
   * (the hub now fails the payer's); "failed": the payer's HTLC went back to the payer, off-chain
   * or by timeout on L1.
   */
  status: "sent" | "forwarding" | "offered" | "claimed" | "done" | "bounced" | "failed";
}

/** The off-chain picture a scenario keeps beside the engine: proposals in flight and the states each node stores. */
export interface ChannelRelay {
  /** At most one proposal per channel, by channel id. */
  proposals: IdRecord<Proposal>;
  /**
   * Every doubly-signed state of a channel, oldest first. Both nodes keep them all (a real node
   * must, to answer a stale close): that is also what lets a party publish an old one.
   */
  history: IdRecord<SignedState[]>;
  /** Players whose node is offline until this game time, ms. */
  offlineUntil: IdRecord<number>;
  /** The routing node every user has a channel with (null: no hub this round). */
  hub: string | null;
  /** Routed payments by payment hash, in the order they started. */
  routes: IdRecord<Route>;
}

/** An empty relay for a new round. */
export function emptyRelay(): ChannelRelay {
  return { proposals: idRecord(), history: idRecord(), offlineUntil: idRecord(), hub: null, routes: idRecord() };
}

/** Why `from` may not propose this split on this channel now, or null. */
export function proposalProblem(world: World, relay: ChannelRelay, proposal: Omit<Proposal, "atMs">): string | null {
  const channel = findChannel(world, proposal.channelId);
  if (typeof channel === "string") return channel;
  const { from } = proposal;
  if (from !== channel.a && from !== channel.b) return `you are not a party to ${channel.id}`;
  if (channel.status !== "open") return `${channel.id} is ${channel.status}: nothing to sign`;
  const waiting = relay.proposals[channel.id];
  if (waiting && waiting.from !== from) return `answer ${waiting.from}'s proposal on ${channel.id} first`;
  const split = splitOf(proposal);
  const sumProblem = splitProblem(channel, split);
  if (sumProblem) return sumProblem;
  if (proposal.kind === "update") {
    if (proposal.seq <= channel.latest.seq) return `replayed state: sequence ${proposal.seq} is not newer than the latest ${channel.latest.seq}`;
    if (proposal.seq !== channel.latest.seq + 1) return `the next state of ${channel.id} is sequence ${channel.latest.seq + 1}, not ${proposal.seq}`;
    const step = htlcStepProblem(world, channel, from, split, proposal.fulfil);
    if (typeof step !== "string") return step.problem;
    const paid = shareOf(channel, from, channel.latest) - shareOf(channel, from, split);
    if (step === "payment" && paid <= 0) return "a payment must move money from you to your partner: you cannot sign yourself a raise";
  } else if ((channel.latest.htlcs ?? []).length) {
    return `${channel.id} has pending HTLCs: a cooperative close waits until they are fulfilled or failed (BOLT 2 shutdown)`;
  } else if (proposal.balanceA !== channel.latest.balanceA || proposal.balanceB !== channel.latest.balanceB || proposal.seq !== channel.latest.seq) {
    return `a cooperative close pays out the latest split (sequence ${channel.latest.seq}: ${channel.latest.balanceA} | ${channel.latest.balanceB})`;
  }
  return signatureProblem(world.l1.publicKeys, channel, siblingChannels(world, channel), proposal.kind, split, from, proposal.sig);
}

/** The state a proposal asks both parties to sign, without signatures. */
export function splitOf(proposal: Pick<Proposal, "seq" | "balanceA" | "balanceB" | "htlcs">): SignedState {
  const htlcs = proposal.htlcs ?? [];
  return { seq: proposal.seq, balanceA: proposal.balanceA, balanceB: proposal.balanceB, ...(htlcs.length ? { htlcs: htlcs.map((h) => ({ ...h })) } : {}), sigA: "", sigB: "" };
}

/** The doubly-signed state once the partner countersigned a proposal. */
export function countersigned(channel: Channel, proposal: Proposal, sig: string): SignedState {
  const fromA = proposal.from === channel.a;
  return { ...splitOf(proposal), sigA: fromA ? proposal.sig : sig, sigB: fromA ? sig : proposal.sig };
}

/** How much a proposal moves to its receiver (0 for a close). */
export function proposalAmount(channel: Channel, proposal: ChannelBalances & { from: string; kind: SignatureKind }): number {
  if (proposal.kind === "close") return 0;
  return shareOf(channel, counterpartyOf(channel, proposal.from), proposal) - shareOf(channel, counterpartyOf(channel, proposal.from), channel.latest);
}

/**
 * Keeps the relay in step with the engine: stores each new doubly-signed state, and drops
 * proposals the engine has overtaken (a newer state, a close queued or landed) or that expired
 * on the way (an HTLC too close to its expiry to be added or fulfilled).
 */
export function syncRelay(world: World, relay: ChannelRelay, channels: readonly Channel[]): void {
  for (const channel of channels) {
    const history = (relay.history[channel.id] ??= []);
    if (channel.status !== "funding" && (history.at(-1)?.seq ?? -1) < channel.latest.seq) history.push({ ...channel.latest });
    const proposal = relay.proposals[channel.id];
    if (!proposal) continue;
    const closeQueued = world.l1.mempool.some((tx) => tx.payload.kind === "module" && (tx.payload.call as { channelId?: unknown }).channelId === channel.id && (tx.payload.call as { kind?: unknown }).kind !== "update");
    const overtaken = proposal.kind === "update" ? channel.latest.seq >= proposal.seq : closeQueued;
    // An HTLC step the partner can no longer accept (its expiry came too close while nobody answered) would block the channel for good.
    const stale = channel.status === "open" && !overtaken && proposal.kind === "update" && (proposal.htlcs || channel.latest.htlcs) && typeof htlcStepProblem(world, channel, proposal.from, splitOf(proposal), proposal.fulfil) !== "string";
    if (channel.status !== "open" || overtaken || stale) delete relay.proposals[channel.id];
  }
}

/** The stored state that pays `party` the most, if it pays more than the latest: the temptation of a stale close. */
export function bestOldState(channel: Channel, history: readonly SignedState[], party: string): SignedState | null {
  let best: SignedState | null = null;
  for (const state of history) {
    if (state.seq >= channel.latest.seq) continue;
    if (shareOf(channel, party, state) <= shareOf(channel, party, channel.latest)) continue;
    if (!best || shareOf(channel, party, state) > shareOf(channel, party, best)) best = state;
  }
  return best;
}

/** Whether the player's node is offline now. */
export function isOffline(world: World, relay: ChannelRelay, player: string): boolean {
  return (relay.offlineUntil[player] ?? 0) > world.nowMs;
}
