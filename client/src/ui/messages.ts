import { h } from "./dom.ts";

const MESSAGE_LIFETIME_MS = 9_000;
const MAX_MESSAGES = 4;

function region(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from index.html`);
  return el;
}

function post(regionId: string, className: string, text: string): void {
  const container = region(regionId);
  const item = h("p", { class: `message ${className}` }, text);
  container.appendChild(item);
  while (container.children.length > MAX_MESSAGES) container.firstElementChild?.remove();
  window.setTimeout(() => item.remove(), MESSAGE_LIFETIME_MS);
}

/** An error from the server or the network, read out at once by screen readers. */
export function showError(text: string): void {
  post("alerts", "message-error", text);
}

/** Something worth knowing (an ack, a notice from the server), read out politely. */
export function showNotice(text: string): void {
  post("notices", "message-notice", text);
}

/** The connection banner ("Reconnecting…"); null hides it. */
export function setBanner(text: string | null): void {
  const banner = region("banner");
  banner.textContent = text ?? "";
  banner.hidden = text === null;
}
