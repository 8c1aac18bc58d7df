import { parseJson } from "../../net/snapshot.ts";
import type { Snapshot } from "../../net/snapshot.ts";
import type { Duty } from "../../../../shared/engine/channels/routing.ts";

/**
 * The channels round's synced JSON as the client reads it (server/scenarios/channels.ts writes it;
 * docs/scenarios/channels.md documents it). Amounts in gwei, times in ms of game clock.
 */

/** A hash-time-locked amount pending in a channel state (BOLT 2): the receiver takes it with the preimage before `expiryMs`. */
export interface HtlcSnap {
  id: number;
  offerer: string;
  amount: number;
  hash: string;
  expiryMs: number;
}

export interface SplitSnap {
  seq: number;
  balanceA: number;
  balanceB: number;
  /** Pending HTLCs; absent: none. */
  htlcs?: HtlcSnap[];
}

/** A state both partners signed: what a force close or a penalty publishes. */
export interface SignedSnap extends SplitSnap {
  sigA: string;
  sigB: string;
}

export interface CloseSnap {
  by: string;
  seq: number;
  latestSeq: number;
  /** The published state is older than the latest both signed: a cheat. */
  stale: boolean;
  windowEndsMs: number;
  settled: boolean;
}

export interface ProposalSnap extends SplitSnap {
  kind: "update" | "close";
  from: string;
  amount: number;
  atMs: number;
  /** A fulfil shows the preimage it claims an HTLC with. */
  fulfil: { htlcId: number; preimage: string } | null;
}

/** A payment routed through the hub, as its payer, hub or receiver sees it (the preimage only for payer and receiver). */
export interface RouteSnap {
  hash: string;
  payer: string;
  hub: string;
  receiver: string;
  amount: number;
  fee: number;
  preimage?: string;
  payerExpiryMs: number;
  receiverExpiryMs: number;
  startedAtMs: number;
  status: "sent" | "forwarding" | "offered" | "claimed" | "done" | "bounced" | "failed";
}

/** One of your channels (wallet.module of a user). */
export interface MyChannelSnap {
  id: string;
  partner: string;
  side: "a" | "b";
  capacity: number;
  mine: number;
  theirs: number;
  seq: number;
  payments: number;
  status: "funding" | "open" | "closing" | "closed";
  outcome: "cooperative" | "settled" | "penalized" | "cancelled" | null;
  latest: SignedSnap;
  /** The old signed state that pays you most, if it pays more than the latest (open channels only). */
  oldBest: SignedSnap | null;
  incoming: ProposalSnap | null;
  outgoing: ProposalSnap | null;
  close: CloseSnap | null;
  tower: { tower: string; fee: number } | null;
  /** The deposit your partner asked you to lock (0 if none). */
  toFund: number;
  partnerOffline: boolean;
  /** How it ended when someone cheated (as PublicChannelSnap's), null otherwise. */
  ending: PublicChannelSnap["ending"];
}

export interface UserModuleSnap {
  role: "user";
  offlineUntilMs: number;
  windowMs: number;
  towers: string[];
  /** The routing node (null: no hub this round), who you can pay through it, and your recent routed payments, newest first. */
  hub: string | null;
  reachable: string[];
  routes: RouteSnap[];
  /** What your node does by itself now: your page signs and sends each. */
  duties: Duty[];
  channels: MyChannelSnap[];
}

export interface GuardSnap {
  channelId: string;
  client: string;
  other: string;
  fee: number;
  /** Your copy of the latest state your client signed. */
  state: SignedSnap | null;
  status: MyChannelSnap["status"];
  outcome: MyChannelSnap["outcome"];
  close: CloseSnap | null;
  penalizedByMe: boolean;
}

export interface TowerModuleSnap {
  role: "watchtower";
  earned: number;
  guarding: GuardSnap[];
}

/** A channel on the projector (world.module). */
export interface PublicChannelSnap {
  id: string;
  a: string;
  b: string;
  capacity: number;
  balanceA: number;
  balanceB: number;
  seq: number;
  payments: number;
  status: MyChannelSnap["status"];
  outcome: MyChannelSnap["outcome"];
  towers: string[];
  close: CloseSnap | null;
  /** How a channel ended when someone cheated: punished (penalizedBy, cheaterLost) or not (gotAway: what the victim lost). */
  ending: { penalizedBy?: string; byWatchtower?: boolean; cheaterLost?: number; gotAway?: number; cheater: string } | null;
}

export interface ChannelsWorldSnap {
  windowMs: number;
  hub: string | null;
  /** Payments through the hub: completed (what they delivered, the hub's fees), failed, in flight. */
  routing: { routed: number; delivered: number; fees: number; failed: number; pending: number };
  offline: string[];
  towers: Record<string, number>;
  /** Counts over every channel; `channels` lists only the dozen most worth watching. */
  totals: { channels: number; open: number; payments: number };
  channels: PublicChannelSnap[];
}

/** Your own part of the round, or null before it arrives. */
export function myModule<T extends UserModuleSnap | TowerModuleSnap>(s: Snapshot, me: string, role: T["role"]): T | null {
  const mine = parseJson<UserModuleSnap | TowerModuleSnap | null>(s.players[me]?.wallet?.module, null);
  return mine && mine.role === role ? (mine as T) : null;
}

/** The public picture of the round. */
export function channelsWorld(s: Snapshot): ChannelsWorldSnap {
  return parseJson<ChannelsWorldSnap>(s.world.module, { windowMs: 0, hub: null, routing: { routed: 0, delivered: 0, fees: 0, failed: 0, pending: 0 }, offline: [], towers: {}, totals: { channels: 0, open: 0, payments: 0 }, channels: [] });
}

/** The channel fields a signature commits to: a is the opener. */
export function channelEnds(me: string, c: Pick<MyChannelSnap, "id" | "partner" | "side">): { id: string; a: string; b: string } {
  return c.side === "a" ? { id: c.id, a: me, b: c.partner } : { id: c.id, a: c.partner, b: me };
}

/** A signed state as the protocol carries it, with its pending HTLCs. */
export function wireState(s: SignedSnap): SignedSnap {
  const htlcs = (s.htlcs ?? []).map((h) => ({ id: h.id, offerer: h.offerer, amount: h.amount, hash: h.hash, expiryMs: h.expiryMs }));
  return { seq: s.seq, balanceA: s.balanceA, balanceB: s.balanceB, ...(htlcs.length ? { htlcs } : {}), sigA: s.sigA, sigB: s.sigB };
}

/** Whether a proposal is an HTLC step (offer, fulfil or fail) rather than a payment: the node answers those by itself. */
export function isHtlcStep(c: MyChannelSnap, p: ProposalSnap): boolean {
  const ids = (list: HtlcSnap[] | undefined) => (list ?? []).map((h) => h.id).join(",");
  return p.fulfil !== null || ids(p.htlcs) !== ids(c.latest.htlcs);
}
