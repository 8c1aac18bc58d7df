import { signMessage } from "../shared/crypto/sign.ts";
import type { KeyPair } from "../shared/crypto/sign.ts";
import { signChannelState } from "../shared/engine/channels/message.ts";
import { signL2Tx } from "../shared/engine/l2-state.ts";
import { signPlasmaTx } from "../shared/engine/plasma/plasma-tx.ts";
import type { PlasmaCoinView, PlasmaPublicView, PlasmaWalletView } from "../shared/engine/plasma/views.ts";
import { nextFloat, nextInt } from "../shared/engine/prng.ts";
import type { RngState } from "../shared/engine/prng.ts";
import { blockVoteMessage, checkpointMessage, transferMessage, withdrawalMessage } from "../shared/engine/sidechain/messages.ts";
import { eth } from "../shared/engine/units.ts";

/**
 * How a headless player (npm run bots) plays the rounds other than the optimistic rollup, from
 * the synced state only — what a student's browser sees: the public `world.module` and its own
 * `wallet.module`. It does what the server's bots do in each scenario (shared/bots/*), by the same
 * messages a phone sends: pay on L1 with a tip, pay on the ZK rollup and prove batches, pay and
 * countersign in channels and punish old states (as a watchtower too), pay on Plasma and exit when
 * a block is withheld, pay on the sidechain, sign blocks, checkpoints and withdrawals as a
 * validator, raise the alarm as an auditor. Honest, always: headless players are filler.
 */

/** A message the headless player sends this turn, as a browser would. */
export interface HeadlessMove {
  type: string;
  payload: Record<string, unknown>;
}

/** What the player remembers between turns (round-scoped keys: a new round, a new memory). */
export type HeadlessMemory = Record<string, number | boolean>;

/** Everything a turn reads: the round, who you are, your key, your dice, your memory. */
export interface HeadlessTurn {
  scenario: string;
  role: string;
  me: string;
  /** Every other player's id (students and bots). */
  others: readonly string[];
  nowMs: number;
  l2FeePerTx: number;
  baseFee: number;
  worldModule: string;
  walletModule: string;
  l1Balance: number;
  l2Balance: number;
  l2Nonce: number;
  key: KeyPair;
  rng: RngState;
  memory: HeadlessMemory;
}

function parse<T>(json: string): T | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as T;
  } catch {
    return null;
  }
}

/** At most once per `everyMs` of game time under `name`: pacing like a person, not a script. */
function every(t: HeadlessTurn, name: string, everyMs: number): boolean {
  const last = t.memory[name];
  if (typeof last === "number" && t.nowMs - last < everyMs) return false;
  t.memory[name] = t.nowMs;
  return true;
}

function pick<T>(t: HeadlessTurn, list: readonly T[]): T | undefined {
  return list.length ? list[nextInt(t.rng, list.length)] : undefined;
}

const L1_TIPS = [1, 1, 2, 3, 3, 5, 10];

function l1(t: HeadlessTurn): HeadlessMove[] {
  const to = pick(t, t.others);
  if (!to || t.l1Balance < eth(0.5) || !every(t, "l1Send", 3_000)) return [];
  return [{ type: "l1:send", payload: { to, amount: eth(0.01) + nextInt(t.rng, eth(0.04)), tip: pick(t, L1_TIPS)! } }];
}

interface ZkWorld {
  pending: number;
  batches: { prover: string; status: string }[];
}

function zk(t: HeadlessTurn): HeadlessMove[] {
  if (t.role === "prover") {
    const world = parse<ZkWorld>(t.worldModule);
    const proving = world?.batches.some((b) => b.prover === t.me && (b.status === "proving" || b.status === "proven" || b.status === "submitted"));
    return world && world.pending > 0 && !proving && every(t, "prove", 4_000) ? [{ type: "zk:prove", payload: {} }] : [];
  }
  const to = pick(t, t.others);
  const amount = eth(0.001) + nextInt(t.rng, eth(0.01));
  if (!to || t.l2Balance < amount + t.l2FeePerTx || !every(t, "zkSend", 2_000)) return [];
  const tx = signL2Tx(t.key.secretKey, { kind: "transfer", from: t.me, to, amount, fee: t.l2FeePerTx, nonce: t.l2Nonce });
  return [{ type: "zk:send", payload: { tx: { kind: "transfer", to, amount, fee: tx.fee, nonce: tx.nonce, sig: tx.sig } } }];
}

