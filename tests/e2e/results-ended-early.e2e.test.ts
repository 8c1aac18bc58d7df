import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECTOR, hostOverSdk, poll, shootBothSizes, startE2eServer } from "./harness.ts";
import type { E2eServer } from "./harness.ts";

/**
 * A round the host ended early keeps saying so after the game: results.json marks it, and the host's
 * results page gives it the "ended early" note and no stage rating, in its debrief and in the whole
 * lesson, while the round that ran its course keeps its stage.
 */
describe("a round the host ended early, on the results page", () => {
  let e2e: E2eServer;
  const SHOTS = "e2e-results-ended-early";

  beforeAll(async () => {
    // Game time runs three times as fast as the wall clock: the 30 s round takes 10 s.
    e2e = await startE2eServer({ reconnectSeconds: 30, tickMs: 100, botTurnMs: 300, timeScale: 3 }, { animateProjector: false });
  });
  afterAll(() => e2e?.close());

  it("results.json and the results page: no stage rating and the note for the round ended early, the stage for the other", async () => {
    const host = await hostOverSdk(e2e.port);
    const { code, token } = host;
    host.send("host:addBots", { count: 4, difficulty: "normal" });
    host.send("host:plan", { rounds: [{ scenario: "optimistic", durationSec: 600 }, { scenario: "optimistic", durationSec: 30 }] });
    await poll(() => host.room.state.players.size).toBe(4);

    // Round 1: the host ends it after 12 s of game time. Round 2 runs its 30 s.
    host.send("host:start");
    await poll(() => host.room.state.phase).toBe("running");
    await poll(() => host.room.state.world.nowMs).toBeGreaterThanOrEqual(12_000);
    host.send("host:endRound");
    await poll(() => host.room.state.phase).toBe("debrief");
    host.send("host:start");
    await poll(() => host.room.state.phase).toBe("final");

    // The export says which round the host cut short.
    const json = await (await fetch(`${e2e.base}/api/sessions/${code}/results.json?token=${token}`)).json() as { rounds: { index: number; endedEarly: boolean }[] };
    expect(json.rounds.map((r) => [r.index, r.endedEarly])).toEqual([[0, true], [1, false]]);

    // The results page of the browser that hosted the game.
    const page = await e2e.openPage("host", PROJECTOR, "/");
    await page.evaluate(({ code, token }) => localStorage.setItem("l2arena:hosted", JSON.stringify([{ code, hostToken: token, createdAt: Date.now() }])), { code, token });
    await page.goto(`${e2e.base}/results?code=${code}`);
    await page.getByRole("heading", { name: `Results of game ${code}` }).waitFor();
    const early = page.locator('.results-round[data-round="0"]');
    const full = page.locator('.results-round[data-round="1"]');
    expect(await early.locator(".ended-early").textContent()).toMatch(/^The host ended this round early, after \d+ s: its figures cover only that time, and it gets no stage rating\.$/);
    expect(await early.locator(".rosette-stage").textContent()).toBe("No stage rating: the round ended early.");
    expect(await early.locator(".stage-badge").count()).toBe(0);
    expect(await full.locator(".ended-early").count()).toBe(0);
    expect(await full.locator(".rosette-stage .stage-badge").count()).toBe(1);
    // The whole lesson, side by side: the first rosette has no stage, the second has one.
    const minis = page.locator(".lesson-round .rosette-mini-stage");
    expect(await minis.allTextContents()).toHaveLength(2);
    expect(await minis.nth(0).textContent()).toBe("ended early: no stage");
    expect(await minis.nth(1).locator(".stage-badge").count()).toBe(1);
    await early.locator("summary").click();
    await shootBothSizes(page, SHOTS, "01-results");
    expect(e2e.errors).toEqual([]);
    await host.room.leave().catch(() => undefined);
  });
});
