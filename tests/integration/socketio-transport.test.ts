import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloseCode, Protocol } from "@colyseus/sdk";
import type { Room } from "@colyseus/sdk";
import { io } from "socket.io-client";
import type { RunningApp } from "../../server/app.ts";
import { SocketIoTransport } from "../../server/transport/socketio-transport.ts";
import type { NodeTransport } from "../../server/transport/sdk-client.ts";
import { CLOSE_FLOODING, CLOSE_KICKED, CLOSE_SESSION_ENDED } from "../../shared/protocol/messages.ts";
import { SOCKETIO_EVENTS, SOCKETIO_PATH, TRANSPORTS } from "../../shared/protocol/transport.ts";
import { createSession, joinAsHost, joinAsPlayer, leaveAll, myId, snapshot, startTestServer, testClient, testPort, waitFor, myWallet } from "./helpers.ts";
import type { Peer } from "./helpers.ts";
import { startTestProxy } from "./polling-proxy.ts";

const port = testPort(6100);
let app: RunningApp;

beforeAll(async () => {
  app = await startTestServer(port, { tickMs: 50, botTurnMs: 200, reconnectSeconds: 30 });
});
afterAll(async () => {
  await app.close();
});

/** Resolves with the close code the room left with. */
function leaveCode(room: Room): Promise<number> {
  return new Promise((resolve) => room.onLeave((code) => resolve(code)));
}

describe("the same room rules over socket.io long-polling as over WebSocket", () => {
  it("bad input gets the same clear error events on both transports, and changes nothing", async () => {
    const session = await createSession(port);
    const host = await joinAsHost(port, session, "websocket");
    const peers: Record<NodeTransport, Peer> = {
      websocket: await joinAsPlayer(port, session.code, "Wes", "websocket"),
      polling: await joinAsPlayer(port, session.code, "Polly", "polling"),
      socketio: await joinAsPlayer(port, session.code, "Sid", "socketio"),
    };
    await waitFor("keys registered", () => Object.values(peers).every((p) => p.acks.some((a) => a.type === "player:key")));
    await waitFor("Sid's socket.io upgraded itself", () => host.room.state.players.get(myId(peers.socketio))?.transport === TRANSPORTS.socketIoWebSocket);
    const before = snapshot(host);
    for (const peer of Object.values(peers)) {
      peer.room.send("user:deposit", { amount: "lots", seq: 1 });
      peer.room.send("host:start", { token: "not-the-host-token", seq: 2 });
      peer.room.send("host:lock", { token: "x", locked: true, seq: 3 });
      peer.room.send("user:deposit", { amount: 1, seq: 4 });
      peer.room.send("user:l2", { tx: { kind: "transfer", to: "__proto__", amount: 1, fee: 1, nonce: 0, sig: "00" }, seq: 5 });
      peer.room.send("no:such-message", { seq: 6 });
    }
    await waitFor("six answers each", () => Object.values(peers).every((p) => p.errors.length >= 6));
    const reference = peers.websocket.errors;
    expect(reference.map((e) => e.code)).toEqual(["invalid_payload", "not_host", "invalid_payload", "wrong_role", "invalid_payload", "unknown_message"]);
    expect(reference[0]!.message).toMatch(/^Invalid user:deposit: amount/);
    expect(peers.polling.errors).toEqual(reference);
    expect(peers.socketio.errors).toEqual(reference);
    expect(snapshot(host)).toEqual(before);
    await leaveAll([...Object.values(peers), host]);
  });

  it("flooding over polling is told to slow down once, keeps the seat, and a flood that goes on is disconnected with the flood code", async () => {
    const session = await createSession(port);
    const host = await joinAsHost(port, session, "websocket");
    const flooder = await joinAsPlayer(port, session.code, "Flood", "polling");
    await waitFor("key registered", () => flooder.acks.some((a) => a.type === "player:key"));
    for (let i = 0; i < 100; i++) flooder.room.send("user:deposit", { amount: 1, seq: 1_000 + i });
    await waitFor("told to slow down", () => flooder.errors.some((e) => e.code === "rate_limited"));
    // As on WebSocket (classroom.test.ts): what is left of the burst of 16 (the key took one) is
    // answered, the rest dropped, the client told once.
    await new Promise((r) => setTimeout(r, 300));
    const answered = [...flooder.errors, ...flooder.acks].filter((a) => a.seq !== undefined && a.seq >= 1_000).length;
    expect(answered).toBeGreaterThanOrEqual(15);
    expect(answered).toBeLessThanOrEqual(16);
    expect(flooder.errors.filter((e) => e.code === "rate_limited")).toHaveLength(1);
    expect(flooder.room.connection.isOpen).toBe(true);

    const closed = leaveCode(flooder.room);
    for (let i = 0; i < 600; i++) flooder.room.send("user:deposit", { amount: 1 });
    expect(await closed).toBe(CLOSE_FLOODING);
    await host.room.leave();
  });

  it("a kick, a consented leave and the end of the session arrive over polling with their close codes", async () => {
    const session = await createSession(port);
    const host = await joinAsHost(port, session, "polling");
    const kicked = await joinAsPlayer(port, session.code, "Kim", "polling");
    const leaver = await joinAsPlayer(port, session.code, "Lou", "polling");
    const stayers = [await joinAsPlayer(port, session.code, "Sam", "polling"), await joinAsPlayer(port, session.code, "Wyn", "websocket")];
    const kimId = await waitFor("Kim's id", () => myId(kicked));
    const louId = await waitFor("Lou's id", () => myId(leaver));

    const kickCode = leaveCode(kicked.room);
    host.room.send("host:kick", { token: session.hostToken, playerId: kimId });
    expect(await kickCode).toBe(CLOSE_KICKED);
    expect(kicked.messages.find((m) => m.type === "kicked")?.payload).toEqual({ message: "The host removed you from this game." });
    await waitFor("Kim removed", () => !host.room.state.players.has(kimId));

    expect(await leaver.room.leave()).toBe(CloseCode.CONSENTED);
    await waitFor("Lou's lobby seat freed", () => !host.room.state.players.has(louId));

    const endCodes = stayers.map((s) => leaveCode(s.room));
    const hostCode = leaveCode(host.room);
    host.room.send("host:endSession", { token: session.hostToken });
    expect(await Promise.all(endCodes)).toEqual([CLOSE_SESSION_ENDED, CLOSE_SESSION_ENDED]);
    expect(await hostCode).toBe(CLOSE_SESSION_ENDED);
    for (const s of stayers) expect(s.messages.some((m) => m.type === "notice" && (m.payload as { message: string }).message.includes("ended"))).toBe(true);
  });
});

