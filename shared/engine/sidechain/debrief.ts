import type { EngineEvent } from "../events.ts";
import { SIDECHAIN } from "./params.ts";
import type { BridgeDesign } from "./params.ts";
import { SIDECHAIN_EVENTS } from "./sidechain-events.ts";

/** A round's sidechain figures, computed from events only. Amounts in gwei, times in ms of game clock. */
export interface SidechainDebrief {
  /** The bridge the round ran (params.ts BridgeDesign) and its m-of-n. */
  design: BridgeDesign;
  bridgeThreshold: number;
  bridgeSeats: number;
  /**
   * The keys behind the last heist release L1 saw (drained or refused): how many, their share of
   * the stake (percent), and how many of them were bridge keys — what each design counts. Null without one.
   */
  heistWeight: { keys: number; stakePercent: number; bridgeKeys: number; drained: boolean } | null;
  validators: number;
  staked: number;
  blocksCommitted: number;
  /** Proposals that did not gather > 2/3 of stake in time (the chain stalled for a round). */
  roundTimeouts: number;
  sideTxs: number;
  sideFees: number;
  /** Mean time from submission to the block that committed it. */
  meanTxLatencyMs: number;
  checkpointsPosted: number;
  blocksCheckpointed: number;
  /** Mean time from a checkpoint's proposal to its landing on L1. */
  meanCheckpointLatencyMs: number;
  deposited: number;
  withdrawalsPaid: number;
  withdrawn: number;
  meanSignaturesPerWithdrawal: number;
  meanWithdrawalWaitMs: number;
  /** Releases m signers approved with no burn behind them, and what they took. */
  thefts: number;
  stolen: number;
  /** The last escrow and supply any event reported, and whether escrow still covered supply. */
  escrow: number;
  supply: number;
  backed: boolean;
  /** The sidechain's L1 transactions (stakes, deposits, checkpoints, releases) and the gas fees they paid. */
  l1Txs: number;
  l1Fees: number;
  /** Of those, what the checkpoints cost: the sidechain's only L1 footprint per block of transactions. */
  checkpointL1Fees: number;
  /** Burns that started a withdrawal (paid or still waiting). */
  withdrawalsBurned: number;
  /** Heists colluding signers planned, signatures they gave them, release attempts the multisig reverted for want of keys (m − 1 or fewer). */
  heistsProposed: number;
  heistSignatures: number;
  heistAttemptsRefused: number;
  /** Most signatures a reverted heist release carried (m − 1 at best). */
  refusedSignatures: number;
  /** Keys behind the releases that drained the bridge, in signing order, each once. */
  heistSigners: string[];
  /** Alarms raised: right the first time a theft is reported, false while escrow still backed supply. */
  alarms: number;
  alarmsCaught: number;
  falseAlarms: number;
  /** Who first reported a theft, and how long after it (ms); null when no theft was reported. */
  firstAlarmBy: string | null;
  noticedAfterMs: number | null;
}

function num(value: unknown): number {
  return typeof value === "number" ? value : 0;
}

function mean(sum: number, count: number): number {
  return count === 0 ? 0 : Math.round(sum / count);
}

