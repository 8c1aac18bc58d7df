import { counterpartyOf, shareOf } from "../engine/channels/adjudicator.ts";
import { signChannelState } from "../engine/channels/message.ts";
import { bestOldState, isOffline, splitOf } from "../engine/channels/relay.ts";
import type { ChannelRelay } from "../engine/channels/relay.ts";
import { dutyMessage, dutySigns, nodeDuties, openChannelBetween, wireState } from "../engine/channels/routing.ts";
import { CHANNELS } from "../engine/channels/rules.ts";
import { channelsOf } from "../engine/channels/types.ts";
import type { Channel, SignedState } from "../engine/channels/types.ts";
import { nextFloat, nextInt } from "../engine/prng.ts";
import { eth } from "../engine/units.ts";
import type { World } from "../engine/world.ts";
import type { BotMind, BotMove } from "./mind.ts";

/** Chance per turn that a bot pays its partner (less often a human, who must countersign each one by hand), and the amounts (gwei). */
const PAY_CHANCE = 0.6;
const PAY_HUMAN_CHANCE = 0.08;
const PAY_MIN = eth(0.02);
const PAY_SPREAD = eth(0.08);
/** Bot-to-bot channels close cooperatively after this many payments, now and then, and reopen. */
const CLOSE_AFTER_PAYMENTS = 25;
const CLOSE_CHANCE = 0.05;
const REOPEN_DEPOSIT = eth(1);
/** What a bot pays a watchtower out of a penalty it wins, as a share of the channel (percent). */
const TOWER_FEE_PERCENT = 5;
/** A hard bot cheats once, after this much game time (or as soon as its partner goes offline), if an old state pays it more. */
const CHEAT_AFTER_MS = 30_000;
const CHEAT_SPREAD_MS = 30_000;
const CHEAT_MIN_GAIN = eth(0.05);
/** Chance per turn that a bot with a watchtower takes its node offline (once a round): the moment cheaters wait for. */
const OFFLINE_CHANCE = 0.02;
/** Chance per turn that a bot pays someone it has no channel with, through the hub. */
const ROUTE_CHANCE = 0.15;
/**
 * A bot hub goes offline once a round, holding a payer's HTLC it has not forwarded, after this
 * many routed payments went through: the payer's money waits for the HTLC's timeout.
 */
const HUB_OFFLINE_AFTER_ROUTES = 3;

/** Who plays what in the round, as the bots need it. */
export interface ChannelsCast {
  users: readonly string[];
  towers: readonly string[];
  bots: readonly string[];
}

/** A channels bot's moves this turn: users pay, countersign, punish and (on hard) cheat; watchtowers guard their clients. */
export function channelsMoves(world: World, mind: BotMind, relay: ChannelRelay, cast: ChannelsCast): BotMove[] {
  return mind.role === "watchtower" ? towerMoves(world, mind) : userMoves(world, mind, relay, cast);
}

/** Whether `me` already has an L1 channel call of this kind for this channel in the mempool. */
function queued(world: World, me: string, kind: string, channelId: string): boolean {
  return world.l1.mempool.some((tx) => {
    if (tx.from !== me || tx.payload.kind !== "module" || tx.payload.module !== CHANNELS) return false;
    const call = tx.payload.call as { kind?: unknown; channelId?: unknown };
    return call.kind === kind && call.channelId === channelId;
  });
}

/** A close that published an older state than `newer` and can still be answered. */
function answerable(world: World, channel: Channel, newerSeq: number): boolean {
  const close = channel.close;
  return channel.status === "closing" && close !== null && !close.settled && close.state.seq < newerSeq && world.nowMs < close.windowEndsMs;
}

/** A signed state as the protocol carries it, with its pending HTLCs. */
function wire(s: SignedState): SignedState {
  return wireState(s);
}

/** The next payment's split: `amount` from me to my partner, pending HTLCs unchanged. */
function paymentSplit(channel: Channel, me: string, amount: number): { seq: number; balanceA: number; balanceB: number; htlcs?: SignedState["htlcs"] } {
  const fromA = channel.a === me;
  const { sigA: _a, sigB: _b, ...split } = wireState({ ...channel.latest, seq: channel.latest.seq + 1, balanceA: channel.latest.balanceA + (fromA ? -amount : amount), balanceB: channel.latest.balanceB + (fromA ? amount : -amount) });
  return split;
}

/** The bot's node at work: every HTLC duty (forward, fulfil, fail, countersign, go on-chain), signed with its key. */
function nodeMoves(world: World, mind: BotMind, relay: ChannelRelay): { moves: BotMove[]; busy: Set<string> } {
  const busy = new Set<string>();
  const moves = nodeDuties(world, relay, mind.id).map((duty) => {
    busy.add(duty.channelId);
    const sig = dutySigns(duty) ? signChannelState(mind.secretKey, { id: duty.channelId, a: duty.a, b: duty.b }, "update", duty.state) : "";
    return dutyMessage(duty, sig) as BotMove;
  });
  return { moves, busy };
}

