import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@colyseus/sdk";
import { matchMaker } from "@colyseus/core";
import type { RunningApp } from "../../server/app.ts";
import type { Limits } from "../../server/limits.ts";
import { signMessage } from "../../shared/crypto/sign.ts";
import { CLOSE_FLOODING, CLOSE_SESSION_EXPIRED, rejoinMessage } from "../../shared/protocol/messages.ts";
import { ViewMirror } from "../../shared/protocol/view-feed.ts";
import { createSession, freePort, joinAsHost, joinAsPlayer, leaveAll, myId, startTestServer, waitFor, myWallet } from "./helpers.ts";
import type { Peer, Session } from "./helpers.ts";

/**
 * Every door of the server has a limit with a clear error, and nothing is lost for anyone else.
 * Each attack from the security review is replayed here against a real server and real SDK clients.
 */

let app: RunningApp | null = null;
const peers: Peer[] = [];
/** The port of the server the running test started: each test starts its own, on a port never used before. */
let port = 0;

async function start(limits: Partial<Limits> = {}, context: Parameters<typeof startTestServer>[1] = {}): Promise<void> {
  port = await freePort();
  app = await startTestServer(port, context, limits);
}

afterEach(async () => {
  await leaveAll(peers.splice(0));
  await app?.close();
  app = null;
});

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("the matchmaker only opens a classroom by its code", () => {

  it("join, joinOrCreate and create are refused; a room can't exist without a claimed code; bodies are capped", async () => {
    await start();
    const session = await createSession(port);
    const client = new Client(`http://localhost:${port}`);
    await expect(client.join("classroom", { name: "Stranger" })).rejects.toThrow(/code/);
    await expect(client.joinOrCreate("classroom", { name: "Stranger" })).rejects.toThrow(/code/);
    await expect(client.create("classroom", { name: "Stranger" })).rejects.toThrow(/code/);
    for (const body of [{ code: session.code }, { code: "ZZZZZZ" }]) {
      const res = await post(`http://localhost:${port}/matchmake/create/classroom`, body);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: "Join a classroom with its code." });
    }
    // Even from inside the process, a room for an unclaimed code is refused.
    await expect(matchMaker.createRoom("classroom", { code: "ZZZZZZ" })).rejects.toThrow(/claimed join code/);
    expect(await matchMaker.query({ name: "classroom" })).toHaveLength(1);
    // A 10 MB body is refused from its Content-Length, before it is read.
    const big = await post(`http://localhost:${port}/matchmake/joinById/${session.code}`, { name: "x".repeat(10 * 1024 * 1024) });
    expect(big.status).toBe(413);
    const bigApi = await post(`http://localhost:${port}/api/sessions`, { pad: "x".repeat(64 * 1024) });
    expect(bigApi.status).toBe(413);
    // The real door still works.
    const student = await joinAsPlayer(port, session.code, "Real");
    peers.push(student);
    expect(myId(student)).toMatch(/^p\d+$/);
  });

  it("seat reservations that never connect are capped per address, so a script can't lock students out", async () => {
    await start({ trustProxy: true, pendingSeatsPerAddress: 5, pendingSeatsPerRoom: 50 });
    const session = await createSession(port);
    const attacker = { "x-forwarded-for": "203.0.113.66" };
    const answers = await Promise.all(Array.from({ length: 12 }, () => post(`http://localhost:${port}/matchmake/joinById/${session.code}`, { name: "Ghost" }, attacker)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s !== 200).length).toBe(7);
    // A student from another address joins at once.
    const client = new Client(`http://localhost:${port}`, { headers: { "x-forwarded-for": "198.51.100.7" } });
    const room = await client.joinById(session.code, { name: "Student" });
    expect(room.sessionId).toBeTruthy();
    await room.leave();
  });

  it("seat reservations that never connect are capped per room, whatever the addresses", async () => {
    await start({ trustProxy: true, pendingSeatsPerAddress: 5, pendingSeatsPerRoom: 8 });
    const session = await createSession(port);
    const from = (address: string) => post(`http://localhost:${port}/matchmake/joinById/${session.code}`, { name: "Ghost" }, { "x-forwarded-for": address });
    const statuses = (await Promise.all(["203.0.113.1", "203.0.113.2", "203.0.113.3"].flatMap((a) => Array.from({ length: 5 }, () => from(a))))).map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(8);
    expect(statuses.filter((s) => s !== 200)).toHaveLength(7);
  });

  it("projector screens are capped per session, with a clear refusal", async () => {
    await start({ projectorsPerSession: 2 });
    const session = await createSession(port);
    const screens = [await new Client(`http://localhost:${port}`).joinById(session.code, { projector: true }), await new Client(`http://localhost:${port}`).joinById(session.code, { projector: true })];
    await expect(new Client(`http://localhost:${port}`).joinById(session.code, { projector: true })).rejects.toThrow(/already has 2 projector screens open/);
    // Closing one makes room for another.
    await screens[0]!.leave();
    await waitFor("projector gone", () => (matchMaker.getLocalRoomById(session.code)?.clients.length ?? 0) === 1);
    screens[0] = await new Client(`http://localhost:${port}`).joinById(session.code, { projector: true });
    // A student still joins.
    peers.push(await joinAsPlayer(port, session.code, "Student"));
    await Promise.all(screens.map((r) => r.leave()));
  });
});

