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