interface Split {
  seq: number;
  balanceA: number;
  balanceB: number;
  /** Pending hash-time-locked amounts: they travel with every state and are signed with it. */
  htlcs?: unknown[];
}
interface Signed extends Split {
  sigA: string;
  sigB: string;
}
interface MyChannel {
  id: string;
  partner: string;
  side: "a" | "b";
  mine: number;
  theirs: number;
  seq: number;
  status: string;
  latest: Signed;
  incoming: (Split & { kind: "update" | "close" }) | null;
  outgoing: unknown;
  close: { by: string; stale: boolean; settled: boolean; windowEndsMs: number } | null;
  toFund: number;
  partnerOffline: boolean;
}
interface ChannelsWallet {
  role: "user" | "watchtower";
  channels?: MyChannel[];
  guarding?: { channelId: string; client: string; status: string; close: { by: string; seq: number; settled: boolean; windowEndsMs: number } | null; state: Signed | null }[];
}

const wire = (s: Signed): Signed => ({ seq: s.seq, balanceA: s.balanceA, balanceB: s.balanceB, ...(s.htlcs?.length ? { htlcs: s.htlcs } : {}), sigA: s.sigA, sigB: s.sigB });

function channels(t: HeadlessTurn): HeadlessMove[] {
  const wallet = parse<ChannelsWallet>(t.walletModule);
  if (!wallet) return [];
  if (wallet.role === "watchtower") {
    // Answer every old state published against a client, with the copy of their latest.
    return (wallet.guarding ?? []).flatMap((g): HeadlessMove[] => {
      const c = g.close;
      const attacked = g.status === "closing" && c && c.by !== g.client && !c.settled && c.windowEndsMs > t.nowMs && g.state && c.seq < g.state.seq;
      return attacked && every(t, `guard-${g.channelId}`, 5_000) ? [{ type: "channels:penalize", payload: { channelId: g.channelId, state: wire(g.state!) } }] : [];
    });
  }
  const moves: HeadlessMove[] = [];
  for (const c of wallet.channels ?? []) {
    const ends = c.side === "a" ? { id: c.id, a: t.me, b: c.partner } : { id: c.id, a: c.partner, b: t.me };
    if (c.status === "funding" && c.toFund && every(t, `fund-${c.id}`, 6_000)) moves.push({ type: "channels:fund", payload: { channelId: c.id } });
    if (c.status === "closing" && c.close && c.close.by !== t.me && c.close.stale && !c.close.settled && every(t, `pen-${c.id}`, 5_000)) {
      moves.push({ type: "channels:penalize", payload: { channelId: c.id, state: wire(c.latest) } });
    }
    if (c.status !== "open") continue;
    const p = c.incoming;
    if (p) {
      // Sign only what pays us (a payment) or pays out the latest split (a close), as a phone checks.
      const myNew = c.side === "a" ? p.balanceA : p.balanceB;
      const pays = p.kind === "update" ? myNew >= c.mine && p.seq === c.seq + 1 : p.balanceA === c.latest.balanceA && p.balanceB === c.latest.balanceB;
      const split = { seq: p.seq, balanceA: p.balanceA, balanceB: p.balanceB, ...(p.htlcs?.length ? { htlcs: p.htlcs } : {}) };
      moves.push(pays
        ? { type: "channels:accept", payload: { channelId: c.id, stateSeq: p.seq, sig: signChannelState(t.key.secretKey, ends, p.kind, split as Parameters<typeof signChannelState>[3]) } }
        : { type: "channels:decline", payload: { channelId: c.id, stateSeq: p.seq } });
      continue;
    }
    if (c.outgoing || c.partnerOffline) continue;
    const amount = eth(0.02) + nextInt(t.rng, eth(0.08));
    if (c.mine < amount || nextFloat(t.rng) > 0.5 || !every(t, `pay-${c.id}`, 3_000)) continue;
    const fromA = c.side === "a";
    const split = { seq: c.seq + 1, balanceA: c.latest.balanceA + (fromA ? -amount : amount), balanceB: c.latest.balanceB + (fromA ? amount : -amount), ...(c.latest.htlcs?.length ? { htlcs: c.latest.htlcs } : {}) };
    moves.push({ type: "channels:propose", payload: { channelId: c.id, kind: "update", split, sig: signChannelState(t.key.secretKey, ends, "update", split as Parameters<typeof signChannelState>[3]) } });
  }
  return moves;
}

/** A payment from one or two coins (the contract's limit), smallest that covers it. */
function coinsFor(coins: readonly PlasmaCoinView[], amount: number): PlasmaCoinView[] | null {
  const spendable = coins.filter((c) => c.status === "plasma").sort((a, b) => a.amount - b.amount);
  const one = spendable.find((c) => c.amount >= amount);
  if (one) return [one];
  const two = spendable.slice(-2);
  return two.length === 2 && two[0]!.amount + two[1]!.amount >= amount ? two : null;
}

