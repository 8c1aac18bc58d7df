import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../server/app.ts";
import { conservationViolation } from "../../shared/engine/conservation.ts";
import { signL2Tx } from "../../shared/engine/l2-state.ts";
import { eth } from "../../shared/engine/units.ts";
import { zkDebrief } from "../../shared/engine/zk/debrief.ts";
import { createSession, debriefOf, expectReplayMatchesLive, joinAsHost, joinAsPlayer, leaveAll, moduleEvents, myId, myWallet, replayStored, startTestServer, testPort, waitFor, worldModule, storedRounds } from "./helpers.ts";
import type { Peer, Session } from "./helpers.ts";

const port = testPort(3700);
let app: RunningApp;

beforeAll(async () => {
  // Game time runs 6× faster than the wall clock: a 3 s L1 block takes half a second.
  app = await startTestServer(port, { timeScale: 6 });
});
afterAll(async () => {
  await app.close();
});

interface ZkView {
  pending: number;
  bridgeEscrow: number;
  batches: { id: number; prover: string; txCount: number; status: string; provingMs: number; verifiedAtMs: number }[];
}

function withdrawalsOf(peer: Peer): { id: string; amount: number; status: string; batchId: number }[] {
  return JSON.parse(myWallet(peer).withdrawals);
}

describe("a ZK rollup round", () => {
  let session: Session;
  let host: Peer;
  const students: Peer[] = [];

  afterAll(async () => {
    await leaveAll([...students, host]);
  });

  it("a bot proves, a cheating batch is rejected, a withdrawal is paid right after verification; debrief matches a replay", async () => {
    session = await createSession(port);
    host = await joinAsHost(port, session);
    students.push(...(await Promise.all(["Ada", "Bo", "Cy", "Di"].map((name) => joinAsPlayer(port, session.code, name)))));
    await waitFor("4 players", () => host.room.state.players.size === 4);

    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "zk", durationSec: 600 }] });
    // Without a role, the first bot takes the ZK round's lead role: prover. Hard: it cheats on its 2nd batch.
    host.room.send("host:addBots", { token: session.hostToken, count: 1, difficulty: "hard" });
    await waitFor("the bot prover", () => [...host.room.state.players.values()].some((p) => p.bot && p.role === "prover"));
    host.room.send("host:autoBalance", { token: session.hostToken });
    await waitFor("roles balanced", () => [...host.room.state.players.values()].every((p) => p.role === (p.bot ? "prover" : "user")));
    host.room.send("host:start", { token: session.hostToken });
    await waitFor("round running", () => host.room.state.phase === "running");
    expect(host.room.state.scenario).toBe("zk");
    expect(host.errors).toEqual([]);

    // Genesis deposited 2 ETH for everyone through the ZK bridge.
    await waitFor("ZK deposits credited", () => students.every((s) => myWallet(s).l2Balance >= eth(2)), 30_000);

    // The edge refuses what does not belong to this round or this role, or is malformed.
    const ada = students[0]!;
    ada.room.send("user:deposit", { amount: eth(1), seq: 900 });
    ada.room.send("zk:prove", { seq: 901 });
    ada.room.send("zk:send", { tx: { kind: "transfer", to: "p2", amount: 1, fee: 2_000, nonce: 0, sig: "00".repeat(64), extra: 1 }, seq: 902 });
    ada.room.send("zk:send", { tx: { kind: "transfer", to: "p2", amount: 1, fee: 2_000, nonce: 0, sig: "00".repeat(64) }, seq: 903 });
    await waitFor("four refusals", () => ada.errors.length >= 4);
    expect(ada.errors.map((e) => [e.seq, e.code])).toEqual([[900, "wrong_phase"], [901, "wrong_role"], [902, "invalid_payload"], [903, "rejected"]]);
    ada.errors.length = 0;

    // Each student pays the next one a signed ZK transfer.
    const ids = students.map(myId);
    for (const [i, s] of students.entries()) {
      const me = ids[i]!;
      const to = ids[(i + 1) % students.length]!;
      const tx = signL2Tx(s.key.secretKey, { kind: "transfer", from: me, to, amount: eth(0.1), fee: 2_000, nonce: myWallet(s).l2Nonce });
      s.room.send("zk:send", { tx: { kind: "transfer", to, amount: tx.amount, fee: tx.fee, nonce: tx.nonce, sig: tx.sig }, seq: i });
    }
    await waitFor("acks for every transfer", () => students.every((s) => s.acks.some((a) => a.type === "zk:send")));
    expect(students.flatMap((s) => s.errors)).toEqual([]);

    // Ada withdraws 0.5 ETH back to L1.
    const adaId = ids[0]!;
    await waitFor("Ada's nonce counts her transfer", () => myWallet(ada).l2Nonce === 1);
    const w = signL2Tx(ada.key.secretKey, { kind: "withdraw", from: adaId, to: adaId, amount: eth(0.5), fee: 2_000, nonce: 1 });
    ada.room.send("zk:send", { tx: { kind: "withdraw", to: adaId, amount: w.amount, fee: w.fee, nonce: w.nonce, sig: w.sig }, seq: 10 });
    await waitFor("withdrawal acked", () => ada.acks.some((a) => a.seq === 10));
    const withdrawal = await waitFor("the withdrawal appears in Ada's wallet", () => withdrawalsOf(ada)[0]);
    expect(withdrawal.amount).toBe(eth(0.5));

    // No challenge window: once its batch verifies, the withdrawal is claimable.
    const ready = await waitFor("the withdrawal is ready", () => withdrawalsOf(ada).find((x) => x.status === "ready"), 60_000);
    const batch = worldModule<ZkView>(ada)!.batches.find((b) => b.id === ready.batchId)!;
    expect(batch.status).toBe("verified");
    ada.room.send("zk:claim", { withdrawalId: ready.id, seq: 11 });
    await waitFor("claim acked", () => ada.acks.some((a) => a.seq === 11));
    await waitFor("the withdrawal is paid", () => withdrawalsOf(ada).find((x) => x.id === ready.id && x.status === "paid"), 30_000);
    const adaTxs = JSON.parse(myWallet(ada).txs) as { id: string; kind: string; status: string }[];
    expect(adaTxs.find((x) => x.id === ready.id)).toMatchObject({ kind: "ZK withdraw", status: "final" });

    // The bot prover's forged batch never verifies.
    await waitFor("a rejected batch", () => worldModule<ZkView>(host)?.batches.some((b) => b.status === "rejected"), 60_000);
    const view = worldModule<ZkView>(host)!;
    expect(view.batches.filter((b) => b.status === "verified").length).toBeGreaterThanOrEqual(1);

    host.room.send("host:endRound", { token: session.hostToken });
    await waitFor("final", () => host.room.state.phase === "final");
    const debrief = debriefOf(host);
    expect(debrief.scenario).toBe("zk");
    expect(debrief.tradeOff).toMatch(/no withdrawal delay/);
    const zk = debrief.zk!;
    expect(zk.batchesVerified).toBeGreaterThanOrEqual(1);
    expect(zk.batchesRejected).toBeGreaterThanOrEqual(1);
    expect(zk.fraudsAttempted).toBeGreaterThanOrEqual(1);
    expect(zk.fraudsVerified).toBe(0);
    expect(zk.withdrawalsPaid).toBeGreaterThanOrEqual(1);
    expect(zk.l2Txs).toBeGreaterThanOrEqual(5);
    expect(zk.deposits).toBeGreaterThanOrEqual(5);

    // The stored round replays to the same world, events and figures; money is conserved.
    const stored = (await storedRounds(app, session.code))[0]!;
    expect(stored.scenario).toBe("zk");
    const replayed = expectReplayMatchesLive(stored, "zk", host, debrief);
    expect(zkDebrief(replayed.events)).toEqual(zk);
    // Ada scored her deposit, transfer, withdrawal and payout; the cheating prover lost points for its fraud.
    expect(debrief.scores[adaId]).toBeGreaterThanOrEqual(10 + 5 + 5 + 20);

    // The withdrawal became claimable in the very block its batch verified, and was paid from the bridge.
    const zkEvents = moduleEvents(replayed.events, "zk");
    const verified = zkEvents.find((e) => e.name === "batchVerified" && e.data.batchId === ready.batchId)!;
    const readyEvent = zkEvents.find((e) => e.name === "withdrawalReady" && e.data.withdrawalId === ready.id)!;
    const paid = zkEvents.find((e) => e.name === "withdrawalPaid" && e.data.withdrawalId === ready.id)!;
    expect(readyEvent.t).toBe(verified.t);
    expect(paid.data).toMatchObject({ to: adaId, amount: eth(0.5) });
    // Every rejected batch held a forged transaction.
    const rejected = zkEvents.filter((e) => e.name === "batchRejected").map((e) => e.data.batchId);
    const frauds = new Set(zkEvents.filter((e) => e.name === "fraudAttempted").map((e) => e.data.batchId));
    for (const id of rejected) expect(frauds.has(id)).toBe(true);
  }, 120_000);
});

