import type { EngineEvent } from "./events.ts";
import { moveL1 } from "./l1.ts";
import { executionTrace } from "./l2-state.ts";
import { batchContext, honestTrace, revertFrom } from "./rollup.ts";
import { BOND_REGISTRY } from "./world.ts";
import type { Dispute, World } from "./world.ts";

const ROOT_PATTERN = /^[0-9a-f]{64}$/;

/** The trace index both sides must commit to next. */
export function midpoint(dispute: Pick<Dispute, "lo" | "hi">): number {
  return Math.floor((dispute.lo + dispute.hi) / 2);
}

/** The party whose clock is running. At one step the defender must prove its claim. */
export function partyToMove(dispute: Dispute): string {
  return dispute.turn === "challenger" ? dispute.challenger : dispute.defender;
}

/**
 * A challenger disputes a posted batch inside its window, asserting a different post-state
 * root and locking a bond. The bisection starts over the whole trace [0, txCount].
 * Several disputes on one batch run side by side (each challenger against the poster): if a
 * running dispute locked others out, an accomplice could open a bogus one, stall it past the
 * window and lose it, and the fraud would finalise unchallenged (the delay attack).
 */
export function openDispute(world: World, by: string, batchId: number, root: string, out: EngineEvent[]): string | null {
  const batch = world.rollup.batches[batchId];
  if (!batch || batch.status !== "posted") return "that batch is not open to challenge";
  if (world.nowMs >= batch.windowEndsMs!) return "the challenge window has closed";
  if (by === batch.poster) return "the sequencer cannot challenge its own batch";
  if (!ROOT_PATTERN.test(root)) return "root must be 64 hex characters";
  const claimed = batch.claimedRoots.at(-1)!;
  if (root === claimed) return "your root equals the claimed root: there is nothing to dispute";
  const bond = world.config.challengerBond;
  if ((world.l1.balances[by] ?? 0) < bond) return "not enough ETH on L1 for the challenger bond";
  moveL1(world, by, BOND_REGISTRY, bond);
  const steps = batch.txs.length;
  const dispute: Dispute = {
    id: world.rollup.disputes.length,
    batchId,
    defender: batch.poster,
    challenger: by,
    lo: 0,
    hi: steps,
    defenderHiRoot: claimed,
    challengerHiRoot: root,
    defenderMidRoot: null,
    turn: steps === 1 ? "proof" : "defender",
    deadlineMs: world.nowMs + world.config.moveTimeoutMs,
    openedAtMs: world.nowMs,
    bond,
    moves: 0,
    status: "open",
  };
  world.rollup.disputes.push(dispute);
  out.push({ t: world.nowMs, type: "dispute.opened", disputeId: dispute.id, batchId, challenger: by, defender: batch.poster, steps, deadlineMs: dispute.deadlineMs });
  return null;
}

/**
 * One bisection move: the defender commits its root at the midpoint, then the challenger
 * commits its own. Equal roots move the agreed point up (lo = mid); different roots move the
 * disputed point down (hi = mid). Each move resets the mover's clock.
 */
export function makeMove(world: World, by: string, disputeId: number, root: string, out: EngineEvent[]): string | null {
  const dispute = world.rollup.disputes[disputeId];
  if (!dispute || dispute.status !== "open") return "that dispute is not open";
  if (dispute.turn === "proof") return "the dispute is down to one step: submit the one-step proof";
  if (by !== partyToMove(dispute)) return "it is not your move";
  if (!ROOT_PATTERN.test(root)) return "root must be 64 hex characters";
  const side = dispute.turn;
  if (side === "defender") {
    dispute.defenderMidRoot = root;
    dispute.turn = "challenger";
  } else {
    const mid = midpoint(dispute);
    if (root === dispute.defenderMidRoot) {
      dispute.lo = mid;
    } else {
      dispute.hi = mid;
      dispute.defenderHiRoot = dispute.defenderMidRoot!;
      dispute.challengerHiRoot = root;
    }
    dispute.defenderMidRoot = null;
    dispute.turn = dispute.hi - dispute.lo === 1 ? "proof" : "defender";
  }
  dispute.moves += 1;
  dispute.deadlineMs = world.nowMs + world.config.moveTimeoutMs;
  out.push({ t: world.nowMs, type: "dispute.moved", disputeId, by, side, lo: dispute.lo, hi: dispute.hi, turn: dispute.turn, deadlineMs: dispute.deadlineMs });
  return null;
}

/**
 * The one-step proof: L1 re-executes the single transaction at index `lo` from the state
 * rebuilt from the batch's posted data, and compares with each side's root at `hi`.
 */
export function proveOneStep(world: World, by: string, disputeId: number, out: EngineEvent[]): string | null {
  const dispute = world.rollup.disputes[disputeId];
  if (!dispute || dispute.status !== "open") return "that dispute is not open";
  if (dispute.turn !== "proof") return "the dispute is not down to one step yet";
  if (by !== dispute.defender && by !== dispute.challenger) return "only the two parties can prove";
  const batch = world.rollup.batches[dispute.batchId]!;
  const context = batchContext(world, batch);
  const before = executionTrace(batch.preState!, batch.txs.slice(0, dispute.lo), context).post;
  before.apply(batch.txs[dispute.lo]!, context);
  const honestRoot = before.root();
  resolve(world, dispute, dispute.defenderHiRoot === honestRoot ? "defender" : "challenger", "one-step-proof", out);
  return null;
}

/** Ends a dispute: the loser's bond is slashed, a share rewards the winner, the rest burns. */
function resolve(world: World, dispute: Dispute, winnerSide: "defender" | "challenger", reason: "one-step-proof" | "timeout", out: EngineEvent[]): void {
  const batch = world.rollup.batches[dispute.batchId]!;
  const winner = winnerSide === "defender" ? dispute.defender : dispute.challenger;
  const loser = winnerSide === "defender" ? dispute.challenger : dispute.defender;
  const slashed = winnerSide === "defender" ? dispute.bond : batch.bond;
  const reward = Math.floor((slashed * world.config.slashRewardPercent) / 100);
  const burned = slashed - reward;
  moveL1(world, BOND_REGISTRY, winner, reward);
  world.l1.balances[BOND_REGISTRY] = (world.l1.balances[BOND_REGISTRY] ?? 0) - burned;
  world.l1.burned += burned;
  if (winnerSide === "challenger") {
    moveL1(world, BOND_REGISTRY, dispute.challenger, dispute.bond);
    batch.bond = 0;
  }
  dispute.status = winnerSide === "defender" ? "defender-won" : "challenger-won";
  out.push({ t: world.nowMs, type: "dispute.resolved", disputeId: dispute.id, batchId: batch.id, winner, loser, winnerSide, reason, slashed, reward, burned, step: dispute.lo, fraudulent: batch.forgedIds.length > 0 });
  if (winnerSide === "challenger") revertFrom(world, batch.id, batch.id, out);
}

/** At each L1 block: a side whose clock ran out loses. */
export function expireDisputes(world: World, out: EngineEvent[]): void {
  for (const dispute of world.rollup.disputes) {
    if (dispute.status !== "open" || world.nowMs <= dispute.deadlineMs) continue;
    const loserSide = dispute.turn === "challenger" ? "challenger" : "defender";
    resolve(world, dispute, loserSide === "defender" ? "challenger" : "defender", "timeout", out);
  }
}

/** What an honest party would commit at the current midpoint (or at `hi` to open). */
export function honestRootAt(world: World, batchId: number, index: number): string {
  const batch = world.rollup.batches[batchId]!;
  return honestTrace(world, batch)[index]!;
}
