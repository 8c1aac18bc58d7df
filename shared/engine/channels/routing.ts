import type { EngineEvent } from "../events.ts";
import type { World } from "../world.ts";
import { sha256Hex } from "../../crypto/hash.ts";
import { counterpartyOf, shareOf } from "./adjudicator.ts";
import { htlcStepProblem } from "./payments.ts";
import { isOffline, splitOf } from "./relay.ts";
import type { ChannelRelay, Route } from "./relay.ts";
import { CHANNEL_EVENTS, CHANNELS, CLTV_EXPIRY_DELTA_MS, MIN_FINAL_EXPIRY_MS, ROUTE_TRAVEL_MS, ROUTING_FEE_BASE, ROUTING_FEE_PPM } from "./rules.ts";
import { channelsOf } from "./types.ts";
import type { Channel, ChannelBalances, Htlc, SignedState } from "./types.ts";

/**
 * What a Lightning node does on its own, without its owner clicking: forwarding, fulfilling,
 * failing and countersigning HTLC steps (BOLT 2), and going on-chain when a peer stops answering
 * before an HTLC's deadline. The same duties drive bots and the students' phones; each side signs
 * with its own key. Amounts in gwei, times in game ms.
 */
export type Duty = { channelId: string; hash: string; /** The channel's opener and counterparty: what a signature commits to besides the state. */ a: string; b: string } & (
  /** Propose the next state of `channelId`, signed by me: offer (or forward) an HTLC, fulfil one with its preimage, or fail one. */
  | { kind: "propose"; step: "offer" | "fulfil" | "fail"; state: SignedState; fulfil?: { htlcId: number; preimage: string } }
  /** Countersign the HTLC step my partner proposed. */
  | { kind: "countersign"; step: "offer" | "fulfil" | "fail"; state: SignedState }
  /** Fail the channel on L1 with the latest state: an HTLC deadline passed with the peer not answering. */
  | { kind: "forceClose"; why: "timeout" | "claim"; state: SignedState }
  /** Claim an HTLC output on L1 with its preimage, before its expiry. */
  | { kind: "claim"; htlcId: number; preimage: string }
);

/**
 * BOLT 2's deadline for offered HTLCs is G blocks after expiry ("1 block is reasonable"): past it
 * the offerer must fail the channel. One L1 block of the game, so a peer that is online has a
 * turn to fail the HTLC off-chain first.
 */
export const OFFERED_DEADLINE_MS = 3_000;
/** A node holding a preimage goes on-chain this long before its incoming HTLC expires if its peer cannot countersign: a close and a claim, a block each, with a block to spare. */
export const FULFIL_DEADLINE_MS = 9_000;

/** The hub's fee for forwarding `amount` gwei: fee_base + amount × fee_proportional_millionths / 10⁶ (BOLT 7). */
export function routingFee(amount: number): number {
  return ROUTING_FEE_BASE + Math.floor((amount * ROUTING_FEE_PPM) / 1_000_000);
}

/** The first open channel between two players, if any. */
export function openChannelBetween(world: World, x: string, y: string): Channel | null {
  const state = channelsOf(world);
  for (const id of state.order) {
    const c = state.channels[id]!;
    if (c.status === "open" && ((c.a === x && c.b === y) || (c.a === y && c.b === x))) return c;
  }
  return null;
}

/** A route the payer asks for, with its fee and expiries set from now, or why it cannot go. */
export function planRoute(world: World, relay: ChannelRelay, payer: string, receiver: string, amount: number, preimage: string): Route | string {
  const hub = relay.hub;
  if (!hub) return "this round has no hub: pay your channel partner directly";
  if (payer === hub) return "you are the hub: your node forwards other people's payments, and you pay your channel partners directly";
  if (receiver === payer) return "pick someone else to pay";
  if (receiver === hub) return "the hub is your channel partner: pay it directly";
  if (!Number.isSafeInteger(amount) || amount <= 0) return "the amount must be a positive whole number of gwei";
  const hash = sha256Hex(preimage);
  if (relay.routes[hash]) return "a payment with this preimage was already sent: pick a new one";
  const first = openChannelBetween(world, payer, hub);
  if (!first) return "you have no open channel with the hub";
  if (!openChannelBetween(world, hub, receiver)) return `${receiver} has no open channel with the hub`;
  const fee = routingFee(amount);
  const mine = shareOf(first, payer, first.latest);
  if (mine < amount + fee) return `you have ${mine} gwei in your channel with the hub: not enough for ${amount} + the hub's fee of ${fee}`;
  // BOLT 4: the payer sets expiries from the last hop back; each hop gets cltv_expiry_delta more.
  const receiverExpiryMs = world.nowMs + ROUTE_TRAVEL_MS + MIN_FINAL_EXPIRY_MS;
  return { hash, payer, hub, receiver, amount, fee, preimage, payerExpiryMs: receiverExpiryMs + CLTV_EXPIRY_DELTA_MS, receiverExpiryMs, startedAtMs: world.nowMs, status: "sent" };
}

