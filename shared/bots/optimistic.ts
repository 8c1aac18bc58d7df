import type { Difficulty } from "../protocol/messages.ts";
import { honestRootAt, midpoint } from "../engine/optimistic/bisection.ts";
import { rollupOp } from "../engine/optimistic/calls.ts";
import { rollupOf } from "../engine/optimistic/types.ts";
import { signL2Tx } from "../engine/l2-state.ts";
import { nextL2Nonce } from "../engine/optimistic/rollup.ts";
import { nextFloat, nextInt } from "../engine/prng.ts";
import { eth } from "../engine/units.ts";
import type { World } from "../engine/world.ts";
import { unsigned } from "./mind.ts";
import type { BotMind, BotMove } from "./mind.ts";

/** Sequencer bots post a batch this often (ms of game clock). */
const POST_EVERY_MS = 9_000;

/** The bot sequencer cheats on its 2nd batch and every 4th after, so a round always has fraud to catch. */
export function sequencerCheatsOn(batchNumber: number, difficulty: Difficulty): boolean {
  if (difficulty === "easy") return batchNumber === 1;
  return batchNumber % 4 === 1;
}

/** An optimistic-rollup bot's moves this turn, by its role (users, sequencer, challengers). */
export function optimisticMoves(world: World, mind: BotMind, players: readonly string[]): BotMove[] {
  switch (mind.role) {
    case "sequencer":
      return sequencerMoves(world, mind);
    case "challenger":
      return challengerMoves(world, mind);
    default:
      return userMoves(world, mind, players);
  }
}

function userMoves(world: World, mind: BotMind, players: readonly string[]): BotMove[] {
  const me = mind.id;
  const l2 = rollupOf(world).head.accounts[me];
  const l1 = world.l1.balances[me] ?? 0;
  const moves: BotMove[] = [];
  for (const w of Object.values(rollupOf(world).withdrawals)) {
    if (w.to === me && w.status === "ready" && !world.l1.mempool.some((tx) => tx.from === me && rollupOp(tx.payload) === "withdrawalFinalize")) {
      moves.push({ type: "user:finalize", payload: { withdrawalId: w.id } });
    }
  }
  const pending = rollupOf(world).mempool.filter((p) => p.tx.from === me);
  const censored = pending.find((p) => p.censored && world.nowMs - p.submittedAtMs > 6_000);
  if (censored && !rollupOf(world).inbox.some((e) => e.tx.from === me && !e.included)) {
    const { id: _id, from: _from, ...tx } = censored.tx;
    moves.push({ type: "user:force", payload: { tx: { ...tx, kind: tx.kind as "transfer" | "withdraw" } } });
    return moves;
  }
  const waiting = rollupOf(world).inbox.find((e) => e.tx.from === me && !e.included && world.nowMs >= e.enqueuedAtMs + world.config.forcedInclusionDelayMs);
  if (waiting) moves.push({ type: "user:forceInclude", payload: { entryId: waiting.id } });
  const balance = l2?.balance ?? 0;
  if (balance < eth(0.2)) {
    const depositing = world.l1.mempool.some((tx) => tx.from === me && rollupOp(tx.payload) === "deposit");
    if (!depositing && l1 > eth(1.5)) moves.push({ type: "user:deposit", payload: { amount: eth(1) } });
    return moves;
  }
  if (pending.length >= 3) return moves;
  const nonce = nextL2Nonce(world, me);
  const fee = world.config.l2FeePerTx;
  if (nextFloat(mind.rng) < 0.1) {
    const amount = eth(0.05) + nextInt(mind.rng, eth(0.05));
    moves.push({ type: "user:l2", payload: { tx: unsigned(signL2Tx(mind.secretKey, { kind: "withdraw", from: me, to: me, amount, fee, nonce })) } });
    return moves;
  }
  const others = players.filter((p) => p !== me);
  if (others.length === 0) return moves;
  const to = others[nextInt(mind.rng, others.length)]!;
  const amount = eth(0.01) + nextInt(mind.rng, eth(0.05));
  moves.push({ type: "user:l2", payload: { tx: unsigned(signL2Tx(mind.secretKey, { kind: "transfer", from: me, to, amount, fee, nonce })) } });
  return moves;
}

function sequencerMoves(world: World, mind: BotMind): BotMove[] {
  const moves: BotMove[] = [];
  for (const dispute of rollupOf(world).disputes) {
    if (dispute.status !== "open" || dispute.defender !== mind.id) continue;
    if (world.l1.mempool.some((tx) => tx.from === mind.id && (rollupOp(tx.payload) === "disputeMove" || rollupOp(tx.payload) === "oneStepProof"))) continue;
    const batch = rollupOf(world).batches[dispute.batchId]!;
    if (dispute.turn === "defender") moves.push({ type: "dispute:move", payload: { disputeId: dispute.id, root: batch.claimedRoots[midpoint(dispute)]! } });
    if (dispute.turn === "proof") moves.push({ type: "dispute:prove", payload: { disputeId: dispute.id } });
  }
  if (rollupOf(world).mempool.some((p) => !p.censored)) moves.push({ type: "seq:include", payload: {} });
  const hasWork = rollupOf(world).soft.length > 0 || rollupOf(world).mempool.length > 0;
  const cheat = sequencerCheatsOn(mind.batchesPosted, mind.difficulty);
  // A cheating batch needs no other transactions: the forged one is enough.
  if ((hasWork || cheat) && world.nowMs - mind.lastPostMs >= POST_EVERY_MS && !world.l1.mempool.some((tx) => tx.from === mind.id && rollupOp(tx.payload) === "batchPost")) {
    moves.push({ type: "seq:post", payload: cheat ? { cheat: { kind: "mint", amount: eth(5) } } : {} });
    mind.lastPostMs = world.nowMs;
    mind.batchesPosted += 1;
  }
  return moves;
}

function challengerMoves(world: World, mind: BotMind): BotMove[] {
  const moves: BotMove[] = [];
  const busy = world.l1.mempool.some((tx) => tx.from === mind.id && ["challenge", "disputeMove", "oneStepProof"].includes(rollupOp(tx.payload) ?? ""));
  if (busy) return moves;
  for (const dispute of rollupOf(world).disputes) {
    if (dispute.status !== "open" || dispute.challenger !== mind.id) continue;
    if (dispute.turn === "challenger") moves.push({ type: "dispute:move", payload: { disputeId: dispute.id, root: honestRootAt(world, dispute.batchId, midpoint(dispute)) } });
    if (dispute.turn === "proof") moves.push({ type: "dispute:prove", payload: { disputeId: dispute.id } });
    return moves;
  }
  for (const batch of rollupOf(world).batches) {
    if (batch.status !== "posted" || world.nowMs >= batch.windowEndsMs!) continue;
    // Another dispute on the batch is no reason to wait: it may be an accomplice stalling (the delay attack).
    if (rollupOf(world).disputes.some((d) => d.batchId === batch.id && d.status === "open" && d.challenger === mind.id)) continue;
    if (mind.checked[batch.id] === undefined) {
      const honest = honestRootAt(world, batch.id, batch.txs.length);
      mind.checked[batch.id] = honest === batch.claimedRoots.at(-1);
    }
    if (!mind.checked[batch.id]) {
      moves.push({ type: "chal:challenge", payload: { batchId: batch.id, root: honestRootAt(world, batch.id, batch.txs.length) } });
      mind.checked[batch.id] = true; // one challenge per batch from this bot
      return moves;
    }
  }
  return moves;
}
