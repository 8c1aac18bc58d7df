import { submitL1Tx } from "../l1.ts";
import type { FeeChoice } from "../actions.ts";
import type { EngineEvent } from "../events.ts";
import type { L1Tx, World } from "../world.ts";
import { CHANNEL_EVENTS, CHANNEL_GAS, CHANNELS, DISPUTE_WINDOW_MS } from "./rules.ts";
import { channelEvent, counterpartyOf, countL1, findChannel, payOut, shareOf, siblingChannels } from "./adjudicator.ts";
import { stateProblem } from "./message.ts";
import { splitProblem } from "./payments.ts";
import { channelsOf } from "./types.ts";
import type { Channel } from "./types.ts";
import type { ChannelCall } from "./calls.ts";

type CooperativeClose = Extract<ChannelCall, { kind: "cooperativeClose" }>;
type ForceClose = Extract<ChannelCall, { kind: "forceClose" }>;
type Penalize = Extract<ChannelCall, { kind: "penalize" }>;
type CloseCall = CooperativeClose | ForceClose | Penalize;

function asParty(channel: Channel, by: string): string | null {
  return by === channel.a || by === channel.b ? null : `you are not a party to ${channel.id}`;
}

function checkCooperative(world: World, by: string, call: CooperativeClose): Channel | string {
  const channel = findChannel(world, call.channelId);
  if (typeof channel === "string") return channel;
  const problem =
    asParty(channel, by) ??
    (channel.status !== "open" ? `${channel.id} is ${channel.status}: a cooperative close needs an open channel` : null) ??
    splitProblem(channel, call.state) ??
    stateProblem(world.l1.publicKeys, channel, siblingChannels(world, channel), "close", call.state);
  return problem ?? channel;
}

function checkForceClose(world: World, by: string, call: ForceClose): Channel | string {
  const channel = findChannel(world, call.channelId);
  if (typeof channel === "string") return channel;
  // The adjudicator cannot know which state is the latest: any doubly-signed one may be published.
  // Publishing an old one is the cheat the dispute window exists for.
  const problem =
    asParty(channel, by) ??
    (channel.status !== "open" ? `${channel.id} is ${channel.status}: only an open channel can be force-closed` : null) ??
    splitProblem(channel, call.state) ??
    stateProblem(world.l1.publicKeys, channel, siblingChannels(world, channel), "update", call.state);
  return problem ?? channel;
}

/** Who may answer a force close: the closer's counterparty, or the watchtower it hired for this channel. */
function checkPenalty(world: World, by: string, call: Penalize): Channel | string {
  const channel = findChannel(world, call.channelId);
  if (typeof channel === "string") return channel;
  const close = channel.close;
  if (channel.status !== "closing" || !close) return `${channel.id} is ${channel.status}: there is no published state to answer`;
  const victim = counterpartyOf(channel, close.by);
  if (by !== victim && channel.towers[victim]?.tower !== by) return `only ${victim} or its watchtower can answer ${close.by}'s close`;
  if (world.nowMs >= close.windowEndsMs) return `the dispute window of ${channel.id} closed at ${close.windowEndsMs} ms: too late to answer`;
  if (call.state.seq <= close.state.seq) return `replayed state: sequence ${call.state.seq} is not newer than the published ${close.state.seq}`;
  return splitProblem(channel, call.state) ?? stateProblem(world.l1.publicKeys, channel, siblingChannels(world, channel), "update", call.state) ?? channel;
}

function check(world: World, by: string, call: CloseCall): Channel | string {
  switch (call.kind) {
    case "cooperativeClose":
      return checkCooperative(world, by, call);
    case "forceClose":
      return checkForceClose(world, by, call);
    case "penalize":
      return checkPenalty(world, by, call);
  }
}

const GAS: Record<CloseCall["kind"], number> = {
  cooperativeClose: CHANNEL_GAS.cooperativeClose,
  forceClose: CHANNEL_GAS.unilateralClose,
  penalize: CHANNEL_GAS.penalty,
};

/** Checks a close, a force close or a penalty as the adjudicator will, then queues it on L1. */
export function submitClose(world: World, by: string, call: CloseCall, fee: FeeChoice, out: EngineEvent[]): string | null {
  const channel = check(world, by, call);
  if (typeof channel === "string") return channel;
  const tx = submitL1Tx(world, by, { kind: "module", module: CHANNELS, call }, GAS[call.kind], 0, fee, out);
  return typeof tx === "string" ? tx : null;
}

function finish(world: World, channel: Channel, outcome: Channel["outcome"]): void {
  channel.status = "closed";
  channel.outcome = outcome;
  channel.closedAtMs = world.nowMs;
}