/** Moves each route along from the channel events of one engine step, and fails routes that could never reach the receiver in time. */
export function syncRoutes(world: World, relay: ChannelRelay, events: readonly EngineEvent[]): void {
  for (const e of events) {
    if (e.type !== "module" || e.module !== CHANNELS) continue;
    const data = e.data as { hash?: unknown; from?: unknown; to?: unknown; returnedTo?: unknown; by?: unknown };
    const route = typeof data.hash === "string" ? relay.routes[data.hash] : undefined;
    if (!route) continue;
    const paid = (who: string) => (e.name === CHANNEL_EVENTS.htlcFulfilled && data.to === who) || (e.name === CHANNEL_EVENTS.htlcClaimed && data.by === who);
    const returnedTo = e.name === CHANNEL_EVENTS.htlcFailed || e.name === CHANNEL_EVENTS.htlcTimedOut ? data.returnedTo : null;
    // A payer's HTLC countersigned after the route was given up still reaches the hub, which fails it back at once.
    if (e.name === CHANNEL_EVENTS.htlcOffered && data.from === route.payer && (route.status === "sent" || route.status === "failed")) route.status = "forwarding";
    else if (e.name === CHANNEL_EVENTS.htlcOffered && data.from === route.hub && route.status === "forwarding") route.status = "offered";
    else if (paid(route.receiver)) route.status = "claimed";
    else if (paid(route.hub)) route.status = "done";
    else if (returnedTo === route.hub && route.status === "offered") route.status = "bounced";
    else if (returnedTo === route.payer) route.status = "failed";
  }
  for (const route of Object.values(relay.routes)) {
    // Never offered while the hub could still forward it in time: the payer's node gives up.
    if (route.status === "sent" && world.nowMs >= route.receiverExpiryMs - MIN_FINAL_EXPIRY_MS) route.status = "failed";
  }
}

function pendingWithHash(channel: Channel | null, hash: string): Htlc | null {
  return (channel?.latest.htlcs ?? []).find((h) => h.hash === hash) ?? null;
}

/** The preimage `me` knows for a hash: its own route's (payer or receiver), or one already public (claimed further down). */
function preimageFor(world: World, relay: ChannelRelay, me: string, hash: string): string | null {
  const route = relay.routes[hash];
  if (route && (route.receiver === me || route.payer === me)) return route.preimage;
  return channelsOf(world).preimages[hash] ?? null;
}

/** The next state with `htlcs` and each party's balance moved by `deltaMe` for `me`, unsigned. */
function nextState(channel: Channel, me: string, htlcs: Htlc[], deltaMe: number, deltaPartner: number): SignedState {
  const meIsA = channel.a === me;
  const l = channel.latest;
  return splitOf({ seq: l.seq + 1, balanceA: l.balanceA + (meIsA ? deltaMe : deltaPartner), balanceB: l.balanceB + (meIsA ? deltaPartner : deltaMe), htlcs });
}

/** Whether the hub can no longer get `route` to the receiver: its HTLC came back, or it is too late (or impossible) to offer one. */
function hubGivesUp(world: World, route: Route): boolean {
  if (route.status === "bounced") return true;
  if (route.status !== "forwarding") return false;
  return !openChannelBetween(world, route.hub, route.receiver) || world.nowMs >= route.receiverExpiryMs - MIN_FINAL_EXPIRY_MS;
}