describe("a ZK round played by bots", () => {
  it("auto-balance gives one prover per ten players; bot users deposit, send and withdraw, bot provers get batches verified", async () => {
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "zk", durationSec: 60 }] });
    host.room.send("host:addBots", { token: session.hostToken, count: 20, role: "user", difficulty: "hard" });
    await waitFor("20 bots", () => host.room.state.players.size === 20);
    host.room.send("host:autoBalance", { token: session.hostToken });
    await waitFor("two provers", () => [...host.room.state.players.values()].filter((p) => p.role === "prover").length === 2);
    host.room.send("host:start", { token: session.hostToken });
    await waitFor("round over", () => host.room.state.phase === "final", 60_000);
    expect(host.errors).toEqual([]);

    const debrief = debriefOf(host);
    const zk = debrief.zk!;
    expect(zk.provers.length).toBeGreaterThanOrEqual(1);
    expect(zk.l2Txs).toBeGreaterThan(20);
    expect(zk.batchesVerified).toBeGreaterThanOrEqual(2);
    // Hard bot provers each forge one batch: L1 verifies none of them.
    expect(zk.fraudsAttempted).toBeGreaterThanOrEqual(1);
    expect(zk.fraudsVerified).toBe(0);

    const replayed = replayStored((await storedRounds(app, session.code))[0]!);
    expect(zkDebrief(replayed.events)).toEqual(zk);
    expect(conservationViolation(replayed.world)).toBeNull();
    const sent = moduleEvents(replayed.events, "zk").filter((e) => e.name === "txAccepted");
    expect(sent.some((e) => e.data.kind === "withdraw")).toBe(true);
    await host.room.leave().catch(() => undefined);
  }, 90_000);
});
