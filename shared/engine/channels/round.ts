import type { ScenarioRound } from "../debrief-types.ts";
import type { Debrief } from "../debrief-types.ts";
import type { EngineEvent } from "../events.ts";
import { eth, seconds, times } from "../words.ts";
import { channelsDebrief } from "./debrief.ts";
import type { ChannelsDebrief } from "./debrief.ts";
import { CHANNEL_EVENTS, CHANNELS, CLTV_EXPIRY_DELTA_MS, DISPUTE_WINDOW_MS } from "./rules.ts";

/** Points in a channels round: paying and being paid off-chain, closing well, and catching (or being) a cheater. */
export const CHANNEL_POINTS = {
  /** Each side of an off-chain payment (it takes both signatures). */
  payment: 5,
  cooperativeClose: 10,
  /** Whoever published the newer state inside the window: the victim or its watchtower. */
  penaltyWon: 150,
  cheaterPunished: -100,
  /** A stale close nobody answered: the cheater profits, the victim pays for not watching. */
  cheatGotAway: 100,
  robbed: -50,
} as const;

function score(name: string, data: Record<string, unknown>): [string, number][] {
  const who = (key: string) => (typeof data[key] === "string" ? (data[key] as string) : null);
  const points = (pairs: [string | null, number][]) => pairs.filter((p): p is [string, number] => p[0] !== null);
  switch (name) {
    case CHANNEL_EVENTS.payment:
    // Each hop of a routed payment is a payment in its channel: the hub scores on both.
    case CHANNEL_EVENTS.htlcFulfilled:
      return points([[who("from"), CHANNEL_POINTS.payment], [who("to"), CHANNEL_POINTS.payment]]);
    case CHANNEL_EVENTS.cooperativeClose:
      return points([[who("a"), CHANNEL_POINTS.cooperativeClose], [who("b"), CHANNEL_POINTS.cooperativeClose]]);
    case CHANNEL_EVENTS.penalized:
      return points([[who("by"), CHANNEL_POINTS.penaltyWon], [who("cheater"), CHANNEL_POINTS.cheaterPunished]]);
    case CHANNEL_EVENTS.settled:
      return typeof data.lost === "number" && data.lost > 0 ? points([[who("closer"), CHANNEL_POINTS.cheatGotAway], [who("lostBy"), CHANNEL_POINTS.robbed]]) : [];
    default:
      return [];
  }
}

type ChannelEvent = Extract<EngineEvent, { type: "module" }>;

function channelEvents(events: readonly EngineEvent[], name: string): ChannelEvent[] {
  return events.filter((e): e is ChannelEvent => e.type === "module" && e.module === CHANNELS && e.name === name);
}

/** The round's money figures in one place: what the off-chain payments would have cost on L1, and what the channels really cost. */
function savings(d: Debrief, ch: ChannelsDebrief): { onL1: number; saved: number; perChannel: number } {
  // A routed payment is one L1 transfer saved, however many hops it took.
  const onL1 = (ch.payments + ch.htlcPayments) * d.l1.transferFee;
  return { onL1, saved: onL1 - ch.l1Fees, perChannel: ch.channelsOpened ? Math.round(ch.locked / ch.channelsOpened) : 0 };
}

/** What the hub's routing showed: fees for forwarding, and timeouts when it stopped answering. */
function routingStory(ch: ChannelsDebrief): string[] {
  const lines: string[] = [];
  if (ch.htlcsOffered === 0) return lines;
  const hubs = Object.keys(ch.hubFees).length;
  lines.push(
    `${times(ch.routedPayments, "payment", "payments")} went through ${hubs > 1 ? "hubs" : "the hub"} to someone the payer had no channel with (${eth(ch.routedAmount)}): ` +
      `one SHA-256 hash locked both hops, the hub's HTLC expiring ${seconds(CLTV_EXPIRY_DELTA_MS)} before the payer's so it could always claim back what it paid; the hub kept ${eth(ch.routingFees)} in fees.`,
  );
  if (ch.htlcsTimedOut > 0) {
    lines.push(
      `${times(ch.htlcsTimedOut, "HTLC", "HTLCs")} outlived ${ch.htlcsTimedOut === 1 ? "its" : "their"} expiry with the other side not answering (a hub gone offline mid-payment): the payer's node closed the channel on L1 and the timeout gave the money back. ` +
        "Without the timeout, an offline hub would hold it for ever.",
    );
  }
  if (ch.htlcsFailed > 0) lines.push(`${times(ch.htlcsFailed, "HTLC was", "HTLCs were")} failed back off-chain when a route could not finish in time (its receiver offline, or the hub short of money on its side of the receiver's channel): the money went straight back to whoever offered it.`);
  if (ch.hubLost > 0) lines.push(`A hub paid its receiver but was away when the payer's HTLC expired: it lost ${eth(ch.hubLost)}. Its ${seconds(CLTV_EXPIRY_DELTA_MS)} of margin only helps a hub that stays online.`);
  return lines;
}