/** Now and then, a payment to another user through the hub (keysend: the bot picks the preimage). */
function routeMove(world: World, mind: BotMind, relay: ChannelRelay, cast: ChannelsCast): BotMove | null {
  const me = mind.id;
  const hub = relay.hub;
  if (!hub || hub === me || isOffline(world, relay, hub) || nextFloat(mind.rng) >= ROUTE_CHANCE) return null;
  // One payment in flight at a time.
  if (Object.values(relay.routes).some((r) => r.payer === me && r.status !== "done" && r.status !== "failed")) return null;
  const first = openChannelBetween(world, me, hub);
  if (!first || relay.proposals[first.id]) return null;
  const receivers = cast.users.filter((u) => u !== me && u !== hub && !openChannelBetween(world, me, u) && openChannelBetween(world, hub, u));
  if (receivers.length === 0) return null;
  const to = receivers[nextInt(mind.rng, receivers.length)]!;
  const amount = PAY_MIN + nextInt(mind.rng, PAY_SPREAD);
  if (shareOf(first, me, first.latest) < 2 * amount) return null;
  // 32 bytes from the bot's seeded generator, as hex: replays pick the same preimage.
  const preimage = Array.from({ length: 8 }, () => nextInt(mind.rng, 0x1_0000_0000).toString(16).padStart(8, "0")).join("");
  return { type: "channels:route", payload: { to, amount, preimage } };
}

/** A bot hub takes its node offline once, holding an HTLC it has not forwarded yet: why HTLCs expire. */
function hubGoesOffline(mind: BotMind, relay: ChannelRelay): BotMove | null {
  if (relay.hub !== mind.id || mind.memory.hubWentOffline === true) return null;
  const routes = Object.values(relay.routes);
  if (routes.filter((r) => r.status === "done").length < HUB_OFFLINE_AFTER_ROUTES || !routes.some((r) => r.status === "forwarding")) return null;
  mind.memory.hubWentOffline = true;
  return { type: "channels:offline", payload: {} };
}

function myChannels(world: World, me: string): Channel[] {
  const state = channelsOf(world);
  return state.order.map((id) => state.channels[id]!).filter((c) => c.a === me || c.b === me);
}

