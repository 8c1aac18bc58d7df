import QRCode from "qrcode";
import { cleanCode, joinAddress, lookupSession, shownJoinAddress } from "../net/api.ts";
import { GameClock } from "../net/clock.ts";
import { Connection, joinErrorText } from "../net/connection.ts";
import type { Snapshot } from "../net/snapshot.ts";
import { WorldScene } from "../projector/world-scene.ts";
import type { SceneMetrics } from "../projector/world-scene.ts";
import { setBanner } from "../ui/messages.ts";
import { h, prefersReducedMotion, replaceChildren, setHidden, setText, syncList } from "../ui/dom.ts";
import { createDebriefView } from "../views/debrief.ts";
import { hiddenWords, lobbyChips } from "../ui/ranking.ts";

declare global {
  interface Window {
    /** Read by tests/bench/client-bench.ts: frame count and patch→screen latencies. */
    __l2arena?: SceneMetrics & { patches: () => number; snapshotMs: number[]; antialias: boolean };
  }
}

const REJOIN_DELAY_MS = 2_000;

/** True when WebGL runs in software (SwiftShader, llvmpipe): no GPU to antialias for free. */
function softwareWebGL(): boolean {
  try {
    const gl = document.createElement("canvas").getContext("webgl");
    if (!gl) return true;
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    const renderer = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : "";
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return /swiftshader|llvmpipe|softpipe|software/i.test(renderer);
  } catch {
    return true;
  }
}
const REJOIN_ATTEMPTS = 30;
/** Name chips the lobby has room for at 1920×1080. */
const PROJECTOR_CHIPS = 24;

/** The big screen: join code + QR in the lobby, the world during a round, the debrief after. */
export async function showProjector(main: HTMLElement, rawCode: string, rejoining = false): Promise<void> {
  const code = cleanCode(rawCode);
  document.title = `Projector ${code} · L2 Arena`;
  document.body.classList.add("projector");
  const fail = (message: string) => replaceChildren(main, h("div", { class: "narrow" }, h("h1", {}, "Projector"), h("p", { role: "alert" }, message)));
  let conn: Connection | null = null;
  // The projector holds no seat worth keeping: after a drop it simply joins again, for a while.
  for (let attempt = 0; !conn; attempt++) {
    const found = code ? await lookupSession(code) : { ok: false as const, message: "Add ?code=XXXXXX to the address." };
    if (found.ok) {
      try {
        conn = await Connection.join(code, { projector: true });
        break;
      } catch (err) {
        if (!rejoining || attempt >= REJOIN_ATTEMPTS) return fail(joinErrorText(err));
      }
    } else if (!rejoining || attempt >= REJOIN_ATTEMPTS || code === "") {
      setBanner(null);
      return fail(found.message);
    }
    await new Promise((resolve) => setTimeout(resolve, REJOIN_DELAY_MS));
  }
  setBanner(null);

  // Phones can't open "localhost": the server says which address they can reach.
  const address = await joinAddress();
  const joinUrl = `${address.origin}/join?code=${code}`;
  const qr = h("div", { class: "qr", role: "img", "aria-label": `QR code for ${joinUrl}` });
  qr.innerHTML = await QRCode.toString(joinUrl, { type: "svg", margin: 2, errorCorrectionLevel: "M", color: { dark: "#000000", light: "#ffffff" } });
  const playerCount = h("p", { class: "projector-count" });
  const players = h("ul", { class: "chips big", "aria-label": "Players" });
  const morePlayers = h("p", { class: "projector-more" });
  const lobby = h("section", { class: "projector-lobby" },
    h("div", { class: "projector-join" },
      h("p", { class: "projector-how" }, "Join at ", h("strong", { "data-join-address": address.origin }, shownJoinAddress(address))),
      address.hint ? h("p", { class: "projector-hint", role: "note" }, address.hint) : null,
      h("p", { class: "projector-code", "aria-label": `Game code ${code.split("").join(" ")}` }, code),
      qr),
    h("div", { class: "projector-players" }, h("p", { class: "projector-how" }, "Scan the code or type it in. The round starts when your teacher is ready."), playerCount, players, morePlayers));
  const stage = h("div", { class: "projector-stage" });
  const debrief = createDebriefView(() => null, "projector");
  const ended = h("section", { class: "projector-lobby" }, h("h1", {}, "Thanks for playing!"));
  replaceChildren(main, lobby, stage, debrief.el, ended);

  const clock = new GameClock();
  let scene: WorldScene | null = null;
  let mounting: Promise<void> | null = null;
  const ensureScene = (): void => {
    if (scene || mounting) return;
    // Antialiasing (MSAA) is nearly free on a GPU and very dear in software WebGL; ?quality=high|low overrides.
    const quality = new URLSearchParams(location.search).get("quality");
    const antialias = quality === "high" ? true : quality === "low" ? false : !softwareWebGL();
    const created = new WorldScene(clock, { reducedMotion: prefersReducedMotion(), antialias });
    mounting = created.mount(stage).then(() => {
      scene = created;
      window.__l2arena = Object.assign(created.metrics, { patches: () => conn.patchClock.patches, snapshotMs: conn.snapshotMs, antialias });
      scene.setSnapshot(conn.state, conn.snapshotPatchedAt);
    });
  };

  const update = (s: Snapshot) => {
    clock.update(s);
    const inRound = s.phase === "running" || s.phase === "paused";
    setHidden(lobby, s.phase !== "lobby");
    setHidden(stage, !inRound);
    if (s.phase === "lobby") {
      const all = Object.values(s.players);
      const students = all.filter((p) => !p.bot).length;
      setText(playerCount, `${students} student${students === 1 ? "" : "s"}${all.length > students ? ` + ${all.length - students} bot${all.length - students === 1 ? "" : "s"}` : ""} in${s.locked ? " · game locked 🔒" : ""}`);
      // A lecture hall does not fit as chips: students first, then bots while there is room, the rest counted.
      const chips = lobbyChips(all, PROJECTOR_CHIPS);
      syncList(players, chips.shown, (p) => p.id, (p) => p.name, (p) => h("li", { class: "chip" }, p.bot ? `${p.name} (bot)` : p.name));
      setText(morePlayers, hiddenWords(chips));
    }
    if (inRound) ensureScene();
    scene?.setActive(inRound);
    scene?.setSnapshot(s, conn.snapshotPatchedAt);
    debrief.update(s);
    setHidden(ended, s.phase !== "ended");
  };
  conn.onChange(update);
  update(conn.state);
  conn.onLeave((reason) => {
    scene?.destroy();
    scene = null;
    if (reason.ended) {
      replaceChildren(main, h("section", { class: "projector-lobby" }, h("h1", {}, "Thanks for playing!"), h("p", {}, reason.message)));
      return;
    }
    setBanner("Connection lost. Reconnecting…");
    void showProjector(main, code, true);
  });
}
