import type { PlayerSnap } from "../net/snapshot.ts";

/**
 * Orders players for people: names in natural order ("Bot 4" before "Bot 10"), and students
 * ranked apart from bots. Bots fill roles in a small class; they are never ranked against students.
 */

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/** Natural name order: digits compare as numbers, case is ignored. */
export function byName(a: { name: string }, b: { name: string }): number {
  return collator.compare(a.name, b.name);
}

/** Students first, then bots, each group by name: for rosters and chips. */
export function studentsFirst<T extends { name: string; bot: boolean }>(players: Iterable<T>): T[] {
  return [...players].sort((a, b) => Number(a.bot) - Number(b.bot) || byName(a, b));
}

/** Best score first, ties by name. */
function byScore(a: PlayerSnap, b: PlayerSnap): number {
  return b.score - a.score || byName(a, b);
}

export interface Ranking {
  /** Students, best first: the leaderboard. */
  students: PlayerSnap[];
  /** Bots, best first: shown apart, never ranked with students. */
  bots: PlayerSnap[];
}

/** The leaderboard: students ranked by score, bots apart. */
export function rank(players: Record<string, PlayerSnap>): Ranking {
  const all = Object.values(players);
  return {
    students: all.filter((p) => !p.bot).sort(byScore),
    bots: all.filter((p) => p.bot).sort(byScore),
  };
}
