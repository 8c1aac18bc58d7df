import type { Rosette } from "../../../shared/lessons/rosette.ts";
import { h } from "../ui/dom.ts";
import { roundParagraph, scenarioLabel } from "./debrief-parts.ts";
import { scoreTable } from "./leaderboard.ts";
import type { ScoreRow } from "./leaderboard.ts";
import { rosetteKey, rosetteMini } from "./rosette.ts";

/** One finished round as the lesson summary needs it (the synced `lesson` list, or a stored round on the results page). */
export interface LessonRound {
  index: number;
  scenario: string;
  endedEarly: boolean;
  tradeOff: string;
  story: readonly string[];
  rosette?: Rosette;
  scores: Readonly<Record<string, number>>;
}

/** A player of the lesson: their name, whether a bot played them, their total. */
export interface LessonPlayer {
  id: string;
  name: string;
  bot: boolean;
  total: number;
}

export interface LessonSummaryOptions {
  /** Students listed in the scores table; `me` always is. */
  top: number;
  /** Bots listed under a disclosure, or only counted (the projector). */
  bots: "list" | "count";
  me: string | null;
}

/**
 * The whole lesson on one page: every round side by side (its rosette, its stage and one
 * paragraph on what happened and what the mechanism trades away), then every student's points
 * round by round. The rosettes side by side show what each Layer 2 trades away.
 */
export function lessonSummary(rounds: readonly LessonRound[], players: readonly LessonPlayer[], o: LessonSummaryOptions): HTMLElement {
  const cards = rounds.map((r) => h("li", { class: "lesson-round", "data-round": String(r.index) },
    h("h3", {}, h("span", { class: "lesson-round-number" }, `Round ${r.index + 1}`), " ", scenarioLabel(r.scenario)),
    r.rosette ? rosetteMini(r.rosette, r.scenario, !r.endedEarly) : null,
    h("p", { class: "lesson-paragraph" }, roundParagraph(r.story, r.tradeOff))));
  const rows: ScoreRow[] = players.map((p) => ({
    id: p.id, name: p.name, bot: p.bot, total: p.total,
    cells: rounds.map((r) => r.scores[p.id] ?? 0),
  }));
  return h("div", { class: "lesson-summary" },
    h("section", { class: "lesson-rounds-wrap", "aria-label": "Every round of the lesson" },
      h("ol", { class: "lesson-rounds", style: `--rounds: ${Math.max(1, rounds.length)}` }, ...cards),
      rosetteKey()),
    h("section", { class: "lesson-scores", "aria-label": "Scores across rounds" },
      scoreTable({ caption: "Scores across the lesson", columns: rounds.map((r) => `R${r.index + 1}`), rows, me: o.me, top: o.top, bots: o.bots, showRole: false })));
}
