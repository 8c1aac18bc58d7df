import { MAX_HTLCS, MAX_TO_SELF_DELAY_MS, MIN_TO_SELF_DELAY_MS } from "./rules.ts";
import type { Htlc, SignedState } from "./types.ts";
import { isRecord } from "../parse.ts";

/**
 * What a player asks the channel module to do. Off-chain steps (update, hireTower) change
 * module state at once and cost nothing; the others are L1 transactions to the adjudicator.
 */
export type ChannelCall =
  /**
   * Lock `deposit` on L1 and open a channel with `counterparty`, who must add `theirDeposit` (0: single-funded).
   * `push` of the deposit starts on the counterparty's side (BOLT 2 push_msat); `toSelfDelayMs` is the
   * dispute window of this channel's unilateral closes (BOLT 2 to_self_delay; default DISPUTE_WINDOW_MS).
   */
  | { kind: "open"; counterparty: string; deposit: number; theirDeposit: number; push?: number; toSelfDelayMs?: number }
  /** The counterparty's deposit, exactly the amount the opener asked for. */
  | { kind: "fund"; channelId: string; amount: number }
  /** The opener takes its deposit back while the counterparty has not funded. */
  | { kind: "cancel"; channelId: string }
  /** Off-chain: a new doubly-signed split with a higher sequence number. */
  | { kind: "update"; channelId: string; state: SignedState }
  /** Off-chain: hire `tower` to guard the caller's side; `fee` comes out of a penalty it wins. */
  | { kind: "hireTower"; channelId: string; tower: string; fee: number }
  /** Both "close" signatures on a final split: paid at once. */
  | { kind: "cooperativeClose"; channelId: string; state: SignedState }
  /** Publish a doubly-signed update: the other side is paid at once, the caller after the window. */
  | { kind: "forceClose"; channelId: string; state: SignedState }
  /** Answer a force close with a newer doubly-signed update: the closer loses its whole balance. */
  | { kind: "penalize"; channelId: string; state: SignedState }
  /** Off-chain: the receiver shows the preimage of a pending HTLC with the signed state that pays it. */
  | { kind: "fulfill"; channelId: string; htlcId: number; preimage: string; state: SignedState }
  /** On L1, after a force close: the receiver claims an HTLC output with its preimage before expiry. */
  | { kind: "claimHtlc"; channelId: string; htlcId: number; preimage: string };

export type ChannelCallKind = ChannelCall["kind"];

function isAmount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isName(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= 64;
}

const HASH_PATTERN = /^[0-9a-f]{64}$/;

function parseHtlcs(value: unknown): Htlc[] | string {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_HTLCS) return `state.htlcs must be a list of at most ${MAX_HTLCS} HTLCs`;
  const htlcs: Htlc[] = [];
  for (const raw of value) {
    if (!isRecord(raw)) return "each HTLC must be an object { id, offerer, amount, hash, expiryMs }";
    const { id, offerer, amount, hash, expiryMs } = raw;
    if (!isAmount(id) || !isName(offerer) || !isAmount(amount) || amount === 0 || !isAmount(expiryMs)) return "an HTLC needs a whole id, an offerer, a positive amount and an expiry in ms";
    if (typeof hash !== "string" || !HASH_PATTERN.test(hash)) return "an HTLC hash must be 64 lowercase hex characters (SHA-256)";
    htlcs.push({ id, offerer, amount, hash, expiryMs });
  }
  return htlcs;
}

function parseState(value: unknown): SignedState | string {
  if (!isRecord(value)) return "state must be an object { seq, balanceA, balanceB, sigA, sigB }";
  const { seq, balanceA, balanceB, sigA, sigB } = value;
  if (!isAmount(seq)) return "state.seq must be a whole number, at least 0";
  if (!isAmount(balanceA) || !isAmount(balanceB)) return "state balances must be whole numbers of gwei, at least 0";
  if (typeof sigA !== "string" || typeof sigB !== "string" || sigA.length > 256 || sigB.length > 256) return "state.sigA and state.sigB must be hex strings";
  const htlcs = parseHtlcs(value.htlcs);
  if (typeof htlcs === "string") return htlcs;
  return htlcs.length ? { seq, balanceA, balanceB, htlcs, sigA, sigB } : { seq, balanceA, balanceB, sigA, sigB };
}

