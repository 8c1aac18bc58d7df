import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rollupOf } from "../../shared/engine/optimistic/types.ts";
import { Client } from "@colyseus/sdk";
import type { RunningApp } from "../../server/app.ts";
import { signL2Tx } from "../../shared/engine/l2-state.ts";
import { runHeadlessBot } from "../../server/headless-bot.ts";
import { computeDebrief } from "../../shared/engine/debrief.ts";
import type { Debrief } from "../../shared/engine/debrief.ts";
import { replay } from "../../shared/engine/replay.ts";
import { eth } from "../../shared/engine/units.ts";
import { CLOSE_KICKED } from "../../shared/protocol/messages.ts";
import { ViewMirror } from "../../shared/protocol/view-feed.ts";
import { createSession, joinAsHost, joinAsPlayer, snapshot, startTestServer, testPort, waitFor, storedRounds, myId, myWallet } from "./helpers.ts";
import type { Peer, Session } from "./helpers.ts";

const port = testPort(3100);
let app: RunningApp;

beforeAll(async () => {
  // Game time runs 4× faster than the wall clock so a 90 s round takes about 23 s.
  app = await startTestServer(port, { timeScale: 4 });
});
afterAll(async () => {
  await app.close();
});

describe("a whole class plays an optimistic round", () => {
  let session: Session;
  let host: Peer;
  const students: Peer[] = [];

  it("the host creates a session and 30 students join by code", async () => {
    session = await createSession(port);
    expect(session.code).toMatch(/^[34679ACDEFGHJKMNPQRTUVWXY]{6}$/);
    host = await joinAsHost(port, session);
    const joined = await Promise.all(Array.from({ length: 30 }, (_, i) => joinAsPlayer(port, session.code, `Student ${i + 1}`)));
    students.push(...joined);
    await waitFor("30 players in the host's state", () => host.room.state.players.size === 30);
    const lookup = await (await fetch(`http://localhost:${port}/api/sessions/${session.code.toLowerCase()}`)).json();
    expect(lookup).toEqual({ roomId: session.code, phase: "lobby", playerCount: 30, locked: false });
    // Each student sees only their own wallet.
    const mine = students.map(myId);
    expect(new Set(mine).size).toBe(30);
  });

  it("a bot sequencer cheats, a challenger wins the bisection, the claim is replaced (the data stays); debrief and CSV match the engine", async () => {
    const challenger = students[0]!;
    const challengerId = myId(challenger);
    host.room.send("host:addBots", { token: session.hostToken, count: 1, role: "sequencer", difficulty: "normal" });
    await waitFor("the bot", () => [...host.room.state.players.values()].some((p) => p.bot));
    host.room.send("host:assign", { token: session.hostToken, playerId: challengerId, role: "challenger" });
    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "optimistic", durationSec: 90, params: { challengeWindowSec: 30, blockTimeSec: 1, moveTimeoutSec: 8 } }] });
    await waitFor("challenger role", () => challenger.room.state.players.get(challengerId)?.role === "challenger");
    host.room.send("host:start", { token: session.hostToken });
    await waitFor("round running", () => host.room.state.phase === "running");
    for (const s of students.slice(1)) expect(s.room.state.players.get(myId(s))?.role).toBe("user");

    // Students pay each other on L2 with transactions they sign themselves.
    await waitFor("deposits credited", () => students.every((s) => (s.views.you?.l2Balance ?? 0) >= eth(2)));
    for (const [i, s] of students.slice(1).entries()) {
      const me = myId(s);
      const to = myId(students[(i + 2) % 30]!);
      const tx = signL2Tx(s.key.secretKey, { kind: "transfer", from: me, to, amount: eth(0.1), fee: 2_000, nonce: myWallet(s).l2Nonce });
      s.room.send("user:l2", { tx: { kind: "transfer", to, amount: tx.amount, fee: tx.fee, nonce: tx.nonce, sig: tx.sig }, seq: i });
    }
    await waitFor("acks for every transfer", () => students.slice(1).every((s) => s.acks.some((a) => a.type === "user:l2")));
    expect(students.slice(1).flatMap((s) => s.errors)).toEqual([]);

    const bot = runHeadlessBot(challenger.room, challenger.key, "challenger");
    const reverted = await waitFor("a fraudulent claim replaced after a dispute", () => {
      const w = host.room.state.world;
      const won = w.disputes.find((d: { status: string }) => d.status === "challenger-won");
      // The batch keeps its data (it is not reverted); only its claimed root is replaced by the honest one.
      return won && w.batches.find((b: { id: number; status: string }) => b.id === won.batchId && b.status !== "reverted") ? won : null;
    }, 60_000);
    bot.stop();
    expect(reverted.challenger).toBe(challengerId);
    expect(reverted.hi - reverted.lo).toBe(1);

    host.room.send("host:endRound", { token: session.hostToken });
    await waitFor("final", () => host.room.state.phase === "final");
    const debrief = JSON.parse(host.room.state.debrief) as Debrief;
    expect(debrief.fraud.attempted).toBeGreaterThanOrEqual(1);
    expect(debrief.fraud.caught).toBeGreaterThanOrEqual(1);
    expect(debrief.fraud.challengerWins).toBeGreaterThanOrEqual(1);
    expect(debrief.l2.transactions).toBeGreaterThanOrEqual(29);
    expect(debrief.scores[challengerId]).toBeGreaterThan(0);

    // The stored round replays to the same state, and its events give the same debrief and scores.
    const stored = (await storedRounds(app, session.code))[0]!;
    const replayed = replay(stored.seed, stored.config, stored.log, stored.endMs);
    expect(replayed.hash).toBe(stored.finalHash);
    expect(computeDebrief(replayed.events, stored.config, stored.endMs)).toEqual(debrief);
    // The disputed batch kept its transactions, the forged mint among them, and now claims the honest root.
    const disputed = rollupOf(replayed.world).batches[reverted.batchId]!;
    expect(disputed.txs.some((tx) => tx.kind === "mint")).toBe(true);
    expect(replayed.events.some((e) => e.type === "batch.corrected" && e.batchId === reverted.batchId)).toBe(true);
    const viaHttp = await (await fetch(`http://localhost:${port}/api/sessions/${session.code}/rounds/0/replay?token=${session.hostToken}`)).json();
    expect(viaHttp.matches).toBe(true);
    for (const [id, player] of host.room.state.players.entries()) expect(player.score).toBe(debrief.scores[id] ?? 0);

    const csvRes = await fetch(`http://localhost:${port}/api/sessions/${session.code}/results.csv`, { headers: { "x-host-token": session.hostToken } });
    expect(csvRes.status).toBe(200);
    const csv = await csvRes.text();
    expect(csv.split("\n")[0]).toBe("round,player_id,name,role,score");
    expect(csv).toContain(`1,${challengerId},Student 1,challenger,${debrief.scores[challengerId]}`);
    expect((await fetch(`http://localhost:${port}/api/sessions/${session.code}/results.csv`)).status).toBe(403);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...students, host].map((p) => p?.room.leave().catch(() => undefined)));
  });
});

