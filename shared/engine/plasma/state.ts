import { CHILD_BLOCK_INTERVAL, COIN_MATURITY_MS, EXIT_CHALLENGE_PERIOD_MS, EXITS_PROCESSED_PER_BLOCK } from "./constants.ts";
import type { PlasmaTx } from "./plasma-tx.ts";
import { idRecord } from "../id-record.ts";
import type { IdRecord } from "../id-record.ts";

/**
 * A Plasma block as the operator made it. The root-chain contract only ever sees `root`;
 * `published` says whether the operator gave everyone the transactions (false = withheld:
 * nobody else can rebuild the block, check it or prove anything about it).
 */
export interface PlasmaBlock {
  number: number;
  kind: "deposit" | "child";
  txs: PlasmaTx[];
  root: string;
  published: boolean;
  /** "pending" while the commit transaction waits in the L1 mempool. */
  status: "pending" | "committed";
  l1TxId: string | null;
  committedAtMs: number | null;
  /** Indexes of transactions the operator forged (no valid signatures). Secret: hidden from players. */
  forgedTxIndexes: number[];
  /**
   * Set when the commit carried the block's data in EIP-4844 blobs beside the root (absent: the
   * root alone, as calldata — Plasma MVP). Such a block is public from the moment it lands: anyone
   * can read it from L1 for the blobs' retention window, so it can never be withheld.
   */
  da?: "blob";
  /** How many blobs that data took. */
  blobs?: number;
}

/** A coin (unspent output) on the Plasma chain, as the operator's chain tracks it. */
export interface PlasmaCoin {
  utxoPos: number;
  owner: string;
  amount: number;
  /** "exited" once the root chain paid an exit of it: the chain must never spend it again. */
  status: "unspent" | "spent" | "exited";
  /** True when the transaction that made it was forged by the operator (secret). */
  forged: boolean;
}

export type ExitStatus = "queued" | "challenged" | "paid";

/** An exit on the root-chain contract, keyed by the coin's utxoPos (its priority). */
export interface PlasmaExit {
  utxoPos: number;
  owner: string;
  amount: number;
  bond: number;
  startedAtMs: number;
  /** Plasma MVP: max(start + 1 "week", coin's block committed + 2 "weeks"). */
  exitableAtMs: number;
  /**
   * The coin's age for the queue: when its block was committed, but never more than one
   * challenge period before the exit started (Plasma MVP: a coin older than 7 days counts as
   * 7 days old). The queue is ordered by (ageAtMs, utxoPos).
   */
  ageAtMs: number;
  status: ExitStatus;
  /** What the contract paid and what it could not (its escrow ran dry), gwei. */
  paid: number;
  shortfall: number;
}

/** What the root-chain contract on L1 knows: roots, the exit queue, and its money. */
export interface PlasmaContract {
  operator: string | null;
  /** Fixed when the contract is deployed (the "configure" call): the challenge period and coin maturity, ms; exits paid per L1 block. */
  exitPeriodMs: number;
  maturityMs: number;
  exitsPerBlock: number;
  /** Number the next committed child block must carry (1000, 2000, ...). */
  currentChildBlock: number;
  /** Offset of the next deposit block below currentChildBlock (1..999). */
  nextDepositOffset: number;
  roots: IdRecord<{ root: string; committedAtMs: number }>;
  exits: IdRecord<PlasmaExit>;
  /** Queued exits' utxoPos in priority order (ageAtMs, then utxoPos): the head has the highest priority. */
  queue: number[];
  /** Running totals, gwei: escrow = deposited − paidOut. */
  deposited: number;
  paidOut: number;
}

/** The operator's Plasma chain: its blocks, coins and the pool of transactions waiting for a block. */
export interface PlasmaChain {
  blocks: IdRecord<PlasmaBlock>;
  coins: IdRecord<PlasmaCoin>;
  pool: PlasmaTx[];
  /** The child block whose commit is in the L1 mempool, if any (one at a time, so numbers stay in order). */
  pendingBlock: number | null;
  /** Committed child blocks whose data the operator never published: what clients notice. */
  withheldBlocks: number[];
}

export interface PlasmaState {
  contract: PlasmaContract;
  chain: PlasmaChain;
}

/** A fresh Plasma deployment with no operator yet. */
export function createPlasmaState(): PlasmaState {
  return {
    contract: {
      operator: null,
      exitPeriodMs: EXIT_CHALLENGE_PERIOD_MS,
      maturityMs: COIN_MATURITY_MS,
      exitsPerBlock: EXITS_PROCESSED_PER_BLOCK,
      currentChildBlock: CHILD_BLOCK_INTERVAL,
      nextDepositOffset: 1,
      roots: idRecord(),
      exits: idRecord(),
      queue: [],
      deposited: 0,
      paidOut: 0,
    },
    chain: { blocks: idRecord(), coins: idRecord(), pool: [], pendingBlock: null, withheldBlocks: [] },
  };
}

/** "Is the block data available?": false once any committed block's transactions were withheld. */
export function blockDataAvailable(state: PlasmaState): boolean {
  return state.chain.withheldBlocks.length === 0;
}

/** The unspent coins `owner` holds on the Plasma chain, oldest first. */
export function coinsOf(state: PlasmaState, owner: string): PlasmaCoin[] {
  return Object.values(state.chain.coins)
    .filter((coin) => coin.owner === owner && coin.status === "unspent")
    .sort((a, b) => a.utxoPos - b.utxoPos);
}
