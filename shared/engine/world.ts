import type { ScenarioConfig } from "./config.ts";
import type { RngState } from "./prng.ts";
import { seedRng } from "./prng.ts";
import { weiOf } from "./base-fee.ts";
import { idRecord } from "./id-record.ts";
import type { IdRecord } from "./id-record.ts";

/** The L1 block producer's account: it earns the tips (EIP-1559). */
export const BLOCK_PRODUCER = "l1:validator";

/** What an L1 transaction does once included: a plain transfer, or a call to one Layer 2's contracts (its module). */
export type L1Payload =
  | { kind: "transfer"; to: string; amount: number }
  | { kind: "module"; module: string; call: unknown };

export type L1TxKind = L1Payload["kind"];

export interface L1Tx {
  id: string;
  from: string;
  payload: L1Payload;
  gas: number;
  /** Most the sender pays per gas (base fee + tip), gwei. */
  maxFee: number;
  /** Priority fee per gas offered to the block producer, gwei. */
  tip: number;
  submittedAtMs: number;
  /** Its max fee was below the base fee at the last block: it waits (it is not dropped) until the base fee falls. */
  pricedOut: boolean;
  /** A blob transaction (EIP-4844): how many blobs it carries, and the most it pays per blob gas, wei. */
  blobs?: number;
  maxBlobFeeWei?: number;
}

export interface L1BlockSummary {
  height: number;
  timeMs: number;
  gasUsed: number;
  /** The base fee this block charged, wei per gas. */
  baseFeeWei: number;
  /** Blob gas its blob transactions used, and the blob base fee they paid, wei per blob gas. */
  blobGasUsed: number;
  blobBaseFeeWei: number;
  txIds: string[];
}

export interface L1State {
  balances: IdRecord<number>;
  /** ed25519 public keys (hex) players registered; L2 signatures are checked against them. */
  publicKeys: IdRecord<string>;
  /** Base fee for the next block, wei per gas (base-fee.ts says why wei). */
  baseFeeWei: number;
  /** The header's excess blob gas: the blob base fee of the next block follows from it (blob-fee.ts). */
  excessBlobGas: number;
  height: number;
  nextBlockAtMs: number;
  mempool: L1Tx[];
  /** The most recent blocks, newest last (older ones live in the event log). */
  recentBlocks: L1BlockSummary[];
  /** Total base fee burned plus slashed bonds burned, gwei. */
  burned: number;
  /** Total created by explicit funding (genesis and faucet), gwei. */
  minted: number;
}

/** The whole simulated world: plain data, serialisable, advanced only by the engine. */
export interface World {
  config: ScenarioConfig;
  seed: string;
  nowMs: number;
  rng: RngState;
  /** Counter behind every generated id, so ids replay identically. */
  nextId: number;
  l1: L1State;
  /** State of each Layer 2 mechanism, by module name (see module.ts and modules.ts): the world holds L1 and this table. */
  modules: IdRecord<unknown>;
}

/** A fresh world at time 0; the first L1 block comes after one block time. */
export function createWorld(seed: string, config: ScenarioConfig): World {
  return {
    config,
    seed,
    nowMs: 0,
    rng: seedRng(seed),
    nextId: 1,
    l1: {
      balances: idRecord([[BLOCK_PRODUCER, 0]]),
      publicKeys: idRecord(),
      baseFeeWei: weiOf(config.initialBaseFee),
      excessBlobGas: 0,
      height: 0,
      nextBlockAtMs: config.blockTimeMs,
      mempool: [],
      recentBlocks: [],
      burned: 0,
      minted: 0,
    },
    modules: idRecord(),
  };
}

/** A new id with a readable prefix ("tx-12"). */
export function newId(world: World, prefix: string): string {
  return `${prefix}-${world.nextId++}`;
}
