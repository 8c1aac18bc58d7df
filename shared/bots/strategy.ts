import type { ClientMessage, ClientMessageType, Difficulty, Role, Scenario } from "../protocol/messages.ts";
import { ZK_MODULE } from "../engine/zk/constants.ts";
import { projectedState } from "../engine/zk/mempool.ts";
import type { ZkState } from "../engine/zk/types.ts";
import { honestRootAt, midpoint } from "../engine/bisection.ts";
import { signL2Tx } from "../engine/l2-state.ts";
import { nextL2Nonce } from "../engine/rollup.ts";
import { nextFloat, nextInt } from "../engine/prng.ts";
import type { RngState } from "../engine/prng.ts";
import { eth } from "../engine/units.ts";
import type { World } from "../engine/world.ts";

/** A message a bot wants to send, exactly as a client would. */
export type BotMove = { [T in ClientMessageType]: { type: T; payload: ClientMessage<T> } }[ClientMessageType];

/** A bot's memory between turns: plain data, seeded, so bot play replays too. */
export interface BotMind {
  id: string;
  role: Role;
  difficulty: Difficulty;
  secretKey: string;
  rng: RngState;
  /** Batches this bot (as challenger) has already re-executed: batchId → honest. */
  checked: Record<number, boolean>;
  /** Game time of the sequencer's last batch post. */
  lastPostMs: number;
  batchesPosted: number;
  /** Game time of the prover's last batch, and how many it started (ZK rounds). */
  lastProveMs: number;
  batchesProved: number;
}

/** How often a bot acts on a given turn, by difficulty. */
const ACTIVITY: Record<Difficulty, number> = { easy: 0.35, normal: 0.7, hard: 1 };
/** Sequencer bots post a batch this often (ms of game clock). */
const POST_EVERY_MS = 9_000;

/** The bot sequencer cheats on its 2nd batch and every 4th after, so a round always has fraud to catch. */
export function sequencerCheatsOn(batchNumber: number, difficulty: Difficulty): boolean {
  if (difficulty === "easy") return batchNumber === 1;
  return batchNumber % 4 === 1;
}

/** Prover bots start a batch this often when transactions wait (ms of game clock). */
const PROVE_EVERY_MS = 6_000;
/** Bot batches stay small enough to prove in about 12 s of game time (proving time grows per transaction). */
const PROVER_BOT_MAX_TXS = 32;

/** On "hard", the bot prover cheats on its 2nd batch: the proof can never verify, so L1 rejects it. */
export function proverCheatsOn(batchNumber: number, difficulty: Difficulty): boolean {
  return difficulty === "hard" && batchNumber === 1;
}

/** Decides what one bot does this turn, from the authoritative world (server-side bots). */
export function decide(world: World, mind: BotMind, players: readonly string[], scenario: Scenario = "optimistic"): BotMove[] {
  if (nextFloat(mind.rng) > ACTIVITY[mind.difficulty]) return [];
  if (scenario === "zk") return mind.role === "prover" ? proverMoves(world, mind) : zkUserMoves(world, mind, players);
  switch (mind.role) {
    case "user":
      return userMoves(world, mind, players);
    case "sequencer":
      return sequencerMoves(world, mind);
    case "challenger":
      return challengerMoves(world, mind);
    case "prover":
      return [];
  }
}

function zkOf(world: World): ZkState | undefined {
  return world.modules[ZK_MODULE] as ZkState | undefined;
}

/** Whether `me` already has a ZK L1 call of this op waiting in the mempool. */
function zkL1Waiting(world: World, me: string, op: string): boolean {
  return world.l1.mempool.some((tx) => tx.from === me && tx.payload.kind === "module" && tx.payload.module === ZK_MODULE && (tx.payload.call as { op?: unknown }).op === op);
}

/** A ZK-rollup user: claims verified withdrawals, tops up from L1, pays others, sometimes withdraws. */
function zkUserMoves(world: World, mind: BotMind, players: readonly string[]): BotMove[] {
  const zk = zkOf(world);
  if (!zk) return [];
  const me = mind.id;
  const moves: BotMove[] = [];
  for (const w of Object.values(zk.withdrawals)) {
    if (w.to === me && w.status === "ready" && !zkL1Waiting(world, me, "claim")) {
      moves.push({ type: "zk:claim", payload: { withdrawalId: w.id } });
      break;
    }
  }
  const account = projectedState(world, zk).accounts[me];
  const balance = account?.balance ?? 0;
  const l1 = world.l1.balances[me] ?? 0;
  if (balance < eth(0.2)) {
    if (!zkL1Waiting(world, me, "deposit") && l1 > eth(1.5)) moves.push({ type: "zk:deposit", payload: { amount: eth(1) } });
    return moves;
  }
  if (zk.pending.filter((p) => p.tx.from === me).length >= 3) return moves;
  const nonce = account?.nonce ?? 0;
  const fee = world.config.l2FeePerTx;
  if (nextFloat(mind.rng) < 0.1) {
    const amount = eth(0.05) + nextInt(mind.rng, eth(0.05));
    moves.push({ type: "zk:send", payload: { tx: unsigned(signL2Tx(mind.secretKey, { kind: "withdraw", from: me, to: me, amount, fee, nonce })) } });
    return moves;
  }
  const others = players.filter((p) => p !== me);
  if (others.length === 0) return moves;
  const to = others[nextInt(mind.rng, others.length)]!;
  const amount = eth(0.01) + nextInt(mind.rng, eth(0.05));
  moves.push({ type: "zk:send", payload: { tx: unsigned(signL2Tx(mind.secretKey, { kind: "transfer", from: me, to, amount, fee, nonce })) } });
  return moves;
}

