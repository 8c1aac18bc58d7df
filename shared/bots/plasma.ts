import { nextFloat, nextInt } from "../engine/prng.ts";
import { gweiCeil } from "../engine/base-fee.ts";
import { challengeCallFor, exitCallFor, knownCoins, reservedInputs } from "../engine/plasma/chain.ts";
import { START_EXIT_GAS } from "../engine/plasma/constants.ts";
import { signPlasmaTx } from "../engine/plasma/plasma-tx.ts";
import type { PlasmaTx } from "../engine/plasma/plasma-tx.ts";
import type { PlasmaState } from "../engine/plasma/state.ts";
import { plasmaOf, waitingChallenges, waitingExits } from "../engine/plasma/views.ts";
import { eth } from "../engine/units.ts";
import type { World } from "../engine/world.ts";
import type { Difficulty } from "../protocol/messages.ts";
import type { BotMind, BotMove } from "./mind.ts";

/** What a bot operator does and when (the round's parameters, ms of game clock). */
export interface PlasmaBotPlan {
  blockIntervalMs: number;
  /** When a cheating bot operator withholds a block and steals (normal and hard bots; easy ones stay honest). */
  withholdAtMs: number;
}

/** Coins a cheating bot operator takes in its withheld block: the biggest ones. */
const COINS_STOLEN: Record<Difficulty, number> = { easy: 0, normal: 1, hard: 3 };
/** How long a user bot takes to notice that a block's data is missing, ms: [least, spread]. */
const REACTION_MS: Record<Difficulty, [number, number]> = { easy: [6_000, 14_000], normal: [0, 6_000], hard: [0, 1] };
/** Times a bot raises the tip of an exit stuck in the L1 mempool (easy bots never do). */
const MAX_BUMPS: Record<Difficulty, number> = { easy: 0, normal: 3, hard: 6 };
/** Chance a user bot pays someone on a turn (about one payment every 7 turns). */
const PAY_CHANCE = 0.15;
/** Chance a user bot exits one coin on a quiet turn (at most once a round): about one bot in four in 90 turns. */
const VOLUNTARY_EXIT_CHANCE = 0.004;

const wire = (tx: PlasmaTx) => ({ inputs: tx.inputs, outputs: tx.outputs, sigs: tx.sigs });

/** A Plasma bot's moves this turn: the operator makes blocks (and may cheat), users pay, watch and exit. */
export function plasmaMoves(world: World, mind: BotMind, players: readonly string[], plan: PlasmaBotPlan): BotMove[] {
  const s = plasmaOf(world);
  if (!s) return [];
  const moves = challengeMoves(world, s, mind.id);
  if (mind.role === "operator" && s.contract.operator === mind.id) moves.push(...operatorMoves(world, s, mind, plan));
  else moves.push(...userMoves(world, s, mind, players));
  return moves;
}

/** Anyone who can prove an exiting coin was spent (with data they can read) challenges it, once. */
function challengeMoves(world: World, s: PlasmaState, me: string): BotMove[] {
  const pending = waitingChallenges(world);
  for (const pos of s.contract.queue) {
    const exit = s.contract.exits[pos];
    // The chain's own record says which coins were spent; the proof must still come from readable data.
    if (!exit || exit.owner === me || pending.has(pos) || s.chain.coins[pos]?.status !== "spent") continue;
    const call = challengeCallFor(s, me, pos, world.l1.publicKeys);
    if (!call) continue;
    const { kind: _kind, ...proof } = call;
    return [{ type: "plasma:challenge", payload: { ...proof, tx: wire(proof.tx), tip: 3 } }];
  }
  return [];
}

