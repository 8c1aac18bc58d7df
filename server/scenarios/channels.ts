import type { Action, FeeChoice } from "../../shared/engine/actions.ts";
import type { EngineEvent } from "../../shared/engine/events.ts";
import type { World } from "../../shared/engine/world.ts";
import { counterpartyOf, shareOf } from "../../shared/engine/channels/adjudicator.ts";
import { bestOldState, countersigned, emptyRelay, isOffline, proposalAmount, proposalProblem, syncRelay } from "../../shared/engine/channels/relay.ts";
import type { ChannelRelay, Proposal, Route } from "../../shared/engine/channels/relay.ts";
import { nodeDuties, planRoute, syncRoutes } from "../../shared/engine/channels/routing.ts";
import type { Htlc } from "../../shared/engine/channels/types.ts";
import { CHANNEL_EVENTS, CHANNELS, DISPUTE_WINDOW_MS, MAX_TO_SELF_DELAY_MS, MIN_TO_SELF_DELAY_MS } from "../../shared/engine/channels/rules.ts";
import { channelsOf } from "../../shared/engine/channels/types.ts";
import type { Channel, ChannelsState } from "../../shared/engine/channels/types.ts";
import { eth } from "../../shared/engine/units.ts";
import { idRecord } from "../../shared/engine/id-record.ts";
import { channelsMoves } from "../../shared/bots/channels.ts";
import type { ChannelsCast } from "../../shared/bots/channels.ts";
import type { Role } from "../../shared/protocol/messages.ts";
import { feeOf } from "./common.ts";
import { assignInOrder } from "./scenario.ts";
import type { RoundPlayer, ScenarioDef } from "./scenario.ts";

/** Each side of a genesis channel starts with this much in it. */
const CHANNEL_SIDE = eth(1);
/** Each side of a channel between the hub and a user: the hub's side is what it can forward to that user. */
const HUB_SIDE = eth(0.5);
/** Routed payments each player's view lists (newest first). */
const ROUTES_SHOWN = 6;
/** "Going offline" lasts this long in game time: longer than the default dispute window, so only a watchtower can save you. */
const OFFLINE_MS = 30_000;
const CHANNELS_SHOWN = 24;
/** Channels in the public picture: the projector draws nine; a few more keep recent endings in view. */
const PUBLIC_CHANNELS_SHOWN = 12;

function channelCall(me: string, call: Record<string, unknown>, fee: FeeChoice = {}): Action {
  return { type: "module", module: CHANNELS, by: me, call, ...fee };
}

/** A close as the views show it: who published which state, whether it is older than the latest, and the window. */
function closeView(channel: Channel) {
  const close = channel.close;
  if (!close) return null;
  return { by: close.by, seq: close.state.seq, latestSeq: channel.latest.seq, stale: close.state.seq < channel.latest.seq, windowEndsMs: close.windowEndsMs, settled: close.settled };
}

function proposalView(channel: Channel, p: Proposal) {
  return { kind: p.kind, from: p.from, seq: p.seq, balanceA: p.balanceA, balanceB: p.balanceB, htlcs: p.htlcs ?? [], fulfil: p.fulfil ?? null, amount: proposalAmount(channel, p), atMs: p.atMs };
}

/** A routed payment as one of its three nodes sees it: the preimage only for the payer and the receiver (the hub learns it when the receiver claims). */
function routeView(route: Route, me: string) {
  const { preimage, ...rest } = route;
  return route.payer === me || route.receiver === me ? { ...rest, preimage } : rest;
}

/** Routed payments through the hub: completed ones, what they delivered, the hub's fees, and failed ones. */
function routeTotals(relay: ChannelRelay): { routed: number; delivered: number; fees: number; failed: number; pending: number } {
  const t = { routed: 0, delivered: 0, fees: 0, failed: 0, pending: 0 };
  for (const r of Object.values(relay.routes)) {
    if (r.status === "done") {
      t.routed += 1;
      t.delivered += r.amount;
      t.fees += r.fee;
    } else if (r.status === "failed") t.failed += 1;
    else t.pending += 1;
  }
  return t;
}


