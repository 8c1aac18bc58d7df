import type { EngineEvent } from "./events.ts";
import { CHANNEL_EVENTS } from "./channels/rules.ts";
import { idRecord } from "./id-record.ts";
import { PLASMA_EVENTS } from "./plasma/constants.ts";
import { POINTS } from "./points.ts";
import { SIDECHAIN_EVENTS } from "./sidechain/sidechain-events.ts";
import { ZK_EVENTS } from "./zk/constants.ts";

/**
 * Module events whose points are routine ("module:name"): doing the everyday thing (a payment
 * confirmed, a deposit credited, a block signed). They count up to POINTS.routineCap a round.
 * Everything else that scores shows understanding and is never capped: catching a fraud, exiting
 * in time, answering a cheat, raising the alarm, choosing the right fee.
 */
const ROUTINE_MODULE_EVENTS: ReadonlySet<string> = new Set([
  `zk:${ZK_EVENTS.txAccepted}`, `zk:${ZK_EVENTS.depositCredited}`, `zk:${ZK_EVENTS.withdrawalPaid}`, `zk:${ZK_EVENTS.batchVerified}`,
  `channels:${CHANNEL_EVENTS.payment}`, `channels:${CHANNEL_EVENTS.cooperativeClose}`,
  `plasma:${PLASMA_EVENTS.deposited}`, `plasma:${PLASMA_EVENTS.txAccepted}`, `plasma:${PLASMA_EVENTS.blockCommitted}`,
  `sidechain:${SIDECHAIN_EVENTS.txIncluded}`, `sidechain:${SIDECHAIN_EVENTS.depositMinted}`, `sidechain:${SIDECHAIN_EVENTS.withdrawalReleased}`,
  `sidechain:${SIDECHAIN_EVENTS.blockSigned}`, `sidechain:${SIDECHAIN_EVENTS.checkpointSigned}`,
]);

/** Whether an event's points are routine (capped) rather than a sign of understanding. */
export function isRoutine(event: EngineEvent): boolean {
  switch (event.type) {
    case "l2.softConfirmed":
    case "l1.included":
    case "deposit.credited":
    case "withdrawal.finalized":
    case "dispute.moved":
      return true;
    case "batch.finalized":
      // An honest batch's transactions are routine; a fraud that went final is the cheat's payoff.
      return !event.fraudulent;
    case "module":
      return ROUTINE_MODULE_EVENTS.has(`${event.module}:${event.name}`);
    default:
      return false;
  }
}

/** A transfer's tip that is "not overpaying" (gwei per gas): the L1 view's Normal tip. */
const FAIR_TIP_PER_GAS = 3;

/**
 * One round's scoring rules that depend on what came before: routine points stop counting at
 * POINTS.routineCap per player, so a hundred clicks on Send (or a bot's thousand) weigh no more than
 * understanding; and in an L1 round, a transfer that makes the very next block without overpaying
 * (tip ≤ 3 gwei/gas) earns POINTS.feeChosenWell, a few times a round (a choice shown, not farmed). Built from events only, in order, so the room's
 * live scores and the debrief's (and a replay's) are the same. One per round.
 */
export class RoundScore {
  private readonly routine = idRecord<number>();
  /** Fee bonuses each player has earned this round (at most POINTS.feeBonusesPerRound: a choice, not a volume). */
  private readonly feeBonuses = idRecord<number>();
  /** L1 transfers waiting: txId → the last block height seen when it was sent. */
  private readonly sentAfter = new Map<string, number>();
  private height = 0;

  /** The score changes `event` really makes: `changes` (scoreEvent's) with routine points capped, plus the fee bonus. */
  apply(event: EngineEvent, changes: readonly [string, number][]): [string, number][] {
    const out: [string, number][] = [];
    const routine = isRoutine(event);
    for (const [player, points] of changes) {
      if (!routine || points <= 0) {
        out.push([player, points]);
        continue;
      }
      const earned = this.routine[player] ?? 0;
      const counted = Math.max(0, Math.min(points, POINTS.routineCap - earned));
      this.routine[player] = earned + counted;
      if (counted > 0) out.push([player, counted]);
    }
    out.push(...this.feeBonus(event));
    return out;
  }

  private feeBonus(event: EngineEvent): [string, number][] {
    if (event.type === "l1.block") {
      this.height = event.height;
      return [];
    }
    if (event.type === "l1.submitted" && event.kind === "transfer") {
      this.sentAfter.set(event.txId, this.height);
      return [];
    }
    if ((event.type === "l1.included" || event.type === "l1.dropped") && event.kind === "transfer") {
      const sentAfter = this.sentAfter.get(event.txId);
      this.sentAfter.delete(event.txId);
      const earned = this.feeBonuses[event.from] ?? 0;
      if (event.type === "l1.included" && event.ok && sentAfter !== undefined && event.height === sentAfter + 1 && event.tip <= FAIR_TIP_PER_GAS * event.gas && earned < POINTS.feeBonusesPerRound) {
        this.feeBonuses[event.from] = earned + 1;
        return [[event.from, POINTS.feeChosenWell]];
      }
    }
    return [];
  }
}