function userMoves(world: World, mind: BotMind, relay: ChannelRelay, cast: ChannelsCast): BotMove[] {
  const me = mind.id;
  if (isOffline(world, relay, me)) return [];
  const offline = hubGoesOffline(mind, relay);
  if (offline) return [offline];
  const { moves, busy } = nodeMoves(world, mind, relay);
  const isHub = relay.hub === me;
  const channels = myChannels(world, me);
  for (const channel of channels) {
    if (busy.has(channel.id)) continue;
    const partner = counterpartyOf(channel, me);
    // A stale close against us: answer with the latest state (bots always watch the chain).
    if (channel.close && channel.close.by === partner && answerable(world, channel, channel.latest.seq) && !queued(world, me, "penalize", channel.id)) {
      moves.push({ type: "channels:penalize", payload: { channelId: channel.id, state: wire(channel.latest) } });
      continue;
    }
    if (channel.status === "funding" && channel.b === me && (world.l1.balances[me] ?? 0) > channel.depositB + eth(0.1) && !queued(world, me, "fund", channel.id)) {
      moves.push({ type: "channels:fund", payload: { channelId: channel.id } });
      continue;
    }
    if (channel.status !== "open") continue;
    // A cheater does not wait for pending proposals: it publishes the old state whenever it pays. (The hub's business is its fees.)
    // A student watchtower's job: a bot whose partner went offline under its guard tries an old state, so the tower has a cheat to answer.
    const guard = channel.towers[partner]?.tower;
    const cheat = isHub ? null : cheatMove(world, mind, relay, channel, partner, guard !== undefined && !cast.bots.includes(guard));
    if (cheat) {
      moves.push(cheat);
      continue;
    }
    const proposal = relay.proposals[channel.id];
    if (proposal && proposal.from === partner) {
      // Countersign what the relay passed on (it checked the proposer's signature and that it pays us).
      moves.push({ type: "channels:accept", payload: { channelId: channel.id, stateSeq: proposal.seq, sig: signChannelState(mind.secretKey, channel, proposal.kind, splitOf(proposal)) } });
      continue;
    }
    if (proposal) continue;
    if (!isHub && channel.towers[me] && mind.memory.wentOffline !== true && nextFloat(mind.rng) < OFFLINE_CHANCE) {
      mind.memory.wentOffline = true;
      moves.push({ type: "channels:offline", payload: {} });
      return moves;
    }
    if (cast.towers.length && !channel.towers[me]) {
      const tower = cast.towers[nextInt(mind.rng, cast.towers.length)]!;
      moves.push({ type: "channels:hireTower", payload: { channelId: channel.id, tower, fee: Math.round(((channel.depositA + channel.depositB) * TOWER_FEE_PERCENT) / 100) } });
      continue;
    }
    if (isOffline(world, relay, partner)) continue;
    // Hub channels carry routed payments (and a close would cut a spoke off the hub).
    if (isHub || partner === relay.hub) continue;
    const botPair = cast.bots.includes(partner);
    if (botPair && channel.payments >= CLOSE_AFTER_PAYMENTS && !(channel.latest.htlcs ?? []).length && nextFloat(mind.rng) < CLOSE_CHANCE) {
      const split = { seq: channel.latest.seq, balanceA: channel.latest.balanceA, balanceB: channel.latest.balanceB };
      moves.push({ type: "channels:propose", payload: { channelId: channel.id, kind: "close", split, sig: signChannelState(mind.secretKey, channel, "close", split) } });
      continue;
    }
    const mine = shareOf(channel, me, channel.latest);
    const amount = PAY_MIN + nextInt(mind.rng, PAY_SPREAD);
    if (mine < amount || nextFloat(mind.rng) >= (botPair ? PAY_CHANCE : PAY_HUMAN_CHANCE)) continue;
    const split = paymentSplit(channel, me, amount);
    moves.push({ type: "channels:propose", payload: { channelId: channel.id, kind: "update", split, sig: signChannelState(mind.secretKey, channel, "update", split) } });
  }
  const route = routeMove(world, mind, relay, cast);
  if (route) moves.push(route);
  // A bot whose channels have all closed opens a new one with another bot user (humans choose their own partners).
  const opening = world.l1.mempool.some((tx) => tx.from === me && tx.payload.kind === "module" && (tx.payload.call as { kind?: unknown }).kind === "open");
  if (channels.length > 0 && channels.every((c) => c.status === "closed") && !opening && (world.l1.balances[me] ?? 0) > 2 * REOPEN_DEPOSIT) {
    const partners = cast.users.filter((u) => u !== me && cast.bots.includes(u) && !isOffline(world, relay, u));
    if (partners.length) {
      const counterparty = partners[nextInt(mind.rng, partners.length)]!;
      moves.push({ type: "channels:open", payload: { counterparty, deposit: REOPEN_DEPOSIT, theirDeposit: REOPEN_DEPOSIT } });
    }
  }
  return moves;
}

/**
 * Hard bots cheat once per round: they publish the old signed state that pays them most, when
 * it pays them noticeably more than the latest — as soon as their partner goes offline, or
 * after a while anyway, so every round has a cheater for the class to catch. Any bot does the
 * same, once, when its partner is offline and guarded by a student's watchtower (`studentGuard`):
 * the watchtower's job is that moment, and a round should give it one.
 */
function cheatMove(world: World, mind: BotMind, relay: ChannelRelay, channel: Channel, partner: string, studentGuard: boolean): BotMove | null {
  if (mind.memory.cheated === true) return null;
  const testsTheTower = studentGuard && isOffline(world, relay, partner);
  if (mind.difficulty !== "hard" && !testsTheTower) return null;
  if (typeof mind.memory.cheatAtMs !== "number") mind.memory.cheatAtMs = CHEAT_AFTER_MS + nextInt(mind.rng, CHEAT_SPREAD_MS);
  if (!isOffline(world, relay, partner) && world.nowMs < (mind.memory.cheatAtMs as number)) return null;
  const old = bestOldState(channel, relay.history[channel.id] ?? [], mind.id);
  if (!old || shareOf(channel, mind.id, old) - shareOf(channel, mind.id, channel.latest) < CHEAT_MIN_GAIN) return null;
  mind.memory.cheated = true;
  return { type: "channels:forceClose", payload: { channelId: channel.id, state: wire(old) } };
}

/** A watchtower bot answers every stale close against a client that hired it, with its copy of the latest state. */
function towerMoves(world: World, mind: BotMind): BotMove[] {
  const moves: BotMove[] = [];
  const state = channelsOf(world);
  for (const id of state.closing) {
    const channel = state.channels[id];
    const close = channel?.close;
    if (!channel || !close) continue;
    const victim = counterpartyOf(channel, close.by);
    const watch = channel.towers[victim];
    if (watch?.tower !== mind.id || !watch.state || !answerable(world, channel, watch.state.seq) || queued(world, mind.id, "penalize", id)) continue;
    moves.push({ type: "channels:penalize", payload: { channelId: id, state: wire(watch.state) } });
  }
  return moves;
}
