import type { EngineEvent } from "../events.ts";
import type { World } from "../world.ts";
import { sha256Hex } from "../../crypto/hash.ts";
import { CHANNEL_EVENTS, CLTV_EXPIRY_DELTA_MS, MIN_FINAL_EXPIRY_MS } from "./rules.ts";
import { channelEvent, counterpartyOf, findChannel, siblingChannels } from "./adjudicator.ts";
import { stateProblem } from "./message.ts";
import { channelsOf } from "./types.ts";
import type { Channel, Htlc, SignedState } from "./types.ts";
import type { ChannelCall } from "./calls.ts";

type Update = Extract<ChannelCall, { kind: "update" }>;
type HireTower = Extract<ChannelCall, { kind: "hireTower" }>;
type Fulfill = Extract<ChannelCall, { kind: "fulfill" }>;

/** Why a split cannot belong to this channel at all: it must share out exactly the locked capacity. */
export function splitProblem(channel: Channel, state: SignedState): string | null {
  const capacity = channel.depositA + channel.depositB;
  const htlcs = state.htlcs ?? [];
  const ids = new Set<number>();
  for (const h of htlcs) {
    if (h.offerer !== channel.a && h.offerer !== channel.b) return `HTLC ${h.id} must be offered by ${channel.a} or ${channel.b}`;
    if (ids.has(h.id)) return `HTLC id ${h.id} appears twice`;
    ids.add(h.id);
  }
  const locked = htlcs.reduce((sum, h) => sum + h.amount, 0);
  if (state.balanceA + state.balanceB + locked === capacity) return null;
  return `the split ${state.balanceA} + ${state.balanceB}${locked ? ` + ${locked} in HTLCs` : ""} does not add up to the channel's ${capacity} gwei`;
}

function sameHtlc(x: Htlc, y: Htlc): boolean {
  return x.id === y.id && x.offerer === y.offerer && x.amount === y.amount && x.hash === y.hash && x.expiryMs === y.expiryMs;
}

/** The pending HTLC with this hash that pays `receiver` in another open channel: the incoming hop of a route. */
function incomingHop(world: World, channel: Channel, hash: string, receiver: string): Htlc | null {
  for (const other of Object.values(channelsOf(world).channels)) {
    if (other.id === channel.id || other.status !== "open") continue;
    for (const h of other.latest.htlcs ?? []) if (h.hash === hash && counterpartyOf(other, h.offerer) === receiver) return h;
  }
  return null;
}

/**
 * BOLT 2 rules for HTLCs a new state adds: far enough in the future, and, when the offerer is
 * forwarding a payment it receives on another channel, no more than it receives and expiring at
 * least CLTV_EXPIRY_DELTA_MS earlier, so it can always claim upstream after paying downstream.
 * HTLCs already pending cannot change; a state that drops one without a preimage fails it.
 */
function htlcProblem(world: World, channel: Channel, state: SignedState): string | null {
  const before = channel.latest.htlcs ?? [];
  for (const h of state.htlcs ?? []) {
    const old = before.find((b) => b.id === h.id);
    if (old) {
      if (!sameHtlc(old, h)) return `HTLC ${h.id} is already pending and cannot change`;
      continue;
    }
    if (h.expiryMs < world.nowMs + MIN_FINAL_EXPIRY_MS) return `HTLC ${h.id} must expire at least ${MIN_FINAL_EXPIRY_MS} ms from now`;
    const incoming = incomingHop(world, channel, h.hash, h.offerer);
    if (incoming) {
      if (h.amount > incoming.amount) return `HTLC ${h.id} forwards more than the ${incoming.amount} gwei ${h.offerer} receives`;
      if (h.expiryMs > incoming.expiryMs - CLTV_EXPIRY_DELTA_MS) {
        return `HTLC ${h.id} must expire at least ${CLTV_EXPIRY_DELTA_MS} ms before the incoming one (${incoming.expiryMs} ms): timeouts decrease along a route`;
      }
    }
  }
  // An update that adds or drops HTLCs moves only their amounts: out of the offerer's balance when
  // added, back to it when failed (paying the receiver takes a preimage: see fulfillHtlc).
  const after = state.htlcs ?? [];
  const added = after.filter((h) => !before.some((b) => b.id === h.id));
  const failed = before.filter((b) => !after.some((h) => h.id === b.id));
  if (added.length === 0 && failed.length === 0) return null;
  let expectA = channel.latest.balanceA;
  let expectB = channel.latest.balanceB;
  for (const h of added) if (h.offerer === channel.a) expectA -= h.amount; else expectB -= h.amount;
  for (const h of failed) if (h.offerer === channel.a) expectA += h.amount; else expectB += h.amount;
  if (state.balanceA !== expectA || state.balanceB !== expectB) return "a state that adds or fails HTLCs must move only their amounts, from or back to the offerer";
  return null;
}

/** What one proposed state does to a channel's HTLCs: nothing (a plain payment), or one BOLT 2 step. */
export type HtlcStep = "payment" | "offer" | "fulfil" | "fail";