function parsePreimage(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 && value.length <= 128 ? value : null;
}

/** Validates an untrusted call's shape (it comes from the network); returns a clean copy or why it is malformed. */
export function parseCall(raw: unknown): ChannelCall | string {
  if (!isRecord(raw)) return "a channel call must be an object with a kind";
  switch (raw.kind) {
    case "open": {
      if (!isName(raw.counterparty)) return "open needs a counterparty";
      if (!isAmount(raw.deposit) || raw.deposit === 0) return "deposit must be a positive whole number of gwei";
      const theirDeposit = raw.theirDeposit ?? 0;
      if (!isAmount(theirDeposit)) return "theirDeposit must be a whole number of gwei, at least 0";
      const push = raw.push ?? 0;
      if (!isAmount(push) || push > raw.deposit) return "push must be a whole number of gwei, at most the deposit";
      const delay = raw.toSelfDelayMs;
      if (delay !== undefined && (!isAmount(delay) || delay < MIN_TO_SELF_DELAY_MS || delay > MAX_TO_SELF_DELAY_MS)) {
        return `toSelfDelayMs must be a whole number of ms from ${MIN_TO_SELF_DELAY_MS} to ${MAX_TO_SELF_DELAY_MS}`;
      }
      return { kind: "open", counterparty: raw.counterparty, deposit: raw.deposit, theirDeposit, ...(push ? { push } : {}), ...(delay !== undefined ? { toSelfDelayMs: delay } : {}) };
    }
    case "fund":
      if (!isName(raw.channelId)) return "fund needs a channelId";
      if (!isAmount(raw.amount) || raw.amount === 0) return "amount must be a positive whole number of gwei";
      return { kind: "fund", channelId: raw.channelId, amount: raw.amount };
    case "cancel":
      if (!isName(raw.channelId)) return "cancel needs a channelId";
      return { kind: "cancel", channelId: raw.channelId };
    case "hireTower":
      if (!isName(raw.channelId)) return "hireTower needs a channelId";
      if (!isName(raw.tower)) return "hireTower needs a tower";
      if (!isAmount(raw.fee)) return "fee must be a whole number of gwei, at least 0";
      return { kind: "hireTower", channelId: raw.channelId, tower: raw.tower, fee: raw.fee };
    case "update":
    case "cooperativeClose":
    case "forceClose":
    case "penalize": {
      if (!isName(raw.channelId)) return `${raw.kind} needs a channelId`;
      const state = parseState(raw.state);
      if (typeof state === "string") return state;
      return { kind: raw.kind, channelId: raw.channelId, state };
    }
    case "fulfill":
    case "claimHtlc": {
      if (!isName(raw.channelId)) return `${raw.kind} needs a channelId`;
      if (!isAmount(raw.htlcId)) return `${raw.kind} needs an htlcId`;
      const preimage = parsePreimage(raw.preimage);
      if (!preimage) return "preimage must be a string of 1 to 128 characters";
      if (raw.kind === "claimHtlc") return { kind: "claimHtlc", channelId: raw.channelId, htlcId: raw.htlcId, preimage };
      const state = parseState(raw.state);
      if (typeof state === "string") return state;
      return { kind: "fulfill", channelId: raw.channelId, htlcId: raw.htlcId, preimage, state };
    }
    default:
      return `unknown channel call "${String(raw.kind)}"`;
  }
}

/** ETH a call's L1 transaction moves out of its sender besides gas: the deposits. */
export function callValue(raw: unknown): number {
  const call = parseCall(raw);
  if (typeof call === "string") return 0;
  if (call.kind === "open") return call.deposit;
  if (call.kind === "fund") return call.amount;
  return 0;
}
