import { zlibSync, unzlibSync } from "fflate";
import { bytesToHex, hexToBytes } from "../crypto/hash.ts";
import type { L2Tx, L2TxKind } from "./l2-state.ts";

const KINDS: readonly L2TxKind[] = ["transfer", "withdraw", "deposit", "mint"];
const BATCH_FORMAT_VERSION = 1;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Growable byte buffer with the few writes the batch format needs. */
class ByteWriter {
  private bytes = new Uint8Array(1024);
  private length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    bigger.set(this.bytes.subarray(0, this.length));
    this.bytes = bigger;
  }
  u8(value: number): void {
    this.ensure(1);
    this.bytes[this.length++] = value;
  }
  u32(value: number): void {
    this.ensure(4);
    new DataView(this.bytes.buffer).setUint32(this.length, value);
    this.length += 4;
  }
  u64(value: number): void {
    this.ensure(8);
    new DataView(this.bytes.buffer).setBigUint64(this.length, BigInt(value));
    this.length += 8;
  }
  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }
  /** Length-prefixed (u8) bytes: ids and signatures are short. */
  short(bytes: Uint8Array): void {
    this.u8(bytes.length);
    this.raw(bytes);
  }
  done(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

class ByteReader {
  private offset = 0;
  private readonly view: DataView;
  private readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u8(): number {
    return this.view.getUint8(this.offset++);
  }
  u32(): number {
    const value = this.view.getUint32(this.offset);
    this.offset += 4;
    return value;
  }
  u64(): number {
    const value = Number(this.view.getBigUint64(this.offset));
    this.offset += 8;
    return value;
  }
  short(): Uint8Array {
    const length = this.u8();
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }
}

/** Serialises a batch's transactions to the bytes a sequencer posts (before compression). */
export function encodeBatch(txs: readonly L2Tx[]): Uint8Array {
  const writer = new ByteWriter();
  writer.u8(BATCH_FORMAT_VERSION);
  writer.u32(txs.length);
  for (const tx of txs) {
    writer.u8(KINDS.indexOf(tx.kind));
    writer.short(encoder.encode(tx.id));
    writer.short(encoder.encode(tx.from));
    writer.short(encoder.encode(tx.to));
    writer.u64(tx.amount);
    writer.u32(tx.fee);
    writer.u32(tx.nonce);
    writer.u32(tx.depositIndex === undefined ? 0xffffffff : tx.depositIndex);
    writer.short(tx.sig ? hexToBytes(tx.sig) : new Uint8Array());
  }
  return writer.done();
}

/** Inverse of encodeBatch. */
export function decodeBatch(bytes: Uint8Array): L2Tx[] {
  const reader = new ByteReader(bytes);
  if (reader.u8() !== BATCH_FORMAT_VERSION) throw new Error("unknown batch format");
  const count = reader.u32();
  const txs: L2Tx[] = [];
  for (let i = 0; i < count; i++) {
    const kind = KINDS[reader.u8()];
    if (!kind) throw new Error("unknown transaction kind");
    const id = decoder.decode(reader.short());
    const from = decoder.decode(reader.short());
    const to = decoder.decode(reader.short());
    const amount = reader.u64();
    const fee = reader.u32();
    const nonce = reader.u32();
    const depositIndex = reader.u32();
    const sig = bytesToHex(reader.short());
    const tx: L2Tx = { id, kind, from, to, amount, fee, nonce, sig };
    if (depositIndex !== 0xffffffff) tx.depositIndex = depositIndex;
    txs.push(tx);
  }
  return txs;
}

/** zlib at level 9, as batchers compress channel data before posting. Deterministic for equal input. */
export function compressBatch(raw: Uint8Array): Uint8Array {
  return zlibSync(raw, { level: 9 });
}

export function decompressBatch(compressed: Uint8Array): Uint8Array {
  return unzlibSync(compressed);
}
