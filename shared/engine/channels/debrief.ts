import type { EngineEvent } from "../events.ts";
import { CHANNEL_EVENTS, CHANNELS } from "./rules.ts";
import { idRecord } from "../id-record.ts";
import type { IdRecord } from "../id-record.ts";

/** A round's channel figures, computed from events only. Amounts in gwei. */
export interface ChannelsDebrief {
  channelsOpened: number;
  /** Off-chain payments: instant, no L1 fee. */
  payments: number;
  paidOffChain: number;
  /** HTLCs offered (forwarded ones: the middle hops of a route), fulfilled off-chain, claimed on L1 with a preimage, timed out on L1. */
  htlcsOffered: number;
  htlcsForwarded: number;
  htlcsFulfilled: number;
  htlcsClaimedOnL1: number;
  htlcsTimedOut: number;
  /** Channel transactions mined on L1 (reverted ones included: they paid gas) and what they cost. */
  l1Txs: number;
  l1Fees: number;
  cooperativeCloses: number;
  forceCloses: number;
  /** Force closes that published an older state than the latest both parties signed. */
  staleCloses: number;
  penalties: number;
  penaltiesByWatchtower: number;
  towerFees: number;
  /** What answered stale closes kept for their victims, and what unanswered ones took. */
  saved: number;
  lost: number;
  /** Stale closes nobody answered inside the window: the cheater got away with `lost`. */
  cheatsGotAway: number;
  /** What penalties took from cheaters (their whole time-locked share). */
  cheatersLost: number;
  /** Money locked in channels on L1: every deposit of an opened or funded channel. */
  locked: number;
  /** Fees each watchtower earned from penalties it won, by player. */
  towerEarnings: IdRecord<number>;
  /** Off-chain payments by the player who paid, for the story. */
  paymentsBy: IdRecord<number>;
}

function num(value: unknown): number {
  return typeof value === "number" ? value : 0;
}

/** Sums the channel events of a round into its debrief figures. */
export function channelsDebrief(events: readonly EngineEvent[]): ChannelsDebrief {
  const d: ChannelsDebrief = {
    channelsOpened: 0, payments: 0, paidOffChain: 0, htlcsOffered: 0, htlcsForwarded: 0, htlcsFulfilled: 0, htlcsClaimedOnL1: 0, htlcsTimedOut: 0, l1Txs: 0, l1Fees: 0, cooperativeCloses: 0, forceCloses: 0,
    staleCloses: 0, penalties: 0, penaltiesByWatchtower: 0, towerFees: 0, saved: 0, lost: 0,
    cheatsGotAway: 0, cheatersLost: 0, locked: 0, towerEarnings: idRecord(), paymentsBy: idRecord(),
  };
  const add = (record: Record<string, number>, key: unknown, amount: number) => {
    if (typeof key === "string") record[key] = (record[key] ?? 0) + amount;
  };
  for (const event of events) {
    if (event.type !== "module" || event.module !== CHANNELS) continue;
    const data = event.data;
    if (typeof data.l1TxId === "string") {
      d.l1Txs += 1;
      d.l1Fees += num(data.l1Fee);
    }
    switch (event.name) {
      case CHANNEL_EVENTS.opened:
        d.channelsOpened += 1;
        d.locked += num(data.depositA);
        break;
      case CHANNEL_EVENTS.funded:
        d.locked += num(data.amount);
        break;
      case CHANNEL_EVENTS.payment:
        d.payments += 1;
        d.paidOffChain += num(data.amount);
        add(d.paymentsBy, data.from, 1);
        break;
      case CHANNEL_EVENTS.htlcOffered:
        d.htlcsOffered += 1;
        if (data.forwarded === true) d.htlcsForwarded += 1;
        break;
      case CHANNEL_EVENTS.htlcFulfilled:
        d.htlcsFulfilled += 1;
        d.paidOffChain += num(data.amount);
        break;
      case CHANNEL_EVENTS.htlcClaimed:
        d.htlcsClaimedOnL1 += 1;
        break;
      case CHANNEL_EVENTS.htlcTimedOut:
        d.htlcsTimedOut += 1;
        break;
      case CHANNEL_EVENTS.cooperativeClose:
        d.cooperativeCloses += 1;
        break;
      case CHANNEL_EVENTS.closeStarted:
        d.forceCloses += 1;
        if (data.stale === true) d.staleCloses += 1;
        break;
      case CHANNEL_EVENTS.penalized:
        d.penalties += 1;
        if (data.byWatchtower === true) d.penaltiesByWatchtower += 1;
        d.towerFees += num(data.towerFee);
        d.saved += num(data.saved);
        d.cheatersLost += num(data.cheaterLost);
        if (data.byWatchtower === true) add(d.towerEarnings, data.by, num(data.towerFee));
        break;
      case CHANNEL_EVENTS.settled:
        d.lost += num(data.lost);
        if (num(data.lost) > 0) d.cheatsGotAway += 1;
        break;
    }
  }
  return d;
}
