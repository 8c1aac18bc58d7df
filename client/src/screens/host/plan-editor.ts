import { LESSON_PLANS, describeParams, describeRound, formatDuration, parseDuration } from "../../../../shared/lessons/plans.ts";
import { SCENARIOS, SCENARIO_LABEL } from "../../../../shared/protocol/messages.ts";
import type { RoundPlan, Scenario } from "../../../../shared/protocol/messages.ts";
import type { Connection } from "../../net/connection.ts";
import { parseJson } from "../../net/snapshot.ts";
import type { PlannedRound, Snapshot } from "../../net/snapshot.ts";
import { h, replaceChildren, setDisabled, setText, syncList } from "../../ui/dom.ts";
import { field, panel } from "../../views/view.ts";
import type { View } from "../../views/view.ts";
import "./host.css";

/** host:plan's limits (shared/protocol/messages.ts roundPlan): rounds per message and seconds per round. */
const MAX_ROUNDS = 12;
const MIN_SEC = 30;
const MAX_SEC = 3600;

/** One editable round; `key` keeps focus on the same row when rows move. */
interface DraftRound {
  key: number;
  scenario: Scenario;
  /** What the host typed; parsed on save. */
  duration: string;
  params?: Record<string, number>;
}

/** The planned rounds, and which of them comes next (null once every round is played). */
export function planOf(s: Snapshot): { rounds: PlannedRound[]; next: number | null } {
  const rounds = parseJson<PlannedRound[]>(s.plan, []);
  const next = s.roundIndex + 1;
  return { rounds, next: next < rounds.length ? next : null };
}

/**
 * The host's lesson plan: the rounds planned (played, running, next), a preset to start from, and
 * an editor for the rounds not yet played: scenario, duration, order. Saving sends "host:plan";
 * the server's refusal is shown (and announced) next to the form.
 */
