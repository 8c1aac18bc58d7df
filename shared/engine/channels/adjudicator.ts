import { chargeNow, moveL1 } from "../l1.ts";
import { moduleEvent } from "../module.ts";
import type { EngineEvent } from "../events.ts";
import type { L1Tx, World } from "../world.ts";
import { ADJUDICATOR, CHANNELS } from "./rules.ts";
import { channelsOf } from "./types.ts";
import type { Channel } from "./types.ts";

/** The channel with `id`, or why there is none. */
export function findChannel(world: World, id: string): Channel | string {
  return channelsOf(world).channels[id] ?? `no channel ${id}`;
}

/** The other party of a channel. */
export function counterpartyOf(channel: Channel, party: string): string {
  return party === channel.a ? channel.b : channel.a;
}

/** The party's balance in a split. */
export function shareOf(channel: Channel, party: string, split: { balanceA: number; balanceB: number }): number {
  return party === channel.a ? split.balanceA : split.balanceB;
}

/** Other channels between the same two players: where a misplaced signature most likely came from. */
export function siblingChannels(world: World, channel: Channel): Channel[] {
  const state = channelsOf(world);
  return state.order
    .map((id) => state.channels[id])
    .filter((c): c is Channel => c !== undefined && c.id !== channel.id && ((c.a === channel.a && c.b === channel.b) || (c.a === channel.b && c.b === channel.a)));
}

/** The adjudicator pays `amount` gwei of the channel's holding to `to` on L1. */
export function payOut(world: World, channel: Channel, to: string, amount: number): void {
  if (amount <= 0) return;
  moveL1(world, ADJUDICATOR, to, amount);
  channel.held -= amount;
}

/** What the sender paid for an included transaction: gas × (base fee + effective tip), gwei. */
export function feePaid(world: World, tx: L1Tx): number {
  return chargeNow(world, tx).fee;
}

/** Counts an included channel transaction (successful or reverted) for the debrief. */
export function countL1(world: World, channel: Channel | null, tx: L1Tx): number {
  const fee = feePaid(world, tx);
  const stats = channelsOf(world).stats;
  stats.l1Txs += 1;
  stats.l1Fees += fee;
  if (channel) channel.l1Txs += 1;
  return fee;
}

/** A module event of the channels mechanism. */
export function channelEvent(world: World, out: EngineEvent[], name: string, data: Record<string, unknown>): void {
  out.push(moduleEvent(world, CHANNELS, name, data));
}