function operatorMoves(world: World, s: PlasmaState, mind: BotMind, plan: PlasmaBotPlan): BotMove[] {
  const me = mind.id;
  const moves: BotMove[] = [];
  // Whole gwei per gas, rounded up: a max fee of at least this pays the base fee.
  const baseFee = gweiCeil(world.l1.baseFeeWei);
  // Its forged coins leave first, with a big tip: their age ranks them right behind the honest coins that exit in time.
  const waiting = new Set(waitingExits(world).filter((t) => t.from === me).map((t) => t.utxoPos));
  for (const coin of Object.values(s.chain.coins)) {
    if (coin.owner !== me || !coin.forged || coin.status !== "unspent" || s.contract.exits[coin.utxoPos] || waiting.has(coin.utxoPos)) continue;
    const call = exitCallFor(s, me, coin.utxoPos);
    if (call) moves.push({ type: "plasma:startExit", payload: { utxoPos: call.utxoPos, tx: wire(call.tx), proof: call.proof, tip: 25, maxFee: 6 * baseFee + 25 } });
  }
  const lastCommitMs = typeof mind.memory.lastCommitMs === "number" ? mind.memory.lastCommitMs : 0;
  if (s.chain.pendingBlock !== null || world.nowMs - lastCommitMs < plan.blockIntervalMs) return moves;
  const fee = { tip: 4, maxFee: 4 * baseFee + 4 };
  const cheats = COINS_STOLEN[mind.difficulty];
  if (cheats > 0 && mind.memory.withheld !== true && world.nowMs >= plan.withholdAtMs) {
    const victims = Object.values(s.chain.coins)
      .filter((coin) => coin.status === "unspent" && coin.owner !== me && !s.contract.exits[coin.utxoPos])
      .sort((a, b) => b.amount - a.amount || a.utxoPos - b.utxoPos)
      .slice(0, cheats);
    if (victims.length > 0) {
      mind.memory.withheld = true;
      mind.memory.lastCommitMs = world.nowMs;
      moves.push({ type: "plasma:commit", payload: { withhold: true, steal: victims.map((coin) => coin.utxoPos), ...fee } });
      return moves;
    }
  }
  if (s.chain.pool.length === 0) return moves;
  mind.memory.lastCommitMs = world.nowMs;
  // An honest (easy) operator has nothing to hide: it puts each block's data in a blob beside the root, where nobody can withhold it.
  // A cheating one keeps Plasma MVP's roots alone, so the block it withholds looks like every other.
  moves.push({ type: "plasma:commit", payload: { ...fee, da: COINS_STOLEN[mind.difficulty] === 0 ? "blob" : "calldata" } });
  return moves;
}

/** The fee a user bot offers for an exit: hard bots pay to get out first, easy ones the wallet default. */
function exitFee(difficulty: Difficulty, baseFee: number, rngTip: number): { tip: number; maxFee?: number } {
  if (difficulty === "hard") return { tip: 8 + rngTip, maxFee: 4 * baseFee + 8 + rngTip };
  if (difficulty === "normal") return { tip: 2 + (rngTip % 4), maxFee: 2 * baseFee + 2 + (rngTip % 4) };
  return { tip: 1 };
}

