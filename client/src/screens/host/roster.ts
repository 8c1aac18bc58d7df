import { ROLES, SCENARIOS, SCENARIO_LABEL, SCENARIO_ROLES } from "../../../../shared/protocol/messages.ts";
import type { Role, Scenario } from "../../../../shared/protocol/messages.ts";
import type { Connection } from "../../net/connection.ts";
import type { PlayerSnap, Snapshot } from "../../net/snapshot.ts";
import { h, setDisabled, setText, syncList } from "../../ui/dom.ts";
import { ROLE_LABEL } from "../../ui/format.ts";
import { panel } from "../../views/view.ts";
import type { View } from "../../views/view.ts";
import { planOf } from "./plan-editor.ts";
import { TRANSPORT_HINT, TRANSPORT_LABEL } from "../../net/transport-label.ts";
import { studentsFirst } from "../../ui/ranking.ts";
import { roleWarnings } from "./role-warnings.ts";

/** The scenario roles are assigned for: the running round's, else the next planned one's (null when none is planned). */
export function roleScenario(s: Snapshot): Scenario | null {
  const inRound = s.phase === "running" || s.phase === "paused";
  const { rounds, next } = planOf(s);
  const name = inRound ? s.scenario : next !== null ? rounds[next]!.scenario : null;
  return (SCENARIOS as readonly string[]).includes(name ?? "") ? (name as Scenario) : null;
}

/** The roles a host may hand out for `scenario` (every role when nothing is planned). */
export function rolesFor(scenario: Scenario | null): readonly Role[] {
  return scenario ? SCENARIO_ROLES[scenario] : ROLES;
}

/** "online", and how: a player on the HTTP fallback tells the teacher the network blocks WebSocket. */
function connectionCell(p: PlayerSnap): HTMLElement {
  const label = p.transport ? TRANSPORT_LABEL[p.transport] : undefined;
  return h("span", { class: p.transport === "polling" ? "transport-fallback" : "", title: (p.transport && TRANSPORT_HINT[p.transport]) || "", "data-transport": p.transport ?? "" }, label ? `online · ${label}` : "online");
}

/** Players and their roles: lock the game, auto-balance, assign a role of the next round's scenario, kick. */
export function createRoster(conn: Connection, token: string, joinUrl: string, joinHint: string | null = null): View {
  const lock = h("input", { type: "checkbox", name: "lock", onchange: () => conn.send("host:lock", { token, locked: lock.checked }) });
  const autoBalance = h("button", { type: "button", class: "secondary", onclick: () => conn.send("host:autoBalance", { token }) }, "Auto-balance roles");
  const rolesHint = h("p", { class: "hint" });
  const body = h("tbody");
  const count = h("p", { class: "muted" });
  const warnings = h("ul", { class: "role-warnings", "aria-live": "polite" });
  const table = h("table", { class: "roster" },
    h("caption", { class: "visually-hidden" }, "Players"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Player"), h("th", { scope: "col" }, "Role"), h("th", { scope: "col", class: "num" }, "Score"), h("th", { scope: "col" }, "Status"), h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Actions")))),
    body);

  const row = (p: PlayerSnap, between: boolean, scenario: Scenario | null): HTMLElement => {
    const roles = rolesFor(scenario);
    // A role outside the scenario stays listed so the select shows the truth: that player plays as a user.
    const offScenario = p.role && !roles.includes(p.role as Role) ? p.role : null;
    const select = h("select", { "aria-label": `Role of ${p.name}`, "data-fk": `role-${p.id}`, disabled: !between, onchange: () => {
      conn.send("host:assign", { token, playerId: p.id, role: select.value as Role });
    } },
      ...(p.role ? [] : [h("option", { value: "", selected: true }, "—")]),
      ...(offScenario ? [h("option", { value: offScenario, selected: true }, `${ROLE_LABEL[offScenario] ?? offScenario} (plays as user)`)] : []),
      ...roles.map((r) => h("option", { value: r, selected: r === p.role }, ROLE_LABEL[r] ?? r)));
    return h("tr", {},
      h("th", { scope: "row" }, p.name, p.bot ? " (bot)" : ""),
      h("td", {}, select),
      h("td", { class: "num" }, String(p.score)),
      h("td", {}, p.bot ? "bot" : p.connected ? connectionCell(p) : "offline ⚠"),
      h("td", {}, h("button", { type: "button", class: "secondary small", "data-fk": `kick-${p.id}`, "aria-label": `Kick ${p.name}`, onclick: () => {
        if (window.confirm(`Remove ${p.name} from the game?`)) conn.send("host:kick", { token, playerId: p.id });
      } }, "Kick")));
  };

  const el = panel("Players", h("p", {}, "Students join at ", h("strong", { "data-join-address": joinUrl }, joinUrl)),
    joinHint ? h("p", { class: "hint warning", role: "note" }, joinHint) : null,
    h("div", { class: "button-row" }, h("label", { class: "check" }, lock, " Lock the game (nobody new can join)"), autoBalance),
    rolesHint, count, warnings, h("div", { class: "roster-wrap" }, table));
  return {
    el,
    update(s: Snapshot) {
      const between = s.phase === "lobby" || s.phase === "debrief";
      const scenario = roleScenario(s);
      setDisabled(autoBalance, !between);
      if (lock.checked !== s.locked) lock.checked = s.locked;
      setText(rolesHint, scenario
        ? `Roles for ${between ? "the next round" : "this round"} (${SCENARIO_LABEL[scenario]}): ${rolesFor(scenario).map((r) => ROLE_LABEL[r] ?? r).join(", ")}.`
        : "Plan a round to assign its roles.");
      const players = studentsFirst(Object.values(s.players));
      const counts = rolesFor(scenario).map((r) => {
        const n = players.filter((p) => p.role === r).length;
        return `${n} ${(ROLE_LABEL[r] ?? r).toLowerCase()}${n === 1 ? "" : "s"}`;
      }).join(", ");
      setText(count, `${players.length} player${players.length === 1 ? "" : "s"}: ${counts}.`);
      // A role the scenario has no use for plays as user, as the server plays it.
      const played = players.map((p) => ({ role: scenario && rolesFor(scenario).includes(p.role as Role) ? p.role : "user", bot: p.bot }));
      const found = between ? roleWarnings(scenario, played) : [];
      syncList(warnings, found, (w) => w.text, (w) => w.level, (w) => h("li", { class: `role-warning ${w.level}` }, w.level === "problem" ? "⚠ " : "ℹ ", w.text));
      syncList(body, players, (p) => p.id, (p) => `${p.name}|${p.role}|${p.score}|${p.connected}|${p.transport}|${between}|${scenario}`, (p) => row(p, between, scenario));
    },
  };
}
