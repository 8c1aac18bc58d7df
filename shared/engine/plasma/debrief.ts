import type { EngineEvent } from "../events.ts";
import { gweiOf } from "../base-fee.ts";
import { COIN_MATURITY_MS, EXIT_CHALLENGE_PERIOD_MS, EXITS_PROCESSED_PER_BLOCK, PLASMA, PLASMA_EVENTS } from "./constants.ts";
import { coinOutcome } from "./losses.ts";
import type { DataCost } from "../cost.ts";
import type { PlayerLoss } from "./losses.ts";

/** One exit that had not paid out when the events end: who, which coin, and how far it got. */
export interface StuckExit {
  owner: string;
  utxoPos: number;
  amount: number;
  /** "mempool": the start-exit transaction never got into an L1 block; "queue": started, not yet paid. */
  where: "mempool" | "queue";
}

/** A round's Plasma figures, computed from events only. Amounts in gwei, fees per gas in gwei. */
export interface PlasmaDebrief {
  deposited: number;
  offChainTxs: number;
  blocksCommitted: number;
  /** Of those, commits of the root alone (Plasma MVP, as calldata) and commits that carried the block's data in blobs. */
  rootOnlyCommits: number;
  blobCommits: number;
  /** Transactions in the committed child blocks, and what their commits paid on L1, gwei. */
  committedTxs: number;
  commitFees: number;
  /**
   * The committed blocks' data: what it cost (blobs' fees; 0 for a root alone, whose data never
   * reached L1), and what putting all of it on L1 would have cost as calldata and in blobs at the
   * same blocks' prices, gwei; null before any commit.
   */
  data: DataCost | null;
  blocksWithheld: number;
  /** What the operator moved to itself with forged spends (secret during the round). */
  theftAttempted: number;
  exitsRequested: number;
  exitsStarted: number;
  exitsPaid: number;
  exitsChallenged: number;
  paidOut: number;
  /** Paid to exits of forged coins: other owners' money. */
  paidToForgedExits: number;
  /** What honest exits could not be paid because escrow had run dry. */
  shortfall: number;
  exitsStuck: StuckExit[];
  valueStuck: number;
  bondsForfeited: number;
  challengeRewards: number;
  /** Every Plasma L1 transaction mined (reverted ones paid gas too) and what they cost. */
  l1Txs: number;
  l1Fees: number;
  /** The base fee while exits jammed L1: before the first jammed block and at its peak, gwei per gas. */
  baseFeeBeforeJam: number | null;
  peakBaseFeeDuringJam: number | null;
  /** Blocks after which exit transactions still waited in L1's mempool (full blocks or priced out): L1 itself jammed. */
  jammedBlocks: number;
  /** Blocks after which mature exits waited on the contract's own limit of exits paid per block (L1 had room). */
  queueLimitedBlocks: number;
  /** Longest wait from an exit's start to its payment, ms. */
  longestExitWaitMs: number;
  /** The contract's parameters this round: challenge period and coin maturity (ms), exits paid per L1 block. */
  exitPeriodMs: number;
  maturityMs: number;
  exitsPerBlock: number;
  /** Child blocks whose data was withheld when committed. */
  withheldBlockNumbers: number[];
  /** Coins the operator's committed forged spends took, their value, their owners, and what the owners still got out. */
  stolenCoins: number;
  stolenValue: number;
  victims: string[];
  recoveredByVictims: number;
  /** Every player's money that did not come home, by reason (see losses.ts), biggest first. */
  losses: PlayerLoss[];
}

