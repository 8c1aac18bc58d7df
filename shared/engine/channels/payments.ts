import type { EngineEvent } from "../events.ts";
import type { World } from "../world.ts";
import { CHANNEL_EVENTS } from "./rules.ts";
import { channelEvent, findChannel, siblingChannels } from "./adjudicator.ts";
import { stateProblem } from "./message.ts";
import { channelsOf } from "./types.ts";
import type { Channel, SignedState } from "./types.ts";
import type { ChannelCall } from "./calls.ts";

type Update = Extract<ChannelCall, { kind: "update" }>;
type HireTower = Extract<ChannelCall, { kind: "hireTower" }>;

/** Why a split cannot belong to this channel at all: it must share out exactly the locked capacity. */
export function splitProblem(channel: Channel, state: SignedState): string | null {
  const capacity = channel.depositA + channel.depositB;
  return state.balanceA + state.balanceB === capacity ? null : `the split ${state.balanceA} + ${state.balanceB} does not add up to the channel's ${capacity} gwei`;
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
  const problem = splitProblem(channel, state) ?? stateProblem(world.l1.publicKeys, channel, siblingChannels(world, channel), "update", state);
  if (problem) return problem;
  const before = channel.latest;
  const towardsB = state.balanceB - before.balanceB;
  const amount = Math.abs(towardsB);
  channel.latest = { ...state };
  channel.payments += 1;
  // Each party's client hands every new state to the tower it hired (BOLT 13-style backup).
  for (const watch of Object.values(channel.towers)) watch.state = { ...state };
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
