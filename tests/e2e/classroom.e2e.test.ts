import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { PHONE, PROJECTOR, hostOverSdk, poll, shoot, shootBothSizes, startE2eServer, submitJoin, until } from "./harness.ts";
import type { E2eServer } from "./harness.ts";

/**
 * A whole lesson in real Chromium against the real server and the built client: the host
 * creates a game, three students join from phones, a bot sequencer cheats, the human
 * challenger's page re-executes the batch, catches the fraud and wins the bisection by
 * clicking through the moves; the batch is reverted and everyone sees the debrief.
 */
describe("classroom in a real browser", () => {
  let e2e: E2eServer;
  const SHOTS = "e2e";

  beforeAll(async () => {
    // Bots act every 400 ms so the sequencer answers dispute moves quickly.
    e2e = await startE2eServer({ reconnectSeconds: 30, tickMs: 100, botTurnMs: 400 });
  });
  afterAll(() => e2e?.close());

  it("host → join → cheat → local re-execution → challenge → bisection won → reverted → debrief", async () => {
    const { base, errors, openPage, joinOnPhone } = e2e;
    // Landing
    const landing = await openPage("landing", PHONE, "/");
    await poll(() => landing.getByRole("link", { name: "Join a game" }).isVisible()).toBe(true);
    await shootBothSizes(landing, SHOTS, "01-landing");

    // The host creates a game in the UI.
    const host = await openPage("host", PROJECTOR, "/host");
    await host.getByRole("button", { name: "Create a new game" }).click();
    const codeEl = host.locator(".topbar .code");
    await codeEl.waitFor();
    const code = (await codeEl.textContent())?.trim() ?? "";
    expect(code).toMatch(/^[0-9A-Z]{6}$/);

    const projector = await openPage("projector", PROJECTOR, `/projector?code=${code}`);
    await poll(() => projector.locator(".projector-code").textContent()).toBe(code);
    await poll(() => projector.locator(".qr svg").count()).toBe(1);

    // An unknown code is refused with the server's 404 message.
    const ada = await openPage("ada", PHONE, "/join");
    await ada.getByLabel("Game code").fill("XXXXXX");
    await submitJoin(ada, "Ada");
    await poll(() => ada.locator("#join-error").textContent()).toContain("No game with that code");
    await shootBothSizes(ada, SHOTS, "02-join-unknown-code");

    await ada.getByLabel("Game code").fill(code);
    await submitJoin(ada, "Ada");
    await ada.getByText("You're in!").waitFor();
    const ben = await joinOnPhone(code, "Ben");
    const cy = await joinOnPhone(code, "Cy");

    // A taken name and a locked room: the rejection text comes from the server.
    const late = await openPage("late", PHONE, `/join?code=${code}`);
    await submitJoin(late, "ada");
    await poll(() => late.locator("#join-error").textContent()).toContain('The nickname "ada" is taken');
    await shootBothSizes(late, SHOTS, "03-join-name-taken");
    await host.getByLabel(/Lock the game/).check();
    await poll(() => projector.locator(".projector-count").textContent()).toContain("locked");
    await submitJoin(late, "Dee");
    await poll(() => late.locator("#join-error").textContent()).toContain("This game is locked");
    await host.getByLabel(/Lock the game/).uncheck();

    // One bot sequencer; Ada challenges, Ben and Cy are users; the fast demo plan.
    await host.getByLabel("How many").fill("1");
    await host.getByLabel("Role", { exact: true }).selectOption("sequencer");
    await host.getByRole("button", { name: "Add bots" }).click();
    await host.getByRole("rowheader", { name: /\(bot\)/ }).waitFor();
    await host.getByLabel("Role of Ada").selectOption("challenger");
    await host.getByLabel("Role of Ben").selectOption("user");
    await host.getByLabel("Role of Cy").selectOption("user");
    await poll(() => host.getByLabel("Role of Ada").inputValue()).toBe("challenger");
    await poll(() => host.getByLabel("Role of Cy").inputValue()).toBe("user");
    await host.getByLabel("Lesson plan", { exact: true }).selectOption({ label: "Fast demo (90 s, 30 s challenge window)" });
    await host.getByRole("button", { name: "Use this plan" }).click();
    await poll(() => host.locator(".plan-list").textContent()).toContain("1:30");
    await poll(() => ada.locator(".role-badge").textContent()).toBe("Challenger");
    await poll(() => ada.locator(".chip").count()).toBe(4);
    await shootBothSizes(ada, SHOTS, "04-lobby");
    await shootBothSizes(projector, SHOTS, "05-projector-lobby");
    await shootBothSizes(host, SHOTS, "06-host-lobby");

    // Start the round from the host console.
    await host.getByRole("button", { name: "Start round 1" }).click();
    // Head-room for a slow machine: the host ends the round by hand once the dispute is over.
    await host.getByRole("button", { name: "+30 s" }).click();
    await host.getByRole("button", { name: "+30 s" }).click();
    await poll(() => host.locator(".plan-list").textContent()).toContain("(now)");
    await poll(() => ben.getByText("Your wallet").isVisible()).toBe(true);
    await poll(() => projector.locator("canvas").count()).toBe(1);

    // Ben and Cy pay each other on L2 (signed in the page) so the sequencer has batches to post.
    await poll(async () => (await ben.locator(".stat", { hasText: "On L2" }).textContent()) ?? "").toContain("2.0000 ETH");
    // Each pays again once the sequencer has soft-confirmed the last payment: every batch the bot
    // posts has payments in it, paced by what the page shows rather than by the clock.
    let paying = true;
    const payLoop = async (page: Page, to: string) => {
      const rows = page.getByRole("list", { name: "Your transactions" }).locator("li");
      const waiting = rows.and(page.locator(".status-pending"));
      while (paying) {
        const sent = await rows.count();
        await page.getByLabel("Pay to").selectOption({ label: to });
        await page.getByRole("button", { name: "Send on L2" }).click();
        await poll(async () => !paying || ((await rows.count()) > sent && (await waiting.count()) === 0)).toBe(true);
      }
    };
    const payments = Promise.all([payLoop(ben, "Cy"), payLoop(cy, "Ben")]);
    await poll(() => ben.locator(".row", { hasText: /soft-confirmed|posted to L1|final/ }).count()).toBeGreaterThan(0);
    await shoot(ben, SHOTS, "07-user-phone", true);

    // Ada's page re-executes every posted batch; the bot's second batch carries a forged mint.
    // (Screenshots wait until after each timed action: the challenge window and move clocks run.)
    const fraudRow = ada.locator("li[data-batch]", { hasText: "FRAUD ✗ root mismatch" }).first();
    await fraudRow.waitFor();
    const batchId = await fraudRow.getAttribute("data-batch");
    expect(await ada.locator(".verdict-honest").count()).toBeGreaterThan(0);
    await ada.getByRole("button", { name: `Challenge batch #${batchId}`, exact: true }).click();
    await shoot(ada, SHOTS, "08-challenger-fraud-found-phone", true);
    paying = false;

    // The bisection: answer every challenger turn with our own root at the midpoint, prove at one step.
    const dispute = ada.locator(".dispute").first();
    await dispute.waitFor();
    let moves = 0;
    let proofs = 0;
    const sideShots: Promise<void>[] = [];
    // Whatever the page asks of Ada next, once it asks, until it says the dispute is won. Only Ada can
    // answer her own turn, so the button she saw is still there when she clicks it; once clicked it
    // reads "Move sent…" until the dispute moves on. A stuck dispute ends at WAIT_MS.
    const move = ada.getByRole("button", { name: /^Send my root at step \d+$/, disabled: false });
    const prove = ada.getByRole("button", { name: /^Prove step \d+ on L1$/, disabled: false });
    const asked = async () =>
      (await ada.getByText(/You won/).isVisible()) ? "won"
        : (await ada.getByText("You lost this dispute ✗").isVisible()) ? "lost"
          : (await move.count()) > 0 ? "move" : (await prove.count()) > 0 ? "prove" : "wait";
    for (let step = await until(asked, (a) => a !== "wait"); step !== "won"; step = await until(asked, (a) => a !== "wait")) {
      expect(step, "the honest challenger must not lose").not.toBe("lost");
      const button = (step === "move" ? move : prove).first();
      const name = (await button.textContent()) ?? "";
      if (step === "move" && moves === 0) {
        await shoot(ada, SHOTS, "09-challenger-dispute-phone", true);
        sideShots.push(shoot(projector, SHOTS, "10-projector-dispute-projector"));
      }
      await button.click();
      if (step === "move") moves += 1;
      else proofs += 1;
      await poll(() => ada.getByRole("button", { name, exact: true, disabled: false }).count()).toBe(0);
    }
    await Promise.all([payments, ...sideShots]);
    // A forged batch of two steps goes straight to the one-step proof (seen on a loaded machine, where
    // fewer payments made it into the batch): then Ada's only click is the proof.
    expect(moves + proofs, "Ada answered the dispute herself").toBeGreaterThan(0);
    // Why it ended, in words, and no "still disputed" once it is over.
    const ended = ada.locator(".dispute").first();
    expect(await ended.locator(".dispute-ending").textContent()).toMatch(/^(L1 re-executed step \d+ → \d+ itself: the sequencer's root was wrong|The sequencer .* did not commit its root)/);
    expect(await ended.textContent()).not.toContain("still disputed");
    await poll(() => ada.locator(`li[data-batch="${batchId}"]`).textContent()).toContain("forged claim replaced by dispute");
    await shootBothSizes(ada, SHOTS, "11-challenger-won");
    await shoot(projector, SHOTS, "12-projector-reverted-projector");

    // The SDK reconnects a dropped socket by itself, with a visible banner meanwhile.
    await cy.context().setOffline(true);
    await cy.evaluate(() => undefined);
    const banner = cy.locator("#banner");
    const sawBanner = await banner.filter({ hasText: "Reconnecting" }).waitFor().then(() => true, () => false);
    await cy.context().setOffline(false);
    if (sawBanner) await poll(() => banner.isHidden()).toBe(true);

    // The host ends the round: the one-round plan goes straight to the final results.
    await shootBothSizes(host, SHOTS, "13-host-running");
    await host.getByRole("button", { name: "End round", exact: true }).click();
    for (const [label, page] of [["ada", ada], ["ben", ben], ["cy", cy], ["host", host], ["projector", projector]] as const) {
      const shown = await page.getByRole("heading", { name: "Final results" }).waitFor().then(() => true, () => false);
      expect(shown, `${label} should show the final results; it shows: ${(await page.locator("body").innerText()).slice(0, 400)}`).toBe(true);
    }
    const story = (await ada.locator(".story").textContent()) ?? "";
    expect(story).toMatch(/challengers caught [1-9]/);
    // The leaderboard ranks the students; the bot sequencer is listed apart, unranked.
    expect(await ada.locator('.debrief-side [data-board="students"] tbody th').allTextContents()).toEqual(["Ada (you)", "Ben", "Cy"]);
    expect(await ada.locator('.debrief-side [data-board="bots"] summary').textContent()).toBe("1 bot played too (not ranked)");
    const adaScore = Number((await ada.locator(".score").textContent())?.replace(/\D/g, ""));
    expect(adaScore).toBeGreaterThanOrEqual(150); // dispute won
    await shootBothSizes(ada, SHOTS, "14-debrief");
    await shootBothSizes(projector, SHOTS, "15-projector-debrief");
    await shootBothSizes(host, SHOTS, "16-host-debrief");

    // Results are downloadable with the host token.
    const csvHref = await host.getByRole("link", { name: "Download results (CSV)" }).getAttribute("href");
    const csv = await (await fetch(`${base}${csvHref}`)).text();
    expect(csv).toContain("Ada");

    expect(errors).toEqual([]);
    expect(sawBanner, "the Reconnecting… banner should show while offline").toBe(true);
  });

  it("a human sequencer censors, the user forces the payment through L1; the sequencer cheats, defends its claims move by move and loses", async () => {
    const { errors, openPage } = e2e;
    // This time the host is a plain SDK client: a test-only plan with short delays.
    const host = await hostOverSdk(e2e.port);
    const { code } = host;
    const sam = await openPage("sam", PHONE, `/join?code=${code}`);
    await submitJoin(sam, "Sam");
    const uma = await openPage("uma", PHONE, `/join?code=${code}`);
    await submitJoin(uma, "Uma");
    const vic = await openPage("vic", PHONE, `/join?code=${code}`);
    await submitJoin(vic, "Vic");
    await poll(() => sam.locator(".chip").count()).toBe(3);
    // A reload takes the same seat back (reconnection token), not a new one.
    await vic.reload();
    await vic.getByText("You're in!").waitFor();
    await poll(() => vic.locator(".me-name").textContent()).toBe("Vic");
    await poll(() => sam.locator(".chip").count()).toBe(3);
    host.send("host:assign", { playerId: host.idOf("Sam"), role: "sequencer" });
    host.send("host:assign", { playerId: host.idOf("Uma"), role: "user" });
    host.send("host:assign", { playerId: host.idOf("Vic"), role: "user" });
    host.send("host:addBots", { count: 1, role: "challenger", difficulty: "hard" });
    // A long round and a minute a move: nothing here races the game clock (the host ends the round).
    host.send("host:plan", { rounds: [{ scenario: "optimistic", durationSec: 900, params: { forcedInclusionDelaySec: 6, challengeWindowSec: 30, moveTimeoutSec: 60 } }] });
    await poll(() => sam.locator(".role-badge").textContent()).toBe("Sequencer");
    host.send("host:start");

    // Uma pays Vic; Sam censors it from the mempool.
    await poll(async () => (await uma.locator(".stat", { hasText: "On L2" }).textContent()) ?? "").toContain("2.0000 ETH");
    await uma.getByLabel("Pay to").selectOption({ label: "Vic" });
    await uma.getByRole("button", { name: "Send on L2" }).click();
    await sam.getByRole("button", { name: "Censor", exact: true }).click();
    await poll(() => uma.getByText("censored ⊘").count()).toBeGreaterThan(0);
    await shoot(sam, SHOTS, "17-sequencer-censored-phone", true);

    // Uma forces it: into the L1 delayed inbox, then, after the delay, into L2.
    await uma.getByRole("button", { name: "Force it through L1" }).click();
    await uma.getByRole("button", { name: "Force inclusion now" }).click();
    await poll(() => uma.getByText("included on L2 ✓").count()).toBe(1);
    await shootBothSizes(uma, SHOTS, "18-user-forced-inclusion");

    // Vic pays Uma three times and Sam soft-confirms them: the next batch has steps to dispute.
    for (let i = 0; i < 3; i++) {
      await vic.getByLabel("Pay to").selectOption({ label: "Uma" });
      await vic.getByRole("button", { name: "Send on L2" }).click();
      await poll(() => vic.locator(".row", { hasText: /pending|soft-confirmed/ }).count()).toBeGreaterThan(i);
    }
    await poll(() => sam.locator(".sequencer-view .row", { hasText: "Vic → Uma" }).count()).toBe(3);
    await sam.getByRole("button", { name: "Include all (not censored)" }).click();
    await poll(async () => Number(await sam.locator(".stat", { hasText: "Soft-confirmed, not yet posted" }).locator("strong").textContent())).toBeGreaterThanOrEqual(3);
    // Sam posts a batch with a forged mint; the bot challenger disputes; Sam defends each step.
    await sam.getByText("Cheat (challengers are watching)").click();
    await sam.getByLabel("Mint out of thin air (ETH)").fill("3");
    await sam.getByRole("button", { name: "Post batch + mint" }).click();
    await sam.locator(".dispute").first().waitFor();
    let defended = 0;
    // Each time the page asks Sam for a root he commits it (only he can answer his turn), until the dispute is over.
    const commit = sam.getByRole("button", { name: /^Commit your root at step \d+$/, disabled: false });
    const lostDispute = sam.locator(".dispute", { hasText: "challenger won" });
    const samAsked = async () => ((await lostDispute.count()) > 0 ? "over" : (await commit.count()) > 0 ? "commit" : "wait");
    while ((await until(samAsked, (a) => a !== "wait")) === "commit") {
      const name = (await commit.first().textContent()) ?? "";
      await commit.first().click();
      defended += 1;
      if (defended === 1) await shoot(sam, SHOTS, "19-sequencer-defending-phone", true);
      await poll(async () => (await lostDispute.count()) > 0 || (await sam.getByRole("button", { name, exact: true, disabled: false }).count()) === 0).toBe(true);
    }
    expect(defended).toBeGreaterThan(0);
    await poll(() => sam.locator(".sequencer-view .rows .row", { hasText: "forged claim replaced by dispute" }).count()).toBeGreaterThan(0);
    // The sequencer is told what its cheat cost, and why.
    await poll(() => sam.locator(".loss-notices").textContent()).toMatch(/proved batch #\d+ wrong|did not defend batch #\d+ in time/);
    await shootBothSizes(sam, SHOTS, "20-sequencer-lost");
    host.send("host:endRound");
    await sam.getByRole("heading", { name: "Final results" }).waitFor();
    expect(await sam.locator(".story").textContent()).toMatch(/challengers caught 1/);
    expect(await uma.locator(".story").textContent()).toMatch(/1 transaction went through the L1 delayed inbox/);
    await host.room.leave();
    expect(errors).toEqual([]);
  });
});
