import { compressBatch } from "../batch-codec.ts";
import { sha256Bytes, bytesToHex, hexToBytes, utf8ToBytes } from "../../crypto/hash.ts";
import type { L2State, L2Tx } from "../l2-state.ts";

/**
 * The pubdata a ZK batch posts to L1: the accounts it changed and the withdrawals it made, not
 * its transactions. Signatures never reach L1 (the validity proof covers them), and an account
 * touched ten times is written once: that is why a ZK batch needs less calldata per transaction.
 *
 * Layout (big-endian): pre root (32) | post root (32) | deposits processed (u32) |
 * changed accounts (u32) then per account: slot (u32), balance (u64), nonce (u32), and the
 * account's name (u8 length + bytes) only on its first write, as zkSync's initial writes
 * carry the full key | withdrawals (u32) then per withdrawal: recipient (u8 + bytes), amount (u64).
 */
export function encodeStateDiff(pre: L2State, post: L2State, preRoot: string, postRoot: string, txs: readonly L2Tx[]): Uint8Array {
  const bytes: number[] = [];
  const u32 = (value: number) => bytes.push((value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
  const u64 = (value: number) => {
    u32(Math.floor(value / 2 ** 32));
    u32(value >>> 0);
  };
  const name = (text: string) => {
    const encoded = utf8ToBytes(text);
    bytes.push(encoded.length, ...encoded);
  };
  bytes.push(...hexToBytes(preRoot), ...hexToBytes(postRoot));
  u32(post.nextDeposit - pre.nextDeposit);
  const changed = Object.entries(post.accounts)
    .filter(([id, account]) => {
      const before = pre.accounts[id];
      return !before || before.balance !== account.balance || before.nonce !== account.nonce;
    })
    .sort(([, a], [, b]) => a.slot - b.slot);
  u32(changed.length);
  for (const [id, account] of changed) {
    u32(account.slot);
    u64(account.balance);
    u32(account.nonce);
    if (!pre.accounts[id]) name(id);
  }
  const withdrawals = txs.filter((tx) => tx.kind === "withdraw");
  u32(withdrawals.length);
  for (const tx of withdrawals) {
    name(tx.to);
    u64(tx.amount);
  }
  return compressBatch(Uint8Array.from(bytes));
}

/** The commitment to a diff that the proof takes as a public input. */
export function stateDiffHash(diff: Uint8Array): string {
  return bytesToHex(sha256Bytes(diff));
}
