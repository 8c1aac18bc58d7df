import { parseJson } from "../../net/snapshot.ts";
import type { Snapshot } from "../../net/snapshot.ts";
import { h } from "../../ui/dom.ts";
import { formatEth } from "../../ui/format.ts";

/** A committed sidechain block in `world.module` (server/scenarios/sidechain.ts publicPicture). Times in game ms. */
export interface SideBlockSnap {
  height: number;
  proposer: string;
  txCount: number;
  signers: number;
  signedStake: number;
  totalStake: number;
  committedAtMs: number;
}

export interface SideCheckpointSnap {
  number: number;
  startHeight: number;
  endHeight: number;
  /** signing | signed | posting | posted */
  status: string;
  signedStake: number;
  proposedAtMs: number;
  postedAtMs: number;
}

/** A release of the bridge that landed on L1: reverted for want of keys, or paid with no burn behind it. */
export interface SideAttemptSnap {
  outcome: "refused" | "drained";
  amount: number;
  signatures: number;
  signers: string[];
  atMs: number;
}

export interface SideAlarmSnap {
  by: string;
  atMs: number;
  /** right: the first report of a theft; late: already reported; false: the bridge still backed every token. */
  verdict: "right" | "late" | "false";
}

/** `world.module` in a sidechain round. */
export interface SideWorldSnap {
  /** The bridge: Ronin-style m-of-n multisig, or Polygon PoS-style checkpoint + burn proof. */
  design: "multisig" | "checkpoint";
  /** Everything the bridge let go with no burn behind it, gwei (the escrow's shortfall). */
  stolen: number;
  m: number;
  n: number;
  signers: string[];
  /** The first validators (up to MAX_BRIDGE_SEATS), with their stake. */
  validators: { id: string; stake: number }[];
  /** How many validators there are in all. */
  validatorCount: number;
  totalStake: number;
  height: number;
  proposal: { height: number; hash: string; proposer: string; txCount: number; timeMs: number; signers: string[]; signedStake: number } | null;
  blocks: SideBlockSnap[];
  checkpoints: SideCheckpointSnap[];
  openCheckpoint: { number: number; startHeight: number; endHeight: number; root: string; signers: string[] } | null;
  escrow: number;
  supply: number;
  staked: number;
  withdrawals: { nonce: number; to: string; amount: number; burnedAtMs: number; signers: string[] }[];
  attempts: SideAttemptSnap[];
  alarms: SideAlarmSnap[];
  txFee: number;
  blockIntervalMs: number;
  checkpointIntervalMs: number;
  lastCheckpointAtMs: number;
  roundTimeoutMs: number;
}

const EMPTY: SideWorldSnap = {
  design: "multisig", stolen: 0, m: 0, n: 0, signers: [], validators: [], validatorCount: 0, totalStake: 0, height: 0, proposal: null, blocks: [], checkpoints: [], openCheckpoint: null,
  escrow: 0, supply: 0, staked: 0, withdrawals: [], attempts: [], alarms: [], txFee: 0, blockIntervalMs: 0, checkpointIntervalMs: 0,
  lastCheckpointAtMs: 0, roundTimeoutMs: 0,
};

/** The sidechain's public picture, empty outside a sidechain round. */
export function sideWorld(s: Snapshot): SideWorldSnap {
  return { ...EMPTY, ...parseJson<Partial<SideWorldSnap>>(s.world.module, {}) };
}

/** One of your withdrawals in the wallet: burned (collecting signatures) → paid on L1. */
export interface SideWithdrawalSnap {
  id: string;
  nonce: number;
  amount: number;
  status: "burned" | "paid";
  signatures: number;
  burnedAtMs: number;
  /** Collectable on L1 now: m signatures on the multisig bridge, a posted checkpoint over the burn on the checkpoint bridge. */
  ready?: boolean;
}

/** A heist in play, as a key it can use (a bridge seat; any validator against the checkpoint bridge) sees it in its own `wallet.module`. */
export interface HeistSnap {
  id: number;
  organizer: string;
  amount: number;
  nonce: number;
  /** gathering | submitted */
  status: string;
  attempts: number;
  signatures: number;
  /** Stake behind those signatures, gwei: what counts against the checkpoint bridge. */
  signedStake?: number;
  signed: boolean;
  proposedAtMs: number;
}

/** Your bridge seat (index, -1 without one) and the heists you are invited to. */
export function bridgeSeatOf(s: Snapshot, me: string): { seat: number; heists: HeistSnap[] } {
  return { seat: -1, heists: [], ...parseJson<Partial<{ seat: number; heists: HeistSnap[] }>>(s.players[me]?.wallet?.module, {}) };
}

/** Escrow against supply in words, with a glyph: never colour alone. */
export function backingInWords(escrow: number, supply: number): { ok: boolean; text: string } {
  if (escrow >= supply) return { ok: true, text: "✓ Backed: every sidechain token has its ETH locked on L1." };
  return { ok: false, text: `✗ Short by ${formatEth(supply - escrow)}: the bridge cannot pay everyone back.` };
}

/** "3 of 5 signatures" with a real <progress>. */
export function signatureBar(signatures: number, m: number, label: string): HTMLElement {
  return h("span", { class: "side-progress" },
    h("progress", { max: String(Math.max(1, m)), value: String(Math.min(signatures, m)), "aria-label": label }),
    h("span", {}, signatures >= m ? `✓ ${signatures} signatures (${m} needed)` : `${signatures} of ${m} signatures`));
}