describe("sessions: how many, and they clean up after themselves", () => {

  it("POST /api/sessions is limited per address and by a server-wide cap", async () => {
    await start({ trustProxy: true, sessionsPerAddressPerHour: 3, maxLiveSessions: 5 });
    const from = (address: string) => post(`http://localhost:${port}/api/sessions`, {}, { "x-forwarded-for": address });
    expect((await Promise.all([1, 2, 3].map(() => from("203.0.113.1")))).map((r) => r.status)).toEqual([201, 201, 201]);
    const fourth = await from("203.0.113.1");
    expect(fourth.status).toBe(429);
    expect((await fourth.json()).error).toMatch(/at most 3 an hour/);
    expect((await from("203.0.113.2")).status).toBe(201);
    expect((await from("203.0.113.3")).status).toBe(201);
    const full = await from("203.0.113.4");
    expect(full.status).toBe(503);
    expect((await full.json()).error).toMatch(/as many games as it can/);
  });

  it("an empty session closes itself, frees its code, and its results stay downloadable", async () => {
    await start({ idleSessionMinutes: 0.02 }, { timeScale: 20 });
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    const kid = await joinAsPlayer(port, session.code, "Kid");
    host.room.send("host:addBots", { token: session.hostToken, count: 3 });
    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "l1", durationSec: 60 }] });
    host.room.send("host:start", { token: session.hostToken });
    await waitFor("round over", () => host.room.state.phase === "final", 30_000);
    await leaveAll([host, kid]);
    await waitFor("room gone", () => matchMaker.getLocalRoomById(session.code) === undefined, 20_000);
    const lookup = await fetch(`http://localhost:${port}/api/sessions/${session.code}`);
    expect(lookup.status).toBe(410);
    const results = await fetch(`http://localhost:${port}/api/sessions/${session.code}/results.json?token=${session.hostToken}`);
    expect(results.status).toBe(200);
    expect((await results.json()).rounds).toHaveLength(1);
  });

  it("a session never started closes itself and tells its clients why", async () => {
    await start({ idleSessionMinutes: 0.02, unstartedSessionMinutes: 0.05 });
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    const closed = new Promise<number>((resolve) => host.room.onLeave((code) => resolve(code)));
    // Connected but never started: closed after the "unstarted" time, with its own close code.
    expect(await closed).toBe(CLOSE_SESSION_EXPIRED);
  });

  it("a projector left open does not keep an abandoned session alive", async () => {
    await start({ idleSessionMinutes: 0.02 });
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    const screen = await new Client(`http://localhost:${port}`).joinById(session.code, { projector: true });
    const closed = new Promise<number>((resolve) => screen.onLeave((code) => resolve(code)));
    await host.room.leave();
    // Only the projector is left: after the idle time the session closes all the same.
    expect(await closed).toBe(CLOSE_SESSION_EXPIRED);
    expect(matchMaker.getLocalRoomById(session.code)).toBeUndefined();
  });
});

