import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { Client } from "@colyseus/sdk";
import { startApp } from "../../server/app.ts";
import type { RunningApp } from "../../server/app.ts";
import { CLIENT_DIR, PHONE, PROJECTOR, buildClient, collectPageErrors, freePort, launchBrowser, shoot, shootBothSizes } from "./harness.ts";

/**
 * A Plasma mass exit in real Chromium: the host (an SDK client with the host token) plans one
 * short Plasma round with a hard bot operator and bot users; a student on a phone pays a bot,
 * sees the withheld-block alert, clicks Exit, watches the exit in their coins and the queue, and
 * reads the debrief. The projector draws the chain with the dark "?" block and the exit queue.
 */
describe("Plasma mass exit in a real browser", () => {
  let app: RunningApp;
  let browser: Browser;
  let base = "";
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const SHOTS = "e2e-plasma";
  const poll = <T>(read: () => Promise<T> | T, options: { timeout?: number } = {}) => expect.poll(read, { timeout: 30_000, interval: 100, ...options });

  beforeAll(async () => {
    buildClient();
    const port = await freePort();
    // Game time runs twice as fast as the wall clock: the 80 s round takes 40 s.
    app = await startApp({ port, databasePath: ":memory:", clientDir: CLIENT_DIR, context: { reconnectSeconds: 30, tickMs: 100, botTurnMs: 300, timeScale: 2 } });
    base = `http://127.0.0.1:${port}`;
    browser = await launchBrowser({ multiProcess: true });
  }, 180_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });

  async function openPage(label: string, viewport: { width: number; height: number }, path: string): Promise<Page> {
    const context = await browser.newContext({ viewport, reducedMotion: "reduce" });
    contexts.push(context);
    const page = await context.newPage();
    collectPageErrors(page, errors, label);
    await page.goto(`${base}${path}`);
    return page;
  }

  it("withheld block → alert on the phone → Exit → exit in the coin list and the queue → debrief", async () => {
    const { code, hostToken: token } = (await (await fetch(`${base}/api/sessions`, { method: "POST" })).json()) as { code: string; hostToken: string };
    const host = await new Client(base).joinById(code, { hostToken: token });
    host.onMessage("*", () => undefined);

    const ada = await openPage("ada", PHONE, `/join?code=${code}`);
    await ada.getByLabel("Your nickname").fill("Ada");
    await ada.getByRole("button", { name: "Join", exact: true }).click();
    await ada.getByText("You're in!").waitFor();
    const projector = await openPage("projector", PROJECTOR, `/projector?code=${code}`);

    host.send("host:plan", { token, rounds: [{ scenario: "plasma", durationSec: 80, params: { exitPeriodSec: 10, blockIntervalSec: 3, withholdAtSec: 24, exitsPerBlock: 1 } }] });
    host.send("host:addBots", { token, count: 1, role: "operator", difficulty: "hard" });
    host.send("host:addBots", { token, count: 8, role: "user", difficulty: "normal" });
    await poll(() => ada.locator(".chip").count()).toBe(10);
    host.send("host:start", { token });

    // Ada's 2 ETH deposit becomes a coin; she pays a bot 0.3 ETH from her phone.
    await poll(() => ada.locator(".plasma-coin", { hasText: "on Plasma" }).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await ada.getByLabel("Pay to").selectOption({ index: 0 });
    await ada.getByLabel("Amount (ETH)", { exact: true }).fill("0.3");
    await ada.getByRole("button", { name: "Send on Plasma" }).click();
    // The coin she spent shows as paid away once the operator's block root is on L1 (bots may have paid her coins too).
    await poll(() => ada.locator(".plasma-coin", { hasText: "paid away" }).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await shoot(ada, SHOTS, "01-user-coins-phone", true);

    // The hard bot operator withholds a block and steals: the alert appears, with a deadline.
    const alert = ada.locator(".plasma-alert");
    await alert.waitFor({ state: "visible", timeout: 40_000 });
    expect(await alert.locator("h2").textContent()).toMatch(/^⚠ Block #\d+'s data is being withheld — your coins may be stolen\. Exit now!$/);
    expect(await alert.textContent()).toMatch(/left to start an exit|Too late/);
    await shoot(ada, SHOTS, "02-user-alert-phone");
    await poll(() => projector.locator("canvas").count()).toBe(1);
    await shoot(projector, SHOTS, "03-projector-withheld-projector");

    // Ada picks a fast tip and exits her coin from the alert.
    await alert.getByLabel("Exit tip").selectOption("15");
    await alert.getByRole("button", { name: /^Exit \d+\.\d\d ETH/ }).first().click();
    await shoot(projector, SHOTS, "05-projector-queue-projector");
    await poll(() => ada.locator(".plasma-coin", { hasText: /exit sent|exiting|exited ✓|stuck ✗/ }).count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await poll(() => ada.locator(".plasma-exit.mine").count(), { timeout: 40_000 }).toBeGreaterThan(0);
    expect(await ada.locator(".plasma-queue").textContent()).toContain("You");
    await shootBothSizes(ada, SHOTS, "04-user-exiting");

    // The round ends by itself: everyone sees the debrief with who lost what.
    await ada.getByRole("heading", { name: "Final results" }).waitFor({ timeout: 60_000 });
    const story = (await ada.locator(".story").textContent()) ?? "";
    expect(story).toMatch(/withheld the data of block #\d+/);
    expect(story).toMatch(/coins? (was|were) sent to exit on L1/);
    expect(await ada.locator(".trade-off").textContent()).toMatch(/block roots/);
    await shootBothSizes(ada, SHOTS, "06-debrief");
    await projector.getByRole("heading", { name: "Final results" }).waitFor({ timeout: 20_000 });
    await shoot(projector, SHOTS, "07-projector-debrief-projector");
    await host.leave();
    expect(errors).toEqual([]);
  }, 150_000);
});
