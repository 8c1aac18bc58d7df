import type { ScenarioConfig } from "./config.ts";
import type { CostComparison } from "./cost.ts";
import type { EngineEvent } from "./events.ts";
import type { IdRecord } from "./id-record.ts";
import type { ChannelsDebrief } from "./channels/debrief.ts";
import type { PlasmaDebrief } from "./plasma/debrief.ts";
import type { SidechainDebrief } from "./sidechain/debrief.ts";
import type { ZkDebrief } from "./zk/debrief.ts";
import type { Rosette } from "../lessons/rosette-types.ts";

/**
 * The debrief's shape and the hook each scenario fills it through, apart from the code that
 * computes it: debrief.ts → scenario-rounds.ts → each scenario's round file → this file, with no
 * way back (the round files no longer import debrief.ts, nor debrief.ts their types).
 */

/** A round's figures, all from its events. Amounts in gwei, times in ms of game clock. */
export interface Debrief {
  scenario: string;
  durationMs: number;
  l1: {
    blocks: number;
    transfers: number;
    /** Average fee paid for an L1 transfer; if nobody sent one, what one would have cost at the average base fee + 1 gwei tip. */
    transferFee: number;
    transferFeeEstimated: boolean;
    /** Base fee of the first block, the highest, and after the last block: gwei per gas, to two decimals. */
    baseFeeStart: number;
    baseFeeMax: number;
    baseFeeEnd: number;
    burned: number;
    /** Blobs L1 carried this round (EIP-4844) and the highest blob base fee they met, wei per blob gas. */
    blobs: number;
    blobBaseFeeMaxWei: number;
    /** [height, baseFee, gasUsed/gasLimit in %] per block, for the chart. */
    series: [number, number, number][];
  };
  l2: {
    transactions: number;
    /** The L2 fee a user paid per transaction: the sequencer's price, not its cost. */
    userFee: number | null;
    /** The sequencer's L1 cost per transaction: posted batches' L1 fees / the transactions in them (deposits included). */
    l1CostPerTx: number | null;
    batchesPosted: number;
    rawBytes: number;
    compressedBytes: number;
    softConfirmMedianMs: number | null;
    /** From a batch landing on L1 to it becoming final. */
    finalityAvgMs: number | null;
    withdrawalsFinalized: number;
    withdrawalWaitAvgMs: number | null;
    forcedInclusions: number;
    /** Batches made on L1 without the sequencer (forced inclusion), their state roots proposed by whoever forced them. */
    forcedBatches: number;
    censored: number;
  };
  fraud: {
    attempted: number;
    caught: number;
    missed: number;
    unresolved: number;
    valueLost: number;
    disputes: number;
    challengerWins: number;
    defenderWins: number;
    timeouts: number;
    bondsSlashed: number;
  };
  /** Per-player totals for the round. */
  scores: IdRecord<number>;
  /** What one L2 transaction really cost on L1 against a plain L1 transfer, where the scenario has an L1 footprint per transaction. */
  cost?: CostComparison;
  /** A ZK rollup round's own figures (shared/engine/zk/debrief.ts); absent in other rounds. */
  zk?: ZkDebrief;
  channels?: ChannelsDebrief;
  plasma?: PlasmaDebrief;
  sidechain?: SidechainDebrief;
  /** A non-optimistic round's headline figures in words, for every screen: [label, value]. */
  figures?: [string, string][];
  /** What the mechanism trades away, in one line. */
  tradeOff: string;
  /** Plain-language sentences about what the class just did, with the round's numbers. */
  story: string[];
  /** L2BEAT's risk rosette and stage, from this round's figures (shared/lessons/rosette.ts). */
  rosette?: Rosette;
  /** Who lost what and why (gwei), biggest first, where a scenario can say (e.g. a Plasma mass exit). */
  losses?: { player: string; amount: number; why: string }[];
}

/** What a scenario adds to scoring and to the debrief (the optimistic rollup's own events are scored by debrief.ts's scoreEvent). */
export interface ScenarioRound {
  /** Points a module event (`{ type: "module", name, data }`) gives: [playerId, points]. */
  score(name: string, data: Record<string, unknown>): [string, number][];
  /** Sets the round's own figures, `figures`, `tradeOff` and `story` on the common debrief. */
  extend(debrief: Debrief, events: readonly EngineEvent[], config: ScenarioConfig): void;
}
