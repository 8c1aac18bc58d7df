import { nameOf } from "../../net/snapshot.ts";
import type { Snapshot } from "../../net/snapshot.ts";
import { h, setHidden, setText, syncList } from "../../ui/dom.ts";
import { formatEth, formatSeconds } from "../../ui/format.ts";
import { SIDECHAIN_POINTS } from "../../../../shared/engine/sidechain/round.ts";
import { panel } from "../view.ts";
import type { PlayContext, View } from "../view.ts";
import { backingInWords, sideWorld } from "./side-snap.ts";
import type { SideAlarmSnap } from "./side-snap.ts";
import { createSidechainUserView } from "./user.ts";
import "./sidechain.css";

/** How many changes of the two numbers the history keeps. */
const HISTORY_KEPT = 5;

const VERDICT: Record<SideAlarmSnap["verdict"], string> = {
  right: "✓ right: a theft nobody had reported",
  late: "· late: already reported",
  false: "✗ false alarm: the bridge still backed every token",
};

/** What the server's ack of each of this view's messages means (shown by the play screen). */
const ACKS: Record<string, string> = {
  "sidechain:alarm": "Alarm raised: everyone sees it, and the debrief says whether you were right.",
};

/**
 * An auditor: the bridge's ETH on L1 and the sidechain's tokens side by side, a history of both,
 * and one big button. Quick and right earns most; crying wolf costs. Their wallet is below.
 */
export function createSidechainAuditorView(ctx: PlayContext): View {
  const { conn } = ctx;
  const wallet = createSidechainUserView(ctx);
  const escrow = h("strong", { class: "side-big" }, "—");
  const supply = h("strong", { class: "side-big" }, "—");
  const verdict = h("p", { class: "side-backing side-verdict", "aria-live": "assertive" });
  const urgency = h("p", { class: "side-urgency", "aria-live": "off" });
  // When this screen saw the shortfall grow (game ms), and by how much it stood then.
  let deficitSeen = 0;
  let grewAtMs = -1;
  const history: { atMs: number; escrow: number; supply: number }[] = [];
  const historyList = h("ol", { class: "rows side-history", "aria-label": "How the two numbers changed" });
  const alarmList = h("ul", { class: "rows", "aria-live": "polite", "aria-label": "Alarms raised" });
  const alarmsNone = h("p", { class: "muted" }, "No alarm yet.");
  const alarm = h("button", { type: "button", class: "danger big side-alarm", onclick: () => conn.send("sidechain:alarm", {}) }, "⚠ Raise the alarm");


  const el = h("div", { class: "role-view side-auditor-view" },
    panel("You are the auditor: does the bridge still back the sidechain?",
      h("div", { class: "side-pair side-audit" },
        h("div", { class: "stat" }, h("span", { class: "stat-label" }, "ETH locked in the bridge on L1"), escrow),
        h("div", { class: "stat" }, h("span", { class: "stat-label" }, "Tokens on the sidechain (balances + in flight)"), supply)),
      verdict,
      urgency,
      alarm,
      h("p", { class: "hint" }, `A right alarm scores ${SIDECHAIN_POINTS.alarmRight}, less 2 points for every second since the theft (at least ${SIDECHAIN_POINTS.alarmMin}). A false one costs ${-SIDECHAIN_POINTS.alarmFalse}.`)),
    panel("History of the two numbers", historyList),
    panel("Alarms", alarmsNone, alarmList),
    wallet.el,
  );

  return {
    acks: ACKS,
    el,
    update(s: Snapshot) {
      wallet.update(s);
      const world = sideWorld(s);
      setText(escrow, formatEth(world.escrow, 3));
      setText(supply, formatEth(world.supply, 3));
      const backing = backingInWords(world.escrow, world.supply);
      setText(verdict, backing.text);
      verdict.classList.toggle("side-short", !backing.ok);
      // The clock a right alarm races: it loses 2 points a second from the theft (here: from when this screen saw it).
      const deficit = Math.max(0, world.supply - world.escrow);
      if (deficit > deficitSeen) grewAtMs = s.world.nowMs;
      deficitSeen = deficit;
      const reported = world.alarms.some((a) => a.verdict === "right" && a.atMs >= grewAtMs);
      const sinceMs = s.world.nowMs - grewAtMs;
      const worth = Math.max(SIDECHAIN_POINTS.alarmMin, SIDECHAIN_POINTS.alarmRight - 2 * Math.floor(sinceMs / 1000));
      setHidden(urgency, deficit === 0);
      setText(urgency, reported ? "Already reported: the class knows." : `Short for ${formatSeconds(sinceMs)}: a right alarm now is worth about ${worth} points, 2 fewer every second.`);
      const last = history[0];
      if (!last || last.escrow !== world.escrow || last.supply !== world.supply) {
        history.unshift({ atMs: s.world.nowMs, escrow: world.escrow, supply: world.supply });
        history.length = Math.min(history.length, HISTORY_KEPT);
      }
      syncList(historyList, history, (e) => String(e.atMs), () => "", (e) =>
        h("li", { class: `row ${e.escrow >= e.supply ? "" : "side-short-row"}` },
          h("span", { class: "row-main" }, `at ${formatSeconds(e.atMs)}`),
          h("span", {}, `bridge ${formatEth(e.escrow, 3)} · tokens ${formatEth(e.supply, 3)}`),
          h("span", { class: "badge" }, e.escrow >= e.supply ? "✓ match" : `✗ short ${formatEth(e.supply - e.escrow, 3)}`)));
      const alarms = world.alarms.slice().reverse();
      setHidden(alarmsNone, alarms.length > 0);
      syncList(alarmList, alarms, (a) => `${a.atMs}-${a.by}`, (a) => a.verdict, (a) =>
        h("li", { class: `row side-alarm-${a.verdict}` }, h("span", { class: "row-main" }, `${nameOf(s, a.by)} at ${formatSeconds(a.atMs)}`), h("span", { class: "badge" }, VERDICT[a.verdict])));
    },
    dispose() {
      wallet.dispose?.();
    },
  };
}
