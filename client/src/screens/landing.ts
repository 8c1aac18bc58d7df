import { h, replaceChildren } from "../ui/dom.ts";

/** The front door: host or join. */
export function showLanding(main: HTMLElement): void {
  document.title = "L2 Arena";
  replaceChildren(
    main,
    h("div", { class: "landing" },
      h("h1", {}, "L2 Arena"),
      h("p", { class: "lead" }, "Run a blockchain and its Layer 2s together, as a class: rollups, payment channels, Plasma and a sidechain bridge. Send payments, cheat, and catch the cheat before the money is gone."),
      h("nav", { class: "landing-actions", "aria-label": "Start" },
        h("a", { class: "button big", href: "/join" }, "Join a game"),
        h("a", { class: "button big secondary", href: "/host" }, "Host a game")),
      h("p", { class: "muted" }, "Students: you need the 6-letter code on the projector. No account needed.")),
  );
}

/** Anything else: a way back. */
export function showNotFound(main: HTMLElement): void {
  replaceChildren(main, h("div", { class: "landing" }, h("h1", {}, "Page not found"), h("p", {}, h("a", { href: "/" }, "Back to the start"))));
}
