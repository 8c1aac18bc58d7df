import "./styles.css";
import { showJoin } from "./screens/join.ts";
import { showLanding, showNotFound } from "./screens/landing.ts";
import { resumePlay } from "./screens/play.ts";
import { cleanCode } from "./net/api.ts";
import { showError } from "./ui/messages.ts";
import { installBrowserVerifier } from "./verify/browser-verifier.ts";

/** One page, routed by path: the server answers /join, /play, /host and /projector with it. */
function route(): void {
  const main = document.getElementById("main");
  if (!main) return;
  const params = new URLSearchParams(location.search);
  const code = cleanCode(params.get("code") ?? "");
  const path = location.pathname.replace(/\/+$/, "") || "/";
  const run = (task: Promise<void> | void) => {
    if (task) task.catch((error: unknown) => showError(error instanceof Error ? error.message : String(error)));
  };
  switch (path) {
    case "/":
      return showLanding(main);
    case "/join":
      return showJoin(main, code);
    case "/play":
      return run(resumePlay(main, code));
    case "/host":
      // The host console and the projector (PixiJS) load on demand: phones never download them.
      return run(import("./screens/host.ts").then((m) => m.showHost(main)));
    case "/projector":
      return run(import("./screens/projector.ts").then((m) => m.showProjector(main, code)));
    case "/results":
      return run(import("./screens/results.ts").then((m) => m.showResults(main, code)));
    default:
      return showNotFound(main);
  }
}

// Signature checks: WebCrypto Ed25519 where this browser has it, noble otherwise (same verdicts).
void installBrowserVerifier();
route();
