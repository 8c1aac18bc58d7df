import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { debriefOf, waitFor } from "../integration/helpers.ts";
import { PROJECTOR, hostOverSdk, poll, shoot, shootBothSizes, startE2eServer } from "./harness.ts";
import type { E2eServer } from "./harness.ts";

/**
 * A bridge heist in real Chromium: a user withdraws and releases by clicking; a human validator
 * (online, so the browser signs blocks by itself) sees the corrupt bots' invitation, watches their
 * 4-key release fail, and clicks "Sign the heist" — the fifth key drains the vault; the auditor
 * sees the two numbers split and raises the alarm. The projector draws the ring, blocks and vault.
 */
describe("a sidechain bridge heist in a real browser", () => {
  let e2e: E2eServer;
  const SHOTS = "e2e-sidechain";

  beforeAll(async () => {
    // Game time runs 3× faster than the wall clock; the host ends the long round once the story is told.
    e2e = await startE2eServer({ reconnectSeconds: 30, tickMs: 100, botTurnMs: 300, timeScale: 3 });
  });
  afterAll(() => e2e?.close());

  it("withdraw with 5 of 9 signatures → heist refused with 4 keys → the human's fifth key drains the vault → alarm → debrief", async () => {
    const host = await hostOverSdk(e2e.port);
    const { idOf } = host;
    const projector = await e2e.openPage("projector", PROJECTOR, `/projector?code=${host.code}`);
    const ada = await e2e.joinOnPhone(host.code, "Ada");
    const val = await e2e.joinOnPhone(host.code, "Val");
    const aud = await e2e.joinOnPhone(host.code, "Aud");
    host.send("host:plan", { rounds: [{ scenario: "sidechain", durationSec: 900 }] });
    // Four corrupt bot validators; the room fills the other bridge seats with honest ones.
    host.send("host:addBots", { count: 4, role: "validator", difficulty: "hard" });
    host.send("host:addBots", { count: 3, role: "user", difficulty: "normal" });
    await waitFor("10 players", () => host.room.state.players.size === 10);
    host.send("host:assign", { playerId: idOf("Val"), role: "validator" });
    host.send("host:assign", { playerId: idOf("Aud"), role: "auditor" });
    await waitFor("roles", () => host.room.state.players.get(idOf("Aud"))?.role === "auditor");
    host.send("host:start");
    await waitFor("running", () => host.room.state.phase === "running");

    // Ada withdraws: the burn collects the validators' signatures, then she releases it on L1.
    // Genesis deposited 2 ETH through the bridge: minted once L1 includes it.
    await poll(async () => ada.locator(".stat").filter({ has: ada.locator(".stat-label", { hasText: /^On the sidechain$/ }) }).locator("strong").textContent()).toMatch(/^[1-9]/);
    await ada.getByLabel("Withdraw amount (ETH)").fill("0.2");
    await ada.getByRole("button", { name: "Withdraw to L1" }).click();
    await ada.getByText(/signatures/).first().waitFor();
    const release = ada.getByRole("button", { name: /Enough signatures: release on L1/ });
    await release.waitFor();
    await shootBothSizes(ada, SHOTS, "01-user-withdrawal");
    await release.click();
    await ada.getByText("✓ paid on L1").waitFor();

    // Val's browser signs blocks by itself while online.
    await poll(async () => Number(await val.locator(".stat", { hasText: "Block votes you sent" }).locator("strong").textContent())).toBeGreaterThan(2);
    await shootBothSizes(val, SHOTS, "02-validator");
    await shoot(projector, SHOTS, "03-projector");
    await shootBothSizes(aud, SHOTS, "04-auditor-backed");

    // The corrupt bots invite Val; their 4-key release reverts on L1; Val signs the fifth.
    const sign = val.getByRole("button", { name: /Sign the heist/ });
    await sign.waitFor();
    await val.getByText(/Refused: only 4 of 5 keys/).waitFor();
    await shootBothSizes(val, SHOTS, "05-validator-invited");
    await shoot(projector, SHOTS, "06-projector-refused");
    await sign.click();
    await val.getByText(/Drained .* with 5 of 5 keys/).waitFor();
    await aud.getByText(/Short by/).first().waitFor();
    await aud.getByText(/a right alarm now is worth about/).waitFor();
    // The projector has drawn a frame since the vault drained (it renders on change, and says how many it has).
    const renders = () => projector.evaluate(() => (window as unknown as { __l2arena?: { renders: number } }).__l2arena?.renders ?? 0);
    const before = await renders();
    await poll(renders).toBeGreaterThan(before);
    await shoot(projector, SHOTS, "07-projector-drained");
    await shootBothSizes(aud, SHOTS, "08-auditor-short");
    await aud.getByRole("button", { name: /Raise the alarm/ }).click();
    await aud.getByText(/✓ right/).waitFor();
    await shootBothSizes(aud, SHOTS, "09-auditor-alarm");

    host.send("host:endRound");
    await ada.getByText(/bridge keys can take everything/).waitFor();
    await shootBothSizes(ada, SHOTS, "10-debrief");
    await shoot(projector, SHOTS, "11-projector-debrief");
    const debrief = debriefOf(host);
    const s = debrief.sidechain!;
    expect(s.withdrawalsPaid).toBeGreaterThanOrEqual(1);
    expect(s.refusedSignatures).toBe(4);
    expect(s.heistSigners).toContain(idOf("Val"));
    expect(s.firstAlarmBy).toBe(idOf("Aud"));
    expect(e2e.errors).toEqual([]);
    await host.room.leave().catch(() => undefined);
  });
});
