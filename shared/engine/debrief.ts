import type { EngineEvent } from "./events.ts";
import type { ScenarioConfig } from "./config.ts";
import { POINTS } from "./points.ts";
import { RoundScore } from "./round-score.ts";
import { SCENARIO_ROUNDS } from "./scenario-rounds.ts";
import { riskRosette } from "../lessons/rosette.ts";
import { idRecord } from "./id-record.ts";
import type { Debrief } from "./debrief-types.ts";
import { gweiOf, weiOf } from "./base-fee.ts";
import { GAS_PER_BLOB } from "./blob-fee.ts";
import { DEFAULT_TIP } from "./l1.ts";

export { POINTS } from "./points.ts";
export type { Debrief } from "./debrief-types.ts";

/** Score changes one event causes: [playerId, points]. */
export function scoreEvent(event: EngineEvent, sequencerOf: (batchId: number) => string | undefined): [string, number][] {
  switch (event.type) {
    case "l2.softConfirmed":
      return event.kind === "transfer" || event.kind === "withdraw" ? [[event.from, POINTS.softConfirmed]] : [];
    case "l1.included":
      return event.kind === "transfer" && event.ok ? [[event.from, POINTS.l1TransferIncluded]] : [];
    case "deposit.credited":
      return [[event.to, POINTS.depositCredited]];
    case "withdrawal.finalized":
      return [[event.to, POINTS.withdrawalFinalized]];
    case "forced.included":
      return [];
    case "batch.finalized": {
      const poster = sequencerOf(event.batchId);
      if (!poster) return [];
      return [[poster, event.fraudulent ? POINTS.fraudMissed : event.txCount * POINTS.batchTxFinal]];
    }
    case "dispute.resolved": {
      // A sequencer whose fraud "won" because its accomplice let the dispute time out earns nothing for it.
      const undeserved = event.winnerSide === "defender" && event.fraudulent;
      const changes: [string, number][] = [[event.winner, undeserved ? 0 : POINTS.disputeWon], [event.loser, POINTS.disputeLost]];
      if (event.winnerSide === "challenger") changes.push([event.loser, POINTS.fraudCaught]);
      return changes;
    }
    case "dispute.moved":
      return [[event.by, POINTS.disputeMove]];
    case "module":
      return SCENARIO_ROUNDS[event.module]?.score(event.name, event.data) ?? [];
    default:
      return [];
  }
}

function average(values: number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/** The optimistic rollup's figures before anything happened: what every other scenario's debrief carries. */
function noRollupFigures(): Pick<Debrief, "l2" | "fraud"> {
  return {
    l2: {
      transactions: 0, userFee: null, l1CostPerTx: null, batchesPosted: 0, rawBytes: 0, compressedBytes: 0, softConfirmMedianMs: null,
      finalityAvgMs: null, withdrawalsFinalized: 0, withdrawalWaitAvgMs: null, forcedInclusions: 0, forcedBatches: 0, censored: 0,
    },
    fraud: { attempted: 0, caught: 0, missed: 0, unresolved: 0, valueLost: 0, disputes: 0, challengerWins: 0, defenderWins: 0, timeouts: 0, bondsSlashed: 0 },
  };
}

/**
 * Computes the debrief of a round from its events: L1's figures and the scores here, then the
 * round's scenario adds its own figures, trade-off and story through its entry in SCENARIO_ROUNDS
 * (the optimistic rollup's are shared/engine/optimistic/round.ts, like every other mechanism's).
 */
export function computeDebrief(events: readonly EngineEvent[], config: ScenarioConfig, durationMs: number, scenario = "optimistic"): Debrief {
  const of = <T extends EngineEvent["type"]>(type: T) => events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);
  const blocks = of("l1.block");
  const l1Transfers = of("l1.included").filter((e) => e.kind === "transfer");
  // Gwei per gas to two decimals: the engine keeps the base fee in wei.
  const baseFees = blocks.map((b) => gweiOf(b.baseFeeWei));
  const avgBase = average(baseFees) ?? config.initialBaseFee;
  const transferFee = l1Transfers.length
    ? Math.round(average(l1Transfers.map((e) => e.fee))!)
    : Math.round(config.gas.transfer * (avgBase + DEFAULT_TIP));
  const submitted = of("batch.submitted");
  const sequencerOf = (batchId: number) => submitted.find((b) => b.batchId === batchId)?.by;
  const scores = idRecord<number>();
  // The same rules, in the same order, as the room's live scores: routine points capped, the fee bonus.
  const score = new RoundScore();
  for (const event of events) {
    for (const [player, points] of score.apply(event, scoreEvent(event, sequencerOf))) scores[player] = (scores[player] ?? 0) + points;
  }
  const debrief: Debrief = {
    scenario,
    durationMs,
    l1: {
      blocks: blocks.length,
      transfers: l1Transfers.length,
      transferFee,
      transferFeeEstimated: l1Transfers.length === 0,
      baseFeeStart: baseFees[0] ?? config.initialBaseFee,
      baseFeeMax: baseFees.length ? Math.max(...baseFees) : config.initialBaseFee,
      baseFeeEnd: gweiOf(blocks.at(-1)?.nextBaseFeeWei ?? weiOf(config.initialBaseFee)),
      // Base fees, and bonds a lost dispute burned.
      burned: blocks.reduce((s, b) => s + b.burned, 0) + of("dispute.resolved").reduce((s, r) => s + r.burned, 0),
      blobs: blocks.reduce((s, b) => s + b.blobGasUsed, 0) / GAS_PER_BLOB,
      blobBaseFeeMaxWei: blocks.reduce((max, b) => Math.max(max, b.blobBaseFeeWei), 0),
      series: blocks.map((b, i) => [b.height, baseFees[i]!, Math.round((100 * b.gasUsed) / b.gasLimit)]),
    },
    ...noRollupFigures(),
    scores,
    tradeOff: "",
    story: [],
  };
  SCENARIO_ROUNDS[scenario]?.extend(debrief, events, config);
  debrief.rosette = riskRosette(debrief, config, events);
  return debrief;
}
