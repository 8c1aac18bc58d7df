import type { KeyPair } from "../../../shared/crypto/sign.ts";
import type { Connection } from "../net/connection.ts";
import type { Snapshot } from "../net/snapshot.ts";
import { h } from "../ui/dom.ts";

/** A piece of screen built once and updated with every new state. */
export interface View {
  readonly el: HTMLElement;
  update(s: Snapshot): void;
  dispose?(): void;
  /** What the server's ack of each of this view's messages means, said once to the player by the play screen. */
  readonly acks?: Readonly<Record<string, string>>;
  /** Every loss the player has suffered this round, explained (the play screen shows them above the view). */
  losses?(s: Snapshot): LossNotice[];
}

/** A loss explained to the one who suffered it: who did what, what it cost, what they could have done. */
export interface LossNotice {
  /** Stable while the loss stands (e.g. `dispute-3`), so it is announced once. */
  id: string;
  /** Who did what: "Maya closed your channel with an old state". */
  what: string;
  /** What it cost you: "You received 0.5000 ETH instead of 1.5000 ETH, and lost 50 points." */
  cost: string;
  /** What you could have done: "Penalize within the 24 s window, or hire a watchtower." */
  couldHave: string;
}

/** What a role view needs to act: the connection, who you are, your signing key. */
export interface PlayContext {
  conn: Connection;
  me: string;
  key: KeyPair;
}

let fieldCounter = 0;

/** A labelled form field: a real <label for> bound to its control. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement, hint?: string): HTMLElement {
  const id = control.id || `f${++fieldCounter}`;
  control.id = id;
  const hintEl = hint ? h("span", { class: "hint", id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute("aria-describedby", hintEl.id);
  return h("div", { class: "field" }, h("label", { for: id }, label), control, hintEl);
}

/** A number input for ETH amounts. */
export function ethInput(value: string, name: string): HTMLInputElement {
  return h("input", { type: "number", inputmode: "decimal", min: "0", step: "0.01", value, name, required: true, autocomplete: "off" });
}

/** A section with a heading: the building block of role views. */
export function panel(title: string, ...children: (Node | null)[]): HTMLElement {
  return h("section", { class: "panel" }, h("h2", {}, title), ...children);
}

/** A small labelled value ("L2 balance  1.2345 ETH"). */
export function stat(label: string, valueEl: HTMLElement): HTMLElement {
  return h("div", { class: "stat" }, h("span", { class: "stat-label" }, label), valueEl);
}
