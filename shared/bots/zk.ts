import { ZK_MODULE } from "../engine/zk/constants.ts";
import { projectedState } from "../engine/zk/mempool.ts";
import type { ZkState } from "../engine/zk/types.ts";
import type { L2State } from "../engine/l2-state.ts";
import type { Difficulty } from "../protocol/messages.ts";
import { signL2Tx } from "../engine/l2-state.ts";
import { nextFloat, nextInt } from "../engine/prng.ts";
import { eth } from "../engine/units.ts";
import type { World } from "../engine/world.ts";
import { unsigned } from "./mind.ts";
import type { BotMind, BotMove } from "./mind.ts";

/** Prover bots start a batch this often when transactions wait (ms of game clock). */
const PROVE_EVERY_MS = 6_000;
/** Bot batches stay small enough to prove in about 12 s of game time (proving time grows per transaction). */
const PROVER_BOT_MAX_TXS = 32;

/** On "hard", the bot prover cheats on its 2nd batch: the proof can never verify, so L1 rejects it. */
export function proverCheatsOn(batchNumber: number, difficulty: Difficulty): boolean {
  return difficulty === "hard" && batchNumber === 1;
}

/** A ZK-rollup bot's moves this turn: provers prove, everyone else uses the rollup. */
export function zkMoves(world: World, mind: BotMind, players: readonly string[]): BotMove[] {
  return mind.role === "prover" ? proverMoves(world, mind) : zkUserMoves(world, mind, players);
}

function zkOf(world: World): ZkState | undefined {
  return world.modules[ZK_MODULE] as ZkState | undefined;
}

/**
 * The ZK state with every pending transaction applied, built once per change rather than once per
 * bot: a turn of 300 bots would otherwise rebuild every account 300 times. Anything that changes
 * the pending queue or the built state makes an id, moves the clock or changes these counts.
 */
const projections = new WeakMap<ZkState, { key: string; state: L2State }>();
function projected(world: World, zk: ZkState): L2State {
  const key = `${world.nowMs}:${world.nextId}:${zk.pending.length}:${zk.batches.length}:${zk.deposits.length}:${zk.pending.at(-1)?.tx.id ?? ""}`;
  const cached = projections.get(zk);
  if (cached?.key === key) return cached.state;
  const state = projectedState(world, zk);
  projections.set(zk, { key, state });
  return state;
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
  const account = projected(world, zk).accounts[me];
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

