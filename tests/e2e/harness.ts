import { expect } from "vitest";
import chromium from "@sparticuz/chromium";
import { chromium as pw } from "playwright-core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startApp } from "../../server/app.ts";
import type { AppOptions } from "../../server/app.ts";
import { createSession, freePort, idOf, joinAsHost } from "../integration/helpers.ts";
import type { Peer } from "../integration/helpers.ts";

/** Repository root (tests/e2e/../..). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Where the tests build the client; E2E_CLIENT_DIR gives a second run on the same checkout its own. */
export const CLIENT_DIR = process.env.E2E_CLIENT_DIR ? resolve(process.env.E2E_CLIENT_DIR) : join(ROOT, "dist", "client");
export const ARTIFACTS = join(ROOT, "test-artifacts");

export const PHONE = { width: 390, height: 844 } as const;
export const PROJECTOR = { width: 1920, height: 1080 } as const;

/**
 * Builds the client with Vite, always: a stale dist/ must never make the test pass. Runs Vite
 * with this very Node binary, so a different `node` on PATH cannot break the build.
 */
export function buildClient(): void {
  execFileSync(process.execPath, [join(ROOT, "node_modules", "vite", "bin", "vite.js"), "build", "--logLevel", "warn", "--outDir", CLIENT_DIR, "--emptyOutDir"], {
    cwd: ROOT,
    stdio: "pipe",
    // vitest sets NODE_ENV=test, which would make Vite build a development bundle.
    env: { ...process.env, NODE_ENV: "production" },
  });
}

/** A TCP port nobody is listening on right now (the integration helpers' own). */
export { freePort };

/**
 * Headless Chromium shipped inside the @sparticuz/chromium npm package (WebGL through SwiftShader).
 * Its default flags are for AWS Lambda (one process); `multiProcess` gives the GPU and the
 * renderer processes of their own, as on a real machine.
 */
export async function launchBrowser(options: { multiProcess?: boolean } = {}): Promise<Browser> {
  const executablePath = await chromium.executablePath();
  const args = options.multiProcess ? chromium.args.filter((a) => a !== "--single-process" && a !== "--in-process-gpu" && a !== "--no-zygote") : chromium.args;
  return pw.launch({ executablePath, args, headless: true });
}

/** Saves a screenshot under test-artifacts/<folder>/<name>.png. */
export async function shoot(page: Page, folder: string, name: string, fullPage = false): Promise<void> {
  const dir = join(ARTIFACTS, folder);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage });
}

/**
 * Screenshots a screen at phone and projector size: the page's own size first, then the other,
 * then puts the viewport back. At phone size the page must not scroll sideways (checked softly:
 * the test goes on and fails at its end, naming every screen that did).
 */
export async function shootBothSizes(page: Page, folder: string, name: string): Promise<void> {
  const own = page.viewportSize() ?? PHONE;
  const phoneFirst = own.width === PHONE.width;
  const sizes = phoneFirst ? [PHONE, PROJECTOR] : [PROJECTOR, PHONE];
  for (const size of sizes) {
    await page.setViewportSize(size);
    // Laid out and painted at the new size: two animation frames (the projector's canvas resizes on the first).
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const phone = size.width === PHONE.width;
    await shoot(page, folder, `${name}-${phone ? "phone" : "projector"}`, phone);
    if (phone) expect.soft(await page.evaluate(() => document.documentElement.scrollWidth), `${folder}/${name} scrolls sideways on a phone`).toBeLessThanOrEqual(PHONE.width);
  }
  await page.setViewportSize(own);
}

/**
 * Screenshots a screen at phone size only (the whole page), checking softly that it does not
 * scroll sideways, then puts the viewport back.
 */
export async function shootPhone(page: Page, folder: string, name: string): Promise<void> {
  const own = page.viewportSize() ?? PHONE;
  if (own.width !== PHONE.width || own.height !== PHONE.height) {
    await page.setViewportSize(PHONE);
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  }
  await shoot(page, folder, `${name}-phone`, true);
  expect.soft(await page.evaluate(() => document.documentElement.scrollWidth), `${folder}/${name} scrolls sideways on a phone`).toBeLessThanOrEqual(PHONE.width);
  if (own.width !== PHONE.width || own.height !== PHONE.height) await page.setViewportSize(own);
}

