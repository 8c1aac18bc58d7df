import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { PHONE, PROJECTOR, hostOverSdk, poll, shoot, shootBothSizes, startE2eServer } from "./harness.ts";
import type { E2eServer } from "./harness.ts";

/**
 * A whole lesson as a teacher runs it: three short rounds with one student and a class of bots.
 * Every debrief fits the projector (page height ≤ 1080 at 1920 wide) and ranks the student above
 * the bots; the final results show the whole lesson; after "End the game" the host reaches the
 * results page (downloads, every round's debrief, a replay check), which survives a reload and is
 * listed on the host page of that browser.
 */
describe("a whole lesson in a real browser", () => {
  let e2e: E2eServer;
  const SHOTS = "e2e-lesson";

  beforeAll(async () => {
    // Game time runs three times as fast as the wall clock: a 30 s round takes 10 s.
    e2e = await startE2eServer({ reconnectSeconds: 30, tickMs: 100, botTurnMs: 300, timeScale: 3 }, { animateProjector: false });
  });
  afterAll(() => e2e?.close());

  /** The projector's debrief is one screen: nothing below the fold, no panel overflowing its cell. */
  async function expectOneScreen(projector: Page): Promise<void> {
    const fit = await projector.evaluate(() => ({
      page: document.documentElement.scrollHeight,
      viewport: window.innerHeight,
      overflowing: [...document.querySelectorAll<HTMLElement>(".pd-grid > *, .lesson-summary > *")]
        .filter((el) => el.scrollHeight > el.clientHeight + 2)
        .map((el) => `${el.className}: ${el.scrollHeight} > ${el.clientHeight}`),
    }));
    expect(fit.page, "the projector's debrief must not scroll").toBeLessThanOrEqual(fit.viewport);
    expect(fit.overflowing).toEqual([]);
  }

  it("three rounds → one-screen debriefs, students first → the whole lesson → End the game → results page, after a reload too", async () => {
    const host = await hostOverSdk(e2e.port);
    const { code } = host;
    // The teacher's browser hosted this game (as "Create a new game" would have recorded).
    const console_ = await e2e.openPage("host", PROJECTOR, "/");
    await console_.evaluate(({ code, token }) => localStorage.setItem("l2arena:hosted", JSON.stringify([{ code, hostToken: token, createdAt: Date.now() }])), { code, token: host.token });
    await console_.goto(`${e2e.base}/host`);
    await console_.getByRole("button", { name: `Open the console of ${code}` }).click();
    await poll(() => console_.locator(".topbar .code").textContent()).toBe(code);

    const ada = await e2e.joinOnPhone(code, "Ada");
    const projector = await e2e.openPage("projector", PROJECTOR, `/projector?code=${code}`);
    await console_.getByLabel("How many").fill("29");
    await console_.getByRole("button", { name: "Add bots" }).click();
    host.send("host:plan", { rounds: [
      // Ada pays in this one: long enough (30 s of wall clock) that her click lands in it on a loaded machine.
      { scenario: "l1", durationSec: 90 },
      { scenario: "optimistic", durationSec: 30, params: { challengeWindowSec: 10 } },
      { scenario: "channels", durationSec: 30 },
    ] });
    await poll(() => ada.locator(".lobby").textContent()).toContain("30 players in the game");
    // A phone lists the first 24 (students first) and counts the rest; bots sort in natural order: Bot 3 before Bot 10.
    expect(await ada.locator(".chip").count()).toBe(24);
    expect(await ada.locator(".lobby").textContent()).toContain("+ 6 more bots");
    const chips = (await ada.locator(".chip").allTextContents()).map((t) => t.trim());
    expect(chips.indexOf("Bot 3 (bot)")).toBeLessThan(chips.indexOf("Bot 10 (bot)"));

    for (const [index, label] of ["L1 rush hour", "Optimistic rollup", "State channels"].entries()) {
      await console_.getByRole("button", { name: `Start round ${index + 1}: ${label}` }).click();
      await poll(() => ada.locator(".phase").textContent()).toBe("Round running");
      if (index === 0) {
        // Ada pays a bot on L1 with the normal tip.
        await ada.getByLabel("Pay to").selectOption({ index: 0 });
        await ada.getByRole("button", { name: "Pay on L1" }).click();
        await poll(() => ada.getByRole("list", { name: "Your L1 transfers" }).locator("li").count()).toBe(1);
      }
      const last = index === 2;
      const title = last ? "Final results" : `Round ${index + 1} debrief · ${label}`;
      await projector.getByRole("heading", { name: title }).waitFor();
      await ada.getByRole("heading", { name: title }).waitFor();
      if (!last) {
        await shoot(projector, SHOTS, `0${index + 1}-projector-debrief-projector`);
        await expectOneScreen(projector);
        // The leaderboard ranks students only; the bots are counted apart.
        expect(await projector.locator('[data-board="students"] tbody tr').count()).toBe(1);
        expect(await projector.locator('[data-board="students"] tbody th').first().textContent()).toBe("Ada");
        expect(await projector.locator('[data-board="bots"]').textContent()).toMatch(/\d+ bots played too \(not ranked\)/);
        expect(await ada.locator(".your-round").textContent()).toMatch(/You scored -?\d+ points this round · -?\d+ in all · 1st of 1 student/);
        await shootBothSizes(ada, SHOTS, `0${index + 1}-phone-debrief`);
      }
    }

    // The whole lesson: three rounds side by side, scores across rounds, on one projector screen.
    await poll(() => projector.locator(".lesson-round").count()).toBe(3);
    await expectOneScreen(projector);
    expect(await projector.locator(".lesson-scores th[scope=col]").allTextContents()).toEqual(["#", "Student", "R1", "R2", "R3", "Total"]);
    expect(await projector.locator(".lesson-round .rosette-mini-svg").count()).toBe(3);
    await shoot(projector, SHOTS, "04-projector-final-lesson-projector");
    await projector.getByRole("button", { name: "Show round 3's debrief" }).click();
    await projector.getByRole("heading", { name: /^Round 3 debrief · State channels · final results$/ }).waitFor();
    await expectOneScreen(projector);
    await shoot(projector, SHOTS, "05-projector-final-round-projector");
    expect(await ada.locator(".lesson-round").count()).toBe(3);
    expect(await ada.locator('.lesson-scores [data-board="students"] tbody th').first().textContent()).toBe("Ada (you)");
    await shootBothSizes(ada, SHOTS, "06-phone-final");
    await shootBothSizes(console_, SHOTS, "07-host-final");

    // End the game: the host is taken to the results, which outlive the game.
    console_.once("dialog", (dialog) => void dialog.accept());
    await console_.getByRole("button", { name: "End the game" }).click();
    await console_.getByRole("link", { name: `See the results of ${code}` }).click();
    const results = console_;
    const readResults = async () => {
      await results.getByRole("heading", { name: `Results of game ${code}` }).waitFor();
      expect(await results.locator(".results-round").count()).toBe(3);
      expect(await results.locator(".lesson-round").count()).toBe(3);
      const csvHref = await results.getByRole("link", { name: "Results (CSV)" }).getAttribute("href");
      const csv = await (await fetch(`${e2e.base}${csvHref}`)).text();
      expect(csv).toMatch(/^round,player_id,name,role,score/);
      expect(csv).toContain("Ada");
      await results.locator('.results-round[data-round="2"]').getByRole("button", { name: "Check the replay" }).click();
      await poll(() => results.locator('.replay-status[data-round="2"]').textContent()).toMatch(/^✓ Replay matches/);
    };
    await readResults();
    await shootBothSizes(results, SHOTS, "08-results");
    await results.reload();
    await readResults();
    // The host page of this browser lists the ended game with its results.
    await results.goto(`${e2e.base}/host`);
    const row = results.locator(`.past-games tr[data-game="${code}"]`);
    await poll(() => row.textContent()).toContain("ended");
    await row.getByRole("link", { name: `Results of ${code}` }).waitFor();
    await shootBothSizes(results, SHOTS, "09-host-start");
    // Another browser (no token) is told where the results are.
    const stranger = await e2e.openPage("stranger", PHONE, `/results?code=${code}`);
    await poll(() => stranger.getByRole("alert").textContent()).toContain(`This browser did not host game ${code}`);
    // (The SDK host needs no leave: ending the game closed every seat.)
    expect(e2e.errors).toEqual([]);
  });
});
