import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../server/app.ts";
import { runHeadlessBot } from "../../server/headless-bot.ts";
import type { NodeTransport } from "../../server/transport/sdk-client.ts";
import type { Debrief } from "../../shared/engine/debrief.ts";
import { signL2Tx } from "../../shared/engine/l2-state.ts";
import { eth } from "../../shared/engine/units.ts";
import { TRANSPORTS } from "../../shared/protocol/transport.ts";
import { createSession, debriefOf, expectReplayMatchesLive, joinAsHost, joinAsPlayer, leaveAll, myId, startTestServer, testPort, waitFor, storedRounds, myWallet } from "./helpers.ts";
import type { Peer, Session } from "./helpers.ts";

const port = testPort(5800);
let app: RunningApp;

beforeAll(async () => {
  // Game time runs 4× faster than the wall clock so a 90 s round takes about 23 s.
  app = await startTestServer(port, { timeScale: 4 });
});
afterAll(async () => {
  await app.close();
});

/**
 * The fallback carries a whole lesson: students on socket.io long-polling (a network that cuts
 * WebSocket) and students on WebSocket play one optimistic round in the same room. The challenger
 * is on polling: it fetches batch data, re-executes, challenges and wins the bisection through it.
 */
describe("socket.io long-polling and WebSocket clients in one room", () => {
  let session: Session;
  let host: Peer;
  const students: Peer[] = [];
  const transports: NodeTransport[] = [];

  it("join by code over both transports; the host sees who is on the fallback; each sees only its own wallet", async () => {
    session = await createSession(port);
    host = await joinAsHost(port, session, "websocket");
    for (let i = 0; i < 8; i++) transports.push(i % 2 === 0 ? "polling" : "websocket");
    students.push(...(await Promise.all(transports.map((t, i) => joinAsPlayer(port, session.code, `Student ${i + 1}`, t)))));
    await waitFor("8 players in the host's state", () => host.room.state.players.size === 8);
    await waitFor("every transport shown", () => students.every((s) => host.room.state.players.get(myId(s))?.transport));
    for (const [i, s] of students.entries()) {
      expect(host.room.state.players.get(myId(s))?.transport).toBe(transports[i] === "polling" ? TRANSPORTS.polling : TRANSPORTS.websocket);
      // Privacy holds on both transports: its private view is its own, and no wallet is in the shared state.
      expect(s.views.myId).toBe(myId(s));
      expect([...s.room.state.players.values()].some((p) => "wallet" in p.toJSON())).toBe(false);
    }
  });

  it("a bot sequencer cheats, the polling challenger wins the dispute, the batch reverts; both transports reach the same debrief", async () => {
    const challenger = students[0]!;
    expect(transports[0]).toBe("polling");
    const challengerId = myId(challenger);
    host.room.send("host:addBots", { token: session.hostToken, count: 1, role: "sequencer", difficulty: "normal" });
    await waitFor("the bot", () => [...host.room.state.players.values()].some((p) => p.bot));
    host.room.send("host:assign", { token: session.hostToken, playerId: challengerId, role: "challenger" });
    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "optimistic", durationSec: 90, params: { challengeWindowSec: 30, blockTimeSec: 1, moveTimeoutSec: 8 } }] });
    await waitFor("challenger role", () => challenger.room.state.players.get(challengerId)?.role === "challenger");
    host.room.send("host:start", { token: session.hostToken });
    await waitFor("round running everywhere", () => students.every((s) => s.room.state.phase === "running"));

    // Users on both transports pay each other with transactions they sign themselves.
    const users = students.slice(1);
    await waitFor("deposits credited", () => users.every((s) => (s.views.you?.l2Balance ?? 0) >= eth(2)));
    for (const [i, s] of users.entries()) {
      const me = myId(s);
      const to = myId(users[(i + 1) % users.length]!);
      const tx = signL2Tx(s.key.secretKey, { kind: "transfer", from: me, to, amount: eth(0.1), fee: 2_000, nonce: myWallet(s).l2Nonce });
      s.room.send("user:l2", { tx: { kind: "transfer", to, amount: tx.amount, fee: tx.fee, nonce: tx.nonce, sig: tx.sig }, seq: 100 + i });
    }
    await waitFor("acks for every transfer", () => users.every((s) => s.acks.some((a) => a.type === "user:l2" && a.seq !== undefined && a.seq >= 100)));
    expect(users.flatMap((s) => s.errors)).toEqual([]);

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
    await waitFor("final results on every client", () => [host, ...students].every((p) => p.room.state.phase === "final" && p.room.state.debrief));
    const debrief = debriefOf(host) as Debrief;
    expect(debrief.fraud.caught).toBeGreaterThanOrEqual(1);
    expect(debrief.fraud.challengerWins).toBeGreaterThanOrEqual(1);
    expect(debrief.l2.transactions).toBeGreaterThanOrEqual(users.length);
    expect(debrief.scores[challengerId]).toBeGreaterThan(0);
    for (const s of students) expect(s.room.state.debrief).toBe(host.room.state.debrief);
    expect(students.flatMap((s) => s.messages).filter((m) => m.type === "debrief").length).toBe(students.length);

    const stored = (await storedRounds(app, session.code))[0]!;
    expectReplayMatchesLive(stored, "optimistic", host, debrief);
  }, 120_000);

  afterAll(async () => {
    await leaveAll([...students, host]);
  });
});