/** The adjudicator re-checks everything at inclusion (another close may have landed first), then pays. */
export function executeClose(world: World, tx: L1Tx, call: CloseCall, out: EngineEvent[]): string | null {
  const channel = check(world, tx.from, call);
  const fee = countL1(world, typeof channel === "string" ? null : channel, tx);
  if (typeof channel === "string") return channel;
  const state = call.state;
  switch (call.kind) {
    case "cooperativeClose": {
      payOut(world, channel, channel.a, state.balanceA);
      payOut(world, channel, channel.b, state.balanceB);
      finish(world, channel, "cooperative");
      channelEvent(world, out, CHANNEL_EVENTS.cooperativeClose, {
        channelId: channel.id, by: tx.from, seq: state.seq, paidA: state.balanceA, paidB: state.balanceB,
        payments: channel.payments, l1Txs: channel.l1Txs, l1TxId: tx.id, l1Fee: fee, waitMs: 0,
      });
      return null;
    }
    case "forceClose": {
      // BOLT 3: the counterparty's output (to_remote) is paid at once; the closer's own output
      // (to_local) waits out to_self_delay, spendable meanwhile by the justice path.
      const other = counterpartyOf(channel, tx.from);
      const toRemote = shareOf(channel, other, state);
      const toLocal = shareOf(channel, tx.from, state);
      payOut(world, channel, other, toRemote);
      channel.status = "closing";
      channel.close = { by: tx.from, state: { ...state }, publishedAtMs: world.nowMs, windowEndsMs: world.nowMs + DISPUTE_WINDOW_MS, lockedForCloser: toLocal };
      channelsOf(world).closing.push(channel.id);
      channelEvent(world, out, CHANNEL_EVENTS.closeStarted, {
        channelId: channel.id, by: tx.from, seq: state.seq, latestSeq: channel.latest.seq, stale: state.seq < channel.latest.seq,
        paidNow: toRemote, paidNowTo: other, locked: toLocal, windowEndsMs: channel.close.windowEndsMs, l1TxId: tx.id, l1Fee: fee,
      });
      return null;
    }
    case "penalize": {
      const close = channel.close!;
      const cheater = close.by;
      const victim = counterpartyOf(channel, cheater);
      const watch = tx.from === victim ? null : channel.towers[victim] ?? null;
      const swept = close.lockedForCloser;
      const towerFee = watch ? Math.min(watch.fee, swept) : 0;
      payOut(world, channel, tx.from, towerFee);
      payOut(world, channel, victim, swept - towerFee);
      // What the old state would have taken from the victim, had nobody answered.
      const saved = Math.max(0, shareOf(channel, victim, state) - shareOf(channel, victim, close.state));
      const stats = channelsOf(world).stats;
      stats.penalties += 1;
      stats.saved += saved;
      finish(world, channel, "penalized");
      channelsOf(world).closing = channelsOf(world).closing.filter((id) => id !== channel.id);
      channelEvent(world, out, CHANNEL_EVENTS.penalized, {
        channelId: channel.id, cheater, victim, by: tx.from, byWatchtower: watch !== null,
        publishedSeq: close.state.seq, newerSeq: state.seq, cheaterLost: swept, victimGets: swept - towerFee, towerFee, saved,
        answeredAfterMs: world.nowMs - close.publishedAtMs, l1TxId: tx.id, l1Fee: fee,
      });
      return null;
    }
  }
}

/** At each block, force closes whose window has passed unanswered pay the closer its locked share. */
export function settleClosing(world: World, out: EngineEvent[]): void {
  const state = channelsOf(world);
  if (state.closing.length === 0) return;
  const still: string[] = [];
  for (const id of state.closing) {
    const channel = state.channels[id];
    const close = channel?.close;
    if (!channel || channel.status !== "closing" || !close) continue;
    if (world.nowMs < close.windowEndsMs) {
      still.push(id);
      continue;
    }
    payOut(world, channel, close.by, close.lockedForCloser);
    const victim = counterpartyOf(channel, close.by);
    // A stale state that nobody answered in time: the victim loses what the newer one gave it.
    const lost = Math.max(0, shareOf(channel, victim, channel.latest) - shareOf(channel, victim, close.state));
    state.stats.lost += lost;
    finish(world, channel, "settled");
    channelEvent(world, out, CHANNEL_EVENTS.settled, {
      channelId: id, closer: close.by, seq: close.state.seq, latestSeq: channel.latest.seq, paidCloser: close.lockedForCloser,
      lost, lostBy: lost > 0 ? victim : null, waitMs: world.nowMs - close.publishedAtMs,
    });
  }
  state.closing = still;
}
