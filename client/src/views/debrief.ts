import type { Debrief } from "../../../shared/engine/debrief.ts";
import { nameOf, parseJson } from "../net/snapshot.ts";
import type { LessonRoundSnap, Snapshot } from "../net/snapshot.ts";
import { h, replaceChildren, setHidden } from "../ui/dom.ts";
import { formatEth } from "../ui/format.ts";
import { rank } from "../ui/ranking.ts";
import { allCharts, endedEarlyNote, figuresList, headlineFigures, lossesSection, mainChart, scenarioLabel } from "./debrief-parts.ts";
import { scoreTable } from "./leaderboard.ts";
import type { ScoreRow } from "./leaderboard.ts";
import { lessonSummary } from "./lesson-summary.ts";
import type { LessonPlayer } from "./lesson-summary.ts";
import { rosetteView } from "./rosette.ts";
import type { View } from "./view.ts";
import "./debrief.css";

/**
 * Where the debrief is shown. The projector gets one screen the teacher never scrolls (headline
 * figures, the chart, the rosette, the students' leaderboard); phones and the host console get
 * every detail (the story, every chart and figure, who lost what); the export has the rest.
 */
export type DebriefVariant = "projector" | "phone" | "host";

/** Headline figures the projector has room for. */
const PROJECTOR_FIGURES = 8;
/** Students the projector's round debrief ranks (a podium and a bit; the rest counted), and its whole-lesson table. */
const PROJECTOR_STUDENTS = 8;
const PROJECTOR_LESSON_STUDENTS = 8;
const LIST_STUDENTS = 10;

/** The finished rounds of the lesson, in order. */
export function lessonRounds(s: Snapshot): LessonRoundSnap[] {
  return s.lesson.map((json) => parseJson<LessonRoundSnap | null>(json, null)).filter((r): r is LessonRoundSnap => r !== null);
}

/** This round's leaderboard rows: the role played in it, its points, the total. */
function roundRows(s: Snapshot, d: Debrief): ScoreRow[] {
  return Object.values(s.players).map((p) => ({ id: p.id, name: p.name, bot: p.bot, role: p.roundRole || p.role, cells: [d.scores[p.id] ?? 0], total: p.score }));
}

/** What this round meant for you: your points, your place among the students, what you lost. */
function yourRound(s: Snapshot, d: Debrief, me: string): HTMLElement | null {
  const player = s.players[me];
  if (!player) return null;
  const { students } = rank(s.players);
  const place = students.findIndex((p) => p.id === me);
  const losses = (d.losses ?? []).filter((l) => l.player === me);
  return h("section", { class: "your-round", "aria-label": "Your round" },
    h("p", { class: "your-points" }, h("strong", {}, `You scored ${d.scores[me] ?? 0} points this round`), ` · ${player.score} in all`,
      place >= 0 ? ` · ${ordinal(place + 1)} of ${students.length} student${students.length === 1 ? "" : "s"}` : ""),
    ...losses.map((l) => h("p", { class: "your-loss" }, `You lost ${formatEth(l.amount)}: ${l.why}.`)));
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
}

/** The projector's one screen for a round: no scrolling, every word readable from the back row. */
function projectorRound(s: Snapshot, d: Debrief, title: string, endedEarly: boolean): HTMLElement[] {
  const figures = headlineFigures(d).slice(0, PROJECTOR_FIGURES);
  return [
    h("header", { class: "pd-head" },
      h("h2", { id: "debrief-title" }, title, h("span", { class: "pd-subtitle" }, " · every detail on your phones")),
      h("p", { class: "trade-off" }, h("strong", {}, "The trade-off: "), d.tradeOff),
      endedEarly ? endedEarlyNote(d.durationMs) : null),
    h("div", { class: "pd-grid" },
      h("section", { class: "pd-figures", "aria-label": "Headline figures" }, figuresList(figures)),
      h("div", { class: "pd-chart" }, mainChart(d)),
      h("div", { class: "pd-rosette" }, d.rosette ? rosetteView(d.rosette, d.scenario, { stage: !endedEarly }) : null),
      h("aside", { class: "pd-board", "aria-label": "Leaderboard" },
        scoreTable({ caption: "Leaderboard", columns: ["Round"], rows: roundRows(s, d), me: null, top: PROJECTOR_STUDENTS, bots: "count", showRole: false }))),
  ];
}

