import { hexToBytes } from "../../crypto/hash.ts";
import { leafHash } from "../../crypto/merkle.ts";
import { signMessage, verifySignature } from "../../crypto/sign.ts";
import { MAX_TX_INPUTS, MAX_TX_OUTPUTS } from "./constants.ts";
import { isRecord } from "../parse.ts";

/** One output of a Plasma transaction: a coin of `amount` gwei owned by `owner`. */
export interface PlasmaOutput {
  owner: string;
  amount: number;
}

/**
 * A Plasma MVP transaction: spends up to two coins (by position) into up to two outputs.
 * `sigs[i]` is input i's owner's ed25519 signature over plasmaTxMessage. A deposit has no
 * inputs and no signatures: the root-chain contract itself creates it.
 */
export interface PlasmaTx {
  inputs: number[];
  outputs: PlasmaOutput[];
  sigs: string[];
}

/** A coin's position: Plasma MVP's utxoPos = block × 1e9 + txIndex × 1e4 + outputIndex. Lower is older. */
export interface CoinPosition {
  block: number;
  txIndex: number;
  outputIndex: number;
}

const BLOCK_FACTOR = 1_000_000_000;
const TX_FACTOR = 10_000;

/** The utxoPos of a coin; exits are queued by it, so older coins exit first. */
export function encodePosition(pos: CoinPosition): number {
  return pos.block * BLOCK_FACTOR + pos.txIndex * TX_FACTOR + pos.outputIndex;
}

/** Splits a utxoPos back into block, transaction index and output index. */
export function decodePosition(utxoPos: number): CoinPosition {
  return {
    block: Math.floor(utxoPos / BLOCK_FACTOR),
    txIndex: Math.floor((utxoPos % BLOCK_FACTOR) / TX_FACTOR),
    outputIndex: utxoPos % TX_FACTOR,
  };
}

/** The exact text every input owner signs: the inputs and outputs, not the signatures. */
export function plasmaTxMessage(tx: Pick<PlasmaTx, "inputs" | "outputs">): string {
  return `l2arena:plasma:${JSON.stringify({ inputs: tx.inputs, outputs: tx.outputs.map((o) => ({ owner: o.owner, amount: o.amount })) })}`;
}

/** The Merkle leaf of a transaction in its block: it commits to the signatures too, so a proof of spend carries them. */
export function plasmaTxLeaf(tx: PlasmaTx): Uint8Array {
  return leafHash(JSON.stringify({ inputs: tx.inputs, outputs: tx.outputs.map((o) => ({ owner: o.owner, amount: o.amount })), sigs: tx.sigs }));
}

/** A transaction signed by each input's owner, in input order (secret keys as hex; tests and bots). */
export function signPlasmaTx(inputs: number[], outputs: PlasmaOutput[], secretKeys: readonly string[]): PlasmaTx {
  const message = plasmaTxMessage({ inputs, outputs });
  return { inputs: [...inputs], outputs: outputs.map((o) => ({ ...o })), sigs: secretKeys.map((key) => signMessage(key, message)) };
}

/** True when input `index`'s signature is `owner`'s, checked against the key `owner` registered on L1. */
export function signedBy(tx: PlasmaTx, index: number, owner: string, publicKeys: Readonly<Record<string, string>>): boolean {
  const key = publicKeys[owner];
  const sig = tx.sigs[index];
  return key !== undefined && sig !== undefined && verifySignature(key, plasmaTxMessage(tx), sig);
}

/** Sum of the outputs, gwei. */
export function outputTotal(tx: PlasmaTx): number {
  return tx.outputs.reduce((sum, o) => sum + o.amount, 0);
}

const OWNER_PATTERN = /^[^\s]{1,64}$/;
const SIG_PATTERN = /^[0-9a-f]{1,256}$/;
const MAX_POSITION = Number.MAX_SAFE_INTEGER;