describe("seats and players", () => {

  it("hostConnected counts host consoles; look-alike nicknames are refused with a clear message", async () => {
    await start();
    const session = await createSession(port);
    const console1 = await joinAsHost(port, session);
    const console2 = await joinAsHost(port, session);
    const alice = await joinAsPlayer(port, session.code, "Alice");
    peers.push(console1, alice);
    await console2.room.leave();
    await new Promise((r) => setTimeout(r, 300));
    expect(console1.room.state.hostConnected).toBe(true);
    const cyrillic = "\u0410lice"; // Cyrillic А
    await expect(joinAsPlayer(port, session.code, cyrillic)).rejects.toThrow(/looks too much like "Alice"/);
    await expect(joinAsPlayer(port, session.code, "ALICE")).rejects.toThrow(/taken/);
  });

  it("a student back after the reconnection window takes their own seat back with their key; a stranger with the same nickname can't", async () => {
    await start({}, { reconnectSeconds: 1, timeScale: 1 });
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    peers.push(host);
    const leo = await joinAsPlayer(port, session.code, "Leo");
    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "optimistic", durationSec: 600 }] });
    host.room.send("host:addBots", { token: session.hostToken, count: 2 });
    host.room.send("host:start", { token: session.hostToken });
    const leoId = myId(leo);
    await waitFor("leo funded", () => (leo.views.you?.l2Balance ?? 0) > 0);
    leo.room.send("user:deposit", { amount: 1_000_000, seq: 1 });
    await waitFor("leo acted", () => leo.acks.some((a) => a.seq === 1));
    const scoreBefore = host.room.state.players.get(leoId)!.score;
    const roleBefore = [host.room.state.players.get(leoId)!.role, host.room.state.players.get(leoId)!.roundRole];
    const l1Before = myWallet(leo).l1Balance;
    leo.room.connection.close(4999, "battery died");
    await waitFor("leo offline", () => host.room.state.players.get(leoId)?.connected === false);
    await new Promise((r) => setTimeout(r, 2_500)); // past the 1 s reconnection window
    expect(host.room.state.players.has(leoId)).toBe(true); // he acted: his record stays

    // A stranger picks the same nickname: refused, key or no key.
    await expect(new Client(`http://localhost:${port}`).joinById(session.code, { name: "Leo" })).rejects.toThrow(/taken/);
    const strangerKey = { publicKey: "11".repeat(32), proof: signMessage("22".repeat(32), rejoinMessage(session.code, "Leo")) };
    await expect(new Client(`http://localhost:${port}`).joinById(session.code, { name: "Leo", ...strangerKey })).rejects.toThrow(/taken/);

    // Leo, with the key his browser kept, is back in his own seat: same id, money, score.
    const proof = signMessage(leo.key.secretKey, rejoinMessage(session.code, "Leo"));
    const back = await new Client(`http://localhost:${port}`).joinById(session.code, { name: "Leo", publicKey: leo.key.publicKey, proof });
    const backViews = new ViewMirror(back);
    backViews.requestWhole();
    await waitFor("his own private view", () => backViews.myId === leoId);
    expect(backViews.you!.l1Balance).toBeGreaterThanOrEqual(l1Before);
    expect(host.room.state.players.get(leoId)!.score).toBeGreaterThanOrEqual(scoreBefore);
    expect([host.room.state.players.get(leoId)!.role, host.room.state.players.get(leoId)!.roundRole]).toEqual(roleBefore);
    await waitFor("leo online", () => host.room.state.players.get(leoId)?.connected === true);
    // While he is here, even his key can't open a second seat.
    await expect(new Client(`http://localhost:${port}`).joinById(session.code, { name: "Leo", publicKey: leo.key.publicKey, proof })).rejects.toThrow(/another tab/);
    await back.leave();
  });

  it("join/leave churn mid-round leaves no records and gives the late-joiner slot back; late joiners and the accounts opened for them are capped per round", async () => {
    // 2 slots, so at most 4 × 2 = 8 accounts opened for late joiners this round.
    await start({ lateJoinersPerRound: 2 });
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    peers.push(host);
    host.room.send("host:addBots", { token: session.hostToken, count: 2 });
    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "optimistic", durationSec: 600 }] });
    host.room.send("host:start", { token: session.hostToken });
    await waitFor("running", () => host.room.state.phase === "running");
    const before = host.room.state.players.size;
    const join = (name: string) => new Client(`http://localhost:${port}`).joinById(session.code, { name });
    // Five passers join and leave without doing anything: no record stays, and each slot comes back.
    for (let i = 0; i < 5; i++) await (await join(`Passer ${i}`)).leave(true);
    await waitFor("records gone", () => host.room.state.players.size === before || null);
    const stayer1 = await join("Stayer 1");
    const stayer2 = await join("Stayer 2");
    await expect(join("Third")).rejects.toThrow(/late joiners/);
    // A stayer who leaves without acting frees a slot; its account (the 8th) still counts.
    await stayer2.leave(true);
    await waitFor("stayer 2 gone", () => host.room.state.players.size === before + 1 || null);
    await (await join("Fourth")).leave(true);
    await waitFor("fourth gone", () => host.room.state.players.size === before + 1 || null);
    await expect(join("Fifth")).rejects.toThrow(/late joiners/);
    await stayer1.leave(true);
  });
});

