import type { EngineEvent } from "../events.ts";
import { CHANNEL_EVENTS, CHANNELS } from "./rules.ts";

/** A round's channel figures, computed from events only. Amounts in gwei. */
export interface ChannelsDebrief {
  channelsOpened: number;
  /** Off-chain payments: instant, no L1 fee. */
  payments: number;
  paidOffChain: number;
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
}

function num(value: unknown): number {
  return typeof value === "number" ? value : 0;
}

/** Sums the channel events of a round into its debrief figures. */
export function channelsDebrief(events: EngineEvent[]): ChannelsDebrief {
  const d: ChannelsDebrief = {
    channelsOpened: 0, payments: 0, paidOffChain: 0, l1Txs: 0, l1Fees: 0, cooperativeCloses: 0, forceCloses: 0,
    staleCloses: 0, penalties: 0, penaltiesByWatchtower: 0, towerFees: 0, saved: 0, lost: 0,
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
        break;
      case CHANNEL_EVENTS.payment:
        d.payments += 1;
        d.paidOffChain += num(data.amount);
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
        break;
      case CHANNEL_EVENTS.settled:
        d.lost += num(data.lost);
        break;
    }
  }
  return d;
}