/**
 * Checks a proposed next state as the receiving node would before countersigning it, and says
 * which step it is. BOLT 2: either node offers HTLCs (update_add_htlc), but only the receiver of
 * an HTLC removes it, with its preimage (update_fulfill_htlc) or without (update_fail_htlc); one
 * step per state here. A plain payment leaves pending HTLCs as they are.
 */
export function htlcStepProblem(world: World, channel: Channel, from: string, state: SignedState, fulfil?: { htlcId: number; preimage: string }): HtlcStep | { problem: string } {
  const fail = (problem: string) => ({ problem });
  const before = channel.latest.htlcs ?? [];
  const after = state.htlcs ?? [];
  const added = after.filter((h) => !before.some((b) => b.id === h.id));
  const removed = before.filter((b) => !after.some((h) => h.id === b.id));
  const kept = after.filter((h) => before.some((b) => b.id === h.id));
  for (const h of kept) if (!sameHtlc(h, before.find((b) => b.id === h.id)!)) return fail(`HTLC ${h.id} is already pending and cannot change`);
  if (fulfil && (removed.length !== 1 || removed[0]!.id !== fulfil.htlcId)) return fail(`a fulfil removes exactly HTLC ${fulfil.htlcId}`);
  if (added.length === 0 && removed.length === 0) return "payment";
  if (added.length > 0 && removed.length > 0) return fail("one HTLC step per state: offer, fulfil or fail, not several at once");
  if (added.length > 0) {
    if (added.some((h) => h.offerer !== from)) return fail(`${from} can only offer HTLCs of its own`);
    const problem = splitProblem(channel, state) ?? htlcProblem(world, channel, state);
    return problem ? fail(problem) : "offer";
  }
  if (removed.length !== 1) return fail("one HTLC step per state: remove one HTLC at a time");
  const htlc = removed[0]!;
  const receiver = counterpartyOf(channel, htlc.offerer);
  if (from !== receiver) return fail(`only ${receiver}, the receiver of HTLC ${htlc.id}, can remove it (BOLT 2); ${from} waits for its expiry`);
  if (fulfil) {
    if (world.nowMs >= htlc.expiryMs) return fail(`HTLC ${htlc.id} expired at ${htlc.expiryMs} ms`);
    if (sha256Hex(fulfil.preimage) !== htlc.hash) return fail("the preimage does not hash to the HTLC's SHA-256");
    const expectA = channel.latest.balanceA + (receiver === channel.a ? htlc.amount : 0);
    const expectB = channel.latest.balanceB + (receiver === channel.b ? htlc.amount : 0);
    if (state.balanceA !== expectA || state.balanceB !== expectB) return fail(`the fulfilling state must credit ${htlc.amount} gwei to ${receiver} and change nothing else`);
    return "fulfil";
  }
  const problem = splitProblem(channel, state) ?? htlcProblem(world, channel, state);
  return problem ? fail(problem) : "fail";
}

/** Records a new latest state for both parties and every hired tower. */
function adopt(channel: Channel, state: SignedState): void {
  channel.latest = { ...state };
  channel.payments += 1;
  // Each party's client hands every new state to the tower it hired (BOLT 13-style backup).
  for (const watch of Object.values(channel.towers)) watch.state = { ...state };
}

/**
 * An off-chain payment: both parties signed a new split with a higher sequence number. Nothing
 * touches L1; the module only records the state each party (and its watchtower) now holds.
 */
export function applyUpdate(world: World, by: string, call: Update, out: EngineEvent[]): string | null {
  const channel = findChannel(world, call.channelId);
  if (typeof channel === "string") return channel;
  if (by !== channel.a && by !== channel.b) return `you are not a party to ${channel.id}`;
  if (channel.status !== "open") return `${channel.id} is ${channel.status}: no more payments`;
  const state = call.state;
  if (state.seq <= channel.latest.seq) return `replayed state: sequence ${state.seq} is not newer than the latest ${channel.latest.seq}`;
  const problem = splitProblem(channel, state) ?? htlcProblem(world, channel, state) ?? stateProblem(world.l1.publicKeys, channel, siblingChannels(world, channel), "update", state);
  if (problem) return problem;
  const before = channel.latest;
  const beforeHtlcs = before.htlcs ?? [];
  const afterHtlcs = state.htlcs ?? [];
  adopt(channel, state);
  const added = afterHtlcs.filter((h) => !beforeHtlcs.some((b) => b.id === h.id));
  const removed = beforeHtlcs.filter((b) => !afterHtlcs.some((h) => h.id === b.id));
  for (const h of added) {
    const incoming = incomingHop(world, channel, h.hash, h.offerer);
    channelEvent(world, out, CHANNEL_EVENTS.htlcOffered, {
      channelId: channel.id, seq: state.seq, htlcId: h.id, from: h.offerer, to: counterpartyOf(channel, h.offerer), amount: h.amount, hash: h.hash,
      expiryMs: h.expiryMs, forwarded: incoming !== null, incomingExpiryMs: incoming?.expiryMs ?? null, incomingAmount: incoming?.amount ?? null, l1Fee: 0,
    });
  }
  for (const h of removed) channelEvent(world, out, CHANNEL_EVENTS.htlcFailed, { channelId: channel.id, seq: state.seq, htlcId: h.id, returnedTo: h.offerer, amount: h.amount, hash: h.hash });
  if (added.length || removed.length) return null;
  const towardsB = state.balanceB - before.balanceB;
  const amount = Math.abs(towardsB);
  const stats = channelsOf(world).stats;
  stats.payments += 1;
  stats.paidOffChain += amount;
  channelEvent(world, out, CHANNEL_EVENTS.payment, {
    channelId: channel.id,
    seq: state.seq,
    from: towardsB >= 0 ? channel.a : channel.b,
    to: towardsB >= 0 ? channel.b : channel.a,
    amount,
    balanceA: state.balanceA,
    balanceB: state.balanceB,
    l1Fee: 0,
  });
  return null;
}

