import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { PROJECTOR, hostOverSdk, poll, shootBothSizes, shootPhone, startE2eServer } from "./harness.ts";
import type { E2eServer, SdkHost } from "./harness.ts";
import { joinAsPlayer } from "../integration/helpers.ts";
import type { Scenario } from "../../shared/protocol/messages.ts";

/** Students in each class (three on real phones, the others SDK clients); bots fill the rest. */
const STUDENTS = 10;
/** The students on real phones: Ada plays the role auto-balance gives her, Bea and Cal the scenario's other roles. */
const PHONES = ["Ada", "Bea", "Cal"] as const;

/** Every scenario once, in the order of the Full tour. */
const ROUNDS = [
  ["l1", "L1 rush hour"],
  ["optimistic", "Optimistic rollup"],
  ["zk", "ZK rollup"],
  ["channels", "State channels"],
  ["plasma", "Plasma"],
  ["sidechain", "Sidechain + bridge"],
] as const;

/**
 * The roles Bea and Cal play in each round, beside Ada's: each scenario's roles that many players
 * hold, so the bots still run the round's one sequencer and one operator (their views are shot
 * below, in a round of their own).
 */
const OTHER_ROLES: Record<Scenario, readonly [string, string]> = {
  l1: ["user", "user"],
  optimistic: ["challenger", "user"],
  zk: ["prover", "user"],
  channels: ["watchtower", "user"],
  plasma: ["user", "user"],
  sidechain: ["validator", "auditor"],
};

/** Pauses the running round and waits until every phone says so: shots taken now see one moment, however slow the machine. */
async function pauseRound(host: SdkHost, phones: readonly Page[]): Promise<void> {
  host.send("host:pause");
  for (const phone of phones) await poll(() => phone.locator(".phase").textContent()).toBe("Paused by the host");
}

/** Resumes the round and waits until every phone says it runs. */
async function resumeRound(host: SdkHost, phones: readonly Page[]): Promise<void> {
  host.send("host:resume");
  for (const phone of phones) await poll(() => phone.locator(".phase").textContent()).toBe("Round running");
}

