import { h } from "./dom.ts";

/** Errors stay long enough to read twice; notices get out of the way sooner. */
const ERROR_LIFETIME_MS = 9_000;
const NOTICE_LIFETIME_MS = 4_500;
const MAX_MESSAGES = 4;

function region(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from index.html`);
  return el;
}

function post(regionId: string, className: string, text: string, lifetimeMs: number): void {
  const container = region(regionId);
  const item = h("p", { class: `message ${className}` }, text);
  container.appendChild(item);
  while (container.children.length > MAX_MESSAGES) container.firstElementChild?.remove();
  window.setTimeout(() => item.remove(), lifetimeMs);
}

/** An error from the server or the network, read out at once by screen readers. */
export function showError(text: string): void {
  post("alerts", "message-error", text, ERROR_LIFETIME_MS);
}

/** Something worth knowing (an ack, a notice from the server), read out politely. */
export function showNotice(text: string): void {
  post("notices", "message-notice", text, NOTICE_LIFETIME_MS);
}

/** The connection banner ("Reconnecting…"); null hides it. */
export function setBanner(text: string | null): void {
  const banner = region("banner");
  banner.textContent = text ?? "";
  banner.hidden = text === null;
}
