import { submitL1Tx } from "../l1.ts";
import { sha256Hex } from "../../crypto/hash.ts";
import type { FeeChoice } from "../actions.ts";
import type { EngineEvent } from "../events.ts";
import type { L1Tx, World } from "../world.ts";
import { CHANNEL_EVENTS, CHANNEL_GAS, CHANNELS } from "./rules.ts";
import { channelEvent, counterpartyOf, countL1, findChannel, payOut, shareOf, siblingChannels } from "./adjudicator.ts";
import { stateProblem } from "./message.ts";
import { splitProblem } from "./payments.ts";
import { channelsOf } from "./types.ts";
import type { Channel, HtlcOutput, PendingClose } from "./types.ts";
import type { ChannelCall } from "./calls.ts";

type CooperativeClose = Extract<ChannelCall, { kind: "cooperativeClose" }>;
type ForceClose = Extract<ChannelCall, { kind: "forceClose" }>;
type Penalize = Extract<ChannelCall, { kind: "penalize" }>;
type CloseCall = CooperativeClose | ForceClose | Penalize;
type ClaimHtlc = Extract<ChannelCall, { kind: "claimHtlc" }>;

function asParty(channel: Channel, by: string): string | null {
  return by === channel.a || by === channel.b ? null : `you are not a party to ${channel.id}`;
}