/** Sums the sidechain events of a round into its debrief figures. */
export function sidechainDebrief(events: readonly EngineEvent[]): SidechainDebrief {
  const d: SidechainDebrief = {
    design: "multisig", bridgeThreshold: 0, bridgeSeats: 0, heistWeight: null,
    validators: 0, staked: 0, blocksCommitted: 0, roundTimeouts: 0, sideTxs: 0, sideFees: 0, meanTxLatencyMs: 0,
    checkpointsPosted: 0, blocksCheckpointed: 0, meanCheckpointLatencyMs: 0, deposited: 0, withdrawalsPaid: 0, withdrawn: 0,
    meanSignaturesPerWithdrawal: 0, meanWithdrawalWaitMs: 0, thefts: 0, stolen: 0, escrow: 0, supply: 0, backed: true, l1Txs: 0, l1Fees: 0, checkpointL1Fees: 0,
    withdrawalsBurned: 0, heistsProposed: 0, heistSignatures: 0, heistAttemptsRefused: 0, refusedSignatures: 0, heistSigners: [],
    alarms: 0, alarmsCaught: 0, falseAlarms: 0, firstAlarmBy: null, noticedAfterMs: null,
  };
  const heistSigners = new Set<string>();
  const l1TxIds = new Set<string>();
  const checkpointTxIds = new Set<string>();
  let txLatency = 0, checkpointLatency = 0, signatures = 0, withdrawalWait = 0;
  for (const event of events) {
    if (event.type === "l1.included") {
      if (l1TxIds.has(event.txId)) {
        d.l1Txs += 1;
        d.l1Fees += event.fee;
        if (checkpointTxIds.has(event.txId)) d.checkpointL1Fees += event.fee;
      }
      continue;
    }
    if (event.type !== "module" || event.module !== SIDECHAIN) continue;
    const data = event.data;
    if (typeof data.escrow === "number" && typeof data.supply === "number") {
      d.escrow = data.escrow;
      d.supply = data.supply;
      d.backed = data.escrow >= data.supply;
    }
    if ((event.name === SIDECHAIN_EVENTS.bridgeDrained || event.name === SIDECHAIN_EVENTS.heistRefused) && typeof data.totalStake === "number") {
      d.heistWeight = {
        keys: Array.isArray(data.signers) ? data.signers.length : 0,
        stakePercent: Math.round((100 * num(data.signedStake)) / Math.max(1, data.totalStake)),
        bridgeKeys: num(data.bridgeKeys),
        drained: event.name === SIDECHAIN_EVENTS.bridgeDrained,
      };
    }
    switch (event.name) {
      case SIDECHAIN_EVENTS.configured:
        d.design = data.bridgeDesign === "checkpoint" ? "checkpoint" : "multisig";
        d.bridgeThreshold = num(data.bridgeThreshold);
        d.bridgeSeats = num(data.bridgeSeats);
        break;
      case SIDECHAIN_EVENTS.l1Queued:
      case SIDECHAIN_EVENTS.checkpointSubmitted:
        if (typeof data.txId === "string") l1TxIds.add(data.txId);
        if (typeof data.txId === "string" && event.name === SIDECHAIN_EVENTS.checkpointSubmitted) checkpointTxIds.add(data.txId);
        break;
      case SIDECHAIN_EVENTS.staked:
        if (data.joined === true) d.validators += 1;
        d.staked += num(data.amount);
        break;
      case SIDECHAIN_EVENTS.blockCommitted:
        d.blocksCommitted += 1;
        break;
      case SIDECHAIN_EVENTS.roundTimeout:
        d.roundTimeouts += 1;
        break;
      case SIDECHAIN_EVENTS.txIncluded:
        d.sideTxs += 1;
        d.sideFees += num(data.fee);
        txLatency += num(data.latencyMs);
        break;
      case SIDECHAIN_EVENTS.checkpointPosted:
        d.checkpointsPosted += 1;
        d.blocksCheckpointed += num(data.blocks);
        checkpointLatency += num(data.latencyMs);
        break;
      case SIDECHAIN_EVENTS.depositLocked:
        d.deposited += num(data.amount);
        break;
      case SIDECHAIN_EVENTS.withdrawalReleased:
        d.withdrawalsPaid += 1;
        d.withdrawn += num(data.amount);
        signatures += num(data.signatures);
        withdrawalWait += num(data.waitMs);
        break;
      case SIDECHAIN_EVENTS.bridgeDrained:
        d.thefts += 1;
        d.stolen += num(data.amount);
        if (Array.isArray(data.signers)) for (const signer of data.signers) if (typeof signer === "string") heistSigners.add(signer);
        break;
      case SIDECHAIN_EVENTS.withdrawalBurned:
        d.withdrawalsBurned += 1;
        break;
      case SIDECHAIN_EVENTS.heistProposed:
        d.heistsProposed += 1;
        break;
      case SIDECHAIN_EVENTS.heistSigned:
        d.heistSignatures += 1;
        break;
      case SIDECHAIN_EVENTS.heistRefused:
        // Only a release short of keys teaches the lesson (m bridge keys for the multisig, > 2/3 of the stake for the
        // checkpoint bridge); one for more than the vault holds reverts whatever its keys.
        if (data.design === "checkpoint" ? 3 * num(data.signedStake) > 2 * num(data.totalStake) : num(data.signatures) >= num(data.threshold)) break;
        d.heistAttemptsRefused += 1;
        d.refusedSignatures = Math.max(d.refusedSignatures, num(data.signatures));
        break;
      case SIDECHAIN_EVENTS.alarmRaised:
        d.alarms += 1;
        if (num(data.thefts) > 0) {
          d.alarmsCaught += 1;
          if (d.firstAlarmBy === null && typeof data.by === "string") {
            d.firstAlarmBy = data.by;
            d.noticedAfterMs = num(data.noticedAfterMs);
          }
        } else if (data.backed === true) {
          d.falseAlarms += 1;
        }
        break;
    }
  }
  d.meanTxLatencyMs = mean(txLatency, d.sideTxs);
  d.meanCheckpointLatencyMs = mean(checkpointLatency, d.checkpointsPosted);
  d.meanSignaturesPerWithdrawal = Math.round((signatures / Math.max(1, d.withdrawalsPaid)) * 100) / 100;
  d.meanWithdrawalWaitMs = mean(withdrawalWait, d.withdrawalsPaid);
  d.heistSigners = [...heistSigners];
  return d;
}