/** Collects uncaught page errors, so a test can assert the client never threw. */
export function collectPageErrors(page: Page, into: string[], label: string): void {
  page.on("pageerror", (error) => into.push(`${label}: ${error.message}`));
  if (process.env.E2E_DEBUG) page.on("console", (message) => console.log(`[${label}] ${message.type()}: ${message.text()}`));
}

/**
 * How long a test waits for a condition the page exposes before calling it stuck. Generous on
 * purpose: a loaded machine (another build, another test run) makes everything slower, and the
 * tests wait for what the page shows, never for the machine to be fast. A condition that holds
 * ends the wait at once.
 */
export const WAIT_MS = 180_000;

/** Polls a condition until it holds (or WAIT_MS passes: then the test is stuck, not slow). */
export function poll<T>(read: () => Promise<T> | T, options: { timeout?: number } = {}) {
  return expect.poll(read, { timeout: WAIT_MS, interval: 100, ...options });
}

/**
 * Reads until `accept` holds and returns what was read: for a test that must act on which of
 * several things the page shows (a move to make, a dispute over). Stuck after WAIT_MS.
 */
export async function until<T>(read: () => Promise<T> | T, accept: (value: T) => boolean): Promise<T> {
  let value: T | undefined;
  await poll(async () => accept((value = await read()))).toBe(true);
  return value as T;
}

/** A running server (built client, in-memory store) and a Chromium to open pages on it. */
export interface E2eServer {
  /** http://127.0.0.1:<port> */
  base: string;
  port: number;
  /** Every page's uncaught errors, "label: message": a test ends by expecting none. */
  errors: string[];
  /** Opens `path` in a new browser context (its own storage: its own player). */
  openPage(label: string, viewport: { width: number; height: number }, path: string): Promise<Page>;
  /** A student's phone: opens the join page of game `code` and joins as `name`. */
  joinOnPhone(code: string, name: string): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Builds the client, starts the server with the test's `context` and launches Chromium.
 * Pages prefer reduced motion, except the projector when `animateProjector` (the default).
 */
export async function startE2eServer(context: AppOptions["context"], options: { animateProjector?: boolean; publicUrl?: string } = {}): Promise<E2eServer> {
  const animateProjector = options.animateProjector ?? true;
  buildClient();
  const port = await freePort();
  const app = await startApp({ port, databasePath: ":memory:", clientDir: CLIENT_DIR, context, ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}) });
  let browser: Browser;
  try {
    browser = await launchBrowser({ multiProcess: true });
  } catch (error) {
    await app.close();
    throw error;
  }
  const base = `http://127.0.0.1:${port}`;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  async function openPage(label: string, viewport: { width: number; height: number }, path: string): Promise<Page> {
    const animate = animateProjector && label === "projector";
    const browserContext = await browser.newContext({ viewport, reducedMotion: animate ? "no-preference" : "reduce" });
    contexts.push(browserContext);
    const page = await browserContext.newPage();
    // waitFor() and click() wait for the page's own conditions, as long as a loaded machine needs.
    page.setDefaultTimeout(WAIT_MS);
    collectPageErrors(page, errors, label);
    await page.goto(`${base}${path}`);
    return page;
  }

  async function joinOnPhone(code: string, name: string): Promise<Page> {
    const page = await openPage(name, PHONE, `/join?code=${code}`);
    await submitJoin(page, name);
    await page.getByText("You're in!").waitFor();
    return page;
  }

  async function close(): Promise<void> {
    for (const browserContext of contexts) await browserContext.close().catch(() => undefined);
    await browser.close();
    await app.close();
  }

  return { base, port, errors, openPage, joinOnPhone, close };
}

/** Types the nickname on the join page and presses Join. */
export async function submitJoin(page: Page, name: string): Promise<void> {
  await page.getByLabel("Your nickname").fill(name);
  await page.getByRole("button", { name: "Join", exact: true }).click();
}

/** The host as a plain SDK client (instead of the host console): a new game, joined with its host token. */
export interface SdkHost extends Peer {
  code: string;
  token: string;
  /** Sends a host command, with the host token. */
  send(type: `host:${string}`, body?: Record<string, unknown>): void;
  /** A player's id by nickname. */
  idOf(name: string): string;
}

export async function hostOverSdk(port: number): Promise<SdkHost> {
  const session = await createSession(port);
  const peer = await joinAsHost(port, session);
  return {
    ...peer,
    code: session.code,
    token: session.hostToken,
    send: (type, body = {}) => peer.room.send(type, { token: session.hostToken, ...body }),
    idOf: (name) => idOf(peer, name),
  };
}
