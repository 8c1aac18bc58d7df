import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { keyPairFromSeed } from "../../shared/crypto/sign.ts";
import { CHANNEL_POINTS } from "../../shared/engine/channels/round.ts";
import { runHeadlessBot } from "../../server/headless-bot.ts";
import type { RunningApp } from "../../server/app.ts";
import { createSession, debriefOf, freePort, joinAsHost, startTestServer, testClient, waitFor } from "./helpers.ts";
import type { Peer, Session } from "./helpers.ts";

/**
 * A student's watchtower has a job every channels round: the bots hire it, a guarded bot's node
 * goes offline, and its partner — even a "normal" bot — tries an old state then, once. The
 * student (here a headless player seated as a student, answering from its own view) catches it.
 */
describe("a student watchtower has a cheat to catch", () => {
  let app: RunningApp;
  let port: number;
  let session: Session;
  let host: Peer;
  let stop = () => undefined as void;

  beforeAll(async () => {
    port = await freePort();
    app = await startTestServer(port, { timeScale: 5, tickMs: 50, botTurnMs: 200 });
    session = await createSession(port);
    host = await joinAsHost(port, session);
  });

  afterAll(async () => {
    stop();
    await host?.room.leave().catch(() => undefined);
    await app?.close();
  });

  it("normal bots, one student tower: the tower answers a cheat and earns the penalty", async () => {
    const send = (type: string, body: Record<string, unknown> = {}) => host.room.send(type, { token: session.hostToken, ...body });
    const room = await testClient(port).joinById(session.code, { name: "Tess" });
    const key = keyPairFromSeed(randomBytes(32));
    room.send("player:key", { publicKey: key.publicKey });
    const tess = runHeadlessBot(room, key, "tower", 400);
    stop = () => {
      tess.stop();
      void room.leave().catch(() => undefined);
    };
    send("host:addBots", { count: 8, role: "user", difficulty: "normal" });
    await waitFor("Tess and 8 bots", () => host.room.state.players.size === 9);
    const tessId = [...host.room.state.players.values()].find((p: { name: string }) => p.name === "Tess")!.id as string;
    send("host:assign", { playerId: tessId, role: "watchtower" });
    send("host:plan", { rounds: [{ scenario: "channels", durationSec: 240, params: { disputeWindowSec: 30 } }] });
    await waitFor("Tess is the watchtower", () => host.room.state.players.get(tessId)?.role === "watchtower");
    send("host:start");
    await waitFor("the round running", () => host.room.state.phase === "running");
    // The round ends by itself, or as soon as the tower has earned a penalty.
    await waitFor("a penalty won by the student's tower, or the end of the round", () =>
      host.room.state.phase !== "running" || (host.room.state.players.get(tessId)?.score ?? 0) >= CHANNEL_POINTS.penaltyWon, 120_000);
    if (host.room.state.phase === "running") send("host:endRound");
    await waitFor("the debrief", () => host.room.state.phase === "final");
    const d = debriefOf(host);
    expect(d.channels!.penalties).toBeGreaterThanOrEqual(1);
    expect(d.scores[tessId]).toBeGreaterThanOrEqual(CHANNEL_POINTS.penaltyWon);
  });
});
