import { roleSummary } from "../../../shared/protocol/messages.ts";
import type { Role } from "../../../shared/protocol/messages.ts";
import { Connection } from "../net/connection.ts";
import { parseJson } from "../net/snapshot.ts";
import type { Snapshot } from "../net/snapshot.ts";
import { playerKey, reconnectionToken } from "../net/storage.ts";
import { h, replaceChildren, setHidden, setText, syncList } from "../ui/dom.ts";
import { ROLE_LABEL, formatClock } from "../ui/format.ts";
import { showNotice } from "../ui/messages.ts";
import { createDebriefView } from "../views/debrief.ts";
import { createLossNotices } from "../views/loss-notices.ts";
import { createRoleView } from "../views/registry.ts";
import type { PlayContext, View } from "../views/view.ts";
import { showJoin } from "./join.ts";
import { hiddenWords, lobbyChips } from "../ui/ranking.ts";

/** Name chips a phone lobby lists before counting the rest. */
const PHONE_CHIPS = 24;

/** What the server's ack of each action means, said once to the player. */
const ACK_TEXT: Record<string, string> = {
  "user:deposit": "Deposit sent to L1: the bridge credits your L2 balance once a block includes it.",
  "user:l2": "Signed and sent to the sequencer.",
  "user:finalize": "Claim sent to L1.",
  "user:force": "Sent to the L1 delayed inbox.",
  "user:forceInclude": "Forced inclusion sent to L1.",
  "seq:include": "Soft-confirmed.",
  "seq:censor": "Censored: its sender may force it through L1.",
  "seq:post": "Batch sent to L1 with your bond.",
  "chal:challenge": "Challenge sent to L1 with your bond.",
  "dispute:move": "Move sent: it counts once L1 includes it.",
  "dispute:prove": "One-step proof sent to L1.",
};

const PAUSED_BY_HOST = "‖ The host paused the round. Actions wait until it resumes.";

const PHASE_TEXT: Record<string, string> = {
  lobby: "Waiting for the host to start",
  running: "Round running",
  paused: "Paused by the host",
  debrief: "Round over: debrief",
  final: "Game over: final results",
  ended: "The game has ended",
};

/** The scenario of the round being played or, between rounds, of the next one in the plan. */
function nextScenario(s: Snapshot): string {
  const plan = parseJson<{ scenario: string }[]>(s.plan, []);
  return plan[s.roundIndex + 1]?.scenario ?? plan.at(-1)?.scenario ?? "optimistic";
}

/** The player's own id: the one player whose private wallet this client can see. */
function myId(s: Snapshot): string | null {
  return Object.values(s.players).find((p) => p.wallet !== undefined)?.id ?? null;
}

/** After a reload: take the seat back with the stored token, or go back to the join form. */
export async function resumePlay(main: HTMLElement, code: string): Promise<void> {
  const token = reconnectionToken(code);
  if (!token) return showJoin(main, code);
  replaceChildren(main, h("p", { class: "narrow" }, "Reconnecting to your game…"));
  try {
    startPlay(main, await Connection.reconnect(code, token));
  } catch {
    showJoin(main, code, "Your seat in this game was released. Join again with your nickname.");
  }
}