/**
 * Hires a watchtower for the caller's side of a channel. The tower gets a copy of every new
 * state; its fee is paid only out of a penalty it wins (capped at what it sweeps), so guarding
 * costs the client nothing unless the tower actually saves it.
 */
export function hireTower(world: World, by: string, call: HireTower, out: EngineEvent[]): string | null {
  const channel = findChannel(world, call.channelId);
  if (typeof channel === "string") return channel;
  if (by !== channel.a && by !== channel.b) return `you are not a party to ${channel.id}`;
  if (channel.status !== "open" && channel.status !== "closing") return `${channel.id} is ${channel.status}: nothing to guard`;
  if (call.tower === channel.a || call.tower === channel.b) return "a watchtower must be a third player, not a party to the channel";
  if (!world.l1.publicKeys[call.tower]) return `${call.tower} has no registered key`;
  const capacity = channel.depositA + channel.depositB;
  if (call.fee > capacity) return `the fee may be at most the channel's ${capacity} gwei`;
  channel.towers[by] = { tower: call.tower, fee: call.fee, state: { ...channel.latest }, hiredAtMs: world.nowMs };
  channelEvent(world, out, CHANNEL_EVENTS.towerHired, { channelId: channel.id, client: by, tower: call.tower, fee: call.fee, seq: channel.latest.seq });
  return null;
}

/**
 * The receiver of a pending HTLC shows its preimage (SHA-256 must match, before expiry) together
 * with the doubly-signed state that removes the HTLC and credits exactly its amount to the
 * receiver. The preimage becomes public, so the previous hop can now claim upstream.
 */
export function fulfillHtlc(world: World, by: string, call: Fulfill, out: EngineEvent[]): string | null {
  const channel = findChannel(world, call.channelId);
  if (typeof channel === "string") return channel;
  if (channel.status !== "open") return `${channel.id} is ${channel.status}: claim HTLCs on L1 instead`;
  const htlc = (channel.latest.htlcs ?? []).find((h) => h.id === call.htlcId);
  if (!htlc) return `no pending HTLC ${call.htlcId} in ${channel.id}`;
  const receiver = counterpartyOf(channel, htlc.offerer);
  if (by !== receiver) return `only ${receiver}, the HTLC's receiver, can fulfil it`;
  if (world.nowMs >= htlc.expiryMs) return `HTLC ${htlc.id} expired at ${htlc.expiryMs} ms`;
  if (sha256Hex(call.preimage) !== htlc.hash) return "the preimage does not hash to the HTLC's SHA-256";
  const state = call.state;
  if (state.seq <= channel.latest.seq) return `replayed state: sequence ${state.seq} is not newer than the latest ${channel.latest.seq}`;
  const rest = (channel.latest.htlcs ?? []).filter((h) => h.id !== htlc.id);
  const after = state.htlcs ?? [];
  if (after.length !== rest.length || !rest.every((h, i) => sameHtlc(h, after[i]!))) return "the fulfilling state must remove exactly this HTLC and keep the others";
  const expectA = channel.latest.balanceA + (receiver === channel.a ? htlc.amount : 0);
  const expectB = channel.latest.balanceB + (receiver === channel.b ? htlc.amount : 0);
  if (state.balanceA !== expectA || state.balanceB !== expectB) return `the fulfilling state must credit ${htlc.amount} gwei to ${receiver} and change nothing else`;
  const problem = splitProblem(channel, state) ?? stateProblem(world.l1.publicKeys, channel, siblingChannels(world, channel), "update", state);
  if (problem) return problem;
  adopt(channel, state);
  const module = channelsOf(world);
  module.preimages[htlc.hash] = call.preimage;
  module.stats.htlcsFulfilled += 1;
  module.stats.paidOffChain += htlc.amount;
  channelEvent(world, out, CHANNEL_EVENTS.htlcFulfilled, {
    channelId: channel.id, seq: state.seq, htlcId: htlc.id, from: htlc.offerer, to: receiver, amount: htlc.amount, hash: htlc.hash,
    msBeforeExpiry: htlc.expiryMs - world.nowMs, l1Fee: 0,
  });
  return null;
}
