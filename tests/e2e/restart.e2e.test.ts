import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { killServer, spawnServer } from "../integration/server-process.ts";
import type { ServerProcess } from "../integration/server-process.ts";
import { CLIENT_DIR, PHONE, WAIT_MS, buildClient, collectPageErrors, freePort, hostOverSdk, launchBrowser, poll, shoot, submitJoin } from "./harness.ts";
import type { SdkHost } from "./harness.ts";

/**
 * A phone mid-round while the server process is killed and started again: the page says
 * "Reconnecting…", then that the round resumes in a few seconds, and the student carries on
 * playing in the same seat — with what they did before the crash still there.
 */
describe("a server restart in a real browser", () => {
  const SHOTS = "e2e-restart";
  let browser: Browser;
  let dataDir: string;
  const servers: ServerProcess[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    buildClient();
    browser = await launchBrowser({ multiProcess: true });
    dataDir = mkdtempSync(join(tmpdir(), "l2arena-e2e-restart-"));
  });
  afterAll(async () => {
    await browser?.close();
    for (const server of servers) await killServer(server);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const banner = (page: Page) => page.locator("#banner");
  const sentRows = (page: Page) => page.getByRole("list", { name: "Your L1 transfers" }).locator("li");

  it("shows Reconnecting… across a kill -9 and a restart, and the student carries on playing", async () => {
    const port = await freePort();
    const start = async () => {
      const server = await spawnServer(port, dataDir, { CLIENT_DIR }, { startTimeoutMs: WAIT_MS });
      servers.push(server);
      return server;
    };
    const first = await start();
    const host: SdkHost = await hostOverSdk(port);
    host.room.reconnection.minUptime = 0;
    const context = await browser.newContext({ viewport: PHONE, reducedMotion: "reduce" });
    const phone = await context.newPage();
    phone.setDefaultTimeout(WAIT_MS);
    collectPageErrors(phone, errors, "Mia");
    await phone.goto(`http://127.0.0.1:${port}/join?code=${host.code}`);
    await submitJoin(phone, "Mia");
    await phone.getByText("You're in!").waitFor();

    host.send("host:plan", { rounds: [{ scenario: "l1", durationSec: 600 }] });
    host.send("host:addBots", { count: 3, role: "user", difficulty: "easy" });
    await poll(() => host.room.state.players.size).toBe(4);
    host.send("host:start");
    await phone.getByRole("button", { name: "Pay on L1" }).waitFor();
    await phone.getByLabel("Pay to").selectOption({ index: 0 });
    await phone.getByLabel("Amount (ETH)").fill("0.05");
    await phone.getByRole("button", { name: "Pay on L1" }).click();
    await poll(() => sentRows(phone).count()).toBe(1);
    // A phone reconnects by itself once it has been in the game a few seconds (the SDK's minimum
    // uptime): the page says when it would. Every text the banner shows from now on is recorded, so
    // a message shown briefly is seen however slow the machine is.
    await poll(() => phone.evaluate(() => document.documentElement.dataset.autoReconnect)).toBe("armed");
    await phone.evaluate(() => {
      const banner = document.querySelector("#banner")!;
      const seen: string[] = ((window as unknown as { bannerTexts: string[] }).bannerTexts = []);
      new MutationObserver(() => seen.push(banner.textContent ?? "")).observe(banner, { childList: true, characterData: true, subtree: true, attributes: true });
    });
    const bannerTexts = () => phone.evaluate(() => (window as unknown as { bannerTexts: string[] }).bannerTexts.join("\n"));

    first.child.kill("SIGKILL");
    await first.exited;
    await poll(bannerTexts).toMatch(/Reconnecting/);
    await shoot(phone, SHOTS, "01-reconnecting-phone", true);

    await start();
    await poll(bannerTexts).toMatch(/The server restarted: everyone is coming back\. The round resumes in \d+ s\./);
    await shoot(phone, SHOTS, "02-resuming-phone", true);
    await poll(() => banner(phone).isHidden()).toBe(true);

    // Same seat: what Mia sent before the crash is still listed, and she plays on.
    expect(await sentRows(phone).count()).toBe(1);
    await phone.getByLabel("Pay to").selectOption({ index: 0 });
    await phone.getByLabel("Amount (ETH)").fill("0.02");
    await phone.getByRole("button", { name: "Pay on L1" }).click();
    await poll(() => sentRows(phone).count()).toBe(2);
    await poll(() => sentRows(phone).first().textContent()).toMatch(/included|in block/i);
    await shoot(phone, SHOTS, "03-playing-on-phone", true);
    expect([...host.room.state.players.values()].filter((p) => p.name === "Mia")).toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
    await host.room.leave().catch(() => undefined);
  });
});