function checkCooperative(world: World, by: string, call: CooperativeClose): Channel | string {
  const channel = findChannel(world, call.channelId);
  if (typeof channel === "string") return channel;
  const problem =
    asParty(channel, by) ??
    (channel.status !== "open" ? `${channel.id} is ${channel.status}: a cooperative close needs an open channel` : null) ??
    // BOLT 2: shutdown waits until no HTLC is pending.
    ((call.state.htlcs ?? []).length ? "settle or fail every pending HTLC before a cooperative close" : null) ??
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
        channelId: channel.id, by: tx.from, a: channel.a, b: channel.b, seq: state.seq, paidA: state.balanceA, paidB: state.balanceB,
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
      // HTLC outputs stay in the adjudicator until claimed with a preimage or timed out.
      const htlcs = (state.htlcs ?? []).map((h) => ({ ...h, resolved: null }));
      const windowEndsMs = world.nowMs + channel.toSelfDelayMs;
      channel.close = { by: tx.from, state: { ...state }, publishedAtMs: world.nowMs, windowEndsMs, lockedForCloser: toLocal, htlcs, settled: false };
      channelsOf(world).closing.push(channel.id);
      channelEvent(world, out, CHANNEL_EVENTS.closeStarted, {
        channelId: channel.id, by: tx.from, seq: state.seq, latestSeq: channel.latest.seq, stale: state.seq < channel.latest.seq,
        paidNow: toRemote, paidNowTo: other, locked: toLocal, htlcsLocked: htlcs.reduce((sum, h) => sum + h.amount, 0), windowEndsMs, l1TxId: tx.id, l1Fee: fee,
      });
      return null;
    }
    case "penalize": {
      const close = channel.close!;
      const cheater = close.by;
      const victim = counterpartyOf(channel, cheater);
      const watch = tx.from === victim ? null : channel.towers[victim] ?? null;
      // The justice transaction takes everything still held: the closer's share and every unresolved HTLC output.
      const pending = close.htlcs.filter((h) => h.resolved === null);
      for (const h of pending) h.resolved = "swept";
      const swept = close.lockedForCloser + pending.reduce((sum, h) => sum + h.amount, 0);
      close.lockedForCloser = 0;
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

/**
 * An HTLC output paid to `to`. What the closer gets before the window ends joins its time-locked
 * share (BOLT 3's second-stage HTLC transactions carry to_self_delay too), so a penalty still
 * reaches it; anything else is paid at once.
 */
function payHtlc(world: World, channel: Channel, close: PendingClose, to: string, amount: number): void {
  if (to === close.by && !close.settled) close.lockedForCloser += amount;
  else payOut(world, channel, to, amount);
}

/** A force-closed channel with its window over and no HTLC output left is closed. */
function closeIfDone(world: World, channel: Channel, close: PendingClose): boolean {
  if (!close.settled || close.htlcs.some((h) => h.resolved === null)) return false;
  finish(world, channel, "settled");
  return true;
}

function checkClaim(world: World, by: string, call: ClaimHtlc): { channel: Channel; close: PendingClose; htlc: HtlcOutput } | string {
  const channel = findChannel(world, call.channelId);
  if (typeof channel === "string") return channel;
  const close = channel.close;
  if (channel.status !== "closing" || !close) return `${channel.id} has no HTLC outputs on L1: fulfil off-chain while it is open`;
  const htlc = close.htlcs.find((h) => h.id === call.htlcId);
  if (!htlc) return `the published state of ${channel.id} has no HTLC ${call.htlcId}`;
  if (htlc.resolved) return `HTLC ${htlc.id} is already ${htlc.resolved}`;
  const receiver = counterpartyOf(channel, htlc.offerer);
  if (by !== receiver) return `only ${receiver}, the HTLC's receiver, can claim it`;
  if (world.nowMs >= htlc.expiryMs) return `HTLC ${htlc.id} expired at ${htlc.expiryMs} ms: it returns to ${htlc.offerer}`;
  if (sha256Hex(call.preimage) !== htlc.hash) return "the preimage does not hash to the HTLC's SHA-256";
  return { channel, close, htlc };
}

/** Queues an on-chain HTLC claim with its preimage. */
export function submitClaim(world: World, by: string, call: ClaimHtlc, fee: FeeChoice, out: EngineEvent[]): string | null {
  const checked = checkClaim(world, by, call);
  if (typeof checked === "string") return checked;
  const tx = submitL1Tx(world, by, { kind: "module", module: CHANNELS, call }, CHANNEL_GAS.claimHtlc, 0, fee, out);
  return typeof tx === "string" ? tx : null;
}

/** The claim lands before expiry: the receiver gets the HTLC and the preimage is public on L1. */
export function executeClaim(world: World, tx: L1Tx, call: ClaimHtlc, out: EngineEvent[]): string | null {
  const checked = checkClaim(world, tx.from, call);
  const fee = countL1(world, typeof checked === "string" ? null : checked.channel, tx);
  if (typeof checked === "string") return checked;
  const { channel, close, htlc } = checked;
  htlc.resolved = "claimed";
  payHtlc(world, channel, close, tx.from, htlc.amount);
  const state = channelsOf(world);
  state.preimages[htlc.hash] = call.preimage;
  const delayed = tx.from === close.by && !close.settled;
  channelEvent(world, out, CHANNEL_EVENTS.htlcClaimed, { channelId: channel.id, htlcId: htlc.id, by: tx.from, amount: htlc.amount, hash: htlc.hash, delayed, l1TxId: tx.id, l1Fee: fee });
  if (closeIfDone(world, channel, close)) state.closing = state.closing.filter((id) => id !== channel.id);
  return null;
}

/**
 * At each block: HTLC outputs past expiry return to their offerer, and force closes whose window
 * passed unanswered pay the closer its locked share.
 */
export function settleClosing(world: World, out: EngineEvent[]): void {
  const state = channelsOf(world);
  if (state.closing.length === 0) return;
  const still: string[] = [];
  for (const id of state.closing) {
    const channel = state.channels[id];
    const close = channel?.close;
    if (!channel || channel.status !== "closing" || !close) continue;
    for (const h of close.htlcs) {
      if (h.resolved !== null || world.nowMs < h.expiryMs) continue;
      h.resolved = "timedOut";
      payHtlc(world, channel, close, h.offerer, h.amount);
      channelEvent(world, out, CHANNEL_EVENTS.htlcTimedOut, { channelId: id, htlcId: h.id, returnedTo: h.offerer, amount: h.amount, hash: h.hash });
    }
    if (!close.settled && world.nowMs >= close.windowEndsMs) {
      const paid = close.lockedForCloser;
      payOut(world, channel, close.by, paid);
      close.lockedForCloser = 0;
      close.settled = true;
      const victim = counterpartyOf(channel, close.by);
      // A stale state that nobody answered in time: the victim loses what the newer one gave it.
      const lost = Math.max(0, shareOf(channel, victim, channel.latest) - shareOf(channel, victim, close.state));
      state.stats.lost += lost;
      channelEvent(world, out, CHANNEL_EVENTS.settled, {
        channelId: id, closer: close.by, seq: close.state.seq, latestSeq: channel.latest.seq, paidCloser: paid,
        lost, lostBy: lost > 0 ? victim : null, waitMs: world.nowMs - close.publishedAtMs,
        htlcsPending: close.htlcs.filter((h) => h.resolved === null).length,
      });
    }
    if (!closeIfDone(world, channel, close)) still.push(id);
  }
  state.closing = still;
}