function liveFirst(newestFirst: Channel[]): Channel[] {
  return [...newestFirst.filter((c) => c.status !== "closed"), ...newestFirst.filter((c) => c.status === "closed")];
}

/** Counts over every channel (the public list shows only a few). */
function totalsOf(state: ChannelsState): { channels: number; open: number; payments: number } {
  let open = 0;
  let payments = 0;
  for (const c of Object.values(state.channels)) {
    if (c.status === "open") open += 1;
    payments += c.payments;
  }
  return { channels: state.order.length, open, payments };
}

/** What the class should look at first: a stale close racing its window, any close, a cheat's ending, open channels, closed ones; newest first within each. */
function projectorChannels(state: ChannelsState, endings: Record<string, unknown>): Channel[] {
  const rank = (c: Channel) => (c.status === "closing" ? (c.close && c.close.state.seq < c.latest.seq ? 0 : 1) : endings[c.id] ? 2 : c.status === "closed" ? 4 : 3);
  const newestFirst = state.order.map((id) => state.channels[id]!).reverse();
  return newestFirst.map((c, i) => ({ c, i, r: rank(c) })).sort((x, y) => x.r - y.r || x.i - y.i).slice(0, PUBLIC_CHANNELS_SHOWN).map((x) => x.c);
}

/**
 * Each party's and each watchtower's own channels (live first, newest first, at most CHANNELS_SHOWN
 * each), and what each party holds in all its open channels (a hub has more than the list shows):
 * one pass over all channels.
 */
function indexChannels(state: ChannelsState): { parties: Map<string, Channel[]>; towers: Map<string, Channel[]>; inOpen: Map<string, number> } {
  const parties = new Map<string, Channel[]>();
  const towers = new Map<string, Channel[]>();
  const inOpen = new Map<string, number>();
  const add = (map: Map<string, Channel[]>, id: string, c: Channel) => {
    const list = map.get(id) ?? [];
    if (!list.includes(c)) list.push(c);
    map.set(id, list);
  };
  for (let i = state.order.length - 1; i >= 0; i--) {
    const c = state.channels[state.order[i]!]!;
    add(parties, c.a, c);
    add(parties, c.b, c);
    if (c.status === "open") for (const party of [c.a, c.b]) inOpen.set(party, (inOpen.get(party) ?? 0) + shareOf(c, party, c.latest));
    for (const w of Object.values(c.towers)) add(towers, w.tower, c);
  }
  for (const map of [parties, towers]) for (const [id, list] of map) map.set(id, liveFirst(list).slice(0, CHANNELS_SHOWN));
  return { parties, towers, inOpen };
}

/**
 * State channels ("Lightning duel"): about one watchtower in eight players (bots first), everyone
 * else a user. Genesis pairs the users and opens a channel per pair with 1 ETH on each side. With
 * three users or more, one of them (a bot if there is one) is the hub: it has a channel with
 * every other user (0.5 ETH a side) and forwards payments between people who share no channel.
 */
