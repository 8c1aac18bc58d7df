import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startApp } from "../../server/app.ts";
import type { RunningApp } from "../../server/app.ts";
import type { Debrief } from "../../shared/engine/debrief.ts";
import { joinAsHost, waitFor } from "../integration/helpers.ts";
import { CLIENT_DIR, PHONE, PROJECTOR, buildClient, collectPageErrors, freePort, launchBrowser, shoot, shootBothSizes } from "./harness.ts";

/**
 * A bridge heist in real Chromium: a user withdraws and releases by clicking; a human validator
 * (online, so the browser signs blocks by itself) sees the corrupt bots' invitation, watches their
 * 4-key release fail, and clicks "Sign the heist" — the fifth key drains the vault; the auditor
 * sees the two numbers split and raises the alarm. The projector draws the ring, blocks and vault.
 */
describe("a sidechain bridge heist in a real browser", () => {
  let app: RunningApp;
  let browser: Browser;
  let base = "";
  let port = 0;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const SHOTS = "e2e-sidechain";

  beforeAll(async () => {
    buildClient();
    port = await freePort();
    // Game time runs 3× faster than the wall clock; the host ends the long round once the story is told.
    app = await startApp({ port, databasePath: ":memory:", clientDir: CLIENT_DIR, context: { reconnectSeconds: 30, tickMs: 100, botTurnMs: 300, timeScale: 3 } });
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

  it("withdraw with 5 of 9 signatures → heist refused with 4 keys → the human's fifth key drains the vault → alarm → debrief", async () => {
    const session = (await (await fetch(`${base}/api/sessions`, { method: "POST" })).json()) as { code: string; roomId: string; hostToken: string };
    const host = await joinAsHost(port, session);
    const projector = await openPage("projector", PROJECTOR, `/projector?code=${session.code}`);
    const pages: Record<string, Page> = {};
    for (const name of ["Ada", "Val", "Aud"]) {
      const page = await openPage(name, PHONE, `/join?code=${session.code}`);
      await page.getByLabel("Your nickname").fill(name);
      await page.getByRole("button", { name: "Join", exact: true }).click();
      await page.getByText("You're in!").waitFor();
      pages[name] = page;
    }
    const idOf = (name: string) => [...host.room.state.players.entries()].find(([, p]) => p.name === name)![0];
    const token = session.hostToken;
    host.room.send("host:plan", { token, rounds: [{ scenario: "sidechain", durationSec: 900 }] });
    // Four corrupt bot validators; the room fills the other bridge seats with honest ones.
    host.room.send("host:addBots", { token, count: 4, role: "validator", difficulty: "hard" });
    host.room.send("host:addBots", { token, count: 3, role: "user", difficulty: "normal" });
    await waitFor("10 players", () => host.room.state.players.size === 10);
    host.room.send("host:assign", { token, playerId: idOf("Val"), role: "validator" });
    host.room.send("host:assign", { token, playerId: idOf("Aud"), role: "auditor" });
    await waitFor("roles", () => host.room.state.players.get(idOf("Aud"))?.role === "auditor");
    host.room.send("host:start", { token });
    await waitFor("running", () => host.room.state.phase === "running");

    const ada = pages.Ada!;
    const val = pages.Val!;
    const aud = pages.Aud!;
    // Ada withdraws: the burn collects the validators' signatures, then she releases it on L1.
    // Genesis deposited 2 ETH through the bridge: minted once L1 includes it.
    await expect.poll(async () => ada.locator(".stat").filter({ has: ada.locator(".stat-label", { hasText: /^On the sidechain$/ }) }).locator("strong").textContent(), { timeout: 30_000 }).toMatch(/^[1-9]/);
    await ada.getByLabel("Withdraw amount (ETH)").fill("0.2");
    await ada.getByRole("button", { name: "Withdraw to L1" }).click();
    await ada.getByText(/signatures/).first().waitFor({ timeout: 30_000 });
    const release = ada.getByRole("button", { name: /Enough signatures: release on L1/ });
    await release.waitFor({ timeout: 30_000 });
    await shootBothSizes(ada, SHOTS, "01-user-withdrawal");
    await release.click();
    await ada.getByText("✓ paid on L1").waitFor({ timeout: 30_000 });

    // Val's browser signs blocks by itself while online.
    await expect.poll(async () => Number(await val.locator(".stat", { hasText: "Block votes you sent" }).locator("strong").textContent()), { timeout: 30_000 }).toBeGreaterThan(2);
    await shootBothSizes(val, SHOTS, "02-validator");
    await shoot(projector, SHOTS, "03-projector");
    await shootBothSizes(aud, SHOTS, "04-auditor-backed");

    // The corrupt bots invite Val; their 4-key release reverts on L1; Val signs the fifth.
    const sign = val.getByRole("button", { name: /Sign the heist/ });
    await sign.waitFor({ timeout: 120_000 });
    await val.getByText(/Refused: only 4 of 5 keys/).waitFor({ timeout: 120_000 });
    await shootBothSizes(val, SHOTS, "05-validator-invited");
    await shoot(projector, SHOTS, "06-projector-refused");
    await sign.click();
    await val.getByText(/Drained .* with 5 of 5 keys/).waitFor({ timeout: 60_000 });
    await aud.getByText(/Short by/).first().waitFor({ timeout: 30_000 });
    await aud.getByText(/a right alarm now is worth about/).waitFor();
    await projector.waitForTimeout(1_000);
    await shoot(projector, SHOTS, "07-projector-drained");
    await shootBothSizes(aud, SHOTS, "08-auditor-short");
    await aud.getByRole("button", { name: /Raise the alarm/ }).click();
    await aud.getByText(/✓ right/).waitFor({ timeout: 30_000 });
    await shootBothSizes(aud, SHOTS, "09-auditor-alarm");

    host.room.send("host:endRound", { token });
    await ada.getByText(/bridge keys can take everything/).waitFor({ timeout: 30_000 });
    await shootBothSizes(ada, SHOTS, "10-debrief");
    await shoot(projector, SHOTS, "11-projector-debrief");
    const debrief = JSON.parse(host.room.state.debrief) as Debrief;
    const s = debrief.sidechain!;
    expect(s.withdrawalsPaid).toBeGreaterThanOrEqual(1);
    expect(s.refusedSignatures).toBe(4);
    expect(s.heistSigners).toContain(idOf("Val"));
    expect(s.firstAlarmBy).toBe(idOf("Aud"));
    expect(errors).toEqual([]);
    await host.room.leave().catch(() => undefined);
  });
});
