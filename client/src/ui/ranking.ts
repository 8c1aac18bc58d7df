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

/** Who a lobby shows as chips when a class is big: students first, bots while there is room, and what is left counted. */
export interface LobbyChips<T> {
  shown: T[];
  /** Students and bots not shown. */
  hiddenStudents: number;
  hiddenBots: number;
}

/** At most `cap` chips: every student first (natural name order), then bots; the rest counted, not drawn. */
export function lobbyChips<T extends { name: string; bot: boolean }>(players: Iterable<T>, cap: number): LobbyChips<T> {
  const all = studentsFirst(players);
  const shown = all.slice(0, cap);
  const hidden = all.slice(cap);
  return { shown, hiddenStudents: hidden.filter((p) => !p.bot).length, hiddenBots: hidden.filter((p) => p.bot).length };
}

/** "+ 12 more students and 240 bots", or "" when everyone is shown. */
export function hiddenWords(chips: { hiddenStudents: number; hiddenBots: number }): string {
  const parts = [
    chips.hiddenStudents ? `${chips.hiddenStudents} more student${chips.hiddenStudents === 1 ? "" : "s"}` : "",
    chips.hiddenBots ? `${chips.hiddenBots} ${chips.hiddenStudents ? "" : "more "}bot${chips.hiddenBots === 1 ? "" : "s"}` : "",
  ].filter(Boolean);
  return parts.length ? `+ ${parts.join(" and ")}` : "";
}
