import chromium from "@sparticuz/chromium";
import { chromium as pw } from "playwright-core";
import type { Browser, Page } from "playwright-core";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (tests/e2e/../..). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CLIENT_DIR = join(ROOT, "dist", "client");
export const ARTIFACTS = join(ROOT, "test-artifacts");

export const PHONE = { width: 390, height: 844 } as const;
export const PROJECTOR = { width: 1920, height: 1080 } as const;

/**
 * Builds the client with Vite, always: a stale dist/ must never make the test pass. Runs Vite
 * with this very Node binary, so a different `node` on PATH cannot break the build.
 */
export function buildClient(): void {
  execFileSync(process.execPath, [join(ROOT, "node_modules", "vite", "bin", "vite.js"), "build", "--logLevel", "warn"], {
    cwd: ROOT,
    stdio: "pipe",
    // vitest sets NODE_ENV=test, which would make Vite build a development bundle.
    env: { ...process.env, NODE_ENV: "production" },
  });
}

/** A TCP port nobody is listening on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

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
 * then puts the viewport back.
 */
export async function shootBothSizes(page: Page, folder: string, name: string): Promise<void> {
  const own = page.viewportSize() ?? PHONE;
  const phoneFirst = own.width === PHONE.width;
  const sizes = phoneFirst ? [PHONE, PROJECTOR] : [PROJECTOR, PHONE];
  for (const size of sizes) {
    await page.setViewportSize(size);
    await page.waitForTimeout(150);
    const phone = size.width === PHONE.width;
    await shoot(page, folder, `${name}-${phone ? "phone" : "projector"}`, phone);
  }
  await page.setViewportSize(own);
}

/** Collects uncaught page errors, so a test can assert the client never threw. */
export function collectPageErrors(page: Page, into: string[], label: string): void {
  page.on("pageerror", (error) => into.push(`${label}: ${error.message}`));
  if (process.env.E2E_DEBUG) page.on("console", (message) => console.log(`[${label}] ${message.type()}: ${message.text()}`));
}