/** A ZK prover: every few seconds, batches what waits and starts proving it (the engine submits the proof when ready). */
function proverMoves(world: World, mind: BotMind): BotMove[] {
  const zk = zkOf(world);
  if (!zk || world.nowMs - mind.lastProveMs < PROVE_EVERY_MS) return [];
  const cheat = proverCheatsOn(mind.batchesProved, mind.difficulty);
  if (zk.pending.length === 0 && !cheat) return [];
  mind.lastProveMs = world.nowMs;
  mind.batchesProved += 1;
  return [{ type: "zk:prove", payload: cheat ? { cheat: { kind: "mint", amount: eth(5) } } : { maxTxs: PROVER_BOT_MAX_TXS } }];
}

function userMoves(world: World, mind: BotMind, players: readonly string[]): BotMove[] {
  const me = mind.id;
  const l2 = world.rollup.head.accounts[me];
  const l1 = world.l1.balances[me] ?? 0;
  const moves: BotMove[] = [];
  for (const w of Object.values(world.rollup.withdrawals)) {
    if (w.to === me && w.status === "ready" && !world.l1.mempool.some((tx) => tx.from === me && tx.payload.kind === "withdrawalFinalize")) {
      moves.push({ type: "user:finalize", payload: { withdrawalId: w.id } });
    }
  }
  const pending = world.rollup.mempool.filter((p) => p.tx.from === me);
  const censored = pending.find((p) => p.censored && world.nowMs - p.submittedAtMs > 6_000);
  if (censored && !world.rollup.inbox.some((e) => e.tx.from === me && !e.included)) {
    const { id: _id, from: _from, ...tx } = censored.tx;
    moves.push({ type: "user:force", payload: { tx: { ...tx, kind: tx.kind as "transfer" | "withdraw" } } });
    return moves;
  }
  const waiting = world.rollup.inbox.find((e) => e.tx.from === me && !e.included && world.nowMs >= e.enqueuedAtMs + world.config.forcedInclusionDelayMs);
  if (waiting) moves.push({ type: "user:forceInclude", payload: { entryId: waiting.id } });
  const balance = l2?.balance ?? 0;
  if (balance < eth(0.2)) {
    const depositing = world.l1.mempool.some((tx) => tx.from === me && tx.payload.kind === "deposit");
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

/** The wire form of a signed transaction: no id (the server assigns it), no from (the server knows who you are). */
function unsigned(tx: ReturnType<typeof signL2Tx>): ClientMessage<"user:l2">["tx"] {
  return { kind: tx.kind as "transfer" | "withdraw", to: tx.to, amount: tx.amount, fee: tx.fee, nonce: tx.nonce, sig: tx.sig };
}

function sequencerMoves(world: World, mind: BotMind): BotMove[] {
  const moves: BotMove[] = [];
  for (const dispute of world.rollup.disputes) {
    if (dispute.status !== "open" || dispute.defender !== mind.id) continue;
    if (world.l1.mempool.some((tx) => tx.from === mind.id && (tx.payload.kind === "disputeMove" || tx.payload.kind === "oneStepProof"))) continue;
    const batch = world.rollup.batches[dispute.batchId]!;
    if (dispute.turn === "defender") moves.push({ type: "dispute:move", payload: { disputeId: dispute.id, root: batch.claimedRoots[midpoint(dispute)]! } });
    if (dispute.turn === "proof") moves.push({ type: "dispute:prove", payload: { disputeId: dispute.id } });
  }
  if (world.rollup.mempool.some((p) => !p.censored)) moves.push({ type: "seq:include", payload: {} });
  const hasWork = world.rollup.soft.length > 0 || world.rollup.mempool.length > 0;
  const cheat = sequencerCheatsOn(mind.batchesPosted, mind.difficulty);
  // A cheating batch needs no other transactions: the forged one is enough.
  if ((hasWork || cheat) && world.nowMs - mind.lastPostMs >= POST_EVERY_MS && !world.l1.mempool.some((tx) => tx.from === mind.id && tx.payload.kind === "batchPost")) {
    moves.push({ type: "seq:post", payload: cheat ? { cheat: { kind: "mint", amount: eth(5) } } : {} });
    mind.lastPostMs = world.nowMs;
    mind.batchesPosted += 1;
  }
  return moves;
}

function challengerMoves(world: World, mind: BotMind): BotMove[] {
  const moves: BotMove[] = [];
  const busy = world.l1.mempool.some((tx) => tx.from === mind.id && ["challenge", "disputeMove", "oneStepProof"].includes(tx.payload.kind));
  if (busy) return moves;
  for (const dispute of world.rollup.disputes) {
    if (dispute.status !== "open" || dispute.challenger !== mind.id) continue;
    if (dispute.turn === "challenger") moves.push({ type: "dispute:move", payload: { disputeId: dispute.id, root: honestRootAt(world, dispute.batchId, midpoint(dispute)) } });
    if (dispute.turn === "proof") moves.push({ type: "dispute:prove", payload: { disputeId: dispute.id } });
    return moves;
  }
  for (const batch of world.rollup.batches) {
    if (batch.status !== "posted" || world.nowMs >= batch.windowEndsMs!) continue;
    // Another dispute on the batch is no reason to wait: it may be an accomplice stalling (the delay attack).
    if (world.rollup.disputes.some((d) => d.batchId === batch.id && d.status === "open" && d.challenger === mind.id)) continue;
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
