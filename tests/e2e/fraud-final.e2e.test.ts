import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { joinAsPlayer, waitFor } from "../integration/helpers.ts";
import { eth } from "../../shared/engine/units.ts";
import { PROJECTOR, hostOverSdk, poll, shoot, shootBothSizes, startE2eServer } from "./harness.ts";
import type { E2eServer } from "./harness.ts";

/**
 * What the screens say when no L1 check decides: a student challenger's page finds the sequencer's
 * forged transfer of Vic's money and she lets it go; the batch goes final and every screen calls it
 * a fraud that went through (Chloe's batch list, the projector's card), and Vic's phone tells him
 * what he lost. Then Chloe challenges the next forgery and the sequencer never answers: her page
 * says she won because the sequencer's clock ran out. The sequencer (Sid) is an SDK client.
 */
describe("a fraud that went final, and a dispute won on time, in a real browser", () => {
  let e2e: E2eServer;
  const SHOTS = "e2e-fraud-final";

  beforeAll(async () => {
    e2e = await startE2eServer({ reconnectSeconds: 30, tickMs: 100, botTurnMs: 300, timeScale: 2 }, { animateProjector: false });
  });
  afterAll(() => e2e?.close());

  it("an unchallenged forgery goes final marked as fraud, the victim is told; an unanswered dispute says whose clock ran out", async () => {
    const host = await hostOverSdk(e2e.port);
    const vic = await e2e.joinOnPhone(host.code, "Vic");
    const chloe = await e2e.joinOnPhone(host.code, "Chloe");
    const sid = await joinAsPlayer(e2e.port, host.code, "Sid");
    const projector = await e2e.openPage("projector", PROJECTOR, `/projector?code=${host.code}`);
    host.send("host:assign", { playerId: host.idOf("Sid"), role: "sequencer" });
    host.send("host:assign", { playerId: host.idOf("Vic"), role: "user" });
    host.send("host:assign", { playerId: host.idOf("Chloe"), role: "challenger" });
    // A long round the host ends: nothing here races the game clock but the sequencer's own move clock, which it is meant to lose.
    host.send("host:plan", { rounds: [{ scenario: "optimistic", durationSec: 1_200, params: { challengeWindowSec: 60, moveTimeoutSec: 10, blockTimeSec: 1 } }] });
    await poll(() => chloe.locator(".role-badge").textContent()).toBe("Challenger");
    await poll(() => host.room.state.players.get(host.idOf("Sid"))?.role).toBe("sequencer");
    host.send("host:start");

    /** Sid soft-confirms what waits in the mempool, then posts a batch with `cheat` in it. */
    const postWith = async (cheat: Record<string, unknown>, seq: number) => {
      await poll(() => host.room.state.world.l2MempoolSize).toBeGreaterThan(0);
      sid.room.send("seq:include", { seq });
      await poll(() => host.room.state.world.softCount).toBeGreaterThan(0);
      sid.room.send("seq:post", { cheat, seq: seq + 1 });
      await waitFor("the post acked", () => sid.acks.some((a) => a.seq === seq + 1) || sid.errors.length > 0);
      expect(sid.errors).toEqual([]);
    };

    // Vic pays Chloe; Sid posts it with a forged transfer of 0.5 ETH of Vic's money to himself.
    await poll(async () => (await vic.locator(".stat", { hasText: "On L2" }).textContent()) ?? "").toContain("2.0000 ETH");
    await vic.getByLabel("Pay to").selectOption({ label: "Chloe" });
    await vic.getByRole("button", { name: "Send on L2" }).click();
    await postWith({ kind: "steal", victim: host.idOf("Vic"), amount: eth(0.5) }, 1);

    // Chloe's page re-executes the batch and finds the forgery; she lets the window pass.
    const stolen = chloe.locator('li[data-batch="0"]');
    await poll(() => stolen.textContent()).toContain("FRAUD ✗ root mismatch");
    await shoot(chloe, SHOTS, "01-challenger-fraud-found-phone", true);
    await poll(() => stolen.locator(".badge").first().textContent()).toBe("final — FRAUD went through ✗ (0.5000 ETH stolen from Vic)");
    expect(await stolen.locator(".badge-bad").count()).toBe(1);
    await shootBothSizes(chloe, SHOTS, "02-challenger-fraud-final");

    // Vic is told, on his phone: who, what, what he could have done.
    const notice = vic.locator(".loss-notices");
    await notice.waitFor({ state: "visible" });
    expect(await notice.locator(".loss-what").textContent()).toBe("✗ The sequencer Sid slipped a forged transfer of your money into batch #0, and nobody challenged it in time.");
    expect(await notice.locator(".loss-cost").textContent()).toBe("0.5000 ETH of your L2 ETH is gone: the batch is final on L1.");
    expect(await notice.locator(".loss-advice").textContent()).toMatch(/one honest challenger/);
    await shootBothSizes(vic, SHOTS, "03-victim-notice");

    // The projector's card for the batch says it too, in place of a green "final".
    await poll(() => projector.locator("body").innerText()).toContain("✗ FRAUD FINAL");
    expect(await projector.locator("body").innerText()).toContain("0.5 ETH stolen");
    // And it fits the card (190 board px wide, the label 14 px in; it once ran over the right edge).
    const labelWidth = await projector.locator(".projector-html span", { hasText: "✗ FRAUD FINAL" }).evaluate((el) => (el as HTMLElement).offsetWidth);
    expect(labelWidth).toBeLessThanOrEqual(190 - 14 - 6);
    await shoot(projector, SHOTS, "04-projector-fraud-final-projector");

    // The next forgery: Chloe challenges it, and Sid never commits a root.
    await vic.getByRole("button", { name: "Send on L2" }).click();
    await postWith({ kind: "mint", amount: eth(1) }, 3);
    await chloe.getByRole("button", { name: "Challenge batch #1", exact: true }).click();
    const dispute = chloe.locator(".dispute").first();
    await dispute.locator(".dispute-ending").waitFor();
    expect(await dispute.locator(".dispute-ending").textContent()).toMatch(/^The sequencer Sid did not commit its root at step \d+ before its clock ran out: Chloe \(challenger\) wins by default\.$/);
    expect(await dispute.textContent()).not.toContain("still disputed");
    await poll(() => chloe.getByText(/You won/).count()).toBeGreaterThan(0);
    await shootBothSizes(chloe, SHOTS, "05-challenger-won-on-time");

    host.send("host:endRound");
    await vic.getByRole("heading", { name: "Final results" }).waitFor();
    expect(e2e.errors).toEqual([]);
    await Promise.all([sid, host].map((peer) => peer.room.leave()));
  });
});
