import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SOCKETIO_PATH } from "../../shared/protocol/transport.ts";
import { startTestProxy } from "../integration/polling-proxy.ts";
import type { TestProxy } from "../integration/polling-proxy.ts";
import { join } from "node:path";
import { ARTIFACTS, PHONE, PROJECTOR, hostOverSdk, poll, shoot, shootBothSizes, startE2eServer, submitJoin } from "./harness.ts";
import type { E2eServer } from "./harness.ts";

/**
 * A school network that passes plain HTTP but refuses WebSocket: the phone's page opens the game
 * through a proxy that answers every WebSocket upgrade with 403, as filtering proxies do. The page
 * falls back to socket.io long-polling by itself, plays a whole round and reaches the debrief; the
 * teacher's console (on a network that passes WebSocket) shows that phone on the fallback.
 */
describe("a phone whose network blocks WebSocket", () => {
  let e2e: E2eServer;
  let school: TestProxy;
  const SHOTS = "e2e-socketio-fallback";
  /** Refused upgrades that were Colyseus's own WebSocket (not socket.io trying to upgrade itself). */
  const refusedColyseus = () => school.refusedUpgrades.filter((path) => !path.startsWith(`${SOCKETIO_PATH}/`)).length;

  beforeAll(async () => {
    e2e = await startE2eServer({ reconnectSeconds: 30, tickMs: 100, botTurnMs: 400 });
    school = await startTestProxy({ target: e2e.port, blockWebSocket: true });
  });
  afterAll(async () => {
    await school?.close();
    await e2e?.close();
  });

  it("joins by code over the HTTP fallback, plays a round and reaches the debrief; the host console shows it on the fallback", async () => {
    const host = await e2e.openPage("host", PROJECTOR, "/host");
    await host.getByRole("button", { name: "Create a new game" }).click();
    const codeEl = host.locator(".topbar .code");
    await codeEl.waitFor();
    const code = (await codeEl.textContent())?.trim() ?? "";
    expect(code).toMatch(/^[0-9A-Z]{6}$/);

    // The phone opens the join link through the school's proxy and joins like any student.
    const pat = await e2e.openPage("Pat", PHONE, "/healthz");
    await pat.goto(`${school.origin}/join?code=${code}`);
    await submitJoin(pat, "Pat");
    await pat.getByText("You're in!").waitFor();
    expect(refusedColyseus(), "the page tried WebSocket first").toBeGreaterThanOrEqual(1);
    const patStatus = host.getByRole("row", { name: /Pat/ }).locator("[data-transport]");
    await poll(() => patStatus.getAttribute("data-transport")).toBe("polling");
    expect(await patStatus.textContent()).toBe("online · HTTP fallback");
    await shoot(pat, SHOTS, "01-joined-over-fallback-phone", true);

    // A reload comes back into the same seat, straight over the fallback: the device remembers.
    const refusedBefore = refusedColyseus();
    await pat.reload();
    await pat.getByText("You're in!").waitFor();
    await poll(() => pat.locator(".me-name").textContent()).toBe("Pat");
    expect(refusedColyseus(), "no WebSocket attempt after a failure on this device").toBe(refusedBefore);

    // Another student on an open network asks for the fallback with ?transport=polling.
    const quinn = await e2e.openPage("Quinn", PHONE, `/join?code=${code}&transport=polling`);
    await submitJoin(quinn, "Quinn");
    await quinn.getByText("You're in!").waitFor();
    await poll(() => host.locator('[data-transport="polling"]').count()).toBe(2);
    // And one whose network passes WebSocket, for contrast.
    await e2e.joinOnPhone(code, "Wes");
    await poll(() => host.getByRole("row", { name: /Wes/ }).locator("[data-transport]").textContent()).toBe("online · WebSocket");
    await host.locator("table.roster").screenshot({ path: join(ARTIFACTS, SHOTS, "02-host-roster-shows-fallback.png") });

    // Two bot users to pay, a bot sequencer, the fast demo plan.
    await host.getByLabel("How many").fill("2");
    await host.getByLabel("Role", { exact: true }).selectOption("user");
    await host.getByRole("button", { name: "Add bots" }).click();
    await poll(() => host.getByRole("rowheader", { name: /\(bot\)/ }).count()).toBe(2);
    await host.getByLabel("Lesson plan", { exact: true }).selectOption({ label: "Fast demo (90 s, 30 s challenge window)" });
    await host.getByRole("button", { name: "Use this plan" }).click();
    await poll(() => host.locator(".plan-list").textContent()).toContain("1:30");
    await shootBothSizes(host, SHOTS, "02-host-console-fallback");
    await host.getByRole("button", { name: "Start round 1" }).click();

    // Pat plays: the starting deposit arrives, a payment is signed in the page and soft-confirmed.
    await poll(() => pat.getByText("Your wallet").isVisible()).toBe(true);
    await poll(async () => (await pat.locator(".stat", { hasText: "On L2" }).textContent()) ?? "").toContain("2.0000 ETH");
    await pat.getByLabel("Pay to").selectOption({ index: 0 });
    await pat.getByRole("button", { name: "Send on L2" }).click();
    await poll(() => pat.locator(".row", { hasText: /soft-confirmed|posted to L1|final/ }).count()).toBeGreaterThan(0);
    await shoot(pat, SHOTS, "03-playing-over-fallback-phone", true);

    await host.getByRole("button", { name: "End round", exact: true }).click();
    await pat.getByRole("heading", { name: "Final results" }).waitFor();
    expect(await pat.getByRole("table", { name: "Leaderboard" }).textContent()).toContain("Pat");
    await shoot(pat, SHOTS, "04-debrief-over-fallback-phone", true);
    await shootBothSizes(host, SHOTS, "05-host-debrief");
    expect(e2e.errors).toEqual([]);
  });

  it("behind a proxy that holds WebSocket upgrades without an answer, the page falls back once the WebSocket has not opened in time", async () => {
    const silent = await startTestProxy({ target: e2e.port, holdWebSocket: true });
    try {
      const host = await hostOverSdk(e2e.port);
      const hal = await e2e.openPage("Hal", PHONE, "/healthz");
      await hal.goto(`${silent.origin}/join?code=${host.code}`);
      await submitJoin(hal, "Hal");
      await hal.getByText("You're in!").waitFor();
      expect(silent.refusedUpgrades.some((path) => !path.startsWith(`${SOCKETIO_PATH}/`)), "the page tried WebSocket first").toBe(true);
      await poll(() => host.room.state.players.get(host.idOf("Hal"))?.transport).toBe("polling");
      await host.room.leave();
      expect(e2e.errors).toEqual([]);
    } finally {
      await silent.close();
    }
  });
});
