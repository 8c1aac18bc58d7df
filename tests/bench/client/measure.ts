/**
 * One projector measurement: opens /projector in a fresh browser context at 1920×1080, waits for
 * the round's scene, warms up, then counts animation frames for the window and reads the page's own
 * stamps (window.__l2arena: renders, patch → screen latencies, snapshot and scene-build times).
 */
import { mkdirSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { startProfiler } from "./profile.ts";

export interface MeasureOptions {
  base: string;
  code: string;
  /** Query string after the code, e.g. "&quality=high". */
  query: string;
  label: string;
  seconds: number;
  warmUpMs: number;
  /** Write a CPU profile and a browser trace of the window into this folder. */
  profileDir?: string;
  /** Save a screenshot of the projector at the end of the window into this folder, as `${shotName}.png`. */
  shotDir?: string;
  shotName: string;
}

/** What one measurement found (ms unless named otherwise). */
export interface Measurement {
  label: string;
  antialias: boolean;
  fpsMean: number;
  fpsWorstSecond: number;
  frameMs: number[];
  renders: number;
  /** Frames whose WebGL canvas was drawn (NaN for a client that draws the canvas in every frame it builds). */
  canvasRenders: number;
  patches: number;
  latencies: number[];
  snapshotMs: number[];
  drawMs: number[];
  renderMs: number[];
  windowMs: number;
  pageLoadMs: number;
  pageErrors: string[];
  /** 1-minute load average before and after the window. */
  loadBefore: number;
  loadAfter: number;
  profile: string[];
}

interface FrameSample {
  frames: number;
  elapsedMs: number;
  deltas: number[];
}

/** A projector page on a loaded 2-core machine may take a while to load and join: generous, not a target. */
const LOAD_TIMEOUT_MS = 180_000;

export async function measureProjector(browser: Browser, o: MeasureOptions): Promise<Measurement> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, reducedMotion: "no-preference" });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  const loadStart = Date.now();
  await page.goto(`${o.base}/projector?code=${o.code}${o.query}`, { timeout: LOAD_TIMEOUT_MS });
  await page.waitForFunction(() => window.__l2arena !== undefined, undefined, { timeout: LOAD_TIMEOUT_MS, polling: 250 });
  const pageLoadMs = Date.now() - loadStart;
  await page.waitForTimeout(o.warmUpMs);
  const profiler = o.profileDir ? (mkdirSync(o.profileDir, { recursive: true }), await startProfiler(browser, page, o.profileDir, o.shotName)) : null;
  const loadBefore = os.loadavg()[0]!;
  const before = await page.evaluate(() => {
    const m = window.__l2arena!;
    for (const list of [m.latencies, m.drawMs, m.renderMs, m.snapshotMs]) list.length = 0;
    return { patches: m.patches(), renders: m.renders, canvasRenders: m.canvasRenders ?? NaN };
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
  }), o.seconds * 1000);
  const after = await page.evaluate(() => {
    const m = window.__l2arena!;
    return { patches: m.patches(), renders: m.renders, canvasRenders: m.canvasRenders ?? NaN, latencies: [...m.latencies], drawMs: [...m.drawMs], renderMs: [...m.renderMs], snapshotMs: [...m.snapshotMs], antialias: m.antialias };
  });
  const loadAfter = os.loadavg()[0]!;
  const profile = profiler ? await profiler.stop() : [];
  if (o.shotDir) {
    mkdirSync(o.shotDir, { recursive: true });
    await page.screenshot({ path: join(o.shotDir, `${o.shotName}.png`) });
  }
  await context.close();

  // Frames per wall-clock second, second by second: the worst one is the stutter the class sees.
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
  return {
    label: o.label,
    antialias: after.antialias,
    fpsMean: (sample.frames * 1000) / sample.elapsedMs,
    fpsWorstSecond: perSecond.length ? Math.min(...perSecond) : NaN,
    frameMs: sample.deltas,
    renders: after.renders - before.renders,
    canvasRenders: after.canvasRenders - before.canvasRenders,
    patches: after.patches - before.patches,
    latencies: after.latencies,
    snapshotMs: after.snapshotMs,
    drawMs: after.drawMs,
    renderMs: after.renderMs,
    windowMs: sample.elapsedMs,
    pageLoadMs,
    pageErrors,
    loadBefore,
    loadAfter,
    profile,
  };
}
