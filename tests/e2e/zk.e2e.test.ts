import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECTOR, hostOverSdk, poll, shoot, shootBothSizes, startE2eServer } from "./harness.ts";
import type { E2eServer } from "./harness.ts";

/**
 * A ZK-rollup round in real Chromium: a student pays and withdraws (signed in the page), a
 * student prover picks a batch size and proves it, the withdrawal is claimable the moment the
 * batch verifies and is paid on L1; then the prover's forged batch is rejected by L1's verifier.
 */
describe("ZK rollup round in a real browser", () => {
  let e2e: E2eServer;
  const SHOTS = "e2e-zk";

  beforeAll(async () => {
    // Game time runs twice as fast as the wall clock: proving a batch of 20 takes 4.5 s. The projector too prefers reduced motion.
    e2e = await startE2eServer({ reconnectSeconds: 30, tickMs: 100, botTurnMs: 400, timeScale: 2 }, { animateProjector: false });
  });
  afterAll(() => e2e?.close());

  it("pay → prove (progress) → verified → claim at once → paid; a forged batch is rejected", async () => {
    const host = await hostOverSdk(e2e.port);
    const projector = await e2e.openPage("projector", PROJECTOR, `/projector?code=${host.code}`);
    const ada = await e2e.joinOnPhone(host.code, "Ada");
    const pat = await e2e.joinOnPhone(host.code, "Pat");

    host.send("host:plan", { rounds: [{ scenario: "zk", durationSec: 600 }] });
    host.send("host:addBots", { count: 3, role: "user", difficulty: "normal" });
    await poll(() => host.room.state.players.size).toBe(5);
    host.send("host:assign", { playerId: host.idOf("Pat"), role: "prover" });
    host.send("host:assign", { playerId: host.idOf("Ada"), role: "user" });
    await poll(() => pat.locator(".role-badge").textContent()).toBe("Prover");
    host.send("host:start");

    // Ada pays a bot and withdraws 0.1 ETH: both wait for a prover.
    // Funded at genesis (2 ETH; a bot may have paid her already on a slow machine).
    await poll(async () => Number(/([\d.]+) ETH/.exec((await ada.locator(".stat", { hasText: "On the ZK rollup" }).textContent()) ?? "")?.[1] ?? 0)).toBeGreaterThanOrEqual(2);
    await ada.getByLabel("Pay to").selectOption({ index: 0 });
    await ada.getByRole("button", { name: "Send on the ZK rollup" }).click();
    await poll(() => ada.locator(".row", { hasText: "ZK payment" }).textContent()).toContain("waiting for a prover");
    await ada.getByLabel("Withdraw amount (ETH)").fill("0.1");
    await ada.getByRole("button", { name: "Withdraw to L1" }).click();
    await poll(() => ada.locator(".row", { hasText: "Withdraw 0.1000 ETH" }).textContent()).toContain("waiting for a prover");

    // Pat sees the queue and the estimate for the size picked, then proves the batch.
    await pat.getByLabel("Batch size").selectOption("64");
    await poll(() => pat.locator(".zk-estimate").textContent()).toMatch(/A batch of \d+: proving takes \d+\.\d s/);
    await shoot(pat, SHOTS, "01-prover-choose-phone", true);
    await pat.getByRole("button", { name: /^Prove a batch of \d+$/ }).click();
    // Proving shows a progress bar for a few seconds; on a slow machine the page may only show the batch verified.
    await poll(async () => (await pat.locator(".zk-batch-proving progress").count()) + (await pat.locator(".zk-batch-verified").count())).toBeGreaterThan(0);
    await shoot(pat, SHOTS, "02-prover-proving-phone", true);
    await shoot(projector, SHOTS, "03-projector-proving");
    await shoot(ada, SHOTS, "04-user-after-proving-phone", true);

    // The moment the batch verifies the withdrawal is claimable: no challenge window.
    const claim = ada.getByRole("button", { name: "Claim on L1 now" });
    await claim.waitFor();
    expect(await ada.locator(".row", { hasText: "Withdraw 0.1000 ETH" }).textContent()).toMatch(/Claimable .* optimistic rollup would now make you wait/);
    await poll(() => ada.locator(".row", { hasText: "ZK withdrawal" }).textContent()).toMatch(/final ✓ in \d+\.\d s/);
    await shoot(ada, SHOTS, "05-user-ready-phone", true);
    await claim.click();
    await poll(() => ada.locator(".row", { hasText: "Withdraw 0.1000 ETH" }).textContent()).toContain("paid on L1 ✓");
    await poll(() => pat.locator(".zk-batch-verified").count()).toBeGreaterThan(0);

    // The forged mint: proven, sent, and rejected by L1's verifier.
    await pat.locator("details.cheat summary").click();
    await pat.getByRole("button", { name: /mints 5 ETH/ }).click();
    await pat.locator(".zk-batch-rejected").waitFor();
    expect(await pat.locator(".zk-batch-rejected").textContent()).toContain("✗ rejected by L1's verifier");
    await poll(() => pat.locator(".stat", { hasText: "verified / rejected" }).textContent()).toContain("/ 1 ✗");
    await shootBothSizes(pat, SHOTS, "06-prover-rejected");
    await shoot(projector, SHOTS, "07-projector-rejected");

    host.send("host:endRound");
    await ada.getByRole("heading", { name: "Final results" }).waitFor();
    await shoot(ada, SHOTS, "08-debrief-phone", true);
    expect(e2e.errors).toEqual([]);
    await host.room.leave();
  });
});
