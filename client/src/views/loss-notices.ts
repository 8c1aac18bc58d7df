import { h, setHidden, syncList } from "../ui/dom.ts";
import type { LossNotice, View } from "./view.ts";
import type { Snapshot } from "../net/snapshot.ts";
import "./loss-notices.css";

/**
 * The play screen's list of what you lost this round, above your role's view: each loss in three
 * parts (who did what, what it cost, what you could have done), announced once when it appears,
 * and kept until the round ends, so a reload or a glance away never hides it.
 */
export function createLossNotices(read: () => View | null): View {
  const list = h("ul", { class: "loss-list", "aria-live": "assertive", "aria-relevant": "additions" });
  const el = h("section", { class: "loss-notices", "aria-labelledby": "loss-title", hidden: true },
    h("h2", { id: "loss-title" }, "What you lost this round"), list);
  return {
    el,
    update(s: Snapshot) {
      const inRound = s.phase === "running" || s.phase === "paused";
      const losses: LossNotice[] = inRound ? (read()?.losses?.(s) ?? []) : [];
      setHidden(el, losses.length === 0);
      syncList(list, losses, (l) => l.id, (l) => `${l.what}|${l.cost}|${l.couldHave}`, (l) =>
        h("li", { class: "loss", "data-loss": l.id },
          h("p", { class: "loss-what" }, h("strong", {}, `✗ ${l.what}`)),
          h("p", { class: "loss-cost" }, l.cost),
          h("p", { class: "loss-advice" }, h("span", { class: "loss-advice-label" }, "You could have: "), l.couldHave)));
    },
  };
}