/** A round's every detail, for phones and the host console. */
function detailedRound(s: Snapshot, d: Debrief, me: string | null, variant: DebriefVariant, endedEarly: boolean): (HTMLElement | null)[] {
  const names = (id: string) => nameOf(s, id);
  return [
    endedEarly ? endedEarlyNote(d.durationMs) : null,
    variant === "phone" && me ? yourRound(s, d, me) : null,
    h("div", { class: "debrief-body" },
      h("div", { class: "debrief-main" },
        h("ul", { class: "story" }, ...d.story.map((line) => h("li", {}, line))),
        h("p", { class: "trade-off" }, h("strong", {}, "The trade-off: "), d.tradeOff),
        d.rosette ? rosetteView(d.rosette, d.scenario, { stage: !endedEarly }) : null,
        lossesSection(d, names, me),
        allCharts(d),
        figuresList(headlineFigures(d))),
      h("aside", { class: "debrief-side", "aria-label": "Leaderboard" },
        scoreTable({ caption: "Leaderboard", columns: ["Round"], rows: roundRows(s, d), me, top: LIST_STUDENTS, bots: "list", showRole: true }))),
  ];
}

/**
 * The debrief everyone sees after a round, and the final results after the last one: the whole
 * lesson (every round's rosette and summary, scores across rounds) and the last round's debrief.
 */
export function createDebriefView(me: () => string | null, variant: DebriefVariant): View {
  const el = h("section", { class: `debrief debrief-${variant}`, "aria-labelledby": "debrief-title" });
  if (variant === "projector") el.classList.add("projector-debrief");
  let shown = "";
  /** On the projector's final screen: the whole lesson, or the last round's debrief. */
  let projectorPage: "lesson" | "round" = "lesson";
  let latest: Snapshot | null = null;
  const redraw = () => {
    shown = "";
    if (latest) view.update(latest);
  };
  const view: View = {
    el,
    /** Shows itself only between rounds (debrief, final) and redraws only when something in it changed. */
    update(s: Snapshot) {
      latest = s;
      const visible = s.phase === "debrief" || s.phase === "final";
      setHidden(el, !visible);
      if (!visible) return;
      const scores = Object.values(s.players).map((p) => `${p.id}:${p.score}:${p.name}:${p.bot}`).join(",");
      const key = `${s.phase}|${s.roundIndex}|${s.debrief}|${s.lesson.length}|${scores}|${projectorPage}`;
      if (key === shown) return;
      shown = key;
      const d = parseJson<Debrief | null>(s.debrief, null);
      const final = s.phase === "final";
      const rounds = lessonRounds(s);
      const endedEarly = rounds.find((r) => r.index === s.roundIndex)?.endedEarly ?? false;
      const roundTitle = `Round ${s.roundIndex + 1} debrief${d ? ` · ${scenarioLabel(d.scenario)}` : ""}`;
      if (!d) {
        replaceChildren(el, h("h2", { id: "debrief-title" }, final ? "Final results" : roundTitle), h("p", {}, "The figures are on their way…"));
        return;
      }
      const wholeLesson = final && rounds.length >= 2;
      const players: LessonPlayer[] = Object.values(s.players).map((p) => ({ id: p.id, name: p.name, bot: p.bot, total: p.score }));
      el.dataset.page = wholeLesson && (variant !== "projector" || projectorPage === "lesson") ? "lesson" : "round";

      if (variant === "projector") {
        if (!wholeLesson) {
          replaceChildren(el, ...projectorRound(s, d, final ? "Final results" : roundTitle, endedEarly));
          return;
        }
        const toggle = h("button", { type: "button", class: "secondary pd-toggle", onclick: () => {
          projectorPage = projectorPage === "lesson" ? "round" : "lesson";
          redraw();
        } }, projectorPage === "lesson" ? `Show round ${s.roundIndex + 1}'s debrief` : "Show the whole lesson");
        if (projectorPage === "round") {
          const [head, grid] = projectorRound(s, d, roundTitle, endedEarly);
          // The button sits on the title's line, before the trade-off.
          head!.firstElementChild!.after(toggle);
          head!.firstElementChild!.lastElementChild!.textContent = " · final results";
          replaceChildren(el, head, grid);
        } else {
          replaceChildren(el,
            h("header", { class: "pd-head" }, h("h2", { id: "debrief-title" }, "Final results", h("span", { class: "pd-subtitle" }, ` · the whole lesson, ${rounds.length} rounds`)), toggle),
            lessonSummary(rounds, players, { top: PROJECTOR_LESSON_STUDENTS, bots: "count", me: null }));
        }
        return;
      }

      const who = me();
      if (wholeLesson) {
        replaceChildren(el,
          h("h2", { id: "debrief-title" }, "Final results"),
          lessonSummary(rounds, players, { top: LIST_STUDENTS, bots: "list", me: who }),
          h("h2", { class: "last-round-title" }, `The last round: ${roundTitle}`),
          ...detailedRound(s, d, who, variant, endedEarly));
      } else {
        replaceChildren(el, h("h2", { id: "debrief-title" }, final ? "Final results" : roundTitle), ...detailedRound(s, d, who, variant, endedEarly));
      }
    },
  };
  return view;
}
