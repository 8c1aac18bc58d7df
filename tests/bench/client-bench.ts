/**
 * npm run bench:client [-- --players 300,2000 --scenario optimistic --seconds 20 --port 2800]
 *
 * Starts the server (child process) with the freshly built client, fills a session with server
 * bots playing one round, opens the projector in headless Chromium at 1920×1080 and measures, over
 * the window: frames per second (requestAnimationFrame count, mean and worst one-second window) and
 * the time from a state patch arriving in the page to the end of the render that drew it (the
 * projector stamps both and exposes them on window.__l2arena). Each case is measured at the
 * projector's default (antialiasing off when WebGL is software, as here) and with ?quality=high
 * (antialiasing forced on). The crowd is server bots: the bench's server lifts the bot limits to the
 * largest case (printed), so 2,000 players are 2,000 bots in one session.
 *
 *   --players 300,2000          one case per size (--bots is the same)
 *   --scenario optimistic,plasma one case per scenario and size
 *   --quality default,high      which measurements
 *   --profile DIR               a CPU profile and a browser trace of each default measurement
 *   --shots DIR                 a screenshot of the projector at the end of each window
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SCENARIOS } from "../../shared/protocol/messages.ts";
import type { Scenario } from "../../shared/protocol/messages.ts";
import { CLIENT_DIR, ROOT, buildClient, launchBrowser } from "../e2e/harness.ts";
import { startCrowd } from "./client/crowd.ts";
import { measureProjector } from "./client/measure.ts";
import type { Measurement } from "./client/measure.ts";

const { values } = parseArgs({
  options: {
    players: { type: "string" },
    bots: { type: "string" },
    scenario: { type: "string", default: "optimistic" },
    quality: { type: "string", default: "default,high" },
    seconds: { type: "string", default: "20" },
    warmup: { type: "string", default: "4" },
    port: { type: "string", default: "2800" },
    profile: { type: "string" },
    shots: { type: "string" },
  },
});
const PLAYERS = (values.players ?? values.bots ?? "300").split(",").map(Number);
const SCENARIO_LIST = values.scenario.split(",") as Scenario[];
const QUALITIES = values.quality.split(",");
const SECONDS = Number(values.seconds);
const WARM_UP_MS = Number(values.warmup) * 1000;
const PORT = Number(values.port);
for (const s of SCENARIO_LIST) if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s} (one of ${SCENARIOS.join(", ")})`);
for (const q of QUALITIES) if (q !== "default" && q !== "high" && q !== "low") throw new Error(`--quality takes default, high or low, not ${q}`);
if (PLAYERS.some((n) => !Number.isInteger(n) || n < 1)) throw new Error("--players takes whole numbers, e.g. 300,2000");

const largest = Math.max(...PLAYERS);
/** Limits the server lifts so the largest crowd can be bots in one session (defaults in server/limits.ts). */
const LIMIT_OVERRIDES: Record<string, string> = {
  LIMIT_BOTS_PER_SESSION: String(Math.max(300, largest)),
  LIMIT_BOTS_PER_PROCESS: String(Math.max(1_200, largest)),
  LIMIT_PLAYERS_PER_SESSION: String(Math.max(2_000, largest + 10)),
};

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}
const sorted = (list: readonly number[]) => [...list].sort((a, b) => a - b);
const ms = (value: number) => value.toFixed(1);
const spread = (list: readonly number[]) => {
  const s = sorted(list);
  return `${ms(percentile(s, 50))} / ${ms(percentile(s, 95))} / ${ms(percentile(s, 99))} / ${ms(s.at(-1) ?? NaN)}`;
};
const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");

async function waitForHealth(base: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("server did not start");
}