function storyOf(d: Debrief, ch: ChannelsDebrief, events: readonly EngineEvent[], windowMs: number): string[] {
  const { onL1, saved, perChannel } = savings(d, ch);
  const lines: string[] = [];
  lines.push(
    `${times(ch.payments + ch.htlcPayments, "off-chain payment", "off-chain payments")} moved ${eth(ch.paidOffChain)} through ${times(ch.channelsOpened, "channel", "channels")}, instantly and for free; ` +
      `as L1 transfers at ${eth(d.l1.transferFee)} each${d.l1.transferFeeEstimated ? " (estimated from the base fee)" : ""} they would have cost ${eth(onL1)}.`,
  );
  lines.push(
    `The channels needed ${times(ch.l1Txs, "L1 transaction", "L1 transactions")} (${eth(ch.l1Fees)}) to open, fund and close: ` +
      (saved >= 0 ? `${eth(saved)} saved.` : `${eth(-saved)} more than paying on L1 — a channel pays off only with many payments.`),
  );
  for (const p of channelEvents(events, CHANNEL_EVENTS.penalized).slice(0, 3)) {
    const data = p.data as { publishedSeq: number; newerSeq: number; cheaterLost: number; byWatchtower: boolean; towerFee: number; answeredAfterMs: number };
    lines.push(
      `A cheater published old state #${data.publishedSeq} (the latest was #${data.newerSeq}) and lost ${eth(data.cheaterLost)}: ` +
        `${data.byWatchtower ? `a watchtower answered for the offline victim and kept ${eth(data.towerFee)}` : "the victim answered"} after ${seconds(data.answeredAfterMs)} of the ${seconds(windowMs)} window.`,
    );
  }
  lines.push(...routingStory(ch));
  if (ch.cheatsGotAway > 0) {
    lines.push(`${times(ch.cheatsGotAway, "stale close", "stale closes")} went unanswered until the window ended: the cheaters kept ${eth(ch.lost)} that was not theirs.`);
  }
  if (ch.staleCloses === 0) lines.push("Nobody tried to close with an old state this round.");
  const closes = ch.cooperativeCloses + ch.forceCloses;
  lines.push(
    closes > 0
      ? `${times(ch.cooperativeCloses, "channel was", "channels were")} closed together (paid at once) and ${times(ch.forceCloses, "was", "were")} force-closed (the closer waited ${seconds(windowMs)}); ` +
          `each channel locked about ${eth(perChannel)} on L1 for one partner only.`
      : `No channel was closed: about ${eth(perChannel)} per channel stays locked on L1 for one partner only, until a close together (paid at once) or alone (after the ${seconds(windowMs)} window).`,
  );
  return lines;
}

/** A channels round: scored per payment and per penalty, debriefed with payments against L1 transactions and cheats caught. */
export const channelsRound: ScenarioRound = {
  score,
  extend(debrief, events) {
    const ch = channelsDebrief(events);
    debrief.channels = ch;
    const opened = channelEvents(events, CHANNEL_EVENTS.opened)[0];
    const windowMs = typeof opened?.data.toSelfDelayMs === "number" ? opened.data.toSelfDelayMs : DISPUTE_WINDOW_MS;
    const { onL1, saved, perChannel } = savings(debrief, ch);
    debrief.tradeOff =
      `Payments were instant and free (${times(ch.payments, "payment", "payments")} for ${times(ch.l1Txs, "L1 transaction", "L1 transactions")}), but each channel locked about ${eth(perChannel)} with a single partner, ` +
      `and you must stay online: a close with an old state has to be answered within ${seconds(windowMs)}, by you or a watchtower you hired.`;
    debrief.story = storyOf(debrief, ch, events, windowMs);
    debrief.figures = [
      ["Off-chain payments", `${ch.payments + ch.htlcPayments} (${eth(ch.paidOffChain)})`],
      ["L1 transactions they needed", `${ch.l1Txs} (${eth(ch.l1Fees)})`],
      ["Same payments on L1", eth(onL1)],
      [saved >= 0 ? "Fees saved" : "Fees lost (too few payments)", eth(Math.abs(saved))],
      ["Cheats tried / punished / got away", `${ch.staleCloses} / ${ch.penalties} / ${ch.cheatsGotAway}`],
      ["Watchtowers earned", `${eth(ch.towerFees)} (${times(ch.penaltiesByWatchtower, "penalty", "penalties")})`],
      ...(ch.htlcsOffered ? [["Routed via the hub / fees / timed out", `${ch.routedPayments} (${eth(ch.routedAmount)}) / ${eth(ch.routingFees)} / ${ch.htlcsTimedOut}`] as [string, string]] : []),
      ["Locked per channel", eth(perChannel)],
    ];
  },
};