describe("dropped polling clients and proxies", () => {
  it("a polling client whose network drops reconnects into its seat by itself: same identity, role, balances and score", async () => {
    const proxy = await startTestProxy({ target: port });
    const session = await createSession(port);
    const host = await joinAsHost(port, session, "websocket");
    const amy = await joinAsPlayer(proxy.origin, session.code, "Amy", "polling");
    amy.room.reconnection.minUptime = 0;
    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "optimistic", durationSec: 300 }] });
    host.room.send("host:start", { token: session.hostToken });
    const amyId = await waitFor("Amy's deposit", () => (amy.views.you?.l2Balance ?? 0) > 0 && myId(amy));
    // Her private view and the shared state (her score) travel separately: let both settle.
    await waitFor("Amy's deposit scored", () => (amy.room.state.players.get(amyId)?.score ?? 0) > 0);
    const before = { ...snapshot(amy).players[amyId], wallet: myWallet(amy) };
    const sessionId = amy.room.sessionId;
    const dropped = new Promise<number>((resolve) => amy.room.onDrop((code) => resolve(code)));
    const reconnected = new Promise<void>((resolve) => amy.room.onReconnect(() => resolve()));

    const lingering = proxy.cut();
    expect(await dropped).toBe(CloseCode.ABNORMAL_CLOSURE);
    await reconnected;
    expect(amy.room.sessionId).toBe(sessionId);
    // The server learns that the old connection is gone only later, from its heartbeat; closing it
    // then must not drop the connection that has already taken the seat back.
    await waitFor("the server closed the old connection", () => lingering() === 0, 30_000);
    await waitFor("Amy online again, still on polling", () => host.room.state.players.get(amyId)?.connected === true && host.room.state.players.get(amyId)?.transport === TRANSPORTS.polling);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = { ...snapshot(amy).players[amyId], wallet: myWallet(amy) };
    expect({ id: after.id, name: after.name, role: after.role, l1: after.wallet.l1Balance, l2: after.wallet.l2Balance, score: after.score })
      .toEqual({ id: before.id, name: "Amy", role: before.role, l1: before.wallet.l1Balance, l2: before.wallet.l2Balance, score: before.score });
    amy.room.send("user:deposit", { amount: 1_000_000, seq: 77 });
    await waitFor("a message after the reconnection is answered", () => [...amy.acks, ...amy.errors].some((a) => a.seq === 77));
    await leaveAll([amy, host]);
    await proxy.close();
  });

  it("a reloaded page takes its seat back while the old polling connection lingers; when the old one finally closes, the new one stays", async () => {
    const proxy = await startTestProxy({ target: port });
    const session = await createSession(port);
    const host = await joinAsHost(port, session, "websocket");
    const old = await joinAsPlayer(proxy.origin, session.code, "Rey", "polling");
    const reyId = await waitFor("Rey's id", () => myId(old));
    const [oldSid] = [...proxy.sids];
    const token = old.room.reconnectionToken;
    // The phone's Wi-Fi goes: the server still holds the old connection, until its heartbeat says otherwise.
    proxy.cut();
    // The reloaded page takes the seat back at once with its stored token, as the browser client does.
    const back = await testClient(port, "polling").reconnect(token);
    const acks: number[] = [];
    back.onMessage("ack", (a: { seq?: number }) => acks.push(a.seq ?? -1));
    back.onMessage("*", () => undefined);
    await waitFor("Rey back online", () => host.room.state.players.get(reyId)?.connected === true);
    // The old connection ends now, as its heartbeat would in a few seconds (a client must not ping in
    // engine.io 4: the server closes the session at once).
    const probe = `http://localhost:${port}${SOCKETIO_PATH}/?EIO=4&transport=polling&sid=${oldSid}`;
    // The old session may have closed already (the server's close frame found a poll request still
    // open on its side); otherwise this ends it now. Either way it is gone before the check below.
    if ((await fetch(probe, { method: "POST", body: "2" })).status === 200) expect((await fetch(probe, { method: "POST", body: "6" })).status).toBe(400);
    expect((await fetch(probe, { method: "POST", body: "6" })).status).toBe(400);
    back.send("player:key", { publicKey: old.key.publicKey, seq: 5 });
    await waitFor("the new connection is still served", () => acks.includes(5));
    expect(host.room.state.players.get(reyId)?.connected).toBe(true);
    expect(back.connection.isOpen).toBe(true);
    await Promise.all([back.leave(), host.room.leave()]);
    await proxy.close();
  });

  it("behind a proxy that refuses WebSocket, socket.io stays on long-polling; without one it upgrades, and the host sees both", async () => {
    const blocking = await startTestProxy({ target: port, blockWebSocket: true });
    const session = await createSession(port);
    const host = await joinAsHost(port, session, "websocket");
    const school = await joinAsPlayer(blocking.origin, session.code, "School", "socketio");
    const home = await joinAsPlayer(port, session.code, "Home", "socketio");
    // A WebSocket client cannot get through the school's proxy at all.
    await expect(joinAsPlayer(blocking.origin, session.code, "Blocked", "websocket")).rejects.toThrow();
    await waitFor("Home upgraded to WebSocket", () => host.room.state.players.get(myId(home))?.transport === TRANSPORTS.socketIoWebSocket);
    // socket.io tried its own upgrade through the school's proxy, and was refused too.
    await waitFor("socket.io's upgrade attempt refused", () => blocking.refusedUpgrades.some((path) => path.startsWith(`${SOCKETIO_PATH}/`)));
    expect(host.room.state.players.get(myId(school))?.transport).toBe(TRANSPORTS.polling);
    for (const peer of [school, home]) {
      peer.room.send("user:deposit", { amount: 1, seq: 9 });
      await waitFor("answered", () => peer.errors.some((e) => e.seq === 9));
    }
    expect(school.errors.find((e) => e.seq === 9)).toEqual(home.errors.find((e) => e.seq === 9));
    await leaveAll([school, home, host]);
    await blocking.close();
  });

  it("behind a path-prefix proxy (one entry, a prefix per process, as in Redis scale-out) socket.io follows the prefix", async () => {
    const entry = await startTestProxy({ target: port, stripPrefix: "/p42" });
    const session = await createSession(port);
    const host = await joinAsHost(port, session, "websocket");
    const far = await joinAsPlayer(`${entry.origin}/p42`, session.code, "Far", "polling");
    await waitFor("Far on polling", () => host.room.state.players.get(myId(far))?.transport === TRANSPORTS.polling);
    await leaveAll([far, host]);
    await entry.close();
  });
});

