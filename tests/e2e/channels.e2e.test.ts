import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { debriefOf } from "../integration/helpers.ts";
import { CHANNEL_POINTS } from "../../shared/engine/channels/round.ts";
import { PROJECTOR, hostOverSdk, poll, shoot, shootBothSizes, startE2eServer, until } from "./harness.ts";
import type { E2eServer } from "./harness.ts";

/**
 * A Lightning duel in real Chromium: the host (an SDK client with the host token) plans one
 * channels round, a student joins on a phone, pays their bot partner by clicking (the page signs
 * the new state with the student's own key), countersigns the bot's payment, and sees the debrief.
 */
describe("channels round in a real browser", () => {
  let e2e: E2eServer;
  const SHOTS = "e2e-channels";

  beforeAll(async () => {
    e2e = await startE2eServer({ reconnectSeconds: 30, tickMs: 100, botTurnMs: 400 });
  });
  afterAll(() => e2e?.close());

  it("a student opens the round with a bot partner, pays by clicking, countersigns, and reaches the debrief", async () => {
    const host = await hostOverSdk(e2e.port);
    const projector = await e2e.openPage("projector", PROJECTOR, `/projector?code=${host.code}`);
    const ada = await e2e.joinOnPhone(host.code, "Ada");

    host.send("host:addBots", { count: 1, role: "user", difficulty: "normal" });
    host.send("host:plan", { rounds: [{ scenario: "channels", durationSec: 120 }] });
    await poll(() => ada.locator(".chip").count()).toBe(2);
    host.send("host:start");

    // Genesis opened Ada's channel with the bot: 1 ETH on each side once the first L1 block lands.
    const card = ada.locator("article.ch-card").first();
    await card.waitFor();
    await poll(() => card.locator(".badge").textContent()).toContain("open");
    const mine = async () => ((await card.locator(".ch-left-label").textContent()) ?? "").trim();
    await poll(mine).toMatch(/^◀ You \d\.\d{4} ETH$/);
    const stateNumber = async () => Number(/State #(\d+)/.exec((await card.locator(".ch-meta").first().textContent()) ?? "")?.[1] ?? -1);

    // Ada pays 0.25 ETH: her page signs the next state, the bot countersigns, the bar moves.
    // (If the bot asks to be signed first, Ada signs: a channel takes one new state at a time, and
    // Pay is disabled while the bot's payment waits. The page says which it is; a forced click on a
    // Pay the bot's payment just disabled does nothing, and the page then shows what to sign.)
    const pay = card.getByRole("button", { name: /^Pay Bot/ });
    const sign = card.getByRole("button", { name: "Sign and accept" });
    const balanceBefore = await mine();
    for (;;) {
      const step = await until(async () => (await sign.isVisible()) ? "sign" : (await pay.isEnabled()) ? "pay" : "wait", (s) => s !== "wait");
      const stateBefore = await stateNumber();
      if (step === "sign") {
        await sign.click();
        await poll(stateNumber).toBeGreaterThan(stateBefore);
        continue;
      }
      await card.getByLabel("Amount (ETH)").fill("0.25");
      await pay.click({ force: true });
      // Paid once the bot has countersigned Ada's new state; or the bot's own payment came first.
      const outcome = await until(async () => (await stateNumber()) > stateBefore ? "paid" : (await sign.isVisible()) ? "sign" : "wait", (s) => s !== "wait");
      if (outcome === "paid") break;
    }
    await poll(mine).not.toBe(balanceBefore);
    await shoot(ada, SHOTS, "01-user-paid-phone", true);
    // The projector is slow to capture (software WebGL): shoot it while Ada's next step plays out.
    const projectorShot = shoot(projector, SHOTS, "02-projector-channels-projector");

    // The bot pays Ada sooner or later: her page checks the state and countersigns it.
    await sign.waitFor();
    await shoot(ada, SHOTS, "03-user-request-phone", true);
    const beforeSign = await stateNumber();
    await sign.click();
    await poll(stateNumber).toBeGreaterThan(beforeSign);

    await projectorShot;
    host.send("host:endRound");
    await ada.getByRole("heading", { name: "Final results" }).waitFor();
    await poll(() => projector.locator("body").innerText()).toContain("Final results");
    await shoot(ada, SHOTS, "05-debrief-phone", true);
    await shoot(projector, SHOTS, "06-projector-debrief-projector");

    const debrief = debriefOf(host);
    const adaId = host.idOf("Ada");
    const botId = [...host.room.state.players.values()].find((p) => p.bot)!.id;
    expect(debrief.scenario).toBe("channels");
    // Both payments Ada signed in the page reached the engine with valid ed25519 signatures.
    expect(debrief.channels!.paymentsBy[adaId]).toBeGreaterThanOrEqual(1);
    expect(debrief.channels!.paymentsBy[botId]).toBeGreaterThanOrEqual(1);
    expect(await ada.locator(".story").textContent()).toMatch(/off-chain payment/);
    await host.room.leave();
    expect(e2e.errors).toEqual([]);
  });

  it("Maya closes with an old state while Leo is offline: Leo's phone says who cheated him, what he lost and what he could have done", async () => {
    const host = await hostOverSdk(e2e.port);
    const leo = await e2e.joinOnPhone(host.code, "Leo");
    const maya = await e2e.joinOnPhone(host.code, "Maya");
    // Two students, one channel between them; a short dispute window.
    host.send("host:plan", { rounds: [{ scenario: "channels", durationSec: 120, params: { disputeWindowSec: 10 } }] });
    await poll(() => leo.locator(".chip").count()).toBe(2);
    host.send("host:start");

    // Maya pays Leo 0.5 ETH; Leo countersigns: state #1 (Leo 1.5 / Maya 0.5). Maya keeps old state #0 (1 / 1).
    const leoCard = leo.locator("article.ch-card").first();
    const mayaCard = maya.locator("article.ch-card").first();
    await poll(() => mayaCard.locator(".badge").textContent()).toContain("open");
    await mayaCard.getByLabel("Amount (ETH)").fill("0.5");
    await mayaCard.getByRole("button", { name: "Pay Leo" }).click();
    await leoCard.getByRole("button", { name: "Sign and accept" }).click();
    await poll(() => mayaCard.locator(".ch-meta").first().textContent()).toContain("State #1");

    // Leo's node goes offline; Maya publishes the old state that pays her more.
    await leo.getByRole("button", { name: "Go offline for 30 s" }).click();
    await poll(() => leo.locator(".stat", { hasText: "Your node" }).textContent()).toContain("offline");
    await mayaCard.getByText(/Tempted\? Your node still holds state #0/).click();
    await mayaCard.getByRole("button", { name: "Close with old state #0" }).click();

    // The window passes unanswered: Leo is told, on his phone, as it happens.
    const notice = leo.locator(".loss-notices");
    await notice.waitFor({ state: "visible" });
    expect(await notice.locator(".loss-what").textContent()).toMatch(/^✗ Maya closed your channel with an old state \(#0; you both had signed #1\)/);
    expect(await notice.locator(".loss-cost").textContent()).toBe(`You received 1.0000 ETH instead of 1.5000 ETH: 0.5000 ETH lost, and ${-CHANNEL_POINTS.robbed} points.`);
    expect(await notice.locator(".loss-advice").textContent()).toMatch(/Penalize.*watchtower/);
    // The channel no longer reads "✓ closed on L1".
    expect(await leoCard.locator(".badge").textContent()).toBe("✗ Maya cheated you");
    await shootBothSizes(leo, SHOTS, "07-victim-notice");
    await host.room.leave();
    expect(e2e.errors).toEqual([]);
  });
});
