/**
 * Screenshots of a sidechain round ("Bridge heist") in real Chromium on the built client:
 * the user, validator and auditor views on a phone and the projector, before and after a heist.
 * Run: node tests/e2e/sidechain-shots.ts  → test-artifacts/sidechain/*.png
 */
import type { Page } from "playwright-core";
import { startApp } from "../../server/app.ts";
import { createSession, joinAsHost, waitFor } from "../integration/helpers.ts";
import { CLIENT_DIR, PHONE, PROJECTOR, buildClient, collectPageErrors, freePort, launchBrowser, shoot, shootBothSizes } from "./harness.ts";

const SHOTS = "sidechain";

buildClient();
const port = await freePort();
const app = await startApp({ port, databasePath: ":memory:", clientDir: CLIENT_DIR, context: { reconnectSeconds: 30, tickMs: 100, botTurnMs: 300, timeScale: 2 } });
const base = `http://127.0.0.1:${port}`;
const browser = await launchBrowser({ multiProcess: true });
const errors: string[] = [];

async function openPage(label: string, viewport: { width: number; height: number }, path: string): Promise<Page> {
  const context = await browser.newContext({ viewport, reducedMotion: label === "projector" ? "no-preference" : "reduce" });
  const page = await context.newPage();
  collectPageErrors(page, errors, label);
  await page.goto(`${base}${path}`);
  return page;
}

try {
  const session = await createSession(port);
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
  host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "sidechain", durationSec: 300 }] });
  host.room.send("host:addBots", { token: session.hostToken, count: 4, role: "validator", difficulty: "hard" });
  host.room.send("host:addBots", { token: session.hostToken, count: 3, role: "user", difficulty: "normal" });
  await waitFor("10 players", () => host.room.state.players.size === 10);
  host.room.send("host:assign", { token: session.hostToken, playerId: idOf("Val"), role: "validator" });
  host.room.send("host:assign", { token: session.hostToken, playerId: idOf("Aud"), role: "auditor" });
  await waitFor("roles", () => host.room.state.players.get(idOf("Aud"))?.role === "auditor");
  host.room.send("host:start", { token: session.hostToken });
  await waitFor("running", () => host.room.state.phase === "running");

  const ada = pages.Ada!;
  const val = pages.Val!;
  const aud = pages.Aud!;
  await ada.getByRole("button", { name: "Send on the sidechain" }).waitFor();
  await ada.waitForTimeout(6_000);
  await ada.getByLabel("Withdraw amount (ETH)").fill("0.2");
  await ada.getByRole("button", { name: "Withdraw to L1" }).click();
  await ada.getByText(/signatures/).first().waitFor({ timeout: 30_000 });
  await shootBothSizes(ada, SHOTS, "01-user");
  await shootBothSizes(val, SHOTS, "02-validator");
  await shoot(projector, SHOTS, "03-projector");
  await shootBothSizes(aud, SHOTS, "04-auditor");

  // The corrupt bots invite Val; after their 4-key release reverts, Val signs the fifth.
  await val.getByRole("button", { name: /Sign the heist/ }).waitFor({ timeout: 120_000 });
  await shootBothSizes(val, SHOTS, "05-validator-invited");
  await val.getByText(/Refused: only 4 of 5 keys/).waitFor({ timeout: 120_000 });
  await shoot(projector, SHOTS, "06-projector-refused");
  await val.getByRole("button", { name: /Sign the heist/ }).click();
  await aud.getByText(/Short by/).first().waitFor({ timeout: 60_000 });
  await projector.waitForTimeout(1_000);
  await shoot(projector, SHOTS, "07-projector-drained");
  await shootBothSizes(aud, SHOTS, "08-auditor-short");
  await aud.getByRole("button", { name: /Raise the alarm/ }).click();
  await aud.getByText(/✓ right/).waitFor({ timeout: 30_000 });
  await shootBothSizes(aud, SHOTS, "09-auditor-alarm");
  await shootBothSizes(ada, SHOTS, "10-user-after");
  host.room.send("host:endRound", { token: session.hostToken });
  await ada.getByText(/bridge keys can take everything/).waitFor({ timeout: 30_000 });
  await shootBothSizes(ada, SHOTS, "11-debrief");
  await shoot(projector, SHOTS, "12-projector-debrief");
  console.log(errors.length ? `page errors:\n${errors.join("\n")}` : "no page errors");
} finally {
  await browser.close();
  await app.close();
}
