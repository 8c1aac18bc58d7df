import type { PlayerSnap } from "../net/snapshot.ts";
import { byName } from "../ui/ranking.ts";

/** The projector's leaderboard: the best students, and how many students and bots are playing. */
export interface Leaders {
  /** At most `n` students, best first (score, then name: the order of ui/ranking.ts `rank`). */
  top: PlayerSnap[];
  students: number;
  bots: number;
}

/** Best first, ties by name (ui/ranking.ts). */
function better(a: PlayerSnap, b: PlayerSnap): boolean {
  return a.score !== b.score ? a.score > b.score : byName(a, b) < 0;
}

/**
 * The top `n` students in one pass over the players: O(players × n) number comparisons, the name
 * compared only on a tied score. A lecture hall of 2,000 costs a fraction of a millisecond, where
 * sorting everyone with the collator cost several per frame.
 */
export function leaders(players: Record<string, PlayerSnap>, n: number): Leaders {
  const top: PlayerSnap[] = [];
  let students = 0;
  let bots = 0;
  for (const id in players) {
    const p = players[id]!;
    if (p.bot) {
      bots += 1;
      continue;
    }
    students += 1;
    if (n <= 0 || (top.length === n && !better(p, top[n - 1]!))) continue;
    // Insertion into a short sorted list.
    let i = Math.min(top.length, n - 1);
    if (top.length < n) top.push(p);
    else top[i] = p;
    while (i > 0 && better(p, top[i - 1]!)) {
      top[i] = top[i - 1]!;
      top[i - 1] = p;
      i -= 1;
    }
  }
  return { top, students, bots };
}
