import type { EngineEvent } from "../events.ts";
import { moveL1 } from "../l1.ts";
import { executionTrace } from "../l2-state.ts";
import type { L2Executor } from "../l2-state.ts";
import { batchContext, honestTrace, replaceClaimsFrom } from "./rollup.ts";
import type { World } from "../world.ts";
import { BOND_REGISTRY, rollupOf } from "./types.ts";
import type { Batch, Dispute } from "./types.ts";

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
  const batch = rollupOf(world).batches[batchId];
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
    id: rollupOf(world).disputes.length,
    batchId,
    defender: batch.poster,
    challenger: by,
    lo: 0,
    hi: steps,
    agreedRoot: batch.claimedRoots[0]!,
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
  rollupOf(world).disputes.push(dispute);
  out.push({ t: world.nowMs, type: "dispute.opened", disputeId: dispute.id, batchId, challenger: by, defender: batch.poster, steps, deadlineMs: dispute.deadlineMs });
  return null;
}

/**
 * One bisection move: the defender commits its root at the midpoint, then the challenger
 * commits its own. Equal roots move the agreed point up (lo = mid); different roots move the
 * disputed point down (hi = mid). Each move resets the mover's clock.
 */
export function makeMove(world: World, by: string, disputeId: number, root: string, out: EngineEvent[]): string | null {
  const dispute = rollupOf(world).disputes[disputeId];
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
      dispute.agreedRoot = root;
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
 * The L2 state both parties agreed on at `lo`, as the prover hands it to L1: a state rebuilt from
 * the batch's posted transactions whose root is the agreed root — along the poster's claimed
 * execution (its forged transactions applied as it claimed) or the honest one. Null when neither
 * gives that root: nobody can show L1 a state behind it.
 */
function agreedState(world: World, batch: Batch, dispute: Dispute): L2Executor | null {
  const context = batchContext(world, batch);
  const prefix = batch.txs.slice(0, dispute.lo);
  const claimed = executionTrace(batch.preState!, prefix, context, new Set(batch.forgedIds)).post;
  if (claimed.root() === dispute.agreedRoot) return claimed;
  const honest = executionTrace(batch.preState!, prefix, context).post;
  return honest.root() === dispute.agreedRoot ? honest : null;
}

/**
 * The one-step proof, as Arbitrum's OneStepProofEntry and OP's MIPS/PreimageOracle do it: L1
 * takes the state both sides agreed on at `lo` (checked against the agreed root), executes the
 * single transaction at `lo` with the honest rules, and compares the result with the defender's
 * root at `hi`. It never re-executes from the batch's start, so a challenger who agreed with a
 * fraudulent root earlier in the bisection has narrowed the dispute to an honest step and loses.
 * If no state behind the agreed root can be shown, the defender (who committed to it) loses.
 */
export function proveOneStep(world: World, by: string, disputeId: number, out: EngineEvent[]): string | null {
  const dispute = rollupOf(world).disputes[disputeId];
  if (!dispute || dispute.status !== "open") return "that dispute is not open";
  if (dispute.turn !== "proof") return "the dispute is not down to one step yet";
  if (by !== dispute.defender && by !== dispute.challenger) return "only the two parties can prove";
  const batch = rollupOf(world).batches[dispute.batchId]!;
  const before = agreedState(world, batch, dispute);
  if (before) before.apply(batch.txs[dispute.lo]!, batchContext(world, batch));
  const stepRoot = before?.root() ?? null;
  resolve(world, dispute, stepRoot !== null && dispute.defenderHiRoot === stepRoot ? "defender" : "challenger", "one-step-proof", out);
  return null;
}

/** Ends a dispute: the loser's bond is slashed, a share rewards the winner, the rest burns. */
function resolve(world: World, dispute: Dispute, winnerSide: "defender" | "challenger", reason: "one-step-proof" | "timeout", out: EngineEvent[]): void {
  const batch = rollupOf(world).batches[dispute.batchId]!;
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
  dispute.endedBy = reason;
  out.push({ t: world.nowMs, type: "dispute.resolved", disputeId: dispute.id, batchId: batch.id, winner, loser, winnerSide, reason, slashed, reward, burned, step: dispute.lo, fraudulent: batch.forgedIds.length > 0 });
  // The batch's data stays canonical: only its claim (and the claims built on it) is replaced.
  if (winnerSide === "challenger") replaceClaimsFrom(world, batch.id, out);
}

/** At each L1 block: a side whose clock ran out loses. */
export function expireDisputes(world: World, out: EngineEvent[]): void {
  for (const dispute of rollupOf(world).disputes) {
    if (dispute.status !== "open" || world.nowMs <= dispute.deadlineMs) continue;
    const loserSide = dispute.turn === "challenger" ? "challenger" : "defender";
    resolve(world, dispute, loserSide === "defender" ? "challenger" : "defender", "timeout", out);
  }
}

/** What an honest party would commit at the current midpoint (or at `hi` to open). */
export function honestRootAt(world: World, batchId: number, index: number): string {
  const batch = rollupOf(world).batches[batchId]!;
  return honestTrace(world, batch)[index]!;
}
