import { DIFFICULTIES, SCENARIO_LABEL } from "../../../shared/protocol/messages.ts";
import type { Difficulty, Role } from "../../../shared/protocol/messages.ts";
import { createSession, joinAddress, lookupSession, resultsDownload } from "../net/api.ts";
import { GameClock } from "../net/clock.ts";
import { Connection, joinErrorText } from "../net/connection.ts";
import type { Snapshot } from "../net/snapshot.ts";
import { hostSession, reconnectionToken, saveHostSession } from "../net/storage.ts";
import type { HostSession } from "../net/storage.ts";
import { h, replaceChildren, setDisabled, setHidden, setText } from "../ui/dom.ts";
import { ROLE_LABEL, formatClock } from "../ui/format.ts";
import { showError, showNotice } from "../ui/messages.ts";
import { createDebriefView } from "../views/debrief.ts";
import { field, panel } from "../views/view.ts";
import { pastGamesList } from "./host/past-games-list.ts";
import { rememberGame, resultsPath } from "./host/past-games.ts";
import { createPlanEditor, planOf } from "./host/plan-editor.ts";
import { createRoster, roleScenario, rolesFor } from "./host/roster.ts";

const ACK_TEXT: Record<string, string> = {
  "host:start": "Round started.",
  "host:pause": "Paused.",
  "host:resume": "Resumed.",
  "host:extend": "Round extended.",
  "host:skip": "Skipped.",
  "host:endRound": "Round ended.",
  "host:addBots": "Bots added.",
  "host:autoBalance": "Roles balanced.",
  "host:kick": "Player removed.",
  "host:endSession": "Game ended.",
};

/**
 * The host's start page: create a game, go back to the one this tab hosts, or to any game this
 * browser hosted (its console while it runs, its results for ever).
 */
export async function showHost(main: HTMLElement): Promise<void> {
  document.title = "Host · L2 Arena";
  const stored = hostSession();
  const resumable = stored ? await lookupSession(stored.code) : null;
  const error = h("p", { class: "form-error", role: "alert" });
  const open = (session: HostSession) => void openConsole(main, session).catch((err) => { error.textContent = joinErrorText(err); });
  const create = h("button", { type: "button", class: "big", onclick: async () => {
    create.disabled = true;
    error.textContent = "";
    try {
      const session = await createSession();
      saveHostSession({ code: session.code, hostToken: session.hostToken });
      rememberGame({ code: session.code, hostToken: session.hostToken, createdAt: Date.now() });
      await openConsole(main, { code: session.code, hostToken: session.hostToken });
    } catch (err) {
      error.textContent = joinErrorText(err);
      create.disabled = false;
    }
  } }, "Create a new game");
  const resume = stored && resumable?.ok
    ? h("button", { type: "button", class: "big secondary", onclick: () => open(stored) }, `Back to game ${stored.code}`)
    : null;
  // This tab's game has ended: its results are one click away.
  const ended = stored && !resumable?.ok
    ? h("p", { class: "notice-box" }, `Game ${stored.code} has ended. `, h("a", { href: resultsPath(stored.code) }, `See the results of ${stored.code}`))
    : null;
  replaceChildren(main, h("div", { class: "narrow host-start" },
    h("p", {}, h("a", { href: "/" }, "← L2 Arena")),
    h("h1", {}, "Host a game"),
    h("p", {}, "You get a join code for your class and a console to run rounds. Open the projector view on the big screen."),
    ended,
    h("div", { class: "button-row" }, create, resume),
    error,
    await pastGamesList(stored?.code ?? null, (game) => {
      saveHostSession({ code: game.code, hostToken: game.hostToken });
      open({ code: game.code, hostToken: game.hostToken });
    })));
  create.focus();
}

async function connectHost(session: HostSession): Promise<Connection> {
  const token = reconnectionToken(session.code);
  if (token) {
    try {
      return await Connection.reconnect(session.code, token);
    } catch {
      // The seat is gone (too long away): the host token opens a new one.
    }
  }
  return Connection.join(session.code, { hostToken: session.hostToken });
}