describe("joining and host rights", () => {
  it("an unknown code is a 404 and cannot be joined", async () => {
    expect((await fetch(`http://localhost:${port}/api/sessions/ZZZZZZ`)).status).toBe(404);
    expect((await fetch(`http://localhost:${port}/api/sessions/not-a-code`)).status).toBe(404);
    await expect(new Client(`http://localhost:${port}`).joinById("ZZZZZZ", { name: "Ada" })).rejects.toThrow();
  });

  it("refuses a taken nickname (case-insensitive), a blank one, and anyone while locked", async () => {
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    const ada = await joinAsPlayer(port, session.code, "Ada");
    await expect(joinAsPlayer(port, session.code, "  ada ")).rejects.toThrow(/taken/);
    await expect(joinAsPlayer(port, session.code, "   ")).rejects.toThrow(/nickname/);
    await expect(joinAsPlayer(port, session.code, "x".repeat(40))).rejects.toThrow(/at most 20/);
    host.room.send("host:lock", { token: session.hostToken, locked: true });
    await waitFor("locked", () => host.room.state.locked);
    await expect(joinAsPlayer(port, session.code, "Grace")).rejects.toThrow(/locked/);
    expect((await (await fetch(`http://localhost:${port}/api/sessions/${session.code}`)).json()).locked).toBe(true);
    host.room.send("host:lock", { token: session.hostToken, locked: false });
    await waitFor("unlocked", () => !host.room.state.locked);
    const grace = await joinAsPlayer(port, session.code, "Grace");
    await Promise.all([ada, grace, host].map((p) => p.room.leave()));
  });

  it("a host message without the right token is refused and changes nothing", async () => {
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    const mallory = await joinAsPlayer(port, session.code, "Mallory");
    await waitFor("joined", () => mallory.room.state.players.size === 1);
    const before = snapshot(mallory);
    mallory.room.send("host:start", { token: "not-the-host-token", seq: 7 });
    mallory.room.send("host:lock", { token: "x", locked: true });
    await waitFor("two errors", () => mallory.errors.length >= 2);
    expect(mallory.errors[0]).toMatchObject({ code: "not_host", type: "host:start", seq: 7 });
    expect(mallory.errors[1]!.code).toBe("invalid_payload");
    expect(snapshot(mallory)).toEqual(before);
    await expect(joinAsHost(port, { ...session, hostToken: "wrong-token-123456" })).rejects.toThrow(/host token/);
    await Promise.all([mallory, host].map((p) => p.room.leave()));
  });

  it("a kicked player is told, disconnected with the kick code, and removed", async () => {
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    const bob = await joinAsPlayer(port, session.code, "Bob");
    const bobId = await waitFor("bob's id", () => myId(bob));
    const left = new Promise<number>((resolve) => bob.room.onLeave((code) => resolve(code)));
    host.room.send("host:kick", { token: session.hostToken, playerId: bobId });
    expect(await left).toBe(CLOSE_KICKED);
    expect(bob.messages.some((m) => m.type === "kicked")).toBe(true);
    await waitFor("bob gone", () => !host.room.state.players.has(bobId));
    await host.room.leave();
  });

  it("a burst over the rate is dropped with one rate-limit error, not a kick, and other players are not slowed", async () => {
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    const flooder = await joinAsPlayer(port, session.code, "Flood");
    for (let i = 0; i < 100; i++) flooder.room.send("user:deposit", { amount: 1, seq: i });
    flooder.room.send("player:key", { publicKey: flooder.key.publicKey });
    await waitFor("told to slow down", () => flooder.errors.some((e) => e.code === "rate_limited"));
    // The burst (16) was answered; the rest was dropped, and the client told once rather than 84 times.
    await new Promise((r) => setTimeout(r, 300));
    const answered = flooder.errors.filter((e) => e.code !== "rate_limited").length + flooder.acks.length;
    expect(answered).toBeLessThanOrEqual(17);
    expect(answered).toBeGreaterThanOrEqual(16);
    expect(flooder.errors.filter((e) => e.code === "rate_limited")).toHaveLength(1);
    expect(flooder.room.connection.isOpen).toBe(true);
    const calm = await joinAsPlayer(port, session.code, "Calm");
    calm.room.send("user:deposit", { amount: 1, seq: 1 });
    await waitFor("calm answered", () => calm.errors.length > 0);
    expect(calm.errors[0]!.code).not.toBe("rate_limited");
    await Promise.all([flooder, calm, host].map((p) => p.room.leave()));
  });
});