/** What `me`'s node must do now on its HTLCs, in order. Nothing while it is offline. */
export function nodeDuties(world: World, relay: ChannelRelay, me: string): Duty[] {
  if (isOffline(world, relay, me)) return [];
  const duties: Duty[] = [];
  const state = channelsOf(world);
  const busy = new Set<string>();
  for (const id of state.order) {
    const c = state.channels[id]!;
    if (c.a !== me && c.b !== me) continue;
    if (c.status === "closing") {
      duties.push(...claimDuties(world, relay, me, c));
      continue;
    }
    if (c.status !== "open") continue;
    const partner = counterpartyOf(c, me);
    const proposal = relay.proposals[c.id];
    if (proposal) {
      busy.add(c.id);
      if (proposal.from === partner) {
        const split = splitOf(proposal);
        const step = htlcStepProblem(world, c, partner, split, proposal.fulfil);
        const hash = htlcHashOf(c, split);
        if (typeof step === "string" && step !== "payment" && hash) duties.push({ kind: "countersign", step, channelId: c.id, a: c.a, b: c.b, hash, state: split });
      }
      continue;
    }
    const duty = channelDuty(world, relay, me, c, partner);
    if (duty) {
      duties.push(duty);
      busy.add(c.id);
    }
  }
  // Routes this node starts (payer) or forwards (hub): an HTLC offer on a channel with nothing else in flight.
  for (const route of Object.values(relay.routes)) {
    const offer = routeOffer(world, relay, me, route);
    if (offer && !busy.has(offer.channelId)) {
      duties.push(offer);
      busy.add(offer.channelId);
    }
  }
  return duties;
}

/** The hash of the one HTLC a proposed state adds or removes. */
function htlcHashOf(channel: Channel, state: SignedState): string | null {
  const before = channel.latest.htlcs ?? [];
  const after = state.htlcs ?? [];
  const changed = [...after.filter((h) => !before.some((b) => b.id === h.id)), ...before.filter((b) => !after.some((h) => h.id === b.id))];
  return changed[0]?.hash ?? null;
}

/** On an open channel with nothing in flight: fulfil, fail, or fail the channel for one HTLC. */
function channelDuty(world: World, relay: ChannelRelay, me: string, c: Channel, partner: string): Duty | null {
  const partnerAway = isOffline(world, relay, partner);
  for (const h of c.latest.htlcs ?? []) {
    if (h.offerer === me) {
      // BOLT 2: an offered HTLC still there past its deadline fails the channel; its output then times out to me on L1.
      if (world.nowMs >= h.expiryMs + OFFERED_DEADLINE_MS) return { kind: "forceClose", why: "timeout", channelId: c.id, a: c.a, b: c.b, hash: h.hash, state: c.latest };
      continue;
    }
    const rest = (c.latest.htlcs ?? []).filter((x) => x.id !== h.id);
    const preimage = preimageFor(world, relay, me, h.hash);
    if (preimage && world.nowMs < h.expiryMs) {
      if (partnerAway) {
        // Nobody to countersign the fulfil: go on-chain while the claim can still land before expiry.
        if (h.expiryMs - world.nowMs <= FULFIL_DEADLINE_MS) return { kind: "forceClose", why: "claim", channelId: c.id, a: c.a, b: c.b, hash: h.hash, state: c.latest };
        continue;
      }
      return { kind: "propose", step: "fulfil", channelId: c.id, a: c.a, b: c.b, hash: h.hash, state: nextState(c, me, rest, h.amount, 0), fulfil: { htlcId: h.id, preimage } };
    }
    if (partnerAway) continue;
    const route = relay.routes[h.hash];
    const expired = world.nowMs >= h.expiryMs;
    const giveUp = route?.hub === me && hubGivesUp(world, route);
    if (expired || giveUp) return { kind: "propose", step: "fail", channelId: c.id, a: c.a, b: c.b, hash: h.hash, state: nextState(c, me, rest, 0, h.amount) };
  }
  return null;
}

/** The payer's first HTLC, or the hub's forwarded one, if this node owes it now. */
function routeOffer(world: World, relay: ChannelRelay, me: string, route: Route): Duty | null {
  const [to, amount, expiryMs, due] =
    route.payer === me ? [route.hub, route.amount + route.fee, route.payerExpiryMs, route.status === "sent"] :
    route.hub === me ? [route.receiver, route.amount, route.receiverExpiryMs, route.status === "forwarding"] :
    [null, 0, 0, false];
  if (!due || !to || isOffline(world, relay, to)) return null;
  const c = openChannelBetween(world, me, to);
  if (!c || relay.proposals[c.id] || pendingWithHash(c, route.hash)) return null;
  // The hub forwards only what it holds an incoming HTLC for, and while the last hop can still be added.
  if (route.hub === me && (!pendingWithHash(openChannelBetween(world, route.payer, me), route.hash) || world.nowMs >= expiryMs - MIN_FINAL_EXPIRY_MS)) return null;
  if (shareOf(c, me, c.latest) < amount) return null;
  const htlcs = [...(c.latest.htlcs ?? []), { id: c.latest.seq + 1, offerer: me, amount, hash: route.hash, expiryMs }];
  return { kind: "propose", step: "offer", channelId: c.id, a: c.a, b: c.b, hash: route.hash, state: nextState(c, me, htlcs, -amount, 0) };
}

