/** Tiny DOM helpers: build elements, and keep keyed lists in step without losing keyboard focus. */

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

/** Creates an element: `h("button", { type: "button", onclick }, "Go")`. `on*` attributes become listeners. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "class") el.className = String(value);
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

/** Appends children, skipping empty ones. */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

/** Sets text only when it changed (no layout work, no announcement churn). */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** Replaces every child. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/**
 * Keeps `parent`'s children in step with `items`: each row is identified by `key` and re-rendered
 * only when its `signature` changes. A focused control inside a re-rendered row keeps focus when
 * the new row has a control with the same `data-fk` attribute.
 */
export function syncList<T>(
  parent: Element,
  items: readonly T[],
  key: (item: T) => string,
  signature: (item: T) => string,
  render: (item: T) => HTMLElement,
): void {
  const existing = new Map<string, HTMLElement>();
  for (const child of Array.from(parent.children)) {
    if (child instanceof HTMLElement && child.dataset.key !== undefined) existing.set(child.dataset.key, child);
  }
  let cursor: Element | null = parent.firstElementChild;
  const keep = new Set<string>();
  for (const item of items) {
    const k = key(item);
    const sig = signature(item);
    keep.add(k);
    let el = existing.get(k);
    if (!el || el.dataset.sig !== sig) {
      const fresh = render(item);
      fresh.dataset.key = k;
      fresh.dataset.sig = sig;
      if (el) {
        const focusKey = focusedKeyWithin(el);
        el.replaceWith(fresh);
        if (cursor === el) cursor = fresh;
        if (focusKey) fresh.querySelector<HTMLElement>(`[data-fk="${CSS.escape(focusKey)}"]`)?.focus();
      }
      el = fresh;
    }
    if (cursor === el) cursor = el.nextElementSibling;
    else parent.insertBefore(el, cursor);
  }
  for (const [k, el] of existing) if (!keep.has(k)) el.remove();
}

function focusedKeyWithin(el: HTMLElement): string | null {
  const active = document.activeElement;
  return active instanceof HTMLElement && el.contains(active) ? (active.dataset.fk ?? null) : null;
}

/** Enables or disables a control only when its state changes. */
export function setDisabled(el: HTMLButtonElement | HTMLInputElement | HTMLSelectElement, disabled: boolean): void {
  if (el.disabled !== disabled) el.disabled = disabled;
}

/** Shows or hides an element. */
export function setHidden(el: HTMLElement, hidden: boolean): void {
  if (el.hidden !== hidden) el.hidden = hidden;
}

/** True when the person asked the system for less motion. */
export function prefersReducedMotion(): boolean {
  return window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}