/** The host console: round controls, lesson plan, bots, results, and the roster with roles. */
async function openConsole(main: HTMLElement, session: HostSession): Promise<void> {
  const conn = await connectHost(session);
  const { code, hostToken: token } = session;
  // Kept in this browser for good: the results page needs the token after the game ends.
  rememberGame({ code, hostToken: token, createdAt: Date.now() });
  document.title = `Host ${code} · L2 Arena`;
  const clock = new GameClock();
  conn.onAck((ack) => {
    const text = ACK_TEXT[ack.type];
    if (text) showNotice(text);
  });

  // Round controls
  const timer = h("p", { class: "big-timer", role: "timer", "aria-label": "Time left in the round" }, "—");
  const phaseText = h("p", { class: "phase" });
  const start = h("button", { type: "button", onclick: () => conn.send("host:start", { token }) }, "Start next round");
  const pause = h("button", { type: "button", class: "secondary", onclick: () => conn.send("host:pause", { token }) }, "Pause");
  const resume = h("button", { type: "button", onclick: () => conn.send("host:resume", { token }) }, "Resume");
  const extend = h("button", { type: "button", class: "secondary", onclick: () => conn.send("host:extend", { token, seconds: 30 }) }, "+30 s");
  const skip = h("button", { type: "button", class: "secondary", onclick: () => conn.send("host:skip", { token }) }, "Skip");
  const endRound = h("button", { type: "button", class: "danger", onclick: () => conn.send("host:endRound", { token }) }, "End round");
  const debriefLink = h("p", {}, h("a", { href: "#debrief-title" }, "The debrief is below ↓"));
  const endSession = h("button", { type: "button", class: "danger", onclick: () => {
    if (window.confirm("End the game for everyone? Its results stay on the results page and downloadable.")) conn.send("host:endSession", { token });
  } }, "End the game");

  const plan = createPlanEditor(conn, token);
  // Phones can't open "localhost": the server says which address they can reach.
  const address = await joinAddress();
  const joinUrl = `${address.origin}/join?code=${code}`;
  const roster = createRoster(conn, token, joinUrl, address.hint);

  // Bots: the role list follows the scenario roles are assigned for.
  const botCount = h("input", { type: "number", min: "1", max: "300", value: "1", name: "botCount", required: true });
  const botRole = h("select", { name: "botRole" });
  let botRolesFor = "-";
  const botDifficulty = h("select", { name: "botDifficulty" }, ...DIFFICULTIES.map((d) => h("option", { value: d, selected: d === "normal" }, d)));
  const botForm = h("form", { class: "action-form", onsubmit: (e: Event) => {
    e.preventDefault();
    const count = Number(botCount.value);
    if (!Number.isInteger(count) || count < 1 || count > 300) return showError("Add between 1 and 300 bots at a time.");
    const role = botRole.value ? (botRole.value as Role) : undefined;
    conn.send("host:addBots", { token, count, difficulty: botDifficulty.value as Difficulty, ...(role ? { role } : {}) });
  } }, h("div", { class: "inline-fields" }, field("How many", botCount), field("Role", botRole), field("Difficulty", botDifficulty)), h("button", { type: "submit" }, "Add bots"));

  const debrief = createDebriefView(() => null, "host");

  replaceChildren(
    main,
    h("header", { class: "topbar" },
      h("span", { class: "brand" }, "L2 Arena · host"),
      h("span", { class: "game-code" }, "Game ", h("strong", { class: "code" }, code)),
      h("a", { href: `/projector?code=${code}`, target: "_blank", rel: "noopener" }, "Open the projector view ↗")),
    h("div", { class: "host-grid" },
      h("div", { class: "host-col" },
        panel("Round", phaseText, timer,
          h("div", { class: "button-row" }, start, pause, resume, extend, skip, endRound), debriefLink),
        plan.el,
        panel("Bots", h("p", { class: "muted" }, "Bots fill small classes. A bot takes the round's lead role first (sequencer, prover, operator…); hard bots cheat."), botForm),
        panel("Results",
          h("p", {}, h("a", { href: resultsPath(code), target: "_blank", rel: "noopener" }, "Open the results page ↗"),
            " (every round's debrief, replay checks; stays available after the game ends)"),
          h("p", {}, h("a", { href: resultsDownload(code, token, "csv"), download: `l2arena-${code}-results.csv` }, "Download results (CSV)"), " · ",
            h("a", { href: resultsDownload(code, token, "json"), download: `l2arena-${code}-results.json` }, "Download rounds (JSON)")),
          h("div", { class: "button-row" }, endSession))),
      h("div", { class: "host-col" }, roster.el)),
    debrief.el,
  );

  const update = (s: Snapshot) => {
    clock.update(s);
    const between = s.phase === "lobby" || s.phase === "debrief";
    const inRound = s.phase === "running" || s.phase === "paused";
    const { rounds, next } = planOf(s);
    const phaseName: Record<string, string> = { lobby: "Lobby", running: "Running", paused: "Paused", debrief: "Debrief", final: "Final results", ended: "Ended" };
    const current = SCENARIO_LABEL[s.scenario as keyof typeof SCENARIO_LABEL] ?? s.scenario;
    const progress = s.phase === "lobby" ? `${rounds.length} round${rounds.length === 1 ? "" : "s"} planned`
      : inRound ? `round ${s.roundIndex + 1} of ${rounds.length}: ${current}`
      : `${s.roundIndex + 1} of ${rounds.length} round${rounds.length === 1 ? "" : "s"} played`;
    const restarting = s.phase === "paused" && s.resumingInSec > 0;
    setText(phaseText, `${restarting ? `Paused: the server restarted, resuming by itself in ${s.resumingInSec} s (or press Resume)` : (phaseName[s.phase] ?? s.phase)} · ${progress}`);
    setDisabled(start, !(between && next !== null));
    const nextScenario = next !== null ? rounds[next]!.scenario : "";
    setText(start, next !== null ? `Start round ${next + 1}: ${SCENARIO_LABEL[nextScenario as keyof typeof SCENARIO_LABEL] ?? nextScenario}` : "All rounds played");
    setHidden(debriefLink, !(s.phase === "debrief" || s.phase === "final"));
    setHidden(pause, s.phase === "paused");
    setDisabled(pause, s.phase !== "running");
    setHidden(resume, s.phase !== "paused");
    setDisabled(extend, !inRound);
    setDisabled(skip, !(inRound || (between && next !== null && s.roundIndex >= 0)));
    setText(skip, inRound ? "Skip (end now)" : "Skip next round");
    setDisabled(endRound, !inRound);

    const scenario = roleScenario(s);
    if (botRolesFor !== String(scenario)) {
      botRolesFor = String(scenario);
      const chosen = botRole.value;
      replaceChildren(botRole, h("option", { value: "" }, "Any (lead role first)"),
        ...rolesFor(scenario).map((r) => h("option", { value: r, selected: r === chosen }, ROLE_LABEL[r] ?? r)));
    }
    plan.update(s);
    roster.update(s);

    debrief.update(s);
  };
  conn.onChange(update);
  update(conn.state);
  const tick = window.setInterval(() => {
    const s = conn.state;
    setText(timer, s.phase === "running" || s.phase === "paused" ? formatClock(clock.remaining()) : "—");
  }, 250);

  conn.onLeave((reason) => {
    window.clearInterval(tick);
    if (reason.ended) saveHostSession(null);
    replaceChildren(main, h("div", { class: "narrow" },
      h("h1", {}, reason.ended ? "Game over" : "Disconnected"),
      h("p", { role: "alert" }, reason.ended ? `Game ${code} has ended. Its results are kept: every round's debrief, the CSV and the JSON.` : reason.message),
      h("div", { class: "button-row" },
        h("a", { class: "button big", href: resultsPath(code) }, `See the results of ${code}`),
        h("a", { class: "button secondary", href: "/host" }, reason.ended ? "Host another game" : "Back to the console"))));
  });
}
