import { nameOf } from "../../net/snapshot.ts";
import type { Snapshot } from "../../net/snapshot.ts";
import { h, setHidden, setText, syncList } from "../../ui/dom.ts";
import { formatEth, formatSeconds } from "../../ui/format.ts";
import { panel, stat } from "../view.ts";
import type { PlayContext, View } from "../view.ts";
import { windowBar } from "./bars.ts";
import { channelsWorld, myModule, wireState } from "./channels-snap.ts";
import type { GuardSnap, TowerModuleSnap } from "./channels-snap.ts";
import "./channels.css";

/** A guarded channel is under attack: the other side published a state older than your client's copy, and the window is open. */
function underAttack(g: GuardSnap, nowMs: number): boolean {
  const close = g.close;
  return g.status === "closing" && close !== null && close.by !== g.client && !close.settled && close.windowEndsMs > nowMs && g.state !== null && close.seq < g.state.seq;
}

function guardWords(g: GuardSnap, s: Snapshot, nowMs: number): string {
  if (g.penalizedByMe) return "⚖ you caught the cheater";
  if (underAttack(g, nowMs)) return "⚠ old state published!";
  if (g.status === "closing") return "◔ closing with the latest state";
  if (g.status === "closed") return g.outcome === "penalized" ? "⚖ penalized by the client" : "✓ closed";
  return `● watching (copy of state #${g.state?.seq ?? 0})`;
}

/** What the server's ack of each of this view's messages means (shown by the play screen). */
const ACKS: Record<string, string> = {
  "channels:penalize": "Justice transaction sent to L1: if it lands inside the window, the cheater loses the channel and you get your fee.",
};

/**
 * A watchtower's screen: the channels whose clients hired you, with your copy of their latest
 * state. When the other side publishes an older one, you answer with that copy inside the window
 * and keep your fee out of the cheater's share.
 */
export function createWatchtowerView(ctx: PlayContext): View {
  const { conn, me } = ctx;
  const earned = h("strong", { class: "amount" }, "—");
  const guardedCount = h("strong", { class: "amount" }, "0");
  const offlineCount = h("strong", { class: "amount" }, "0");
  const alert = h("div", { class: "ch-alert", role: "alert", hidden: true });
  const list = h("div", { class: "ch-guard-list", "aria-live": "polite" });
  const empty = h("p", { class: "muted" }, "Nobody has hired you yet. Users hire a watchtower from their channel; you earn your fee only when you catch a cheater.");


  const render = (g: GuardSnap, s: Snapshot): HTMLElement => {
    const card = h("article", { class: `ch-card ch-${g.status}`, "aria-label": `Guarding ${nameOf(s, g.client)}` },
      h("header", { class: "ch-head" },
        h("h3", {}, `Guarding ${nameOf(s, g.client)}`, h("span", { class: "ch-who" }, ` · channel with ${nameOf(s, g.other)}`)),
        h("span", { class: "badge" }, guardWords(g, s, s.world.nowMs))),
      h("p", { class: "ch-meta" }, `Your fee if you catch a cheat: ${formatEth(g.fee)} · your copy: state #${g.state?.seq ?? 0}`));
    if (g.close && g.status === "closing") {
      const left = g.close.windowEndsMs - s.world.nowMs;
      card.append(windowBar(left, channelsWorld(s).windowMs, g.close.settled ? "window over" : `${formatSeconds(left)} left in the dispute window`));
    }
    if (underAttack(g, s.world.nowMs) && g.state) {
      const left = g.close!.windowEndsMs - s.world.nowMs;
      card.append(
        h("p", { class: "ch-cheat" }, `${nameOf(s, g.other)} published old state #${g.close!.seq}; you hold #${g.state.seq}.`),
        h("button", { type: "button", class: "big danger", "data-fk": `pen-${g.channelId}`, onclick: () => conn.send("channels:penalize", { channelId: g.channelId, state: wireState(g.state!) }) }, `Penalize ${nameOf(s, g.other)} — ${formatSeconds(left)} left`));
    }
    return card;
  };

  const el = h("div", { class: "role-view channels-tower-view" },
    alert,
    panel("You are a watchtower",
      h("div", { class: "stats" }, stat("Earned from penalties", earned), stat("Channels you guard", guardedCount), stat("Nodes offline now", offlineCount)),
      h("p", { class: "ch-rule" }, "Your clients go offline. If the other side of their channel publishes an old state, answer with your copy of the latest one before the window ends.")),
    panel("Channels you guard", empty, list),
  );

  return {
    acks: ACKS,
    el,
    update(s) {
      const m = myModule<TowerModuleSnap>(s, me, "watchtower");
      const nowMs = s.world.nowMs;
      setText(offlineCount, String(channelsWorld(s).offline.length));
      if (!m) return;
      setText(earned, formatEth(m.earned));
      setText(guardedCount, String(m.guarding.filter((g) => g.status !== "closed").length));
      const attack = m.guarding.find((g) => underAttack(g, nowMs));
      setHidden(alert, !attack);
      if (attack) setText(alert, `⚠ Cheating on ${nameOf(s, attack.client)}! Penalize now — ${formatSeconds(attack.close!.windowEndsMs - nowMs)} left`);
      setHidden(empty, m.guarding.length > 0);
      syncList(list, m.guarding, (g) => `${g.channelId}-${g.client}`, (g) => {
        const left = g.close ? Math.ceil((g.close.windowEndsMs - nowMs) / 1000) : 0;
        return JSON.stringify([g.status, g.state?.seq, g.close, left, g.penalizedByMe, nameOf(s, g.client), nameOf(s, g.other)]);
      }, (g) => render(g, s));
    },
    dispose() {
    },
  };
}
