import { checkReplay, fetchResults, gameStatus, resultsDownload } from "../net/api.ts";
import type { ResultsJson, StoredRoundJson } from "../net/api.ts";
import { h, replaceChildren } from "../ui/dom.ts";
import { allCharts, endedEarlyNote, figuresList, headlineFigures, lossesSection, scenarioLabel } from "../views/debrief-parts.ts";
import { lessonSummary } from "../views/lesson-summary.ts";
import type { LessonPlayer } from "../views/lesson-summary.ts";
import { rosetteView } from "../views/rosette.ts";
import "../views/debrief.css";
import "./results.css";
import { pastGamesList } from "./host/past-games-list.ts";
import { pastGame } from "./host/past-games.ts";
import type { PastGame } from "./host/past-games.ts";

/**
 * The host's results page (/results?code=…): downloads (CSV, JSON), the whole lesson (every
 * round side by side, scores across rounds), and every round's debrief with a replay check. It
 * reads only the stored results, so it works during the game, after "End the game" and after a
 * reload, in any tab of the browser that hosted the game (the host token is kept there).
 */

const WHEN = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });

/** Server bots have ids b1, b2…; students p1, p2… (accountId grammar, shared/protocol/fields.ts). */
function isBotId(id: string): boolean {
  return id.startsWith("b");
}

/** Each player once: their last name, bot or not, and their total over the stored rounds. */
function playersOf(results: ResultsJson): LessonPlayer[] {
  const players = new Map<string, LessonPlayer>();
  for (const row of results.results) {
    const known = players.get(row.playerId);
    players.set(row.playerId, { id: row.playerId, name: row.name, bot: isBotId(row.playerId), total: (known?.total ?? 0) + row.score });
  }
  return [...players.values()];
}

/** One stored round: its debrief in full, and a button asking the server to replay it from seed + log. */
function roundSection(results: ResultsJson, round: StoredRoundJson, game: PastGame, names: (id: string) => string, open: boolean): HTMLElement {
  const d = round.debrief;
  // Ended by the host before its time was up: no stage rating, and the note saying why.
  const endedEarly = round.endedEarly === true;
  const status = h("p", { class: "replay-status", role: "status", "data-round": String(round.index) });
  const check = h("button", { type: "button", class: "secondary", onclick: async () => {
    check.disabled = true;
    status.textContent = "Replaying the round from its seed and action log…";
    try {
      const r = await checkReplay(results.code, game.hostToken, round.index);
      status.textContent = r.matches
        ? `✓ Replay matches: ${r.actions.toLocaleString("en")} actions from seed ${round.seed.slice(0, 8)}… give the same final state (${r.replayedHash.slice(0, 12)}…).`
        : `✗ Replay differs: stored state ${r.storedHash.slice(0, 12)}…, replayed ${r.replayedHash.slice(0, 12)}… (${r.actions} actions).`;
      status.classList.toggle("replay-ok", r.matches);
      status.classList.toggle("replay-bad", !r.matches);
    } catch (error) {
      status.textContent = `✗ ${error instanceof Error ? error.message : String(error)}`;
      status.classList.add("replay-bad");
    } finally {
      check.disabled = false;
    }
  } }, "Check the replay");
  const minutes = Math.round(round.endMs / 1000);
  return h("details", { class: "results-round", "data-round": String(round.index), open },
    h("summary", {}, h("span", { class: "results-round-title" }, `Round ${round.index + 1} · ${scenarioLabel(round.scenario)}`),
      h("span", { class: "muted" }, ` · ${WHEN.format(round.startedAt)} · ${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, "0")} of game time`)),
    h("div", { class: "results-round-body" },
      h("div", { class: "button-row" }, check, status),
      endedEarly ? endedEarlyNote(d.durationMs) : null,
      h("ul", { class: "story" }, ...d.story.map((line) => h("li", {}, line))),
      h("p", { class: "trade-off" }, h("strong", {}, "The trade-off: "), d.tradeOff),
      d.rosette ? rosetteView(d.rosette, d.scenario, { heading: "h4", stage: !endedEarly }) : null,
      lossesSection(d, names, null),
      allCharts(d),
      figuresList(headlineFigures(d))));
}