function plasma(t: HeadlessTurn): HeadlessMove[] {
  const world = parse<PlasmaPublicView>(t.worldModule);
  const wallet = parse<PlasmaWalletView>(t.walletModule);
  if (!world || !wallet) return [];
  if (t.role === "operator") return every(t, "commit", 6_000) ? [{ type: "plasma:commit", payload: {} }] : [];
  // A withheld block: every coin we can still prove leaves, with a tip that gets it into a block.
  if (world.withheld.length > 0) {
    const fee = { tip: 10, maxFee: 3 * t.baseFee + 10 };
    return wallet.coins.filter((c) => (c.status === "plasma" || c.status === "stolen") && every(t, `exit-${c.utxoPos}`, 30_000)).slice(0, 3)
      .map((c) => ({ type: "plasma:startExit", payload: { utxoPos: c.utxoPos, tx: c.tx, proof: c.proof, ...fee } }));
  }
  const to = pick(t, t.others);
  const amount = eth(0.05) + nextInt(t.rng, eth(0.2));
  const inputs = coinsFor(wallet.coins, amount);
  if (!to || !inputs || !every(t, "pay", 4_000)) return [];
  const total = inputs.reduce((sum, c) => sum + c.amount, 0);
  const outputs = [{ owner: to, amount }, ...(total > amount ? [{ owner: t.me, amount: total - amount }] : [])];
  return [{ type: "plasma:transfer", payload: { tx: signPlasmaTx(inputs.map((c) => c.utxoPos), outputs, inputs.map(() => t.key.secretKey)) } }];
}

interface SideWorld {
  txFee: number;
  validators: { id: string }[];
  signers: string[];
  proposal: { hash: string; signers: string[] } | null;
  openCheckpoint: { number: number; startHeight: number; endHeight: number; root: string; signers: string[] } | null;
  withdrawals: { nonce: number; to: string; amount: number; signers: string[] }[];
  escrow: number;
  supply: number;
  alarms: { by: string }[];
}

function sidechain(t: HeadlessTurn): HeadlessMove[] {
  const world = parse<SideWorld>(t.worldModule);
  if (!world) return [];
  if (t.role === "validator") {
    if (!world.validators.some((v) => v.id === t.me)) return [];
    const moves: HeadlessMove[] = [];
    const p = world.proposal;
    if (p && !p.signers.includes(t.me) && every(t, `block-${p.hash}`, 60_000)) moves.push({ type: "sidechain:signBlock", payload: { hash: p.hash, sig: signMessage(t.key.secretKey, blockVoteMessage(p.hash)) } });
    const c = world.openCheckpoint;
    if (c && !c.signers.includes(t.me) && every(t, `cp-${c.number}`, 60_000)) {
      moves.push({ type: "sidechain:signCheckpoint", payload: { number: c.number, sig: signMessage(t.key.secretKey, checkpointMessage(c.number, c.startHeight, c.endHeight, c.root)) } });
    }
    if (world.signers.includes(t.me)) {
      for (const w of world.withdrawals) {
        if (w.signers.includes(t.me) || !every(t, `wd-${w.nonce}`, 60_000)) continue;
        moves.push({ type: "sidechain:signWithdrawal", payload: { nonce: w.nonce, sig: signMessage(t.key.secretKey, withdrawalMessage(w.to, w.amount, w.nonce)) } });
      }
    }
    return moves;
  }
  // An auditor compares the vault with what it owes, and reports a shortfall once.
  if (t.role === "auditor" && world.escrow < world.supply && !world.alarms.some((a) => a.by === t.me) && every(t, "alarm", 60_000)) {
    return [{ type: "sidechain:alarm", payload: {} }];
  }
  const to = pick(t, t.others);
  const amount = eth(0.01) + nextInt(t.rng, eth(0.05));
  if (!to || t.l2Balance < amount + world.txFee || !every(t, "sideSend", 3_000)) return [];
  return [{ type: "sidechain:send", payload: { to, amount, nonce: t.l2Nonce, sig: signMessage(t.key.secretKey, transferMessage(t.me, to, amount, world.txFee, t.l2Nonce)) } }];
}

/** This turn's moves in a round of `t.scenario` other than the optimistic rollup (which headless-bot.ts plays itself). */
export function headlessMoves(t: HeadlessTurn): HeadlessMove[] {
  switch (t.scenario) {
    case "l1": return l1(t);
    case "zk": return zk(t);
    case "channels": return channels(t);
    case "plasma": return plasma(t);
    case "sidechain": return sidechain(t);
    default: return [];
  }
}
