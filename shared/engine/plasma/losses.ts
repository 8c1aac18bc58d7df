import type { EngineEvent } from "../events.ts";
import { PLASMA, PLASMA_EVENTS } from "./constants.ts";

/**
 * Why money did not come home by the end of a round:
 * congestion — the exit never got into an L1 block; queue — started, but still waiting out the
 * challenge period or behind higher-priority exits (at most exitsPerBlock paid per block); notExited — left
 * on a chain whose data was withheld; stolen — taken by the operator's forged spend and never
 * exited; shortfall — paid less than claimed (the escrow ran dry); bond — an exit of a spent coin
 * was challenged.
 */
export type LossReason = "congestion" | "queue" | "notExited" | "stolen" | "shortfall" | "bond";

/** One player's money that did not come home, for one reason. Amounts in gwei. */
export interface PlayerLoss {
  player: string;
  reason: LossReason;
  amount: number;
  coins: number;
}

/** The coin-by-coin outcome of a round: what each player lost or left behind, and why. */
export interface CoinOutcome {
  losses: PlayerLoss[];
  /** Coins the operator's committed forged spends took, and their owners. */
  stolenCoins: number;
  stolenValue: number;
  victims: string[];
  /** Of the stolen coins, what their owners still got out by exiting them in time. */
  recoveredByVictims: number;
}

function num(value: unknown): number {
  return typeof value === "number" ? value : 0;
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/**
 * Follows every coin through the round's events (deposits, committed blocks, exits) and sorts the
 * honest owners' money that did not come home by reason. A coin counts for its honest owner: the
 * operator's forged spends do not move it, so a victim who exits the coin in time is made whole.
 */
export function coinOutcome(events: readonly EngineEvent[]): CoinOutcome {
  const coins = new Map<number, { owner: string; amount: number; forged: boolean }>();
  const spentHonestly = new Set<number>();
  const stolen = new Set<number>();
  const requested = new Map<string, { owner: string; utxoPos: number; amount: number }>();
  const exits = new Map<number, { owner: string; status: "queued" | "paid" | "challenged"; shortfall: number; paid: number }>();
  const bonds = new Map<string, number>();
  let withheld = false;
  for (const event of events) {
    if (event.type === "l1.dropped") {
      requested.delete(event.txId);
      continue;
    }
    if (event.type !== "module" || event.module !== PLASMA) continue;
    const d = event.data;
    switch (event.name) {
      case PLASMA_EVENTS.deposited:
        coins.set(num(d.utxoPos), { owner: str(d.owner), amount: num(d.amount), forged: false });
        break;
      case PLASMA_EVENTS.blockCommitted:
        for (const entry of Array.isArray(d.created) ? d.created : []) {
          const [pos, owner, amount, forged] = entry as [number, string, number, boolean];
          coins.set(pos, { owner, amount, forged });
        }
        for (const entry of Array.isArray(d.spent) ? d.spent : []) {
          const [pos, forged] = entry as [number, boolean];
          (forged ? stolen : spentHonestly).add(pos);
        }
        break;
      case PLASMA_EVENTS.blockWithheld:
        withheld = true;
        break;
      case PLASMA_EVENTS.exitRequested:
        requested.set(str(d.l1TxId), { owner: str(d.owner), utxoPos: num(d.utxoPos), amount: num(d.amount) });
        break;
      case PLASMA_EVENTS.reverted:
        requested.delete(str(d.l1TxId));
        break;
      case PLASMA_EVENTS.exitStarted:
        requested.delete(str(d.l1TxId));
        exits.set(num(d.utxoPos), { owner: str(d.owner), status: "queued", shortfall: 0, paid: 0 });
        break;
      case PLASMA_EVENTS.exitPaid: {
        const exit = exits.get(num(d.utxoPos));
        if (exit) Object.assign(exit, { status: "paid", shortfall: num(d.shortfall), paid: num(d.paid) });
        break;
      }
      case PLASMA_EVENTS.exitChallenged: {
        const exit = exits.get(num(d.utxoPos));
        if (exit) exit.status = "challenged";
        bonds.set(str(d.owner), (bonds.get(str(d.owner)) ?? 0) + num(d.reward) + num(d.burned));
        break;
      }
    }
  }
  const inMempool = new Set([...requested.values()].map((r) => r.utxoPos));
  const table = new Map<string, PlayerLoss>();
  const add = (player: string, reason: LossReason, amount: number) => {
    if (amount <= 0) return;
    const key = `${player}|${reason}`;
    const row = table.get(key) ?? { player, reason, amount: 0, coins: 0 };
    row.amount += amount;
    row.coins += 1;
    table.set(key, row);
  };
  let recoveredByVictims = 0;
  for (const [pos, coin] of coins) {
    if (coin.forged || spentHonestly.has(pos)) continue;
    const exit = exits.get(pos);
    if (exit?.status === "paid") {
      add(coin.owner, "shortfall", exit.shortfall);
      if (stolen.has(pos)) recoveredByVictims += exit.paid;
    } else if (exit?.status === "queued") add(coin.owner, "queue", coin.amount);
    else if (inMempool.has(pos)) add(coin.owner, "congestion", coin.amount);
    else if (stolen.has(pos)) add(coin.owner, "stolen", coin.amount);
    else if (withheld) add(coin.owner, "notExited", coin.amount);
  }
  for (const [player, amount] of bonds) add(player, "bond", amount);
  const stolenCoins = [...stolen].map((pos) => coins.get(pos)).filter((coin) => coin !== undefined);
  return {
    losses: [...table.values()].sort((a, b) => b.amount - a.amount || byText(a.player, b.player) || byText(a.reason, b.reason)),
    stolenCoins: stolenCoins.length,
    stolenValue: stolenCoins.reduce((sum, coin) => sum + coin.amount, 0),
    victims: [...new Set(stolenCoins.map((coin) => coin.owner))].sort(),
    recoveredByVictims,
  };
}

/** Code-unit order: the same on every machine, unlike localeCompare (a replay must sort alike). */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
