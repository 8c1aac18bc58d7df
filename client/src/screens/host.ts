import { DIFFICULTIES, ROLES } from "../../../shared/protocol/messages.ts";
import type { Difficulty, Role } from "../../../shared/protocol/messages.ts";
import { LESSON_PLANS, describeRound } from "../lesson-plans.ts";
import { createSession, lookupSession } from "../net/api.ts";
import { GameClock } from "../net/clock.ts";
import { Connection, joinErrorText } from "../net/connection.ts";
import { parseJson } from "../net/snapshot.ts";
import type { PlannedRound, PlayerSnap, Snapshot } from "../net/snapshot.ts";
import { hostSession, reconnectionToken, saveHostSession } from "../net/storage.ts";
import type { HostSession } from "../net/storage.ts";
import { h, replaceChildren, setDisabled, setHidden, setText, syncList } from "../ui/dom.ts";
import { ROLE_LABEL, formatClock } from "../ui/format.ts";
import { showError, showNotice } from "../ui/messages.ts";
import { createDebriefView } from "../views/debrief.ts";
import { field, panel } from "../views/view.ts";

const ACK_TEXT: Record<string, string> = {
  "host:plan": "Lesson plan saved.",
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

/** The host's start page: create a game, or go back to the one this tab hosts. */
export async function showHost(main: HTMLElement): Promise<void> {
  document.title = "Host · L2 Arena";
  const stored = hostSession();
  const resumable = stored ? await lookupSession(stored.code) : null;
  const error = h("p", { class: "form-error", role: "alert" });
  const create = h("button", { type: "button", class: "big", onclick: async () => {
    create.disabled = true;
    error.textContent = "";
    try {
      const session = await createSession();
      saveHostSession({ code: session.code, hostToken: session.hostToken });
      await openConsole(main, { code: session.code, hostToken: session.hostToken });
    } catch (err) {
      error.textContent = joinErrorText(err);
      create.disabled = false;
    }
  } }, "Create a new game");
  const resume = stored && resumable?.ok
    ? h("button", { type: "button", class: "big secondary", onclick: () => void openConsole(main, stored).catch((err) => { error.textContent = joinErrorText(err); }) }, `Back to game ${stored.code}`)
    : null;
  replaceChildren(main, h("div", { class: "narrow" },
    h("p", {}, h("a", { href: "/" }, "← L2 Arena")),
    h("h1", {}, "Host a game"),
    h("p", {}, "You get a join code for your class and a console to run rounds. Open the projector view on the big screen."),
    h("div", { class: "button-row" }, create, resume),
    error));
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

/** The host console: roster and roles, lesson plan, bots, round controls, results. */
async function openConsole(main: HTMLElement, session: HostSession): Promise<void> {
  const conn = await connectHost(session);
  const { code, hostToken: token } = session;
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
    if (window.confirm("End the game for everyone? Results stay downloadable.")) conn.send("host:endSession", { token });
  } }, "End the game");

  // Lesson plan
  const planSelect = h("select", { name: "plan" }, ...LESSON_PLANS.map((p) => h("option", { value: p.id }, p.label)));
  const planDescription = h("p", { class: "hint" });
  const describePlan = () => setText(planDescription, LESSON_PLANS.find((p) => p.id === planSelect.value)?.description ?? "");
  planSelect.addEventListener("change", describePlan);
  describePlan();
  const applyPlan = h("button", { type: "submit" }, "Use this plan");
  const planForm = h("form", { class: "action-form", onsubmit: (e: Event) => {
    e.preventDefault();
    const plan = LESSON_PLANS.find((p) => p.id === planSelect.value);
    if (plan) conn.send("host:plan", { token, rounds: plan.rounds });
  } }, field("Lesson plan", planSelect), planDescription, applyPlan);
  const planList = h("ol", { class: "plan-list", "aria-label": "Rounds in the lesson plan" });

  // Bots
  const botCount = h("input", { type: "number", min: "1", max: "300", value: "1", name: "botCount", required: true });
  const botRole = h("select", { name: "botRole" }, h("option", { value: "" }, "Any (a sequencer first)"), ...ROLES.map((r) => h("option", { value: r }, ROLE_LABEL[r] ?? r)));
  const botDifficulty = h("select", { name: "botDifficulty" }, ...DIFFICULTIES.map((d) => h("option", { value: d, selected: d === "normal" }, d)));
  const botForm = h("form", { class: "action-form", onsubmit: (e: Event) => {
    e.preventDefault();
    const count = Number(botCount.value);
    if (!Number.isInteger(count) || count < 1 || count > 300) return showError("Add between 1 and 300 bots at a time.");
    const role = botRole.value ? (botRole.value as Role) : undefined;
    conn.send("host:addBots", { token, count, difficulty: botDifficulty.value as Difficulty, ...(role ? { role } : {}) });
  } }, h("div", { class: "inline-fields" }, field("How many", botCount), field("Role", botRole), field("Difficulty", botDifficulty)), h("button", { type: "submit" }, "Add bots"));

  // Roster
  const lock = h("input", { type: "checkbox", name: "lock", onchange: () => conn.send("host:lock", { token, locked: lock.checked }) });
  const autoBalance = h("button", { type: "button", class: "secondary", onclick: () => conn.send("host:autoBalance", { token }) }, "Auto-balance roles");
  const rosterBody = h("tbody");
  const rosterCount = h("p", { class: "muted" });
  const roster = h("table", { class: "roster" },
    h("caption", { class: "visually-hidden" }, "Players"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Player"), h("th", { scope: "col" }, "Role"), h("th", { scope: "col", class: "num" }, "Score"), h("th", { scope: "col" }, "Status"), h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Actions")))),
    rosterBody);

  const resultsCsv = `/api/sessions/${code}/results.csv?token=${encodeURIComponent(token)}`;
  const resultsJson = `/api/sessions/${code}/results.json?token=${encodeURIComponent(token)}`;
  const debrief = createDebriefView(() => null);
  const joinUrl = `${location.origin}/join?code=${code}`;

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
        panel("Lesson plan", planList, planForm),
        panel("Bots", h("p", { class: "muted" }, "Bots fill small classes. A bot sequencer cheats on its 2nd batch."), botForm),
        panel("Results", h("p", {}, h("a", { href: resultsCsv, download: `l2arena-${code}-results.csv` }, "Download results (CSV)"), " · ",
          h("a", { href: resultsJson, download: `l2arena-${code}-results.json` }, "Download rounds (JSON)")),
          h("div", { class: "button-row" }, endSession))),
      h("div", { class: "host-col" },
        panel("Players", h("p", {}, "Students join at ", h("strong", {}, joinUrl)),
          h("div", { class: "button-row" }, h("label", { class: "check" }, lock, " Lock the game (nobody new can join)"), autoBalance),
          rosterCount, h("div", { class: "roster-wrap" }, roster)))),
    debrief.el,
  );

  const renderPlayer = (s: Snapshot, p: PlayerSnap): HTMLElement => {
    const between = s.phase === "lobby" || s.phase === "debrief";
    const select = h("select", { "aria-label": `Role of ${p.name}`, "data-fk": `role-${p.id}`, disabled: !between, onchange: () => {
      conn.send("host:assign", { token, playerId: p.id, role: select.value as Role });
    } }, ...(p.role ? [] : [h("option", { value: "", selected: true }, "—")]), ...ROLES.map((r) => h("option", { value: r, selected: r === p.role }, ROLE_LABEL[r] ?? r)));
    return h("tr", {},
      h("th", { scope: "row" }, p.name, p.bot ? " (bot)" : ""),
      h("td", {}, select),
      h("td", { class: "num" }, String(p.score)),
      h("td", {}, p.bot ? "bot" : p.connected ? "online" : "offline ⚠"),
      h("td", {}, h("button", { type: "button", class: "secondary small", "data-fk": `kick-${p.id}`, "aria-label": `Kick ${p.name}`, onclick: () => {
        if (window.confirm(`Remove ${p.name} from the game?`)) conn.send("host:kick", { token, playerId: p.id });
      } }, "Kick")));
  };

  const update = (s: Snapshot) => {
    clock.update(s);
    const between = s.phase === "lobby" || s.phase === "debrief";
    const inRound = s.phase === "running" || s.phase === "paused";
    const hasNext = s.roundIndex + 1 < s.roundCount;
    const phaseName: Record<string, string> = { lobby: "Lobby", running: "Running", paused: "Paused", debrief: "Debrief", final: "Final results", ended: "Ended" };
    const progress = s.phase === "lobby" ? `${s.roundCount} round${s.roundCount === 1 ? "" : "s"} planned`
      : inRound ? `round ${s.roundIndex + 1} of ${s.roundCount}`
      : `${s.roundIndex + 1} of ${s.roundCount} round${s.roundCount === 1 ? "" : "s"} played`;
    setText(phaseText, `${phaseName[s.phase] ?? s.phase} · ${progress}`);
    setDisabled(start, !(between && hasNext));
    setText(start, hasNext ? `Start round ${s.roundIndex + 2}` : "All rounds played");
    setHidden(debriefLink, !(s.phase === "debrief" || s.phase === "final"));
    setHidden(pause, s.phase === "paused");
    setDisabled(pause, s.phase !== "running");
    setHidden(resume, s.phase !== "paused");
    setDisabled(extend, !inRound);
    setDisabled(skip, !(inRound || (between && hasNext && s.roundIndex >= 0)));
    setText(skip, inRound ? "Skip (end now)" : "Skip next round");
    setDisabled(endRound, !inRound);
    setDisabled(applyPlan, !between);
    setDisabled(autoBalance, !between);
    if (lock.checked !== s.locked) lock.checked = s.locked;

    const plan = parseJson<PlannedRound[]>(s.plan, []);
    syncList(planList, plan.map((round, i) => ({ round, i })), ({ i }) => String(i), ({ round, i }) => `${describeRound(round)}|${s.roundIndex}|${s.phase}|${i}`, ({ round, i }) => {
      const state = i < s.roundIndex || (i === s.roundIndex && !inRound) ? " (played)" : i === s.roundIndex ? " (now)" : "";
      return h("li", { class: i === s.roundIndex && inRound ? "current" : "" }, `${describeRound(round)}${state}`);
    });

    const players = Object.values(s.players).sort((a, b) => Number(a.bot) - Number(b.bot) || a.name.localeCompare(b.name));
    const counts = ROLES.map((r) => `${players.filter((p) => p.role === r).length} ${r}${players.filter((p) => p.role === r).length === 1 ? "" : "s"}`).join(", ");
    setText(rosterCount, `${players.length} player${players.length === 1 ? "" : "s"}: ${counts}.`);
    syncList(rosterBody, players, (p) => p.id, (p) => `${p.name}|${p.role}|${p.score}|${p.connected}|${between}`, (p) => renderPlayer(s, p));

    const showDebrief = s.phase === "debrief" || s.phase === "final";
    setHidden(debrief.el, !showDebrief);
    if (showDebrief) debrief.update(s);
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
      h("p", { role: "alert" }, reason.message),
      h("p", {}, h("a", { class: "button", href: "/host" }, reason.ended ? "Host another game" : "Back to the console"))));
  });
}