function userMoves(world: World, s: PlasmaState, mind: BotMind, players: readonly string[]): BotMove[] {
  const me = mind.id;
  const memory = mind.memory;
  const withheld = s.chain.withheldBlocks.length > 0;
  if (withheld && typeof memory.noticeAtMs !== "number") {
    const [least, spread] = REACTION_MS[mind.difficulty];
    memory.noticeAtMs = world.nowMs + least + nextInt(mind.rng, spread);
  }
  if (withheld && world.nowMs >= (memory.noticeAtMs as number)) return massExitMoves(world, s, mind);

  const moves: BotMove[] = [];
  const reserved = reservedInputs(s);
  const mine = knownCoins(s, me).filter((pos) => !reserved.has(pos));
  // Hard bots try once to exit a coin they already paid away: somebody should challenge it.
  if (mind.difficulty === "hard" && memory.cheated !== true) {
    const spent = Object.values(s.chain.coins).find((coin) => coin.owner === me && coin.status === "spent" && !s.contract.exits[coin.utxoPos]);
    const call = spent ? exitCallFor(s, me, spent.utxoPos) : null;
    if (call) {
      memory.cheated = true;
      moves.push({ type: "plasma:startExit", payload: { utxoPos: call.utxoPos, tx: wire(call.tx), proof: call.proof, tip: 2 } });
      return moves;
    }
  }
  // Now and then a bot takes a coin home the honest way: an exit that waits out the challenge period.
  if (memory.exited !== true && mine.length >= 2 && nextFloat(mind.rng) < VOLUNTARY_EXIT_CHANCE) {
    const call = exitCallFor(s, me, mine[0]!);
    if (call) {
      memory.exited = true;
      moves.push({ type: "plasma:startExit", payload: { utxoPos: call.utxoPos, tx: wire(call.tx), proof: call.proof, tip: 2 } });
      return moves;
    }
  }
  const others = players.filter((p) => p !== me && p !== s.contract.operator);
  if (others.length === 0 || mine.length === 0 || nextFloat(mind.rng) > PAY_CHANCE) return moves;
  // With three coins or more, pay from the two smallest (the change merges them); else from one at random.
  const inputs = mine.length >= 3
    ? [...mine].sort((a, b) => s.chain.coins[a]!.amount - s.chain.coins[b]!.amount).slice(0, 2)
    : [mine[nextInt(mind.rng, mine.length)]!];
  const total = inputs.reduce((sum, pos) => sum + s.chain.coins[pos]!.amount, 0);
  if (total < eth(0.02)) return moves;
  const to = others[nextInt(mind.rng, others.length)]!;
  const amount = Math.max(eth(0.01), Math.floor((total * (5 + nextInt(mind.rng, 35))) / 100));
  const outputs = amount >= total ? [{ owner: to, amount: total }] : [{ owner: to, amount }, { owner: me, amount: total - amount }];
  moves.push({ type: "plasma:transfer", payload: { tx: wire(signPlasmaTx(inputs, outputs, inputs.map(() => mind.secretKey))) } });
  return moves;
}

/** The data is gone: exit every coin this bot can still prove, and raise the tip of exits the base fee has outrun. */
function massExitMoves(world: World, s: PlasmaState, mind: BotMind): BotMove[] {
  const me = mind.id;
  // Whole gwei per gas, rounded up: a max fee of at least this pays the base fee.
  const baseFee = gweiCeil(world.l1.baseFeeWei);
  const bumps = (mind.memory.bumps ??= {}) as Record<string, number>;
  const waiting = new Map(waitingExits(world).filter((t) => t.from === me).map((t) => [t.utxoPos, t]));
  const moves: BotMove[] = [];
  // A coin in a payment still on its way is not ours to exit: if its block is published, the exit would be a double spend.
  const inFlight = reservedInputs(s);
  for (const pos of knownCoins(s, me)) {
    if (inFlight.has(pos)) continue;
    const call = exitCallFor(s, me, pos);
    // A coin whose exit gas would cost more than half of it is not worth the fight: it stays behind.
    if (!call || START_EXIT_GAS * 2 * baseFee > (s.chain.coins[pos]?.amount ?? 0) / 2) continue;
    const exit = { utxoPos: call.utxoPos, tx: wire(call.tx), proof: call.proof };
    const sent = waiting.get(pos);
    if (!sent) {
      moves.push({ type: "plasma:startExit", payload: { ...exit, ...exitFee(mind.difficulty, baseFee, nextInt(mind.rng, 8)) } });
    } else if (sent.maxFee < baseFee && (bumps[pos] ?? 0) < MAX_BUMPS[mind.difficulty]) {
      bumps[pos] = (bumps[pos] ?? 0) + 1;
      const tip = sent.tip + 3;
      moves.push({ type: "plasma:startExit", payload: { ...exit, tip, maxFee: (mind.difficulty === "hard" ? 4 : 2) * baseFee + tip } });
    }
  }
  return moves;
}
