import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { hostOverSdk, poll, shootBothSizes, shootPhone, startE2eServer } from "./harness.ts";
import type { E2eServer, SdkHost } from "./harness.ts";
import { worldModule } from "../integration/helpers.ts";
import type { PlasmaPublicView } from "../../shared/engine/plasma/views.ts";

/** Pauses the running round and waits until every phone says so: the shots see one moment, however slow the machine. */
async function pauseRound(host: SdkHost, phones: readonly Page[]): Promise<void> {
  host.send("host:pause");
  for (const phone of phones) await poll(() => phone.locator(".phase").textContent()).toBe("Paused by the host");
}

/** Sets each named student's role and waits until the server has them. */
async function assignRoles(host: SdkHost, roles: Record<string, string>): Promise<void> {
  for (const [name, role] of Object.entries(roles)) host.send("host:assign", { playerId: host.idOf(name), role });
  for (const [name, role] of Object.entries(roles)) await poll(() => host.room.state.players.get(host.idOf(name))?.role).toBe(role);
}

/**
 * The roles only one player holds in a round, which the screens tour leaves to bots so its rounds
 * keep their story: a student sequencer (with a student challenger checking its batch) and a
 * student Plasma operator, each on a phone at 390×844 (and 1920×1080), with something on screen:
 * the sequencer has included transactions and posted a batch, the operator has committed a block.
 * The shots go to test-artifacts/e2e-role-views/.
 */
describe("the one-player roles on a phone", () => {
  let e2e: E2eServer;
  const SHOTS = "e2e-role-views";

  beforeAll(async () => {
    e2e = await startE2eServer({ reconnectSeconds: 30, tickMs: 100, botTurnMs: 300, timeScale: 2 }, { animateProjector: false });
  });
  afterAll(() => e2e?.close());

  it("a student sequencer posts a batch a student challenger checks; a student operator commits a block", async () => {
    const host = await hostOverSdk(e2e.port);
    const cal = await e2e.joinOnPhone(host.code, "Cal");
    const bea = await e2e.joinOnPhone(host.code, "Bea");
    const phones = [cal, bea];
    host.send("host:addBots", { count: 6, role: "user", difficulty: "normal" });
    // Long rounds: the host ends each once its screens are shot, so nothing here races the game clock.
    host.send("host:plan", { rounds: [{ scenario: "optimistic", durationSec: 1_200 }, { scenario: "plasma", durationSec: 1_200 }] });
    await poll(() => host.room.state.players.size).toBe(8);

    // Optimistic rollup: Cal sequences, Bea challenges.
    await assignRoles(host, { Cal: "sequencer", Bea: "challenger" });
    host.send("host:start");
    // The bot users pay on L2; Cal soft-confirms what waits and posts a batch.
    await poll(() => cal.locator(".sequencer-view .row", { hasText: "→" }).count()).toBeGreaterThan(0);
    await cal.getByRole("button", { name: "Include all (not censored)" }).click();
    await poll(async () => Number(await cal.locator(".stat", { hasText: "Soft-confirmed, not yet posted" }).locator("strong").textContent())).toBeGreaterThan(0);
    await cal.getByRole("button", { name: "Post batch to L1 (in a blob)" }).click();
    // Bea's page re-executes the posted batch: Cal's batch is honest.
    await poll(() => bea.locator(".verdict-honest").count()).toBeGreaterThan(0);
    await pauseRound(host, phones);
    await shootBothSizes(cal, SHOTS, "01-optimistic-sequencer");
    await shootBothSizes(bea, SHOTS, "02-optimistic-challenger");
    // The cheat forms open, as a tempted sequencer sees them.
    await cal.locator("details.cheat summary").first().click();
    await shootPhone(cal, SHOTS, "03-optimistic-sequencer-cheat-open");
    host.send("host:endRound");
    await cal.getByRole("heading", { name: /^Round 1 debrief/ }).waitFor();

    // Plasma: Cal runs the chain; the bots pay on it and Cal commits a block.
    await assignRoles(host, { Cal: "operator", Bea: "user" });
    host.send("host:start");
    await poll(() => cal.getByRole("list", { name: "Transfers waiting for your next block" }).locator("li").count()).toBeGreaterThan(0);
    await cal.getByRole("button", { name: "Commit block (root only)", disabled: false }).click();
    // Its root is on L1 once an L1 block includes it.
    await poll(() => worldModule<PlasmaPublicView>(host)?.blocks.some((b) => b.status === "committed" && b.number % 1000 === 0)).toBe(true);
    await pauseRound(host, phones);
    await shootBothSizes(cal, SHOTS, "04-plasma-operator");
    await cal.locator("details.cheat summary").click();
    await shootPhone(cal, SHOTS, "05-plasma-operator-cheat-open");
    await shootPhone(bea, SHOTS, "06-plasma-user");
    host.send("host:endRound");
    await cal.getByRole("heading", { name: "Final results" }).waitFor();
    expect(e2e.errors).toEqual([]);
    await host.room.leave();
  });
});
