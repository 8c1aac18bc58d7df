/**
 * Where a projector page's time goes: a V8 CPU profile of the page's main thread (CDP Profiler)
 * and a Chromium performance trace of every process (the renderer, the GPU process that runs
 * SwiftShader, the compositor), both written to files to open in Chrome DevTools, and summarised
 * as text: the functions with the most self time, and how busy each thread was.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, CDPSession, Page } from "playwright-core";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  /** µs between samples. */
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  /** µs */
  dur?: number;
  args?: { name?: string };
}

/** A profiler started on a page; `stop` writes the files and returns the summary lines. */
export interface PageProfiler {
  stop(): Promise<string[]>;
}

/** Trace categories: enough to see tasks per thread and the GPU process's work, no screenshots. */
const TRACE_CATEGORIES = ["toplevel", "disabled-by-default-devtools.timeline", "devtools.timeline", "gpu", "v8.execute", "blink", "cc", "viz"];

/** Starts a CPU profile (sampling every 200 µs) and a browser trace for `page`, to be written under `dir` as `name`.*. */
export async function startProfiler(browser: Browser, page: Page, dir: string, name: string): Promise<PageProfiler> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
  await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  return {
    async stop(): Promise<string[]> {
      const { profile } = (await cdp.send("Profiler.stop")) as unknown as { profile: CpuProfile };
      const trace = await browser.stopTracing();
      await cdp.detach();
      const profilePath = join(dir, `${name}.cpuprofile`);
      const tracePath = join(dir, `${name}.trace.json`);
      writeFileSync(profilePath, JSON.stringify(profile));
      writeFileSync(tracePath, trace);
      return [
        `CPU profile of the page's main thread: ${profilePath}`,
        ...selfTime(profile),
        `Browser trace (all processes): ${tracePath}`,
        ...threadBusy(JSON.parse(trace.toString("utf8")) as { traceEvents: TraceEvent[] }),
      ];
    },
  };
}

const basename = (url: string) => url.slice(url.lastIndexOf("/") + 1).replace(/\?.*$/, "") || "(native)";

/** The 25 functions with the most self time, ms and share of the profile. */
function selfTime(profile: CpuProfile): string[] {
  const byNode = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const node = byNode.get(id);
    const dt = profile.timeDeltas[i] ?? 0;
    if (!node) return;
    const f = node.callFrame;
    const key = `${f.functionName || "(anonymous)"} ${basename(f.url)}:${f.lineNumber + 1}`;
    totals.set(key, (totals.get(key) ?? 0) + dt);
    all += dt;
  });
  const top = [...totals].sort((a, b) => b[1] - a[1]).slice(0, 25);
  return [
    `  self time over ${(all / 1e6).toFixed(1)} s sampled (ms, share):`,
    ...top.map(([key, us]) => `    ${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / Math.max(1, all)).toFixed(1).padStart(5)} %  ${key}`),
  ];
}

/** Busy time per thread: the sum of its top-level tasks, as a share of the trace's span. */
function threadBusy(trace: { traceEvents: TraceEvent[] }): string[] {
  const names = new Map<string, string>();
  const processes = new Map<number, string>();
  for (const e of trace.traceEvents) {
    if (e.ph === "M" && e.name === "thread_name") names.set(`${e.pid}:${e.tid}`, e.args?.name ?? "?");
    if (e.ph === "M" && e.name === "process_name") processes.set(e.pid, e.args?.name ?? "?");
  }
  const busy = new Map<string, number>();
  let first = Infinity;
  let last = -Infinity;
  for (const e of trace.traceEvents as (TraceEvent & { ts?: number })[]) {
    if (e.ts !== undefined && e.ph !== "M") {
      first = Math.min(first, e.ts);
      last = Math.max(last, e.ts + (e.dur ?? 0));
    }
    // Top-level tasks of a thread's message loop: they do not nest, so their sum is the thread's busy time.
    if (e.ph !== "X" || (e.name !== "ThreadControllerImpl::RunTask" && e.name !== "RunTask")) continue;
    const key = `${e.pid}:${e.tid}`;
    busy.set(key, (busy.get(key) ?? 0) + (e.dur ?? 0));
  }
  const span = Math.max(1, last - first);
  return [...busy]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([key, us]) => `    ${((100 * us) / span).toFixed(0).padStart(4)} % busy  ${processes.get(Number(key.split(":")[0])) ?? "?"} / ${names.get(key) ?? key}`);
}
