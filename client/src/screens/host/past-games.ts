/**
 * The games this browser hosted, kept in localStorage so the host finds their results again after
 * "End the game", a reload, a closed tab or the next day: each game's code, its host token (the
 * only key to its results) and when it was created. Newest first, at most MAX_KEPT.
 */

export interface PastGame {
  code: string;
  hostToken: string;
  /** ms since the epoch. */
  createdAt: number;
}

const KEY = "l2arena:hosted";
const MAX_KEPT = 30;

function isPastGame(value: unknown): value is PastGame {
  const g = value as Partial<PastGame> | null;
  return typeof g?.code === "string" && typeof g.hostToken === "string" && typeof g.createdAt === "number";
}

/** Every game hosted from this browser, newest first. */
export function pastGames(): PastGame[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) ?? "[]") as unknown;
    return Array.isArray(parsed) ? parsed.filter(isPastGame) : [];
  } catch {
    return [];
  }
}

/** The game with this code, if this browser hosted it. */
export function pastGame(code: string): PastGame | null {
  return pastGames().find((g) => g.code === code) ?? null;
}

/** Remembers a hosted game (again: it moves to the top, its first date kept). */
export function rememberGame(game: PastGame): void {
  const known = pastGame(game.code);
  const games = [{ ...game, createdAt: known?.createdAt ?? game.createdAt }, ...pastGames().filter((g) => g.code !== game.code)].slice(0, MAX_KEPT);
  try {
    localStorage.setItem(KEY, JSON.stringify(games));
  } catch {
    // Private mode or storage full: the results stay reachable from this tab's console.
  }
}

/** Where a hosted game's results page is. */
export function resultsPath(code: string): string {
  return `/results?code=${encodeURIComponent(code)}`;
}
