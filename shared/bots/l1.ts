import { gweiCeil } from "../engine/base-fee.ts";
import { coversBaseFee } from "../engine/l1.ts";
import { nextFloat, nextInt } from "../engine/prng.ts";
import { eth } from "../engine/units.ts";
import type { World } from "../engine/world.ts";
import type { BotMind, BotMove } from "./mind.ts";

/** Tips (gwei per gas) bots pick from: most pay little, a few pay to jump the queue. */
const TIPS = [1, 1, 1, 2, 2, 5, 10, 25];

/** "L1 rush hour": pay someone on L1, with a tip drawn from TIPS; at most two transfers waiting at once. */
export function l1Moves(world: World, mind: BotMind, players: readonly string[]): BotMove[] {
  const me = mind.id;
  // A transfer priced out by a rising base fee may wait forever: it does not stop the bot from sending more.
  const waiting = world.l1.mempool.filter((tx) => tx.from === me && coversBaseFee(tx, world.l1.baseFeeWei)).length;
  if (waiting >= 2 || (world.l1.balances[me] ?? 0) < eth(0.5)) return [];
  const others = players.filter((p) => p !== me);
  if (others.length === 0) return [];
  const to = others[nextInt(mind.rng, others.length)]!;
  const tip = TIPS[nextInt(mind.rng, TIPS.length)]!;
  // Hard bots cap their fee near today's base fee and risk being dropped when it climbs.
  const maxFee = mind.difficulty === "hard" && nextFloat(mind.rng) < 0.3 ? gweiCeil(world.l1.baseFeeWei) + tip : undefined;
  return [{ type: "l1:send", payload: { to, amount: eth(0.01) + nextInt(mind.rng, eth(0.05)), tip, ...(maxFee !== undefined ? { maxFee } : {}) } }];
}