/** After a force close: claim each incoming HTLC output I hold the preimage of, before it expires. */
function claimDuties(world: World, relay: ChannelRelay, me: string, c: Channel): Duty[] {
  const close = c.close;
  if (!close) return [];
  const queued = (htlcId: number) => world.l1.mempool.some((tx) => tx.from === me && tx.payload.kind === "module" && (tx.payload.call as { kind?: unknown; channelId?: unknown; htlcId?: unknown }).kind === "claimHtlc" && (tx.payload.call as { channelId?: unknown }).channelId === c.id && (tx.payload.call as { htlcId?: unknown }).htlcId === htlcId);
  const duties: Duty[] = [];
  for (const h of close.htlcs) {
    if (h.resolved !== null || h.offerer === me || world.nowMs >= h.expiryMs || queued(h.id)) continue;
    const preimage = preimageFor(world, relay, me, h.hash);
    if (preimage) duties.push({ kind: "claim", channelId: c.id, a: c.a, b: c.b, htlcId: h.id, preimage, hash: h.hash });
  }
  return duties;
}

/** A state as the protocol carries it: HTLCs only when some are pending. */
export function wireState(s: SignedState): SignedState {
  const htlcs = (s.htlcs ?? []).map((h) => ({ id: h.id, offerer: h.offerer, amount: h.amount, hash: h.hash, expiryMs: h.expiryMs }));
  return { seq: s.seq, balanceA: s.balanceA, balanceB: s.balanceB, ...(htlcs.length ? { htlcs } : {}), sigA: s.sigA, sigB: s.sigB };
}

/** Whether a duty needs the node's signature over duty.state ("update" kind): a proposal or a countersignature. */
export function dutySigns(duty: Duty): duty is Duty & { kind: "propose" | "countersign" } {
  return duty.kind === "propose" || duty.kind === "countersign";
}

/**
 * What `me`'s own balance does if it signs the duty's state, against the latest state it holds:
 * a node signs a drop only to offer an HTLC of exactly that amount. Null when it may sign.
 */
export function dutySignProblem(duty: Duty & { kind: "propose" | "countersign" }, me: string, latest: ChannelBalances): string | null {
  const mine = (s: ChannelBalances) => (duty.a === me ? s.balanceA : s.balanceB);
  const drop = mine(latest) - mine(duty.state);
  const offered = (duty.state.htlcs ?? []).filter((h) => h.offerer === me && !(latest.htlcs ?? []).some((l) => l.id === h.id)).reduce((sum, h) => sum + h.amount, 0);
  if (duty.state.seq !== latest.seq + 1) return `state #${duty.state.seq} does not follow #${latest.seq}`;
  return drop <= 0 || (duty.kind === "propose" && duty.step === "offer" && drop === offered) ? null : `signing state #${duty.state.seq} would take ${drop} gwei from you`;
}

/**
 * The message a node sends for a duty, as a bot or a phone does; `sig` is its own signature of
 * duty.state ("update" kind) for a proposal or a countersignature.
 */
export function dutyMessage(duty: Duty, sig: string): { type: "channels:propose" | "channels:accept" | "channels:forceClose" | "channels:claimHtlc"; payload: Record<string, unknown> } {
  switch (duty.kind) {
    case "propose": {
      const { sigA: _a, sigB: _b, ...split } = wireState(duty.state);
      return { type: "channels:propose", payload: { channelId: duty.channelId, kind: "update", split, ...(duty.fulfil ? { fulfil: duty.fulfil } : {}), sig } };
    }
    case "countersign":
      return { type: "channels:accept", payload: { channelId: duty.channelId, stateSeq: duty.state.seq, sig } };
    case "forceClose":
      return { type: "channels:forceClose", payload: { channelId: duty.channelId, state: wireState(duty.state) } };
    case "claim":
      return { type: "channels:claimHtlc", payload: { channelId: duty.channelId, htlcId: duty.htlcId, preimage: duty.preimage } };
  }
}