describe("reconnection and timing", () => {
  it("a player who drops and returns within the window keeps identity, role, balances and score; after it, the seat is gone", async () => {
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    const amy = await joinAsPlayer(port, session.code, "Amy");
    const ben = await joinAsPlayer(port, session.code, "Ben");
    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "optimistic", durationSec: 300 }] });
    host.room.send("host:start", { token: session.hostToken });
    const amyId = await waitFor("amy's deposit", () => (amy.views.you?.l2Balance ?? 0) > 0 && myId(amy));
    // Her private view and the shared state (her score) travel separately: let both settle.
    await waitFor("amy's deposit scored", () => (amy.room.state.players.get(amyId)?.score ?? 0) > 0);
    const before = { ...snapshot(amy).players[amyId], wallet: myWallet(amy) };
    const token = amy.room.reconnectionToken;
    amy.room.connection.close(4999, "wifi dropped");
    await waitFor("amy shown offline", () => host.room.state.players.get(amyId)?.connected === false);
    const back = await new Client(`http://localhost:${port}`).reconnect(token);
    await waitFor("amy back online", () => host.room.state.players.get(amyId)?.connected === true);
    const backViews = new ViewMirror(back);
    backViews.requestWhole();
    await waitFor("amy's private view again", () => backViews.myId === amyId);
    const after = { ...JSON.parse(JSON.stringify(back.state)).players[amyId], wallet: backViews.wallet()! };
    expect(after.id).toBe(before.id);
    expect(after.name).toBe("Amy");
    expect(after.role).toBe(before.role);
    expect(after.wallet.l1Balance).toBe(before.wallet.l1Balance);
    expect(after.wallet.l2Balance).toBe(before.wallet.l2Balance);
    expect(after.score).toBe(before.score);

    const benId = myId(ben);
    const benToken = ben.room.reconnectionToken;
    ben.room.connection.close(4999, "gone");
    await new Promise((r) => setTimeout(r, 2_600)); // the window is 2 s in tests
    await expect(new Client(`http://localhost:${port}`).reconnect(benToken)).rejects.toThrow();
    expect(host.room.state.players.get(benId)?.connected).toBe(false);
    await Promise.all([back.leave(), host.room.leave()]);
  });

  it("pause stops the simulation clock and resume restarts it; extend adds time", async () => {
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    const p = await joinAsPlayer(port, session.code, "Pat");
    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "optimistic", durationSec: 120 }] });
    host.room.send("host:start", { token: session.hostToken });
    await waitFor("running a while", () => host.room.state.world.nowMs > 2_000);
    host.room.send("host:pause", { token: session.hostToken });
    await waitFor("paused", () => host.room.state.phase === "paused");
    await new Promise((r) => setTimeout(r, 300));
    const frozenNow = host.room.state.world.nowMs;
    const frozenRemaining = host.room.state.roundRemainingMs;
    const frozenHeight = host.room.state.world.l1Height;
    await new Promise((r) => setTimeout(r, 1_500)); // 6 s of game time at 4×
    expect(host.room.state.world.nowMs).toBe(frozenNow);
    expect(host.room.state.roundRemainingMs).toBe(frozenRemaining);
    expect(host.room.state.world.l1Height).toBe(frozenHeight);
    p.room.send("user:deposit", { amount: 1 });
    await waitFor("paused error", () => p.errors.length > 0);
    expect(p.errors[0]!.message).toMatch(/paused/);
    host.room.send("host:extend", { token: session.hostToken, seconds: 30 });
    await waitFor("extended", () => host.room.state.roundDurationMs === 150_000);
    host.room.send("host:resume", { token: session.hostToken });
    await waitFor("clock moving again", () => host.room.state.world.nowMs > frozenNow + 1_000);
    expect(host.room.state.roundRemainingMs).toBeLessThan(frozenRemaining + 30_000);
    await Promise.all([p, host].map((x) => x.room.leave()));
  });

  it("a round ends on time even with the host gone", async () => {
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    const p = await joinAsPlayer(port, session.code, "Lee");
    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "optimistic", durationSec: 30 }] });
    host.room.send("host:start", { token: session.hostToken });
    await waitFor("running", () => p.room.state.phase === "running");
    await host.room.leave();
    await waitFor("the round ended on its own", () => p.room.state.phase === "final", 15_000);
    expect(p.room.state.world.nowMs).toBe(30_000);
    expect(JSON.parse(p.room.state.debrief).durationMs).toBe(30_000);
    await p.room.leave();
  });
});
