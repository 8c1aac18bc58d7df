import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { Client } from "@colyseus/sdk";
import { startApp } from "../../server/app.ts";
import type { RunningApp } from "../../server/app.ts";
import type { Debrief } from "../../shared/engine/debrief.ts";
import { CLIENT_DIR, PHONE, PROJECTOR, buildClient, collectPageErrors, freePort, launchBrowser, shoot } from "./harness.ts";

/**
 * A Lightning duel in real Chromium: the host (an SDK client with the host token) plans one
 * channels round, a student joins on a phone, pays their bot partner by clicking (the page signs
 * the new state with the student's own key), countersigns the bot's payment, and sees the debrief.
 */
describe("channels round in a real browser", () => {
  let app: RunningApp;
  let browser: Browser;
  let base = "";
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const SHOTS = "e2e-channels";
  const poll = <T>(read: () => Promise<T> | T, options: { timeout?: number } = {}) => expect.poll(read, { timeout: 30_000, interval: 100, ...options });

  beforeAll(async () => {
    buildClient();
    const port = await freePort();
    app = await startApp({ port, databasePath: ":memory:", clientDir: CLIENT_DIR, context: { reconnectSeconds: 30, tickMs: 100, botTurnMs: 400 } });
    base = `http://127.0.0.1:${port}`;
    browser = await launchBrowser({ multiProcess: true });
  }, 180_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });

  async function openPage(label: string, viewport: { width: number; height: number }, path: string): Promise<Page> {
    const context = await browser.newContext({ viewport, reducedMotion: label === "projector" ? "no-preference" : "reduce" });
    contexts.push(context);
    const page = await context.newPage();
    collectPageErrors(page, errors, label);
    await page.goto(`${base}${path}`);
    return page;
  }

  it("a student opens the round with a bot partner, pays by clicking, countersigns, and reaches the debrief", async () => {
    const { code, hostToken: token } = (await (await fetch(`${base}/api/sessions`, { method: "POST" })).json()) as { code: string; hostToken: string };
    const host = await new Client(base).joinById(code, { hostToken: token });
    host.onMessage("*", () => undefined);
    const projector = await openPage("projector", PROJECTOR, `/projector?code=${code}`);
    const ada = await openPage("ada", PHONE, `/join?code=${code}`);
    await ada.getByLabel("Your nickname").fill("Ada");
    await ada.getByRole("button", { name: "Join", exact: true }).click();
    await ada.getByText("You're in!").waitFor();

    host.send("host:addBots", { token, count: 1, role: "user", difficulty: "normal" });
    host.send("host:plan", { token, rounds: [{ scenario: "channels", durationSec: 120 }] });
    await poll(() => ada.locator(".chip").count()).toBe(2);
    host.send("host:start", { token });

    // Genesis opened Ada's channel with the bot: 1 ETH on each side once the first L1 block lands.
    const card = ada.locator("article.ch-card").first();
    await card.waitFor({ timeout: 20_000 });
    await poll(() => card.locator(".badge").textContent()).toContain("open");
    const mine = async () => ((await card.locator(".ch-left-label").textContent()) ?? "").trim();
    await poll(mine).toMatch(/^◀ You \d\.\d{4} ETH$/);
    const stateNumber = async () => Number(/State #(\d+)/.exec((await card.locator(".ch-meta").first().textContent()) ?? "")?.[1] ?? -1);

    // Ada pays 0.25 ETH: her page signs the next state, the bot countersigns, the bar moves.
    // (If the bot asks to be signed first, Ada signs: a channel takes one new state at a time.)
    const pay = card.getByRole("button", { name: /^Pay Bot/ });
    const sign = card.getByRole("button", { name: "Sign and accept" });
    const balanceBefore = await mine();
    let sent = false;
    for (let attempt = 0; attempt < 20 && !sent; attempt++) {
      if (await sign.isVisible()) {
        await sign.click({ timeout: 2_000 }).catch(() => undefined);
        continue;
      }
      await card.getByLabel("Amount (ETH)").fill("0.25").catch(() => undefined);
      sent = await pay.click({ timeout: 2_000 }).then(() => true, () => false);
    }
    expect(sent).toBe(true);
    await ada.getByText("Signed by you and sent").waitFor({ timeout: 10_000 });
    await poll(mine, { timeout: 20_000 }).not.toBe(balanceBefore);
    await shoot(ada, SHOTS, "01-user-paid-phone", true);
    // The projector is slow to capture (software WebGL): shoot it while Ada's next step plays out.
    const projectorShot = shoot(projector, SHOTS, "02-projector-channels-projector");

    // The bot pays Ada sooner or later: her page checks the state and countersigns it.
    await sign.waitFor({ timeout: 30_000 });
    await shoot(ada, SHOTS, "03-user-request-phone", true);
    const beforeSign = await stateNumber();
    await sign.click();
    await poll(stateNumber, { timeout: 20_000 }).toBeGreaterThan(beforeSign);

    await projectorShot;
    host.send("host:endRound", { token });
    await ada.getByRole("heading", { name: "Final results" }).waitFor({ timeout: 20_000 });
    await poll(() => projector.locator("body").innerText(), { timeout: 20_000 }).toContain("Final results");
    await shoot(ada, SHOTS, "05-debrief-phone", true);
    await shoot(projector, SHOTS, "06-projector-debrief-projector");

    const state = (host.state as { toJSON(): { debrief: string; players: Record<string, { id: string; name: string; bot: boolean }> } }).toJSON();
    const debrief = JSON.parse(state.debrief) as Debrief;
    const adaId = Object.values(state.players).find((p) => p.name === "Ada")!.id;
    const botId = Object.values(state.players).find((p) => p.bot)!.id;
    expect(debrief.scenario).toBe("channels");
    // Both payments Ada signed in the page reached the engine with valid ed25519 signatures.
    expect(debrief.channels!.paymentsBy[adaId]).toBeGreaterThanOrEqual(1);
    expect(debrief.channels!.paymentsBy[botId]).toBeGreaterThanOrEqual(1);
    expect(await ada.locator(".story").textContent()).toMatch(/off-chain payment/);
    await host.leave();
    expect(errors).toEqual([]);
  }, 150_000);
});
