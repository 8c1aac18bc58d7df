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
  /** HTLCs failed back off-chain (update_fail_htlc): the route could not be completed in time. */
  htlcsFailed: number;
  /** Payments that reached their receiver by HTLC (the last hop fulfilled or claimed), and how much they delivered. */
  htlcPayments: number;
  /** Routed payments the hub completed (paid downstream and was paid upstream), what they delivered, and the hub's fees. */
  routedPayments: number;
  routedAmount: number;
  routingFees: number;
  /** What hubs paid downstream without being paid upstream (the payer's HTLC expired first). */
  hubLost: number;
  /** Routing fees each hub earned, by player. */
  hubFees: IdRecord<number>;
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
    channelsOpened: 0, payments: 0, paidOffChain: 0, htlcsOffered: 0, htlcsForwarded: 0, htlcsFulfilled: 0, htlcsClaimedOnL1: 0, htlcsTimedOut: 0,
    htlcsFailed: 0, htlcPayments: 0, routedPayments: 0, routedAmount: 0, routingFees: 0, hubLost: 0, hubFees: idRecord(), l1Txs: 0, l1Fees: 0, cooperativeCloses: 0, forceCloses: 0,
    staleCloses: 0, penalties: 0, penaltiesByWatchtower: 0, towerFees: 0, saved: 0, lost: 0,
    cheatsGotAway: 0, cheatersLost: 0, locked: 0, towerEarnings: idRecord(), paymentsBy: idRecord(),
  };
  const add = (record: Record<string, number>, key: unknown, amount: number) => {
    if (typeof key === "string") record[key] = (record[key] ?? 0) + amount;
  };
  /** Forwarded HTLCs by payment hash: who forwarded, what it passed on and what it was offered (its fee is the difference), and whether its receiver got paid. */
  const forwards = idRecord<{ hub: string; amount: number; incoming: number; paidDownstream: boolean }>();
  /** An HTLC paid to `to` (off-chain or on L1): the last hop of a payment, or a hub claiming upstream. */
  const paidHtlc = (hash: unknown, to: unknown, amount: number, offChain: boolean) => {
    const forward = typeof hash === "string" ? forwards[hash] : undefined;
    if (forward && to === forward.hub) {
      d.routedPayments += 1;
      d.routedAmount += forward.amount;
      d.routingFees += forward.incoming - forward.amount;
      add(d.hubFees, forward.hub, forward.incoming - forward.amount);
      delete forwards[hash as string];
      return;
    }
    if (forward) forward.paidDownstream = true;
    d.htlcPayments += 1;
    if (offChain) d.paidOffChain += amount;
  };
  /** An HTLC back to its offerer: a hub that paid downstream and gets its upstream HTLC back has lost the difference. */
  const returnedHtlc = (hash: unknown, returnedTo: unknown) => {
    const forward = typeof hash === "string" ? forwards[hash] : undefined;
    if (!forward || returnedTo === forward.hub) return;
    if (forward.paidDownstream) d.hubLost += forward.amount;
    delete forwards[hash as string];
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
        if (data.forwarded === true && typeof data.hash === "string" && typeof data.from === "string") {
          d.htlcsForwarded += 1;
          forwards[data.hash] = { hub: data.from, amount: num(data.amount), incoming: num(data.incomingAmount), paidDownstream: false };
        }
        break;
      case CHANNEL_EVENTS.htlcFulfilled:
        d.htlcsFulfilled += 1;
        paidHtlc(data.hash, data.to, num(data.amount), true);
        break;
      case CHANNEL_EVENTS.htlcClaimed:
        d.htlcsClaimedOnL1 += 1;
        paidHtlc(data.hash, data.by, num(data.amount), false);
        break;
      case CHANNEL_EVENTS.htlcTimedOut:
        d.htlcsTimedOut += 1;
        returnedHtlc(data.hash, data.returnedTo);
        break;
      case CHANNEL_EVENTS.htlcFailed:
        d.htlcsFailed += 1;
        returnedHtlc(data.hash, data.returnedTo);
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
