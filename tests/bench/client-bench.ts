/**
 * npm run bench:client [-- --bots 300 --seconds 20]
 * Starts the server (child process) with the freshly built client, adds server-side bots through
 * an SDK host client, starts a round, opens the projector in headless Chromium at 1920×1080 and
 * measures, over the window: frames per second (requestAnimationFrame count) and the time from a
 * state patch arriving in the page to the end of the render that drew it (the projector stamps
 * both and exposes them on window.__l2arena). It measures twice: the projector's default (which
 * turns antialiasing off when WebGL is software, as here) and ?quality=high (antialiasing forced on).
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Client } from "@colyseus/sdk";
import type { Browser } from "playwright-core";
import { ROOT, buildClient, freePort, launchBrowser } from "../e2e/harness.ts";

const { values } = parseArgs({ options: { bots: { type: "string", default: "300" }, seconds: { type: "string", default: "20" } } });
const BOTS = Number(values.bots);
const SECONDS = Number(values.seconds);
const WARM_UP_MS = 4_000;

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);
const ms = (value: number) => value.toFixed(1);
const spread = (values: readonly number[]) => {
  const s = sorted(values);
  return `${ms(percentile(s, 50))} / ${ms(percentile(s, 95))} / ${ms(percentile(s, 99))} / ${ms(s.at(-1) ?? NaN)}`;
};

async function waitForHealth(base: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("server did not start");
}

interface FrameSample {
  frames: number;
  elapsedMs: number;
  deltas: number[];
}

/** Opens the projector with `query`, warms up, then measures for SECONDS and prints a report. */
async function measure(browser: Browser, base: string, code: string, query: string, label: string): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(`${base}/projector?code=${code}${query}`);
  await page.waitForFunction(() => window.__l2arena !== undefined, undefined, { timeout: 30_000 });
  await page.waitForTimeout(WARM_UP_MS);
  const before = await page.evaluate(() => {
    const m = window.__l2arena!;
    for (const list of [m.latencies, m.drawMs, m.renderMs, m.snapshotMs]) list.length = 0;
    return { patches: m.patches(), renders: m.renders };
  });
  const sample = await page.evaluate((windowMs) => new Promise<FrameSample>((resolve) => {
    const deltas: number[] = [];
    let frames = 0;
    let last = 0;
    let start = 0;
    const step = (t: number) => {
      if (start === 0) start = t;
      else deltas.push(t - last);
      last = t;
      frames += 1;
      if (t - start < windowMs) requestAnimationFrame(step);
      else resolve({ frames: frames - 1, elapsedMs: t - start, deltas });
    };
    requestAnimationFrame(step);
  }), SECONDS * 1000);
  const after = await page.evaluate(() => {
    const m = window.__l2arena!;
    return { patches: m.patches(), renders: m.renders, latencies: [...m.latencies], drawMs: [...m.drawMs], renderMs: [...m.renderMs], snapshotMs: [...m.snapshotMs], antialias: m.antialias, players: document.title };
  });
  await context.close();

  const fps = (sample.frames * 1000) / sample.elapsedMs;
  const perSecond: number[] = [];
  let acc = 0;
  let count = 0;
  for (const d of sample.deltas) {
    acc += d;
    count += 1;
    if (acc >= 1000) {
      perSecond.push((count * 1000) / acc);
      acc = 0;
      count = 0;
    }
  }
  const perSec = (n: number) => ((n * 1000) / sample.elapsedMs).toFixed(1);
  const row = (name: string, value: string) => console.log(`  ${name.padEnd(50)} ${value}`);
  console.log(`\n${label}: antialiasing ${after.antialias ? "on" : "off"}`);
  row("frames per second (requestAnimationFrame, mean)", fps.toFixed(1));
  row("worst one-second window (fps)", perSecond.length ? Math.min(...perSecond).toFixed(1) : "n/a");
  row("frame interval p50 / p95 / p99 / max (ms)", spread(sample.deltas));
  row("scene renders (on demand)", `${after.renders - before.renders} (${perSec(after.renders - before.renders)}/s)`);
  row("state patches received", `${after.patches - before.patches} (${perSec(after.patches - before.patches)}/s)`);
  row("patch → on screen p50 / p95 / p99 / max (ms)", `${spread(after.latencies)}  (${after.latencies.length} samples)`);
  row("  state → snapshot p50 / p95 / p99 / max (ms)", spread(after.snapshotMs));
  row("  scene build p50 / p95 / p99 / max (ms)", spread(after.drawMs));
  row("  WebGL render call p50 / p95 / p99 / max (ms)", spread(after.renderMs));
  row("page errors", pageErrors.length ? pageErrors.join(" | ") : "none");
}

const started = Date.now();
console.log("Building the client…");
buildClient();
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, ["server/main.ts"], {
  cwd: ROOT,
  env: { ...process.env, PORT: String(port), DATA_DIR: mkdtempSync(join(tmpdir(), "l2bench-client-")) },
  stdio: "ignore",
});
// Chromium with its own GPU and renderer processes, as on a real machine (the package's default is Lambda's single process).
const browser = await launchBrowser({ multiProcess: true });
try {
  await waitForHealth(base);
  const session = (await (await fetch(`${base}/api/sessions`, { method: "POST" })).json()) as { code: string; hostToken: string };
  const token = session.hostToken;
  const host = await new Client(base).joinById(session.code, { hostToken: token });
  host.onMessage("*", () => undefined);
  // One bot sequencer (it cheats), about one challenger bot in 30, users for the rest.
  const challengers = Math.max(1, Math.round(BOTS / 30));
  host.send("host:addBots", { token, count: 1, role: "sequencer", difficulty: "normal" });
  host.send("host:addBots", { token, count: challengers, role: "challenger", difficulty: "normal" });
  if (BOTS - 1 - challengers > 0) host.send("host:addBots", { token, count: BOTS - 1 - challengers, role: "user", difficulty: "normal" });
  host.send("host:plan", { token, rounds: [{ scenario: "optimistic", durationSec: Math.max(180, SECONDS * 6) }] });
  host.send("host:start", { token });
  await new Promise((r) => setTimeout(r, 1_000));
  const players = await (await fetch(`${base}/api/sessions/${session.code}`)).json() as { playerCount: number; phase: string };
  console.log(`\nL2 Arena client benchmark: projector at 1920×1080, ${players.playerCount} players (server bots), round ${players.phase}; ${SECONDS} s measured after ${WARM_UP_MS / 1000} s warm-up`);
  console.log("Headless Chromium from @sparticuz/chromium; WebGL through SwiftShader (software rendering on the CPU); server in its own process; same machine.");
  await measure(browser, base, session.code, "", "Projector, default settings");
  await measure(browser, base, session.code, "&quality=high", "Projector, ?quality=high");
  console.log(`\nTotal bench time ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await host.leave();
} finally {
  await browser.close();
  server.kill("SIGTERM");
}
process.exit(0);