export const channels: ScenarioDef = {
  lead: null,
  balance: (players) => assignInOrder(players, [["watchtower", Math.floor(players.length / 8)]], "user", true),
  start() {
    const relay = emptyRelay();
    const cast: { users: string[]; towers: string[]; bots: string[] } = { users: [], towers: [], bots: [] };
    let toSelfDelayMs = DISPUTE_WINDOW_MS;
    /** What happened to channels that ended by a penalty or an unanswered stale close, for the projector. */
    const endings = idRecord<{ penalizedBy?: string; byWatchtower?: boolean; cheaterLost?: number; gotAway?: number; cheater: string }>();
    const towerEarned = idRecord<number>();

    const roleOf = (id: string): Role => (cast.towers.includes(id) ? "watchtower" : "user");

    // Built in publicView, the first call of every projection pass: a player's own channels are never cut by the public list's cap.
    let index: ReturnType<typeof indexChannels> = { parties: new Map(), towers: new Map(), inOpen: new Map() };

    function myChannels(me: string): Channel[] {
      return index.parties.get(me) ?? [];
    }

    function userView(world: World, me: string) {
      return {
        role: "user",
        offlineUntilMs: isOffline(world, relay, me) ? relay.offlineUntil[me]! : 0,
        windowMs: toSelfDelayMs,
        towers: cast.towers,
        hub: relay.hub,
        // Who can be paid through the hub: every other user with an open channel to it.
        reachable: relay.hub && relay.hub !== me ? cast.users.filter((u) => u !== me && u !== relay.hub) : [],
        routes: Object.values(relay.routes).filter((r) => r.payer === me || r.receiver === me || r.hub === me).slice(-ROUTES_SHOWN).reverse().map((r) => routeView(r, me)),
        // What this player's node does by itself next (its page signs each with the player's key).
        duties: nodeDuties(world, relay, me),
        channels: myChannels(me).map((c) => {
          const partner = counterpartyOf(c, me);
          const proposal = relay.proposals[c.id];
          const tower = c.towers[me];
          return {
            id: c.id, partner, side: c.a === me ? "a" : "b", capacity: c.depositA + c.depositB,
            mine: shareOf(c, me, c.latest), theirs: shareOf(c, partner, c.latest), seq: c.latest.seq, payments: c.payments,
            status: c.status, outcome: c.outcome, latest: c.latest, oldBest: c.status === "open" ? bestOldState(c, relay.history[c.id] ?? [], me) : null,
            incoming: proposal && proposal.from === partner ? proposalView(c, proposal) : null,
            outgoing: proposal && proposal.from === me ? proposalView(c, proposal) : null,
            close: closeView(c), tower: tower ? { tower: tower.tower, fee: tower.fee } : null,
            toFund: c.status === "funding" && c.b === me ? c.depositB : 0,
            partnerOffline: isOffline(world, relay, partner),
            // How it ended if someone cheated: the phone tells the victim (or the punished cheater) what it cost.
            ending: endings[c.id] ?? null,
          };
        }),
      };
    }

    function towerView(me: string) {
      const guarding = (index.towers.get(me) ?? []).flatMap((c) =>
        Object.entries(c.towers).filter(([, w]) => w.tower === me).map(([client, w]) => ({
          channelId: c.id, client, other: counterpartyOf(c, client), fee: w.fee, state: w.state, status: c.status, outcome: c.outcome, close: closeView(c),
          penalizedByMe: endings[c.id]?.penalizedBy === me && endings[c.id]?.cheater !== client,
        })),
      );
      return { role: "watchtower", earned: towerEarned[me] ?? 0, guarding };
    }

    return {
      genesis(_world, players: readonly RoundPlayer[], params) {
        cast.users = players.filter((p) => p.role !== "watchtower").map((p) => p.id);
        cast.towers = players.filter((p) => p.role === "watchtower").map((p) => p.id);
        cast.bots = players.filter((p) => p.bot).map((p) => p.id);
        if (params.disputeWindowSec) toSelfDelayMs = Math.min(MAX_TO_SELF_DELAY_MS, Math.max(MIN_TO_SELF_DELAY_MS, Math.round(params.disputeWindowSec * 1000)));
        relay.hub = cast.users.length >= 3 ? (cast.users.find((u) => cast.bots.includes(u)) ?? cast.users[0]!) : null;
        const spokes = cast.users.filter((u) => u !== relay.hub);
        // Pairs in join order; without a hub, an odd one out shares a channel with the first user (who then has two).
        const pairs: [string, string][] = [];
        for (let i = 0; i + 1 < spokes.length; i += 2) pairs.push([spokes[i]!, spokes[i + 1]!]);
        if (!relay.hub && spokes.length % 2 === 1 && spokes.length >= 3) pairs.push([spokes.at(-1)!, spokes[0]!]);
        // The opener locks both sides and pushes half to its partner (BOLT 2 push_msat); it is given the
        // partner's half on L1 first, so both start the round with the same money. The hub is given both
        // sides of its channels: its liquidity is the round's, not savings a student brought.
        const open = (a: string, b: string, side: number, fund: number): Action[] => [
          { type: "fund", account: a, amount: fund },
          channelCall(a, { kind: "open", counterparty: b, deposit: 2 * side, theirDeposit: 0, push: side, toSelfDelayMs }),
        ];
        return [
          ...pairs.flatMap(([a, b]) => open(a, b, CHANNEL_SIDE, CHANNEL_SIDE)),
          ...(relay.hub ? spokes.flatMap((u) => open(relay.hub!, u, HUB_SIDE, 2 * HUB_SIDE)) : []),
        ];
      },
      act(world, me, type, d) {
        if (isOffline(world, relay, me)) return `your node is offline for ${Math.ceil((relay.offlineUntil[me]! - world.nowMs) / 1000)} s more: only a watchtower you hired can act for you`;
        const fee = feeOf(d);
        const channelId = d.channelId as string;
        switch (type) {
          case "channels:open":
            return channelCall(me, { kind: "open", counterparty: d.counterparty, deposit: d.deposit, theirDeposit: d.theirDeposit ?? 0, toSelfDelayMs }, fee);
          case "channels:fund": {
            const channel = channelsOf(world).channels[channelId];
            if (!channel) return `no channel ${channelId}`;
            return channelCall(me, { kind: "fund", channelId, amount: channel.depositB }, fee);
          }
          case "channels:cancel":
            return channelCall(me, { kind: "cancel", channelId }, fee);
          case "channels:propose": {
            const { htlcs, ...split } = d.split as { seq: number; balanceA: number; balanceB: number; htlcs?: Htlc[] };
            const fulfil = d.fulfil as Proposal["fulfil"];
            const proposal: Proposal = { channelId, kind: d.kind as Proposal["kind"], from: me, ...split, ...(htlcs?.length ? { htlcs } : {}), ...(fulfil ? { fulfil } : {}), sig: d.sig as string, atMs: world.nowMs };
            const problem = proposalProblem(world, relay, proposal);
            if (problem) return problem;
            const partner = counterpartyOf(channelsOf(world).channels[channelId]!, me);
            if (isOffline(world, relay, partner)) return "your partner's node is offline: nobody can countersign now (force-close on L1 if you must)";
            relay.proposals[channelId] = proposal;
            return null;
          }
          case "channels:accept": {
            const channel = channelsOf(world).channels[channelId];
            const proposal = relay.proposals[channelId];
            if (!channel || !proposal) return `nothing is waiting for your signature on ${channelId}`;
            if (proposal.from === me) return "you cannot countersign your own proposal: your partner must";
            if (me !== channel.a && me !== channel.b) return `you are not a party to ${channelId}`;
            if (proposal.seq !== d.stateSeq) return `the state waiting on ${channelId} is sequence ${proposal.seq}, not ${String(d.stateSeq)}`;
            const state = countersigned(channel, proposal, d.sig as string);
            // A fulfil is the receiver's (update_fulfill_htlc), committed by this countersignature.
            if (proposal.fulfil) return channelCall(proposal.from, { kind: "fulfill", channelId, htlcId: proposal.fulfil.htlcId, preimage: proposal.fulfil.preimage, state });
            return channelCall(me, { kind: proposal.kind === "close" ? "cooperativeClose" : "update", channelId, state }, fee);
          }
          case "channels:decline": {
            const proposal = relay.proposals[channelId];
            if (!proposal || proposal.from === me || proposal.seq !== d.stateSeq) return `nothing of sequence ${String(d.stateSeq)} is waiting for your signature on ${channelId}`;
            const channel = channelsOf(world).channels[channelId];
            if (!channel || (me !== channel.a && me !== channel.b)) return `you are not a party to ${channelId}`;
            delete relay.proposals[channelId];
            return null;
          }
          case "channels:forceClose":
            return channelCall(me, { kind: "forceClose", channelId, state: d.state }, fee);
          case "channels:penalize":
            return channelCall(me, { kind: "penalize", channelId, state: d.state }, fee);
          case "channels:hireTower":
            if (roleOf(d.tower as string) !== "watchtower") return `${String(d.tower)} is not a watchtower in this round`;
            return channelCall(me, { kind: "hireTower", channelId, tower: d.tower, fee: d.fee });
          case "channels:route": {
            const route = planRoute(world, relay, me, d.to as string, d.amount as number, d.preimage as string);
            if (typeof route === "string") return route;
            relay.routes[route.hash] = route;
            return null;
          }
          case "channels:claimHtlc":
            return channelCall(me, { kind: "claimHtlc", channelId, htlcId: d.htlcId, preimage: d.preimage }, fee);
          case "channels:offline":
            relay.offlineUntil[me] = world.nowMs + OFFLINE_MS;
            return null;
          default:
            return `unknown message ${type}`;
        }
      },
      observe(world, events: readonly EngineEvent[]) {
        for (const e of events) {
          if (e.type !== "module" || e.module !== CHANNELS) continue;
          const data = e.data as Record<string, unknown>;
          if (e.name === CHANNEL_EVENTS.penalized) {
            endings[data.channelId as string] = { penalizedBy: data.by as string, byWatchtower: data.byWatchtower === true, cheaterLost: data.cheaterLost as number, cheater: data.cheater as string };
            if (data.byWatchtower === true) towerEarned[data.by as string] = (towerEarned[data.by as string] ?? 0) + (data.towerFee as number);
          }
          if (e.name === CHANNEL_EVENTS.settled && (data.lost as number) > 0) endings[data.channelId as string] = { gotAway: data.lost as number, cheater: data.closer as string };
        }
        if (world.modules[CHANNELS]) syncRelay(world, relay, Object.values(channelsOf(world).channels).filter((c) => c.status !== "closed" || relay.proposals[c.id]));
        syncRoutes(world, relay, events);
      },
      /**
       * { windowMs, hub: id | null, routing: { routed, delivered, fees, failed, pending } (payments through the hub),
       * offline: [id], towers: { id: earned }, totals: { channels, open, payments } (over every channel),
       * channels (the 12 most worth watching: stale closes, closes, cheats' endings, open, closed): [{ id, a, b, capacity, balanceA, balanceB, seq,
       * htlcs: [{ offerer, amount, expiryMs }] (pending), payments,
       * status, outcome, towers: [id], close: { by, seq, latestSeq, stale, windowEndsMs, settled } | null,
       * ending: { penalizedBy?, byWatchtower?, cheaterLost?, gotAway?, cheater } | null }] }
       */
      publicView(world) {
        const state = world.modules[CHANNELS] ? channelsOf(world) : null;
        index = state ? indexChannels(state) : { parties: new Map(), towers: new Map(), inOpen: new Map() };
        return JSON.stringify({
          windowMs: toSelfDelayMs,
          hub: relay.hub,
          routing: routeTotals(relay),
          offline: Object.keys(relay.offlineUntil).filter((id) => isOffline(world, relay, id)),
          towers: Object.fromEntries(cast.towers.map((id) => [id, towerEarned[id] ?? 0])),
          totals: state ? totalsOf(state) : { channels: 0, open: 0, payments: 0 },
          channels: (state ? projectorChannels(state, endings) : []).map((c) => ({
            id: c.id, a: c.a, b: c.b, capacity: c.depositA + c.depositB, balanceA: c.latest.balanceA, balanceB: c.latest.balanceB, seq: c.latest.seq,
            htlcs: (c.latest.htlcs ?? []).map((h) => ({ offerer: h.offerer, amount: h.amount, expiryMs: h.expiryMs })),
            payments: c.payments, status: c.status, outcome: c.outcome, towers: Object.values(c.towers).map((w) => w.tower), close: closeView(c), ending: endings[c.id] ?? null,
          })),
        });
      },
      privateView(world, playerId) {
        if (!world.modules[CHANNELS]) return "";
        return JSON.stringify(roleOf(playerId) === "watchtower" ? towerView(playerId) : userView(world, playerId));
      },
      wallet(world, playerId) {
        return { l2Balance: index.inOpen.get(playerId) ?? 0, l2Nonce: 0, withdrawals: "[]" };
      },
      botMoves: (world, mind) => (world.modules[CHANNELS] ? channelsMoves(world, mind, relay, cast as ChannelsCast) : []),
    };
  },
};
