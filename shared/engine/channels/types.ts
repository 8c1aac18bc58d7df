import { CHANNELS } from "./rules.ts";
import { moduleState } from "../module.ts";
import type { World } from "../world.ts";
import { idRecord } from "../id-record.ts";
import type { IdRecord } from "../id-record.ts";

/**
 * A hash-time-locked amount inside a channel state (BOLT 2 update_add_htlc): the receiver gets
 * it by showing a preimage whose SHA-256 is `hash` before `expiryMs`; after that it returns to
 * the offerer. The same hash on every hop of a route ties the hops together.
 */
export interface Htlc {
  id: number;
  offerer: string;
  amount: number;
  /** SHA-256 of the preimage, lowercase hex. */
  hash: string;
  /** Game time after which the offerer takes it back, ms. */
  expiryMs: number;
}

/** One balance split of a channel: `balanceA` for the opener, `balanceB` for the counterparty, gwei, plus pending HTLCs. */
export interface ChannelBalances {
  seq: number;
  balanceA: number;
  balanceB: number;
  /** Pending HTLCs; absent means none. balanceA + balanceB + their amounts = capacity. */
  htlcs?: Htlc[];
}

export type HtlcResolution = "claimed" | "timedOut" | "swept";

/** An HTLC output of a force-closed state, resolved on L1 by preimage, by timeout, or by a penalty. */
export interface HtlcOutput extends Htlc {
  resolved: HtlcResolution | null;
}

/** A balance split both parties signed (ed25519, hex). Sequence 0 is the funding split and needs no signature. */
export interface SignedState extends ChannelBalances {
  sigA: string;
  sigB: string;
}

/**
 * "funding": the opener's deposit is locked, the counterparty's is awaited.
 * "open": both deposits locked, off-chain payments flow.
 * "closing": a unilateral close is waiting out its dispute window.
 * "closed": paid out (cooperatively, by penalty, after the window, or cancelled before opening).
 */
export type ChannelStatus = "funding" | "open" | "closing" | "closed";

export type ChannelOutcome = "cooperative" | "settled" | "penalized" | "cancelled";

/** A watchtower a party hired for one channel, with its copy of the latest signed state. */
export interface Watchtower {
  tower: string;
  /** Paid to the tower out of the swept (penalised) funds, capped at what is swept, gwei. */
  fee: number;
  state: SignedState | null;
  hiredAtMs: number;
}

/** A unilateral close on L1: the published state and its dispute window. */
export interface PendingClose {
  by: string;
  state: SignedState;
  publishedAtMs: number;
  windowEndsMs: number;
  /** The closer's own share, time-locked in the adjudicator until the window ends (to_local). */
  lockedForCloser: number;
  /** The published state's HTLC outputs, held until claimed with a preimage or timed out. */
  htlcs: HtlcOutput[];
  /** The window has ended and the closer's share was paid; HTLC outputs may still be pending. */
  settled: boolean;
}

export interface Channel {
  id: string;
  a: string;
  b: string;
  depositA: number;
  depositB: number;
  /** What the opener gave the counterparty at open (push_msat): the funding split is depositA − pushed | depositB + pushed. */
  pushed: number;
  /** This channel's dispute window for unilateral closes (to_self_delay), ms. */
  toSelfDelayMs: number;
  status: ChannelStatus;
  outcome: ChannelOutcome | null;
  /** What the adjudicator still holds for this channel, gwei. */
  held: number;
  /** The latest doubly-signed state each party holds (both hold the same after an exchange). */
  latest: SignedState;
  /** Off-chain payments made, and L1 transactions this channel needed. */
  payments: number;
  l1Txs: number;
  towers: IdRecord<Watchtower>;
  close: PendingClose | null;
  openedAtMs: number;
  closedAtMs: number | null;
}

/** Round totals for the projector and debrief (the debrief itself reads events). */
export interface ChannelStats {
  payments: number;
  htlcsFulfilled: number;
  paidOffChain: number;
  l1Txs: number;
  l1Fees: number;
  penalties: number;
  saved: number;
  lost: number;
}

export interface ChannelsState {
  channels: IdRecord<Channel>;
  /** Ids in opening order, for the UI. */
  order: string[];
  /** Ids of channels waiting out a dispute window or HTLC outputs, so each block looks only at those. */
  closing: string[];
  /** Preimages revealed so far, by hash: a revealed preimage is public (the next hop back uses it). */
  preimages: IdRecord<string>;
  stats: ChannelStats;
}

/** A fresh module state. */
export function emptyChannels(): ChannelsState {
  return { channels: idRecord(), order: [], closing: [], preimages: idRecord(), stats: { payments: 0, htlcsFulfilled: 0, paidOffChain: 0, l1Txs: 0, l1Fees: 0, penalties: 0, saved: 0, lost: 0 } };
}

/** The channels state of a world (created on first use by the engine). */
export function channelsOf(world: World): ChannelsState {
  return moduleState<ChannelsState>(world, CHANNELS);
}