/** A transaction rebuilt field by field from untrusted data, or why it is malformed. */
export function parsePlasmaTx(value: unknown, allowDeposit = false): PlasmaTx | string {
  if (!isRecord(value)) return "the transaction must be an object";
  const { inputs, outputs, sigs } = value;
  if (!Array.isArray(inputs) || !Array.isArray(outputs) || !Array.isArray(sigs)) return "the transaction needs inputs, outputs and sigs lists";
  if (inputs.length > MAX_TX_INPUTS || (inputs.length === 0 && !allowDeposit)) return `a transaction spends 1 to ${MAX_TX_INPUTS} coins`;
  if (outputs.length === 0 || outputs.length > MAX_TX_OUTPUTS) return `a transaction has 1 to ${MAX_TX_OUTPUTS} outputs`;
  if (sigs.length !== inputs.length) return "one signature per input";
  const cleanInputs: number[] = [];
  for (const input of inputs) {
    if (!Number.isSafeInteger(input) || (input as number) < 0 || (input as number) > MAX_POSITION) return "inputs are coin positions (whole numbers)";
    cleanInputs.push(input as number);
  }
  if (new Set(cleanInputs).size !== cleanInputs.length) return "a coin can be spent only once per transaction";
  const cleanOutputs: PlasmaOutput[] = [];
  for (const output of outputs) {
    if (!isRecord(output) || typeof output.owner !== "string" || !OWNER_PATTERN.test(output.owner)) return "each output needs an owner";
    if (!Number.isSafeInteger(output.amount) || (output.amount as number) <= 0) return "each output amount must be a positive whole number of gwei";
    cleanOutputs.push({ owner: output.owner, amount: output.amount as number });
  }
  const cleanSigs: string[] = [];
  for (const sig of sigs) {
    if (typeof sig !== "string" || !SIG_PATTERN.test(sig)) return "signatures are lowercase hex";
    cleanSigs.push(sig);
  }
  return { inputs: cleanInputs, outputs: cleanOutputs, sigs: cleanSigs };
}

/** A Merkle proof from untrusted data: hex sibling hashes, or why it is malformed. */
export function parseProof(value: unknown): string[] | string {
  if (!Array.isArray(value) || value.length > 64) return "the proof must be a list of sibling hashes";
  const siblings: string[] = [];
  for (const sibling of value) {
    if (typeof sibling !== "string" || !/^[0-9a-f]{64}$/.test(sibling)) return "proof hashes are 64 hex characters";
    siblings.push(sibling);
  }
  return siblings;
}

const encoder = new TextEncoder();

/** A hex signature as bytes (an odd-length one, which no verifier accepts, as its text). */
function sigBytes(sig: string): Uint8Array {
  return sig.length % 2 === 0 ? hexToBytes(sig) : encoder.encode(sig);
}

/**
 * A block's data as the operator would post it to L1 (Plasma MVP's RLP-encoded transactions,
 * in a simple binary form): per transaction its inputs (u64 positions), outputs (owner, u64
 * amount) and signatures (64 bytes each). What a blob carries, and what calldata would cost for it.
 */
export function encodeBlockData(txs: readonly PlasmaTx[]): Uint8Array {
  const parts: number[] = [];
  const u8 = (value: number) => parts.push(value & 0xff);
  const u64 = (value: number) => {
    const big = BigInt(value);
    for (let shift = 56n; shift >= 0n; shift -= 8n) parts.push(Number((big >> shift) & 0xffn));
  };
  // Length-prefixed (u16): owners and signatures are short, but an owner's UTF-8 may pass 255 bytes.
  const short = (bytes: Uint8Array) => {
    u8(bytes.length >> 8);
    u8(bytes.length);
    for (const byte of bytes) parts.push(byte);
  };
  u8(txs.length >> 8);
  u8(txs.length);
  for (const tx of txs) {
    u8(tx.inputs.length);
    for (const input of tx.inputs) u64(input);
    u8(tx.outputs.length);
    for (const output of tx.outputs) {
      short(encoder.encode(output.owner));
      u64(output.amount);
    }
    u8(tx.sigs.length);
    for (const sig of tx.sigs) short(sigBytes(sig));
  }
  return Uint8Array.from(parts);
}