function num(value: unknown): number {
  return typeof value === "number" ? value : 0;
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** Sums a round's Plasma events (and the L1 inclusions of its transactions) into debrief figures. */
export function plasmaDebrief(events: readonly EngineEvent[]): PlasmaDebrief {
  const d: PlasmaDebrief = {
    deposited: 0, offChainTxs: 0, blocksCommitted: 0, rootOnlyCommits: 0, blobCommits: 0, committedTxs: 0, commitFees: 0, data: null, blocksWithheld: 0, theftAttempted: 0,
    exitsRequested: 0, exitsStarted: 0, exitsPaid: 0, exitsChallenged: 0, paidOut: 0, paidToForgedExits: 0,
    shortfall: 0, exitsStuck: [], valueStuck: 0, bondsForfeited: 0, challengeRewards: 0, l1Txs: 0, l1Fees: 0,
    baseFeeBeforeJam: null, peakBaseFeeDuringJam: null, jammedBlocks: 0, queueLimitedBlocks: 0, longestExitWaitMs: 0,
    exitPeriodMs: EXIT_CHALLENGE_PERIOD_MS, maturityMs: COIN_MATURITY_MS, exitsPerBlock: EXITS_PROCESSED_PER_BLOCK,
    withheldBlockNumbers: [], stolenCoins: 0, stolenValue: 0, victims: [], recoveredByVictims: 0, losses: [],
  };
  const ours = new Set<string>();
  const requested = new Map<string, { owner: string; utxoPos: number; amount: number }>();
  const open = new Map<number, { owner: string; amount: number }>();
  let lastBaseFee: number | null = null;
  for (const event of events) {
    if (event.type === "l1.submitted" || event.type === "l1.included" || event.type === "l1.dropped") {
      if (event.type === "l1.included" && ours.has(event.txId)) {
        d.l1Txs += 1;
        d.l1Fees += event.fee;
      }
      if (event.type === "l1.dropped") requested.delete(event.txId);
      continue;
    }
    if (event.type === "l1.block") {
      lastBaseFee = gweiOf(event.baseFeeWei);
      continue;
    }
    if (event.type !== "module" || event.module !== PLASMA) continue;
    const data = event.data;
    const l1TxId = str(data.l1TxId);
    if (l1TxId) ours.add(l1TxId);
    switch (event.name) {
      case PLASMA_EVENTS.configured:
        d.exitPeriodMs = num(data.exitPeriodMs);
        d.maturityMs = num(data.maturityMs);
        d.exitsPerBlock = num(data.exitsPerBlock);
        break;
      case PLASMA_EVENTS.deposited:
        d.deposited += num(data.amount);
        break;
      case PLASMA_EVENTS.txAccepted:
        d.offChainTxs += 1;
        break;
      case PLASMA_EVENTS.blockCommitted:
        d.blocksCommitted += 1;
        if (data.da === "blob") d.blobCommits += 1;
        else d.rootOnlyCommits += 1;
        d.committedTxs += num(data.txCount);
        d.commitFees += num(data.l1Fee);
        d.data = {
          blobs: (d.data?.blobs ?? 0) + num(data.blobs),
          paid: (d.data?.paid ?? 0) + num(data.dataFee),
          asCalldata: (d.data?.asCalldata ?? 0) + num(data.dataFeeAsCalldata),
          asBlobs: (d.data?.asBlobs ?? 0) + num(data.dataFeeAsBlobs),
        };
        break;
      case PLASMA_EVENTS.blockWithheld:
        d.blocksWithheld += 1;
        d.withheldBlockNumbers.push(num(data.block));
        break;
      case PLASMA_EVENTS.theft:
        d.theftAttempted += num(data.amount);
        break;
      case PLASMA_EVENTS.exitRequested:
        d.exitsRequested += 1;
        requested.set(l1TxId, { owner: str(data.owner), utxoPos: num(data.utxoPos), amount: num(data.amount) });
        break;
      case PLASMA_EVENTS.reverted:
        requested.delete(l1TxId);
        break;
      case PLASMA_EVENTS.exitStarted:
        d.exitsStarted += 1;
        requested.delete(l1TxId);
        open.set(num(data.utxoPos), { owner: str(data.owner), amount: num(data.amount) });
        break;
      case PLASMA_EVENTS.exitChallenged:
        d.exitsChallenged += 1;
        d.challengeRewards += num(data.reward);
        d.bondsForfeited += num(data.reward) + num(data.burned);
        open.delete(num(data.utxoPos));
        break;
      case PLASMA_EVENTS.exitPaid:
        d.exitsPaid += 1;
        d.paidOut += num(data.paid);
        if (data.forged === true) d.paidToForgedExits += num(data.paid);
        else d.shortfall += num(data.shortfall);
        d.longestExitWaitMs = Math.max(d.longestExitWaitMs, num(data.waitMs));
        open.delete(num(data.utxoPos));
        break;
      case PLASMA_EVENTS.exitQueue:
        // Exit transactions left in the mempool after a block did not fit or were priced out: L1 jammed.
        if (num(data.exitTxsInMempool) > 0) {
          d.jammedBlocks += 1;
          d.baseFeeBeforeJam ??= lastBaseFee;
          d.peakBaseFeeDuringJam = Math.max(d.peakBaseFeeDuringJam ?? 0, num(data.baseFee));
        } else if (num(data.matureWaiting) > 0) {
          d.queueLimitedBlocks += 1;
        }
        break;
    }
  }
  for (const r of requested.values()) d.exitsStuck.push({ ...r, where: "mempool" });
  for (const [utxoPos, exit] of open) d.exitsStuck.push({ owner: exit.owner, utxoPos, amount: exit.amount, where: "queue" });
  d.valueStuck = d.exitsStuck.reduce((sum, exit) => sum + exit.amount, 0);
  Object.assign(d, coinOutcome(events));
  return d;
}
