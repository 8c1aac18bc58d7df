import { SparseMerkleTree, leafHash } from "../../crypto/merkle.ts";
import { verifySignature } from "../../crypto/sign.ts";
import type { World } from "../world.ts";
import { burnMessage, transferMessage } from "./messages.ts";
import { SIDECHAIN_BRIDGE, SIDECHAIN_STAKING } from "./params.ts";
import type { SideAccount, SideTx, SidechainState } from "./state.ts";
import { idRecord } from "../id-record.ts";
import type { IdRecord } from "../id-record.ts";

/** The sidechain's accounts as a mutable working copy (a proposal's post-state, or the real one). */
export interface SideLedger {
  accounts: IdRecord<SideAccount>;
  slotCount: number;
}

/** A deep copy of the committed accounts, to build a proposal on. */
export function forkLedger(state: SidechainState): SideLedger {
  const accounts = idRecord<SideAccount>();
  for (const [id, account] of Object.entries(state.accounts)) accounts[id] = { ...account };
  return { accounts, slotCount: state.slotCount };
}

function account(ledger: SideLedger, id: string): SideAccount {
  let found = ledger.accounts[id];
  if (!found) {
    found = { balance: 0, nonce: 0, slot: ledger.slotCount++ };
    ledger.accounts[id] = found;
  }
  return found;
}

/** Why the sidechain's rules refuse `tx` against `ledger`, or null when it is valid. */
export function sideTxInvalid(ledger: SideLedger, tx: SideTx, publicKeys: Readonly<Record<string, string>>): string | null {
  if (tx.kind === "mint") return null; // attested by the L1 deposit it credits
  const key = publicKeys[tx.from];
  const message = tx.kind === "transfer" ? transferMessage(tx.from, tx.to, tx.amount, tx.fee, tx.nonce) : burnMessage(tx.from, tx.amount, tx.fee, tx.nonce);
  if (!key || !verifySignature(key, message, tx.sig)) return "bad signature";
  const sender = ledger.accounts[tx.from];
  if (!sender || sender.nonce !== tx.nonce) return "bad nonce";
  if (sender.balance < tx.amount + tx.fee) return "insufficient sidechain balance";
  return null;
}

/** Applies a valid `tx`; fees go to the block's proposer. */
export function applySideTx(ledger: SideLedger, tx: SideTx, proposer: string): void {
  if (tx.kind === "mint") {
    account(ledger, tx.to).balance += tx.amount;
    return;
  }
  const sender = account(ledger, tx.from);
  sender.balance -= tx.amount + tx.fee;
  sender.nonce += 1;
  if (tx.kind === "transfer") account(ledger, tx.to).balance += tx.amount;
  if (tx.fee > 0) account(ledger, proposer).balance += tx.fee;
}

/** State root of the sidechain's accounts (a real sparse Merkle tree over balance and nonce). */
export function stateRootOf(ledger: SideLedger): string {
  const tree = new SparseMerkleTree();
  for (const [id, a] of Object.entries(ledger.accounts)) tree.set(a.slot, leafHash(`${id}:${a.balance}:${a.nonce}`));
  return tree.root();
}

/** Transactions submitted but not yet committed: the pending proposal's, then the pool's. */
export function pendingTxs(state: SidechainState): SideTx[] {
  return [...(state.proposal?.txs ?? []), ...state.pool];
}

/** The nonce a sender's next transaction must carry, counting the ones still pending. */
export function nextSideNonce(state: SidechainState, from: string): number {
  const pending = pendingTxs(state).filter((tx) => tx.kind !== "mint" && tx.from === from).length;
  return (state.accounts[from]?.nonce ?? 0) + pending;
}

/** A sender's committed balance minus what its pending transactions will spend. */
export function spendableBalance(state: SidechainState, from: string): number {
  const spent = pendingTxs(state)
    .filter((tx) => tx.kind !== "mint" && tx.from === from)
    .reduce((sum, tx) => sum + tx.amount + tx.fee, 0);
  return (state.accounts[from]?.balance ?? 0) - spent;
}

/**
 * What an auditor sees, any time: the bridge's escrow on L1 against what the sidechain owes
 * (balances, deposits not yet minted, burns not yet paid). `backed` is false once escrow falls
 * short, which only a theft can cause.
 */
export interface SidechainAudit {
  escrow: number;
  supply: number;
  balances: number;
  pendingDeposits: number;
  unpaidWithdrawals: number;
  stolen: number;
  backed: boolean;
  /** How much of the supply the escrow no longer covers, gwei (0 when backed). */
  deficit: number;
  staked: number;
}

/** Reads escrow, supply and theft off the world. */
export function auditSidechain(world: World, state: SidechainState): SidechainAudit {
  const balances = Object.values(state.accounts).reduce((sum, a) => sum + a.balance, 0);
  const pendingDeposits = pendingTxs(state).filter((tx) => tx.kind === "mint").reduce((sum, tx) => sum + tx.amount, 0);
  const unpaidWithdrawals = Object.values(state.withdrawals).filter((w) => w.status === "burned").reduce((sum, w) => sum + w.amount, 0);
  const escrow = world.l1.balances[SIDECHAIN_BRIDGE] ?? 0;
  const supply = balances + pendingDeposits + unpaidWithdrawals;
  return {
    escrow,
    supply,
    balances,
    pendingDeposits,
    unpaidWithdrawals,
    stolen: state.stolen,
    backed: escrow >= supply,
    deficit: Math.max(0, supply - escrow),
    staked: world.l1.balances[SIDECHAIN_STAKING] ?? 0,
  };
}
