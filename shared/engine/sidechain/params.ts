import { eth } from "../units.ts";

/** The module's name in the registry and in every event it emits. */
export const SIDECHAIN = "sidechain";

/** L1 contract holding the bridge escrow (the m-of-n multisig's vault); also the bridge id signers sign. */
export const SIDECHAIN_BRIDGE = "contract:sidechain-bridge";
/** L1 contract holding the validators' stake. */
export const SIDECHAIN_STAKING = "contract:sidechain-staking";

/**
 * L1 gas per sidechain transaction kind. Scaled to the classroom block (30 transfers fill it):
 * a Polygon checkpoint (~300k+ gas on a 30M block) would vanish at true scale, so it is kept
 * at about seven transfers; a bridge release pays a fixed part plus one signature check each.
 */
export const SIDECHAIN_GAS = {
  stake: 100_000,
  deposit: 60_000,
  checkpoint: 150_000,
  releaseBase: 60_000,
  releasePerSignature: 6_000,
} as const;

/** A round's sidechain parameters. Times in ms of game clock, amounts in gwei. */
export interface SidechainConfig {
  /** Signatures the bridge multisig needs (Ronin: 5). */
  bridgeThreshold: number;
  /** Seats on the bridge multisig, filled by the first validators to stake (Ronin: 9). */
  bridgeSeats: number;
  /** A sidechain block is proposed at most this often (Bor: 2 s against Ethereum's 12 s). */
  blockIntervalMs: number;
  /** A proposal unsigned for this long is dropped and the next proposer tries (Tendermint rounds). */
  roundTimeoutMs: number;
  /** A checkpoint of the blocks since the last one is proposed this often (Polygon: ~30 min). */
  checkpointIntervalMs: number;
  /** Least stake a validator locks on L1. */
  minStake: number;
  /** Flat sidechain fee per transfer or burn, paid to the block proposer on the sidechain. */
  txFee: number;
  /** Most transactions in one sidechain block. */
  maxBlockTxs: number;
}

/** Classroom defaults: a 5-of-9 bridge like Ronin's, 1 s blocks, a checkpoint every 15 s. */
export const DEFAULT_SIDECHAIN_CONFIG: SidechainConfig = {
  bridgeThreshold: 5,
  bridgeSeats: 9,
  blockIntervalMs: 1_000,
  roundTimeoutMs: 6_000,
  checkpointIntervalMs: 15_000,
  minStake: eth(1),
  txFee: 100,
  maxBlockTxs: 200,
};

/** Most seats a bridge may have (Polygon: at most 100 active validators). */
export const MAX_BRIDGE_SEATS = 100;
