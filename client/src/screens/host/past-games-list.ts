import { gameStatus } from "../../net/api.ts";
import type { GameStatus } from "../../net/api.ts";
import { h } from "../../ui/dom.ts";
import { pastGames, resultsPath } from "./past-games.ts";
import "../results.css";
import type { PastGame } from "./past-games.ts";

const WHEN = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });

const STATE: Record<GameStatus, string> = { live: "● running", ended: "ended", unknown: "gone from this server", unreachable: "server unreachable" };

/**
 * The games this browser hosted, newest first: when, whether each is still running, a link to
 * its results and, for a running one, a button back to its console (`open`, on the host page).
 */
export async function pastGamesList(current: string | null, open?: (game: PastGame) => void): Promise<HTMLElement | null> {
  const games = pastGames();
  if (games.length === 0) return null;
  const statuses = await Promise.all(games.map((g) => gameStatus(g.code)));
  return h("section", { class: "panel past-games", "aria-labelledby": "past-games-title" },
    h("h2", { id: "past-games-title" }, "Your games in this browser"),
    h("table", {},
      h("caption", { class: "visually-hidden" }, "Games hosted from this browser, newest first"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Game"), h("th", { scope: "col" }, "Created"), h("th", { scope: "col" }, "State"), h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Links")))),
      h("tbody", {}, ...games.map((g, i) => {
        const status = statuses[i]!;
        return h("tr", { class: g.code === current ? "me" : "", "data-game": g.code },
          h("th", { scope: "row" }, h("span", { class: "code" }, g.code)),
          h("td", {}, WHEN.format(g.createdAt)),
          h("td", {}, STATE[status]),
          h("td", {}, h("div", { class: "past-game-links" },
            status === "unknown" ? null : h("a", { href: resultsPath(g.code) }, `Results of ${g.code}`),
            status === "live" && open ? h("button", { type: "button", class: "secondary small", onclick: () => open(g) }, `Open the console of ${g.code}`) : null)));
      }))));
}
