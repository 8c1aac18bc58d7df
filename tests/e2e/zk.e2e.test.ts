import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { Client } from "@colyseus/sdk";
import type { Room } from "@colyseus/sdk";
import { startApp } from "../../server/app.ts";
import type { RunningApp } from "../../server/app.ts";
import { CLIENT_DIR, PHONE, PROJECTOR, buildClient, collectPageErrors, freePort, launchBrowser, shoot, shootBothSizes } from "./harness.ts";

/**
 * A ZK-rollup round in real Chromium: a student pays and withdraws (signed in the page), a
 * student prover picks a batch size and proves it, the withdrawal is claimable the moment the
 * batch verifies and is paid on L1; then the prover's forged batch is rejected by L1's verifier.
 */
describe("ZK rollup round in a real browser", () => {
  let app: RunningApp;
  let browser: Browser;
  let base = "";
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const SHOTS = "e2e-zk";
  const poll = <T>(read: () => Promise<T> | T, options: { timeout?: number } = {}) => expect.poll(read, { timeout: 30_000, interval: 100, ...options });

  beforeAll(async () => {
    buildClient();
    const port = await freePort();
    // Game time runs twice as fast as the wall clock: proving a batch of 20 takes 4.5 s.
    app = await startApp({ port, databasePath: ":memory:", clientDir: CLIENT_DIR, context: { reconnectSeconds: 30, tickMs: 100, botTurnMs: 400, timeScale: 2 } });
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

  async function joinAs(code: string, name: string): Promise<Page> {
    const page = await openPage(name, PHONE, `/join?code=${code}`);
    await page.getByLabel("Your nickname").fill(name);
    await page.getByRole("button", { name: "Join", exact: true }).click();
    await page.getByText("You're in!").waitFor();
    return page;
  }

  it("pay → prove (progress) → verified → claim at once → paid; a forged batch is rejected", async () => {
    const session = (await (await fetch(`${base}/api/sessions`, { method: "POST" })).json()) as { code: string; hostToken: string };
    const token = session.hostToken;
    const host: Room = await new Client(base).joinById(session.code, { hostToken: token });
    host.onMessage("*", () => undefined);
    const projector = await openPage("projector", PROJECTOR, `/projector?code=${session.code}`);
    const ada = await joinAs(session.code, "Ada");
    const pat = await joinAs(session.code, "Pat");
    const idOf = (name: string): string => [...host.state.players.values()].find((p: { name: string }) => p.name === name)!.id;

    host.send("host:plan", { token, rounds: [{ scenario: "zk", durationSec: 600 }] });
    host.send("host:addBots", { token, count: 3, role: "user", difficulty: "normal" });
    await poll(() => host.state.players.size).toBe(5);
    host.send("host:assign", { token, playerId: idOf("Pat"), role: "prover" });
    host.send("host:assign", { token, playerId: idOf("Ada"), role: "user" });
    await poll(() => pat.locator(".role-badge").textContent()).toBe("Prover");
    host.send("host:start", { token });

    // Ada pays a bot and withdraws 0.1 ETH: both wait for a prover.
    await poll(() => ada.locator(".stat", { hasText: "On the ZK rollup" }).textContent(), { timeout: 30_000 }).toContain("2.0000 ETH");
    await ada.getByLabel("Pay to").selectOption({ index: 0 });
    await ada.getByRole("button", { name: "Send on the ZK rollup" }).click();
    await poll(() => ada.locator(".row", { hasText: "ZK payment" }).textContent()).toContain("waiting for a prover");
    await ada.getByLabel("Withdraw amount (ETH)").fill("0.1");
    await ada.getByRole("button", { name: "Withdraw to L1" }).click();
    await poll(() => ada.locator(".row", { hasText: "Withdraw 0.1000 ETH" }).textContent()).toContain("waiting for a prover");

    // Pat sees the queue and the estimate for the size picked, then proves the batch.
    await pat.getByLabel("Batch size").selectOption("64");
    await poll(() => pat.locator(".zk-estimate").textContent()).toMatch(/A batch of \d+: proving takes \d+\.\d s/);
    await shoot(pat, SHOTS, "01-prover-choose-phone", true);
    await pat.getByRole("button", { name: /^Prove a batch of \d+$/ }).click();
    await pat.locator(".zk-batch-proving progress").waitFor({ timeout: 10_000 });
    await shoot(pat, SHOTS, "02-prover-proving-phone", true);
    await shoot(projector, SHOTS, "03-projector-proving");
    await shoot(ada, SHOTS, "04-user-after-proving-phone", true);

    // The moment the batch verifies the withdrawal is claimable: no challenge window.
    const claim = ada.getByRole("button", { name: "Claim on L1 now" });
    await claim.waitFor({ timeout: 60_000 });
    expect(await ada.locator(".row", { hasText: "Withdraw 0.1000 ETH" }).textContent()).toMatch(/Claimable .* optimistic rollup would now make you wait/);
    await poll(() => ada.locator(".row", { hasText: "ZK withdrawal" }).textContent()).toMatch(/final ✓ in \d+\.\d s/);
    await shoot(ada, SHOTS, "05-user-ready-phone", true);
    await claim.click();
    await poll(() => ada.locator(".row", { hasText: "Withdraw 0.1000 ETH" }).textContent(), { timeout: 30_000 }).toContain("paid on L1 ✓");
    await poll(() => pat.locator(".zk-batch-verified").count()).toBeGreaterThan(0);

    // The forged mint: proven, sent, and rejected by L1's verifier.
    await pat.locator("details.cheat summary").click();
    await pat.getByRole("button", { name: /mints 5 ETH/ }).click();
    await pat.locator(".zk-batch-rejected").waitFor({ timeout: 60_000 });
    expect(await pat.locator(".zk-batch-rejected").textContent()).toContain("✗ rejected by L1's verifier");
    await poll(() => pat.locator(".stat", { hasText: "verified / rejected" }).textContent()).toContain("/ 1 ✗");
    await shootBothSizes(pat, SHOTS, "06-prover-rejected");
    await shoot(projector, SHOTS, "07-projector-rejected");

    host.send("host:endRound", { token });
    await ada.getByRole("heading", { name: "Final results" }).waitFor({ timeout: 20_000 });
    await shoot(ada, SHOTS, "08-debrief-phone", true);
    expect(errors).toEqual([]);
    await host.leave();
  });
});