/** The player's screen: lobby, then the view of their role, then the debrief. */
export function startPlay(main: HTMLElement, conn: Connection): void {
  document.title = `Game ${conn.code} · L2 Arena`;
  const key = playerKey(conn.code);
  const sendKey = () => conn.send("player:key", { publicKey: key.publicKey });
  sendKey();
  conn.onReconnect(sendKey);
  conn.onAck((ack) => {
    const text = roleView?.acks?.[ack.type] ?? ACK_TEXT[ack.type];
    if (text) showNotice(text);
  });

  const nameEl = h("span", { class: "me-name" });
  const roleEl = h("span", { class: "role-badge" });
  const scoreEl = h("span", { class: "score" });
  const phaseEl = h("span", { class: "phase" });
  const timerEl = h("span", { class: "timer", "aria-label": "Time left in the round" });
  const roleLine = h("p", { class: "role-summary" });
  const lobbyPlayers = h("ul", { class: "chips", "aria-label": "Players in the game" });
  const lobbyCount = h("p", {});
  const lobbyMore = h("p", { class: "muted" });
  const lobby = h("section", { class: "panel lobby" }, h("h2", {}, "You're in!"), lobbyCount, lobbyPlayers, lobbyMore);
  const roleHost = h("div", { class: "role-host" });
  const pausedNote = h("p", { class: "notice-box" }, PAUSED_BY_HOST);
  const debrief = createDebriefView(() => me, "phone");
  const ended = h("section", { class: "panel" }, h("h2", {}, "Thanks for playing!"), h("p", {}, h("a", { href: "/" }, "Back to the start")));
  const losses = createLossNotices(() => roleView);
  const content = h("div", { class: "play-content" }, roleLine, lobby, pausedNote, losses.el, roleHost, debrief.el, ended);

  replaceChildren(
    main,
    h("header", { class: "topbar" },
      h("span", { class: "brand" }, "L2 Arena"),
      h("span", { class: "game-code" }, `Game ${conn.code}`),
      h("span", { class: "me-box" }, nameEl, roleEl, scoreEl)),
    h("div", { class: "phase-line" }, phaseEl, timerEl),
    content,
  );

  let roleView: View | null = null;
  let roleViewKey = "";
  let me: string | null = null;

  const update = (s: Snapshot) => {
    me ??= myId(s);
    if (!me) return;
    const player = s.players[me];
    const inRound = s.phase === "running" || s.phase === "paused";
    // In a round, the role played in it (a role the scenario has no use for plays as user).
    const role = ((inRound && player?.roundRole) || player?.role || "") as Role | "";
    setText(nameEl, player?.name ?? "");
    setText(roleEl, ROLE_LABEL[role] ?? role);
    roleEl.dataset.role = role;
    setText(scoreEl, `${player?.score ?? 0} pts`);
    // After a server restart the round is paused by the server, not the host: say which.
    const restarting = s.phase === "paused" && s.resumingInSec > 0;
    setText(phaseEl, restarting ? "Paused: the server restarted" : (PHASE_TEXT[s.phase] ?? s.phase));
    setText(pausedNote, restarting ? `‖ The server restarted. Everyone is coming back; the round resumes in ${s.resumingInSec} s.` : PAUSED_BY_HOST);
    setText(timerEl, inRound ? formatClock(s.roundRemainingMs) : "");
    setText(roleLine, role ? `${ROLE_LABEL[role]}: ${roleSummary(inRound ? s.scenario : nextScenario(s), role)}` : "The host will give you a role for the next round.");
    setHidden(roleLine, !(s.phase === "lobby" || inRound));

    setHidden(lobby, s.phase !== "lobby");
    if (s.phase === "lobby") {
      const all = Object.values(s.players);
      setText(lobbyCount, `${all.length} player${all.length === 1 ? "" : "s"} in the game. Waiting for the host to start.`);
      // You and your classmates first; a lecture hall's bots are counted, not listed.
      const chips = lobbyChips(all, PHONE_CHIPS);
      const mine = s.players[me];
      if (mine && !chips.shown.includes(mine)) {
        // You are always listed: the last chip makes room and is counted instead.
        const [out] = chips.shown.splice(-1, 1, mine);
        if (out?.bot) chips.hiddenBots += 1;
        else chips.hiddenStudents += 1;
        chips.hiddenStudents -= 1;
      }
      setText(lobbyMore, hiddenWords(chips));
      syncList(lobbyPlayers, chips.shown, (p) => p.id, (p) => `${p.name}|${p.id === me}|${p.connected}`, (p) =>
        h("li", { class: p.id === me ? "chip me" : "chip" }, p.bot ? `${p.name} (bot)` : p.name, p.id === me ? " (you)" : ""));
    }
    setHidden(pausedNote, s.phase !== "paused");

    const wantKey = inRound && role ? `${s.scenario}:${s.roundIndex}:${role}` : "";
    if (wantKey !== roleViewKey) {
      roleView?.dispose?.();
      roleView = null;
      roleViewKey = wantKey;
      const ctx: PlayContext = { conn, me, key };
      if (wantKey) roleView = createRoleView(s.scenario, role, ctx);
      replaceChildren(roleHost, roleView?.el ?? null);
    }
    roleView?.update(s);
    losses.update(s);

    debrief.update(s);
    setHidden(ended, s.phase !== "ended");
  };
  conn.onChange(update);
  update(conn.state);

  conn.onLeave((reason) => {
    replaceChildren(main, h("div", { class: "narrow" },
      h("h1", {}, reason.kicked ? "Removed from the game" : reason.ended ? "Game over" : "Disconnected"),
      h("p", { role: "alert" }, reason.message),
      reason.kicked || reason.ended
        ? h("p", {}, h("a", { class: "button", href: "/" }, "Back to the start"))
        : h("p", {}, h("a", { class: "button", href: `/join?code=${conn.code}` }, "Join again"))));
  });
}