function report(m: Measurement): void {
  const perSec = (n: number) => ((n * 1000) / m.windowMs).toFixed(1);
  const row = (name: string, value: string) => console.log(`  ${name.padEnd(50)} ${value}`);
  console.log(`\n${m.label}: antialiasing ${m.antialias ? "on" : "off"}`);
  row("page load until the round's scene shows (ms)", String(m.pageLoadMs));
  row("frames per second (requestAnimationFrame, mean)", m.fpsMean.toFixed(1));
  row("worst one-second window (fps)", Number.isFinite(m.fpsWorstSecond) ? m.fpsWorstSecond.toFixed(1) : "n/a");
  row("frame interval p50 / p95 / p99 / max (ms)", spread(m.frameMs));
  row("frames built (on demand)", `${m.renders} (${perSec(m.renders)}/s)`);
  row("  of which the WebGL canvas was drawn", Number.isNaN(m.canvasRenders) ? "every one" : `${m.canvasRenders} (${perSec(m.canvasRenders)}/s)`);
  row("state patches received", `${m.patches} (${perSec(m.patches)}/s)`);
  row("patch → on screen p50 / p95 / p99 / max (ms)", `${spread(m.latencies)}  (${m.latencies.length} samples)`);
  row("  state → snapshot p50 / p95 / p99 / max (ms)", spread(m.snapshotMs));
  row("  frame build p50 / p95 / p99 / max (ms)", spread(m.drawMs));
  row("  WebGL render call p50 / p95 / p99 / max (ms)", spread(m.renderMs));
  row("load average (1 min) before → after", `${m.loadBefore.toFixed(2)} → ${m.loadAfter.toFixed(2)}`);
  row("page errors", m.pageErrors.length ? m.pageErrors.join(" | ") : "none");
  for (const line of m.profile) console.log(`  ${line}`);
}

const started = Date.now();
console.log("Building the client…");
buildClient();
const base = `http://127.0.0.1:${PORT}`;
const server = spawn(process.execPath, ["server/main.ts"], {
  cwd: ROOT,
  env: { ...process.env, ...LIMIT_OVERRIDES, PORT: String(PORT), CLIENT_DIR, DATA_DIR: mkdtempSync(join(os.tmpdir(), "l2bench-client-")) },
  stdio: "ignore",
});
// Chromium with its own GPU and renderer processes, as on a real machine (the package's default is Lambda's single process).
const browser = await launchBrowser({ multiProcess: true });
const rows: string[] = [];
try {
  await waitForHealth(base);
  console.log(`\nL2 Arena client benchmark: the projector at 1920×1080; ${SECONDS} s measured after ${WARM_UP_MS / 1000} s warm-up; server on port ${PORT}`);
  console.log("Headless Chromium from @sparticuz/chromium; WebGL through SwiftShader (software rendering on the CPU); server in its own process; same machine.");
  console.log(`Server limits lifted for the crowd: ${Object.entries(LIMIT_OVERRIDES).map(([k, v]) => `${k}=${v}`).join(", ")}`);
  console.log(`Machine: ${os.cpus().length} cores, load average ${loadAverage()}`);
  for (const scenario of SCENARIO_LIST) {
    for (const players of PLAYERS) {
      const crowd = await startCrowd(base, scenario, players, Math.max(180, (SECONDS + WARM_UP_MS / 1000) * QUALITIES.length * 3));
      console.log(`\n## ${scenario}, ${crowd.playerCount} players (server bots), session ${crowd.code}`);
      for (const quality of QUALITIES) {
        const name = `${scenario}-${players}-${quality}`;
        const m = await measureProjector(browser, {
          base,
          code: crowd.code,
          query: quality === "default" ? "" : `&quality=${quality}`,
          label: `Projector, ${quality === "default" ? "default settings" : `?quality=${quality}`}`,
          seconds: SECONDS,
          warmUpMs: WARM_UP_MS,
          ...(values.profile && quality === "default" ? { profileDir: values.profile } : {}),
          ...(values.shots ? { shotDir: values.shots } : {}),
          shotName: name,
        });
        report(m);
        const lat = sorted(m.latencies);
        rows.push(`| ${scenario} | ${crowd.playerCount} | ${quality} | ${m.fpsMean.toFixed(1)} | ${m.fpsWorstSecond.toFixed(1)} | ${ms(percentile(lat, 50))} | ${ms(percentile(lat, 95))} | ${((m.patches * 1000) / m.windowMs).toFixed(1)} | ${ms(percentile(sorted(m.snapshotMs), 95))} | ${ms(percentile(sorted(m.drawMs), 95))} | ${ms(percentile(sorted(m.renderMs), 95))} | ${m.loadBefore.toFixed(1)} → ${m.loadAfter.toFixed(1)} |`);
      }
      await crowd.end();
    }
  }
  console.log("\n| scenario | players | quality | fps mean | worst 1 s | patch → screen p50 ms | p95 ms | patches/s | snapshot p95 ms | build p95 ms | render p95 ms | load avg |");
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const row of rows) console.log(row);
  console.log(`\nTotal bench time ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await browser.close();
  server.kill("SIGTERM");
}
process.exit(0);
