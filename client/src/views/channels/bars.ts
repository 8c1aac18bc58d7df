import { h } from "../../ui/dom.ts";
import { formatEth } from "../../ui/format.ts";

/** A channel's split as a two-sided bar: left party | right party, with names and amounts in words. */
export function balanceBar(leftName: string, left: number, rightName: string, right: number): HTMLElement {
  const total = Math.max(1, left + right);
  const leftPct = Math.round((100 * left) / total);
  return h("div", { class: "ch-balance" },
    h("div", { class: "ch-bar", role: "img", "aria-label": `${leftName} ${formatEth(left)}, ${rightName} ${formatEth(right)}` },
      h("span", { class: "ch-bar-left", style: `width: ${leftPct}%` }),
      h("span", { class: "ch-bar-right", style: `width: ${100 - leftPct}%` })),
    h("div", { class: "ch-bar-labels" },
      h("span", { class: "ch-left-label" }, h("span", { class: "ch-who" }, `◀ ${leftName}`), ` ${formatEth(left)}`),
      h("span", { class: "ch-right-label" }, h("span", { class: "ch-who" }, `${rightName} ▶`), ` ${formatEth(right)}`)));
}

/** The dispute window running out: a shrinking bar and the words (seconds left). */
export function windowBar(leftMs: number, totalMs: number, words: string): HTMLElement {
  const pct = totalMs > 0 ? Math.max(0, Math.min(100, Math.round((100 * leftMs) / totalMs))) : 0;
  return h("div", { class: "ch-window" },
    h("div", { class: "ch-window-track", "aria-hidden": "true" }, h("span", { class: "ch-window-fill", style: `width: ${pct}%` })),
    h("p", { class: "ch-window-text", role: "timer" }, `◔ ${words}`));
}
