import { h } from "../ui/dom.ts";
import { ROLE_LABEL } from "../ui/format.ts";
import { byName } from "../ui/ranking.ts";

/** One player's line in a score table: per-column points (a round, or each round of the lesson) and the total. */
export interface ScoreRow {
  id: string;
  name: string;
  bot: boolean;
  /** The role played (this round), if the table shows one. */
  role?: string;
  cells: number[];
  total: number;
}

export interface ScoreTableOptions {
  caption: string;
  /** Headers of `cells`, e.g. ["Round"] or ["R1", "R2", "R3"]. */
  columns: string[];
  rows: readonly ScoreRow[];
  /** Highlighted, and always listed even below the top. */
  me: string | null;
  /** How many students are listed (the projector lists fewer). */
  top: number;
  /** Bots as their own small table under a disclosure ("list"), or only counted ("count"). */
  bots: "list" | "count";
  /** Show the role column. */
  showRole: boolean;
}

const byTotal = (a: ScoreRow, b: ScoreRow): number => b.total - a.total || byName(a, b);

/**
 * Students ranked by points, bots apart and never ranked with them: bots fill roles in a small
 * class, they are not there to win. `me` is highlighted and always listed.
 */
export function scoreTable(o: ScoreTableOptions): HTMLElement {
  const students = o.rows.filter((r) => !r.bot).sort(byTotal);
  const bots = o.rows.filter((r) => r.bot).sort(byTotal);
  const head = (botTable: boolean) => h("thead", {}, h("tr", {},
    botTable ? null : h("th", { scope: "col", class: "num" }, "#"),
    h("th", { scope: "col" }, botTable ? "Bot" : "Student"),
    o.showRole ? h("th", { scope: "col", class: "col-role" }, "Role") : null,
    ...o.columns.map((c) => h("th", { scope: "col", class: "num" }, c)),
    h("th", { scope: "col", class: "num" }, "Total")));
  const line = (r: ScoreRow, rank: number | null) => h("tr", { class: r.id === o.me ? "me" : "", "data-player": r.id },
    rank === null ? null : h("td", { class: "num" }, String(rank)),
    h("th", { scope: "row" }, r.name, r.id === o.me ? " (you)" : ""),
    o.showRole ? h("td", { class: "col-role" }, ROLE_LABEL[r.role ?? ""] ?? r.role ?? "") : null,
    ...r.cells.map((c) => h("td", { class: "num" }, String(c))),
    h("td", { class: "num total" }, String(r.total)));
  const listed = students.slice(0, o.top);
  const myRank = o.me ? students.findIndex((r) => r.id === o.me) : -1;
  const table = h("table", { class: "leaderboard", "data-board": "students" },
    h("caption", {}, o.caption),
    head(false),
    h("tbody", {},
      ...listed.map((r, i) => line(r, i + 1)),
      myRank >= o.top ? line(students[myRank]!, myRank + 1) : null));
  const more = students.length > listed.length + (myRank >= o.top ? 1 : 0)
    ? h("p", { class: "muted board-more" }, `+ ${students.length - listed.length - (myRank >= o.top ? 1 : 0)} more students`)
    : null;
  const empty = students.length === 0 ? h("p", { class: "muted" }, "No students in this game yet.") : null;
  let botPart: HTMLElement | null = null;
  if (bots.length > 0) {
    const words = `${bots.length} bot${bots.length === 1 ? "" : "s"} played too (not ranked)`;
    botPart = o.bots === "count"
      ? h("p", { class: "muted bots-apart", "data-board": "bots" }, words)
      : h("details", { class: "bots-apart", "data-board": "bots" }, h("summary", {}, words),
        h("table", { class: "leaderboard bots" }, h("caption", { class: "visually-hidden" }, "Bots, not ranked"), head(true), h("tbody", {}, ...bots.map((r) => line(r, null)))));
  }
  return h("div", { class: "score-board" }, table, empty, more, botPart);
}
