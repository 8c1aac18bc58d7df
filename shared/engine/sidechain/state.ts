import { moduleState } from "../module.ts";
import type { World } from "../world.ts";
import { DEFAULT_SIDECHAIN_CONFIG, SIDECHAIN } from "./params.ts";
import type { SidechainConfig } from "./params.ts";
import { idRecord } from "../id-record.ts";
import type { IdRecord } from "../id-record.ts";

/** A validator: a player who locked stake on L1. Voting power is the stake (gwei). */
export interface Validator {
  stake: number;
  /** Tendermint's proposer priority: grows by stake every round, the proposer pays back the total. */
  priority: number;
  joinedAtMs: number;
}

/** One sidechain account: balance (gwei), nonce, and its slot in the state tree. */
export interface SideAccount {
  balance: number;
  nonce: number;
  slot: number;
}

export type SideTxKind = "transfer" | "burn" | "mint";

/**
 * A sidechain transaction. Transfers and burns are signed by the sender; a mint credits an
 * L1 deposit (validators attest it by signing the block that carries it).
 */
export interface SideTx {
  kind: SideTxKind;
  from: string;
  to: string;
  amount: number;
  fee: number;
  nonce: number;
  sig: string;
  submittedAtMs: number;
  /** For mints: the L1 deposit it credits. */
  depositId?: number;
}

/** The block the current proposer put up for votes; committed once > 2/3 of stake signed its hash. */
export interface Proposal {
  height: number;
  round: number;
  parentHash: string;
  proposer: string;
  timeMs: number;
  txs: SideTx[];
  txRoot: string;
  stateRoot: string;
  hash: string;
  /** Validator → ed25519 signature over blockVoteMessage(hash). */
  signatures: IdRecord<string>;
}

/** A committed block's summary (recent ones only; every one is in the event log). */
export interface SideBlock {
  height: number;
  hash: string;
  proposer: string;
  timeMs: number;
  committedAtMs: number;
  txCount: number;
  signers: number;
  signedStake: number;
  totalStake: number;
}

export type CheckpointStatus = "signing" | "signed" | "posting" | "posted";

/** A Merkle root over a run of block hashes, signed by > 2/3 of stake and posted to L1. */
export interface Checkpoint {
  number: number;
  startHeight: number;
  endHeight: number;
  blockHashes: string[];
  root: string;
  proposedAtMs: number;
  signatures: IdRecord<string>;
  status: CheckpointStatus;
  postedAtMs: number | null;
}

export type WithdrawalStatus = "burned" | "paid";

/** A burn on the sidechain, waiting for m bridge signatures and its release on L1. */
export interface SideWithdrawal {
  nonce: number;
  to: string;
  amount: number;
  height: number;
  burnedAtMs: number;
  /** Bridge signer → signature over withdrawalMessage (relayed for the recipient to submit). */
  signatures: IdRecord<string>;
  status: WithdrawalStatus;
}

/** A bridge payout on L1 that no sidechain burn backs: the theft colluding signers commit. */
export interface Theft {
  nonce: number;
  to: string;
  amount: number;
  signers: string[];
  atMs: number;
}

export type HeistStatus = "gathering" | "submitted" | "drained";

/**
 * Colluding bridge signers' off-chain plan: a release to the organizer that no burn backs.
 * The L1 contract never sees it, only the release it becomes; a release that lacks signatures
 * reverts on L1 and the plan goes back to gathering them.
 */
export interface Heist {
  id: number;
  organizer: string;
  amount: number;
  nonce: number;
  signatures: IdRecord<string>;
  status: HeistStatus;
  proposedAtMs: number;
  /** The L1 transaction of the latest release attempt. */
  txId: string | null;
  attempts: number;
}

/** The sidechain module's whole state, plain data at world.modules.sidechain. */
export interface SidechainState {
  config: SidechainConfig;
  /** Set by the first call other than configure: parameters are fixed from genesis on. */
  started: boolean;
  validators: IdRecord<Validator>;
  /** Validators in the order they first staked. */
  validatorOrder: string[];
  /** The bridge multisig's signers (the first bridgeSeats validators). */
  bridgeSigners: string[];
  accounts: IdRecord<SideAccount>;
  slotCount: number;
  /** Transactions waiting for a proposal, in arrival order. */
  pool: SideTx[];
  proposal: Proposal | null;
  /** Height of the last committed block (0: none yet). */
  height: number;
  headHash: string;
  /** The round at the next height (bumps on every timed-out proposal). */
  round: number;
  lastBlockAtMs: number;
  recentBlocks: SideBlock[];
  /** Hashes of committed blocks no checkpoint covers yet, oldest first. */
  uncheckpointed: string[];
  checkpoints: Checkpoint[];
  lastCheckpointAtMs: number;
  nextDepositId: number;
  withdrawals: IdRecord<SideWithdrawal>;
  nextWithdrawalNonce: number;
  /** Withdrawal nonces the L1 bridge has paid (by nonce): a nonce pays once. */
  usedNonces: IdRecord<true>;
  thefts: Theft[];
  /** Total the bridge paid without a matching burn, gwei. */
  stolen: number;
  /** Fees the sidechain paid to proposers, gwei. */
  feesPaid: number;
  heists: Heist[];
  /** Thefts an alarm has already reported (the first `alarmedThefts` of `thefts`). */
  alarmedThefts: number;
}

/** Parent hash of the first sidechain block. */
export const GENESIS_HASH = "0".repeat(64);

/** A fresh sidechain: no validators, no blocks, the default configuration. */
export function createSidechainState(): SidechainState {
  return {
    config: { ...DEFAULT_SIDECHAIN_CONFIG },
    started: false,
    validators: idRecord(),
    validatorOrder: [],
    bridgeSigners: [],
    accounts: idRecord(),
    slotCount: 0,
    pool: [],
    proposal: null,
    height: 0,
    headHash: GENESIS_HASH,
    round: 0,
    lastBlockAtMs: 0,
    recentBlocks: [],
    uncheckpointed: [],
    checkpoints: [],
    lastCheckpointAtMs: 0,
    nextDepositId: 0,
    withdrawals: idRecord(),
    nextWithdrawalNonce: 0,
    usedNonces: idRecord(),
    thefts: [],
    stolen: 0,
    feesPaid: 0,
    heists: [],
    alarmedThefts: 0,
  };
}

/** The sidechain state inside a world (undefined before the first sidechain action). */
export function sidechainOf(world: World): SidechainState | undefined {
  return moduleState<SidechainState | undefined>(world, SIDECHAIN);
}

/** Sum of every validator's stake, gwei. */
export function totalStake(state: SidechainState): number {
  return state.validatorOrder.reduce((sum, id) => sum + (state.validators[id]?.stake ?? 0), 0);
}

/** Stake behind a set of signers, gwei. */
export function stakeOf(state: SidechainState, signers: Iterable<string>): number {
  let sum = 0;
  for (const id of signers) sum += state.validators[id]?.stake ?? 0;
  return sum;
}

/** Tendermint's rule: strictly more than two thirds of all stake (integer arithmetic, no rounding). */
export function isSupermajority(signed: number, total: number): boolean {
  return total > 0 && 3 * signed > 2 * total;
}
