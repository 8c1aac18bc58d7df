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
  /** Polygon PoS's exit: the burn's block proven under a posted checkpoint root (Merkle proof + receipt). */
  exit: 250_000,
} as const;

/**
 * The two bridge designs a round can run. "multisig" is Ronin's (Ronin Bridge v2): any release m
 * of the n bridge keys sign is paid — the contract cannot see the sidechain. "checkpoint" is
 * Polygon PoS's (RootChainManager.exit with a burn proof): a withdrawal proves its burn against a
 * checkpoint root that validators holding more than 2/3 of the stake signed on L1.
 */
export type BridgeDesign = "multisig" | "checkpoint";

/** Each design in words, named after the system it follows. */
export const BRIDGE_DESIGN_LABEL: Record<BridgeDesign, string> = {
  multisig: "Ronin-style m-of-n multisig",
  checkpoint: "Polygon PoS-style checkpoint + burn proof",
};

/** A round's sidechain parameters. Times in ms of game clock, amounts in gwei. */
export interface SidechainConfig {
  /** Which bridge guards the escrow (see BridgeDesign). */
  bridgeDesign: BridgeDesign;
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
  bridgeDesign: "multisig",
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