describe("the socket.io door's limits", () => {
  /** Connects a bare socket.io client and collects the Colyseus frames and close code it gets. */
  async function bareSession(auth: unknown): Promise<{ frames: Uint8Array[]; close: number }> {
    const socket = io(`http://localhost:${port}`, { path: SOCKETIO_PATH, auth: auth as Record<string, unknown>, transports: ["polling"], reconnection: false, forceNew: true });
    const frames: Uint8Array[] = [];
    // Over long-polling a frame comes as base64 text (see SOCKETIO_EVENTS).
    socket.on(SOCKETIO_EVENTS.frame, (data: string | Uint8Array) => frames.push(typeof data === "string" ? Buffer.from(data, "base64") : new Uint8Array(data)));
    const close = await new Promise<number>((resolve) => socket.on(SOCKETIO_EVENTS.close, (code: number) => resolve(code)));
    await new Promise<void>((resolve) => (socket.disconnected ? resolve() : socket.on("disconnect", () => resolve())));
    return { frames, close };
  }

  it("a handshake that names no reserved seat, or no seat at all, gets Colyseus's error and close code, as on WebSocket", async () => {
    const expired = await bareSession({ roomId: "NOROOM", sessionId: "nobody" });
    expect(expired.close).toBe(CloseCode.WITH_ERROR);
    expect(expired.frames[0]?.[0]).toBe(Protocol.ERROR);
    expect(Buffer.from(expired.frames[0]!).toString("utf8")).toContain("seat reservation expired");

    const malformed = await bareSession({ roomId: "../../etc", sessionId: 42, extra: true });
    expect(malformed.close).toBe(CloseCode.WITH_ERROR);
    expect(Buffer.from(malformed.frames[0]!).toString("utf8")).toContain("must name a room and a reserved seat");
  });

  it("a long-polling body over 4 KB is refused with 413 before it is read", async () => {
    const handshake = await (await fetch(`http://localhost:${port}${SOCKETIO_PATH}/?EIO=4&transport=polling`)).text();
    const sid = (JSON.parse(handshake.slice(1)) as { sid: string; maxPayload: number }).sid;
    expect(JSON.parse(handshake.slice(1)).maxPayload).toBe(4 * 1024);
    const res = await fetch(`http://localhost:${port}${SOCKETIO_PATH}/?EIO=4&transport=polling&sid=${sid}`, { method: "POST", body: "4".repeat(64 * 1024), headers: { "content-type": "text/plain;charset=UTF-8" } });
    expect(res.status).toBe(413);
  });

  it("handshakes over the session cap are refused", async () => {
    const transport = new SocketIoTransport({ maxSessions: 2 });
    const standalone = port + 3;
    await new Promise<void>((resolve) => transport.listen(standalone, "127.0.0.1", undefined, resolve));
    try {
      const open = async () => (await fetch(`http://127.0.0.1:${standalone}${SOCKETIO_PATH}/?EIO=4&transport=polling`)).status;
      expect([await open(), await open()]).toEqual([200, 200]);
      expect(await open()).toBe(403);
    } finally {
      transport.shutdown();
    }
  });
});