describe("messages and bots", () => {

  it("unknown message types count against the rate; a client that keeps flooding is disconnected; its neighbour keeps playing", async () => {
    await start({ floodKickDrops: 200 });
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    const flooder = await joinAsPlayer(port, session.code, "Flood");
    const calm = await joinAsPlayer(port, session.code, "Calm");
    peers.push(host, calm);
    const closed = new Promise<number>((resolve) => flooder.room.onLeave((code) => resolve(code)));
    for (let i = 0; i < 400; i++) flooder.room.send(`junk:${i % 7}`, { i });
    expect(await closed).toBe(CLOSE_FLOODING);
    const unknownAnswers = flooder.errors.filter((e) => e.code === "unknown_message").length;
    expect(unknownAnswers).toBeLessThanOrEqual(16); // the burst, then silence
    expect(flooder.errors.filter((e) => e.code === "rate_limited").length).toBeGreaterThanOrEqual(1);
    calm.room.send("player:key", { publicKey: calm.key.publicKey, seq: 7 });
    await waitFor("calm served", () => calm.acks.some((a) => a.seq === 7));
  });

  it("bots are capped per session and per process, with a clear error", async () => {
    await start({ botsPerSession: 10, botsPerProcess: 15 });
    const a = await createSession(port);
    const b = await createSession(port);
    const hostA = await joinAsHost(port, a);
    const hostB = await joinAsHost(port, b);
    peers.push(hostA, hostB);
    hostA.room.send("host:addBots", { token: a.hostToken, count: 11, seq: 1 });
    const tooMany = await waitFor("refused", () => hostA.errors.find((e) => e.seq === 1));
    expect(tooMany.message).toMatch(/at most 10 bots/);
    hostA.room.send("host:addBots", { token: a.hostToken, count: 10, seq: 2 });
    await waitFor("added", () => hostA.acks.some((x) => x.seq === 2));
    hostB.room.send("host:addBots", { token: b.hostToken, count: 10, seq: 3 });
    const processFull = await waitFor("refused", () => hostB.errors.find((e) => e.seq === 3));
    expect(processFull.message).toMatch(/as many bots as it can \(15\); add at most 5/);
  });

  it("batch data is answered a few times per batch and client, then refused with a reason", async () => {
    await start({ batchDataPerBatch: 2, batchDataPerMinute: 5 }, { timeScale: 10 });
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    const challenger = await joinAsPlayer(port, session.code, "Cha");
    peers.push(host, challenger);
    host.room.send("host:addBots", { token: session.hostToken, count: 4 });
    host.room.send("host:assign", { token: session.hostToken, playerId: myId(challenger), role: "challenger" });
    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "optimistic", durationSec: 600, params: { challengeWindowSec: 600 } }] });
    host.room.send("host:start", { token: session.hostToken });
    await waitFor("a batch posted", () => host.room.state.world.batches.some((b: { status: string }) => b.status === "posted"), 30_000);
    const batchData = () => challenger.messages.filter((m) => m.type === "batch:data").length;
    const refusals = () => challenger.errors.filter((e) => e.type === "batch:data");
    for (let i = 0; i < 3; i++) challenger.room.send("batch:data", { batchId: 0 });
    await waitFor("three answers", () => batchData() + refusals().length >= 3);
    expect(batchData()).toBe(2);
    expect(refusals()[0]!.message).toMatch(/already downloaded batch 0 2 times/);
    for (let i = 1; i < 6; i++) challenger.room.send("batch:data", { batchId: i });
    await waitFor("answers", () => batchData() + refusals().length >= 8);
    expect(refusals().some((e) => /At most 5 batch downloads a minute/.test(e.message))).toBe(true);
  });
});

describe("HTTP answers", () => {
  let session: Session;
  beforeAll(async () => {
    await start();
    session = await createSession(port);
  });
  afterAll(async () => {
    await app?.close();
    app = null;
  });

  it("errors are short JSON with no stack or server paths, and no X-Powered-By", async () => {
    const malformed = await fetch(`http://localhost:${port}/api/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(malformed.status).toBe(400);
    const text = await malformed.text();
    expect(JSON.parse(text)).toEqual({ error: "Malformed request." });
    expect(text).not.toMatch(/node_modules|\/work\/|at /);
    expect(malformed.headers.get("x-powered-by")).toBeNull();
    const lookup = await fetch(`http://localhost:${port}/api/sessions/${session.code}`);
    expect(lookup.headers.get("x-powered-by")).toBeNull();
    // A chunked body has no length to refuse it by: express's own 413 is short JSON too.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 16; i++) controller.enqueue(new TextEncoder().encode(i === 0 ? `{"pad":"${"x".repeat(4_000)}` : "x".repeat(4_000)));
        controller.enqueue(new TextEncoder().encode('"}'));
        controller.close();
      },
    });
    const chunked = await fetch(`http://localhost:${port}/api/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: chunks, duplex: "half" } as RequestInit);
    expect(chunked.status).toBe(413);
    const chunkedText = await chunked.text();
    expect(JSON.parse(chunkedText)).toEqual({ error: "Request body too large." });
    expect(chunkedText).not.toMatch(/node_modules|\/work\/|at /);
    expect(chunked.headers.get("x-powered-by")).toBeNull();
  });
});