export function createPlanEditor(conn: Connection, token: string): View {
  let draft: DraftRound[] = [];
  let dirty = false;
  let keys = 0;
  /** The rounds already played or running: the server keeps them whatever is saved. */
  let done = 0;
  let editable = false;
  let lastServerPlan = "";
  let latest: Snapshot | null = null;

  const planList = h("ol", { class: "plan-list", "aria-label": "Rounds in the lesson plan" });
  const nextText = h("p", { class: "plan-next" });

  const presetSelect = h("select", { name: "preset" }, ...LESSON_PLANS.map((p) => h("option", { value: p.id }, p.label)));
  const presetDescription = h("p", { class: "hint", id: "preset-description" });
  presetSelect.setAttribute("aria-describedby", presetDescription.id);
  const describePreset = () => setText(presetDescription, LESSON_PLANS.find((p) => p.id === presetSelect.value)?.description ?? "");
  presetSelect.addEventListener("change", describePreset);
  describePreset();
  const usePreset = h("button", { type: "button", onclick: () => {
    const preset = LESSON_PLANS.find((p) => p.id === presetSelect.value);
    if (preset) conn.send("host:plan", { token, rounds: preset.rounds });
  } }, "Use this plan");
  const loadPreset = h("button", { type: "button", class: "secondary", onclick: () => {
    const preset = LESSON_PLANS.find((p) => p.id === presetSelect.value);
    if (!preset) return;
    draft = preset.rounds.map(fromPlan);
    dirty = true;
    render();
    announce(`${preset.label} loaded: ${preset.rounds.length} round${preset.rounds.length === 1 ? "" : "s"}. Edit them, then save.`);
    rows.querySelector<HTMLElement>("select")?.focus();
  } }, "Edit it first");

  const rows = h("ol", { class: "plan-editor-rows", "aria-label": "Rounds to play (editable)" });
  const add = h("button", { type: "button", class: "secondary", onclick: () => {
    const last = draft.at(-1);
    const round: DraftRound = { key: ++keys, scenario: last?.scenario ?? "optimistic", duration: "4:00" };
    draft.push(round);
    dirty = true;
    render();
    announce(`Round ${done + draft.length} added.`);
    focusRow(round.key, "scenario");
  } }, "+ Add a round");
  const save = h("button", { type: "submit" }, "Save the plan");
  const discard = h("button", { type: "button", class: "secondary", onclick: () => {
    dirty = false;
    lastServerPlan = "";
    setText(error, "");
    if (latest) follow(latest);
    announce("Changes discarded.");
  } }, "Discard changes");
  // Errors interrupt (role=alert); row moves and saves are announced politely.
  const error = h("p", { class: "form-error", role: "alert", id: "plan-error" });
  const status = h("p", { class: "hint", "aria-live": "polite" });
  const announce = (text: string) => setText(status, text);
  const empty = h("p", { class: "muted" }, "No rounds left to play: load a preset or add a round.");
  const locked = h("p", { class: "hint" }, "The plan can change between rounds: before the first, or during a debrief.");

  const form = h("form", { class: "plan-editor", "aria-describedby": error.id, onsubmit: (e: Event) => {
    e.preventDefault();
    submit();
  } },
    h("div", { class: "plan-preset" }, field("Lesson plan", presetSelect), presetDescription, h("div", { class: "button-row" }, usePreset, loadPreset)),
    h("h3", { id: "plan-editor-title" }, "Rounds still to play"),
    locked, empty, rows,
    h("div", { class: "button-row" }, add, save, discard),
    error, status);

  conn.onError((e) => {
    if (e.type !== "host:plan") return;
    setText(error, `Not saved: ${e.message}`);
  });
  conn.onAck((a) => {
    if (a.type !== "host:plan") return;
    dirty = false;
    lastServerPlan = "";
    setText(error, "");
    if (latest) follow(latest);
    announce("Lesson plan saved.");
  });

  function fromPlan(round: PlannedRound | RoundPlan): DraftRound {
    return { key: ++keys, scenario: round.scenario as Scenario, duration: formatDuration(round.durationSec), ...(round.params ? { params: { ...round.params } } : {}) };
  }

  /** The draft as host:plan rounds, or the first problem (with the row to fix). */
  function validate(): { rounds: RoundPlan[] } | { message: string; key: number | null } {
    if (draft.length === 0) return { message: "Add at least one round.", key: null };
    if (draft.length > MAX_ROUNDS) return { message: `At most ${MAX_ROUNDS} rounds at a time.`, key: null };
    const rounds: RoundPlan[] = [];
    for (const [i, round] of draft.entries()) {
      const sec = parseDuration(round.duration);
      const where = `Round ${done + i + 1}`;
      if (sec === null) return { message: `${where}: type a duration like 4:00 (minutes:seconds) or 240 (seconds).`, key: round.key };
      if (sec < MIN_SEC || sec > MAX_SEC) return { message: `${where}: a round lasts from ${formatDuration(MIN_SEC)} to ${formatDuration(MAX_SEC)} (you typed ${formatDuration(sec)}).`, key: round.key };
      rounds.push({ scenario: round.scenario, durationSec: sec, ...(round.params && Object.keys(round.params).length ? { params: round.params } : {}) });
    }
    return { rounds };
  }

  function submit(): void {
    const result = validate();
    if ("message" in result) {
      setText(error, `Not saved: ${result.message}`);
      if (result.key !== null) focusRow(result.key, "duration");
      return;
    }
    setText(error, "");
    conn.send("host:plan", { token, rounds: result.rounds });
  }

  function focusRow(key: number, control: string): void {
    rows.querySelector<HTMLElement>(`[data-fk="${key}-${control}"]`)?.focus();
  }

  function move(index: number, by: -1 | 1): void {
    const target = index + by;
    const round = draft[index];
    if (!round || target < 0 || target >= draft.length) return;
    draft.splice(index, 1);
    draft.splice(target, 0, round);
    dirty = true;
    render();
    announce(`${SCENARIO_LABEL[round.scenario]} moved to round ${done + target + 1}.`);
    // Keep focus on the same button of the moved row; at the edge that button is disabled, so take the other.
    const atEdge = by === -1 ? target === 0 : target === draft.length - 1;
    focusRow(round.key, atEdge ? (by === -1 ? "down" : "up") : by === -1 ? "up" : "down");
  }

  function remove(index: number): void {
    const [round] = draft.splice(index, 1);
    if (!round) return;
    dirty = true;
    render();
    announce(`Round ${done + index + 1} (${SCENARIO_LABEL[round.scenario]}) removed.`);
    const neighbour = draft[index] ?? draft[index - 1];
    if (neighbour) focusRow(neighbour.key, "remove");
    else add.focus();
  }

  function renderRow(round: DraftRound, index: number): HTMLElement {
    const n = done + index + 1;
    const scenario = h("select", { name: `scenario-${round.key}`, "data-fk": `${round.key}-scenario`, onchange: () => {
      round.scenario = scenario.value as Scenario;
      // A scenario's own settings mean nothing to another scenario; the server would refuse them.
      delete round.params;
      dirty = true;
      render();
    } }, ...SCENARIOS.map((sc) => h("option", { value: sc, selected: sc === round.scenario }, SCENARIO_LABEL[sc])));
    const duration = h("input", { type: "text", name: `duration-${round.key}`, value: round.duration, inputmode: "numeric", autocomplete: "off",
      "data-fk": `${round.key}-duration`, spellcheck: "false", oninput: () => {
        round.duration = duration.value;
        dirty = true;
        updateButtons();
        const sec = parseDuration(duration.value);
        duration.setAttribute("aria-invalid", String(sec === null || sec < MIN_SEC || sec > MAX_SEC));
      } });
    const sec = parseDuration(round.duration);
    duration.setAttribute("aria-invalid", String(sec === null || sec < MIN_SEC || sec > MAX_SEC));
    const settings = round.params && Object.keys(round.params).length
      ? h("p", { class: "hint plan-settings" }, "Settings: ", describeParams({ durationSec: sec ?? 0, params: round.params }).split(" · ").slice(1).join(" · "))
      : null;
    const button = (label: string, fk: string, aria: string, disabled: boolean, onclick: () => void, cls = "secondary small") =>
      h("button", { type: "button", class: cls, "data-fk": `${round.key}-${fk}`, "aria-label": aria, disabled, onclick }, label);
    return h("li", { class: "plan-row" },
      h("fieldset", {},
        h("legend", {}, `Round ${n}`),
        h("div", { class: "inline-fields" },
          field("Scenario", scenario),
          field("Duration", duration, "m:ss or seconds")),
        settings,
        h("div", { class: "button-row" },
          button("↑ Up", "up", `Move round ${n} up`, index === 0, () => move(index, -1)),
          button("↓ Down", "down", `Move round ${n} down`, index === draft.length - 1, () => move(index, 1)),
          button("Remove", "remove", `Remove round ${n}`, false, () => remove(index), "danger small"))));
  }

  function updateButtons(): void {
    setDisabled(add, !editable || draft.length >= MAX_ROUNDS);
    setDisabled(save, !editable || !dirty);
    setDisabled(discard, !dirty);
    setDisabled(loadPreset, !editable);
    setDisabled(usePreset, !editable);
  }

  function render(): void {
    // Rows are re-rendered whole: a dozen at most, and their numbers change when one moves.
    replaceChildren(rows, ...draft.map(renderRow));
    empty.hidden = draft.length > 0;
    locked.hidden = editable;
    updateButtons();
    for (const control of rows.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>("input, select, button")) {
      if (!editable) control.disabled = true;
    }
  }

  const el = panel("Lesson plan", nextText, planList, form);
  return {
    el,
    update(s: Snapshot) {
      const { rounds, next } = planOf(s);
      const inRound = s.phase === "running" || s.phase === "paused";
      syncList(planList, rounds.map((round, i) => ({ round, i })), ({ i }) => String(i), ({ round, i }) => `${describeRound(round)}|${s.roundIndex}|${s.phase}|${i}`, ({ round, i }) => {
        const state = i < s.roundIndex || (i === s.roundIndex && !inRound) ? "(played ✓)" : i === s.roundIndex ? "(now)" : i === next ? "(next)" : "";
        return h("li", { class: i === s.roundIndex && inRound ? "current" : i === next ? "next" : "" }, describeRound(round), state ? h("span", { class: "plan-state" }, ` ${state}`) : null);
      });
      setText(nextText, next === null
        ? rounds.length ? "Every planned round has been played." : "No rounds planned yet: pick a preset below."
        : `Next: round ${next + 1} of ${rounds.length}, ${describeRound(rounds[next]!)}`);

      follow(s);
    },
  };

  /** Takes the server's plan into the editor unless the host is in the middle of an edit. */
  function follow(s: Snapshot): void {
    latest = s;
    const wasEditable = editable;
    // The server takes a plan between rounds only (not during one, nor after the last).
    editable = s.phase === "lobby" || s.phase === "debrief";
    const newDone = Math.max(0, s.roundIndex + 1);
    if (!dirty && (s.plan !== lastServerPlan || newDone !== done)) {
      lastServerPlan = s.plan;
      done = newDone;
      draft = parseJson<PlannedRound[]>(s.plan, []).slice(done).map(fromPlan);
      render();
    } else if (wasEditable !== editable || newDone !== done) {
      done = newDone;
      render();
    }
  }
}