/** The results page of game `code`. */
export async function showResults(main: HTMLElement, code: string): Promise<void> {
  document.title = `Results ${code} · L2 Arena`;
  const game = code ? pastGame(code) : null;
  const top = h("header", { class: "topbar" },
    h("span", { class: "brand" }, "L2 Arena · results"),
    code ? h("span", { class: "game-code" }, "Game ", h("strong", { class: "code" }, code)) : null,
    h("a", { href: "/host" }, "Host console ↩"));
  if (!game) {
    replaceChildren(main, top, h("div", { class: "narrow" },
      h("h1", {}, "Results"),
      h("p", { role: "alert" }, code
        ? `This browser did not host game ${code}: its results open only where the game was hosted (that browser keeps the game's host token).`
        : "Pick one of your games below."),
      await pastGamesList(null)));
    return;
  }
  replaceChildren(main, top, h("p", { class: "narrow" }, "Loading the results…"));
  let results: ResultsJson;
  try {
    results = await fetchResults(code, game.hostToken);
  } catch (error) {
    replaceChildren(main, top, h("div", { class: "narrow" }, h("h1", {}, `Results of game ${code}`),
      h("p", { role: "alert", class: "form-error" }, error instanceof Error ? error.message : String(error))));
    return;
  }
  const status = await gameStatus(code);
  const players = playersOf(results);
  const names = new Map(players.map((p) => [p.id, p.name]));
  const nameOf = (id: string) => names.get(id) ?? id;
  const rounds = results.rounds.map((r) => ({
    index: r.index, scenario: r.scenario, endedEarly: r.endedEarly === true, tradeOff: r.debrief.tradeOff, story: r.debrief.story,
    ...(r.debrief.rosette ? { rosette: r.debrief.rosette } : {}), scores: r.debrief.scores,
  }));
  replaceChildren(main, top,
    h("h1", { id: "results-title" }, `Results of game ${code}`),
    h("p", { class: "muted" }, `Created ${WHEN.format(game.createdAt)} · ${results.rounds.length} round${results.rounds.length === 1 ? "" : "s"} played · `,
      status === "live" ? h("span", {}, "the game is still running: this page shows the rounds played so far. ", h("a", { href: "/host" }, "Back to its console")) : "the game has ended."),
    h("section", { class: "panel results-downloads", "aria-label": "Downloads" },
      h("h2", {}, "Download"),
      h("p", {}, h("a", { class: "button", href: resultsDownload(code, game.hostToken, "csv"), download: `l2arena-${code}-results.csv` }, "Results (CSV)"), " ",
        h("a", { class: "button secondary", href: resultsDownload(code, game.hostToken, "json"), download: `l2arena-${code}-results.json` }, "Every round (JSON)")),
      h("p", { class: "hint" }, "The CSV has one line per player per round (the role played in that round and its points), then each player's total; the JSON has every round's seed, settings, debrief and final state hash.")),
    results.rounds.length === 0
      ? h("p", { class: "notice-box" }, "No round has been played yet: the results fill in as rounds end.")
      : h("section", { "aria-labelledby": "lesson-title" }, h("h2", { id: "lesson-title" }, "The whole lesson"),
        lessonSummary(rounds, players, { top: players.length, bots: "list", me: null })),
    results.rounds.length === 0 ? null : h("section", { "aria-labelledby": "rounds-title", class: "results-rounds" },
      h("h2", { id: "rounds-title" }, "Every round's debrief"),
      ...results.rounds.map((r, i) => roundSection(results, r, game, nameOf, i === results.rounds.length - 1))));
}