/** Seconds left on the host console's round timer ("m:ss"), or null between rounds. */
async function secondsLeft(host: Page): Promise<number | null> {
  const text = (await host.locator(".big-timer").textContent()) ?? "";
  const m = /^(\d+):(\d\d)$/.exec(text.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/**
 * Every screen of a whole lesson — the lobby, each scenario mid-round and its debrief — on the
 * phone of a student, the projector and the host console, each shot at 390×844 and 1920×1080,
 * with a class of 30 and a lecture hall of 300 (bots fill the seats). The shots go to
 * test-artifacts/e2e-screens-<players>/ to be looked at; the test itself checks what a test can
 * see: no page error, every projector debrief on one screen, the students' leaderboard first.
 */
describe.each([30, 300])("every screen with %i players", (players) => {
  let e2e: E2eServer;
  const SHOTS = `e2e-screens-${players}`;

  beforeAll(async () => {
    // Game time runs three times as fast as the wall clock: a 90 s round takes 30 s.
    e2e = await startE2eServer({ reconnectSeconds: 30, tickMs: 100, botTurnMs: 300, timeScale: 3 }, { animateProjector: false });
  });
  afterAll(() => e2e?.close());

  it("lobby, six rounds and their debriefs on phone, projector and host console, at both sizes", async () => {
    const host = await hostOverSdk(e2e.port);
    const { code } = host;
    const console_ = await e2e.openPage("host", PROJECTOR, "/");
    await console_.evaluate(({ code, token }) => localStorage.setItem("l2arena:hosted", JSON.stringify([{ code, hostToken: token, createdAt: Date.now() }])), { code, token: host.token });
    await console_.goto(`${e2e.base}/host`);
    await console_.getByRole("button", { name: `Open the console of ${code}` }).click();
    const phones: Page[] = [];
    for (const name of PHONES) phones.push(await e2e.joinOnPhone(code, name));
    const [ada, bea, cal] = phones as [Page, Page, Page];
    // Seven more students (SDK clients that sit and watch), so every leaderboard has more rows than it shows.
    const classmates = await Promise.all(Array.from({ length: STUDENTS - PHONES.length }, (_, i) => joinAsPlayer(e2e.port, code, `Student ${i + 4}`)));
    const projector = await e2e.openPage("projector", PROJECTOR, `/projector?code=${code}`);
    host.send("host:addBots", { count: players - STUDENTS, difficulty: "hard" });
    host.send("host:plan", { rounds: ROUNDS.map(([scenario]) => ({ scenario, durationSec: 90 })) });
    await poll(() => console_.locator(".roster tbody tr").count()).toBe(players);
    await poll(() => projector.locator(".projector-count").textContent()).toBe(`${STUDENTS} students + ${players - STUDENTS} bots in`);
    await shootBothSizes(projector, SHOTS, "00-lobby-projector");
    await shootBothSizes(ada, SHOTS, "00-lobby-phone");
    await shootBothSizes(console_, SHOTS, "00-lobby-host");

    for (const [index, [scenario, label]] of ROUNDS.entries()) {
      const n = String(index + 1).padStart(2, "0");
      host.send("host:autoBalance");
      const [beaRole, calRole] = OTHER_ROLES[scenario];
      host.send("host:assign", { playerId: host.idOf("Bea"), role: beaRole });
      host.send("host:assign", { playerId: host.idOf("Cal"), role: calRole });
      await poll(() => [...host.room.state.players.values()].filter((p) => p.name === "Bea" || p.name === "Cal").map((p) => p.role).sort().join()).toBe([beaRole, calRole].sort().join());
      await console_.getByRole("button", { name: `Start round ${index + 1}: ${label}` }).click();
      // 15 s of game time played: blocks, payments and the scenario's own picture are on screen.
      // Then the round is paused while the screens are shot, so none of them races the round's end.
      await poll(() => secondsLeft(console_)).toBeLessThanOrEqual(75);
      await pauseRound(host, phones);
      for (const phone of phones) await phone.locator(".role-host .role-view").first().waitFor();
      // The projector first: its canvas is what the round looks like while it runs.
      await shootBothSizes(projector, SHOTS, `${n}-${scenario}-round-projector`);
      // However long a count or a name, no word of the scenario's lane runs past its panel (board x 24 to 1314).
      const overflowing = await projector.evaluate(() => {
        const board = document.querySelector(".projector-html")!.getBoundingClientRect();
        const px = board.width / 1920;
        return [...document.querySelectorAll<HTMLElement>('.projector-html > span[data-key^="lane-"]')]
          .filter((el) => el.getBoundingClientRect().right > board.left + 1314 * px + 1 || el.getBoundingClientRect().left < board.left + 24 * px - 1)
          .map((el) => el.textContent);
      });
      expect(overflowing, `${scenario}: words past the lane's panel`).toEqual([]);
      await shootBothSizes(ada, SHOTS, `${n}-${scenario}-round-phone`);
      await shootBothSizes(console_, SHOTS, `${n}-${scenario}-round-host`);
      // Every other role of the scenario, as its student's phone shows it.
      await shootPhone(bea, SHOTS, `${n}-${scenario}-round-${beaRole}-bea`);
      await shootPhone(cal, SHOTS, `${n}-${scenario}-round-${calRole}-cal`);
      await resumeRound(host, phones);

      const last = index === ROUNDS.length - 1;
      const title = last ? "Final results" : `Round ${index + 1} debrief · ${label}`;
      await projector.getByRole("heading", { name: title }).waitFor();
      await ada.getByRole("heading", { name: title }).waitFor();
      if (last) await projector.getByRole("button", { name: "Show round 6's debrief" }).click();
      await shootBothSizes(projector, SHOTS, `${n}-${scenario}-debrief-projector`);
      const fit = await projector.evaluate(() => ({ page: document.documentElement.scrollHeight, viewport: window.innerHeight }));
      expect(fit.page, `the ${scenario} debrief must fit the projector`).toBeLessThanOrEqual(fit.viewport);
      // Only students are ranked (the top eight shown, the rest counted); the bots are counted apart.
      const ranked = await projector.locator('[data-board="students"] tbody th').allTextContents();
      expect(ranked).toHaveLength(8);
      expect(ranked.every((name) => (PHONES as readonly string[]).includes(name) || name.startsWith("Student "))).toBe(true);
      expect(await projector.locator(".pd-board .board-more").textContent()).toBe("+ 2 more students");
      expect(await projector.locator('[data-board="bots"]').textContent()).toMatch(/^\d+ bots played too \(not ranked\)$/);
      await shootBothSizes(ada, SHOTS, `${n}-${scenario}-debrief-phone`);
      await shootBothSizes(console_, SHOTS, `${n}-${scenario}-debrief-host`);
    }

    // The whole lesson on one projector screen.
    await projector.getByRole("button", { name: "Show the whole lesson" }).click();
    await poll(() => projector.locator(".lesson-round").count()).toBe(ROUNDS.length);
    const fit = await projector.evaluate(() => ({ page: document.documentElement.scrollHeight, viewport: window.innerHeight }));
    expect(fit.page, "the whole lesson must fit the projector").toBeLessThanOrEqual(fit.viewport);
    await shootBothSizes(projector, SHOTS, "07-final-lesson-projector");
    await shootBothSizes(ada, SHOTS, "07-final-lesson-phone");
    await Promise.all([host, ...classmates].map((peer) => peer.room.leave()));
    expect(e2e.errors).toEqual([]);
  }, 2_400_000);
});
