import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECTOR, hostOverSdk, poll, shoot, shootBothSizes, startE2eServer } from "./harness.ts";
import type { E2eServer } from "./harness.ts";

/**
 * A Plasma mass exit in real Chromium: the host (an SDK client with the host token) plans one
 * short Plasma round with a hard bot operator and bot users; a student on a phone pays a bot,
 * sees the withheld-block alert, clicks Exit, watches the exit in their coins and the queue, and
 * reads the debrief. The projector draws the chain with the dark "?" block and the exit queue.
 */
describe("Plasma mass exit in a real browser", () => {
  let e2e: E2eServer;
  const SHOTS = "e2e-plasma";

  beforeAll(async () => {
    // Game time runs twice as fast as the wall clock. The projector too prefers reduced motion.
    e2e = await startE2eServer({ reconnectSeconds: 30, tickMs: 100, botTurnMs: 300, timeScale: 2 }, { animateProjector: false });
  });
  afterAll(() => e2e?.close());

  it("withheld block → alert on the phone → Exit → exit in the coin list and the queue → debrief", async () => {
    const host = await hostOverSdk(e2e.port);
    const ada = await e2e.joinOnPhone(host.code, "Ada");
    const projector = await e2e.openPage("projector", PROJECTOR, `/projector?code=${host.code}`);

    // A long round, a minute before the operator cheats (Ada's payment is in a block everyone can see
    // by then) and a five-minute exit period: Ada's exit is started well inside the period and is
    // still in the queue when the test looks, however slow the machine (the host ends the round).
    host.send("host:plan", { rounds: [{ scenario: "plasma", durationSec: 1_200, params: { exitPeriodSec: 300, blockIntervalSec: 3, withholdAtSec: 60, exitsPerBlock: 1 } }] });
    host.send("host:addBots", { count: 1, role: "operator", difficulty: "hard" });
    host.send("host:addBots", { count: 8, role: "user", difficulty: "normal" });
    await poll(() => ada.locator(".chip").count()).toBe(10);
    host.send("host:start");

    // Ada's 2 ETH deposit becomes a coin; she pays a bot 0.3 ETH from her phone.
    await poll(() => ada.locator(".plasma-coin", { hasText: "on Plasma" }).count()).toBeGreaterThan(0);
    await ada.getByLabel("Pay to").selectOption({ index: 0 });
    await ada.getByLabel("Amount (ETH)", { exact: true }).fill("0.3");
    await ada.getByRole("button", { name: "Send on Plasma" }).click();
    // The coin she spent shows as paid away once the operator's block root is on L1 (bots may have paid her coins too).
    await poll(() => ada.locator(".plasma-coin", { hasText: "paid away" }).count()).toBeGreaterThan(0);
    await shoot(ada, SHOTS, "01-user-coins-phone", true);

    // The hard bot operator withholds a block and steals: the alert appears, with a deadline.
    const alert = ada.locator(".plasma-alert");
    await alert.waitFor({ state: "visible" });
    expect(await alert.locator("h2").textContent()).toMatch(/^⚠ Block #\d+'s data is being withheld — your coins may be stolen\. Exit now!$/);
    await poll(() => alert.textContent()).toMatch(/Deadline: \d+ s left to start an exit that ranks ahead of the operator's stolen coins\./);
    await shoot(ada, SHOTS, "02-user-alert-phone");
    await poll(() => projector.locator("canvas").count()).toBe(1);
    await shoot(projector, SHOTS, "03-projector-withheld-projector");

    // Ada picks a fast tip and exits her coin from the alert.
    await alert.getByLabel("Exit tip").selectOption("15");
    await alert.getByRole("button", { name: /^Exit \d+\.\d\d ETH/ }).first().click();
    await shoot(projector, SHOTS, "05-projector-queue-projector");
    await poll(() => ada.locator(".plasma-coin", { hasText: /exit sent|exiting/ }).count()).toBeGreaterThan(0);
    await poll(() => ada.locator(".plasma-exit.mine").count()).toBeGreaterThan(0);
    expect(await ada.locator(".plasma-queue").textContent()).toContain("You");
    await shootBothSizes(ada, SHOTS, "04-user-exiting");

    // The host ends the round: everyone sees the debrief with who lost what.
    host.send("host:endRound");
    await ada.getByRole("heading", { name: "Final results" }).waitFor();
    const story = (await ada.locator(".story").textContent()) ?? "";
    expect(story).toMatch(/withheld the data of block #\d+/);
    expect(story).toMatch(/coins? (was|were) sent to exit on L1/);
    expect(await ada.locator(".trade-off").textContent()).toMatch(/block roots/);
    await shootBothSizes(ada, SHOTS, "06-debrief");
    await projector.getByRole("heading", { name: "Final results" }).waitFor();
    await shoot(projector, SHOTS, "07-projector-debrief-projector");
    await host.room.leave();
    expect(e2e.errors).toEqual([]);
  });
});
