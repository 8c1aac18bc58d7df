import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Room } from "@colyseus/sdk";
import type { RunningApp } from "../../server/app.ts";
import { SnapshotBuilder } from "../../client/src/net/snapshot-builder.ts";
import { normalise } from "../../client/src/net/snapshot.ts";
import { createSession, joinAsHost, joinAsPlayer, leaveAll, startTestServer, testClient, testPort, waitFor } from "../integration/helpers.ts";
import type { Peer, Session } from "../integration/helpers.ts";

const port = testPort(6400);
let app: RunningApp;

beforeAll(async () => {
  app = await startTestServer(port, { timeScale: 4 });
});
afterAll(async () => {
  await app.close();
});

/** The snapshot the browser used to make on every patch: the whole state copied. */
const whole = (room: Room) => normalise(room.state.toJSON());

describe("the browser's snapshot copies only the players a patch changed", () => {
  let session: Session;
  let host: Peer;
  let projector: Room;
  let builder: SnapshotBuilder;
  const students: Peer[] = [];

  it("equals the whole state's copy as players join, play, score and leave", async () => {
    session = await createSession(port);
    host = await joinAsHost(port, session);
    students.push(await joinAsPlayer(port, session.code, "Ada"));
    projector = await testClient(port).joinById(session.code, { projector: true });
    await waitFor("the projector's state", () => projector.state?.players?.size === 1);
    builder = new SnapshotBuilder(projector);
    expect(builder.build()).toEqual(whole(projector));

    students.push(await joinAsPlayer(port, session.code, "Ben"), await joinAsPlayer(port, session.code, "Cy"));
    host.room.send("host:addBots", { token: session.hostToken, count: 6, difficulty: "normal" });
    await waitFor("3 students and 6 bots", () => projector.state.players.size === 9);
    expect(builder.build()).toEqual(whole(projector));

    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "optimistic", durationSec: 60 }] });
    host.room.send("host:start", { token: session.hostToken });
    // Bots deposit and pay as soon as the round starts: their scores move, patch after patch.
    const scores = () => [...projector.state.players.values()].map((p) => p.score).join();
    const before = scores();
    await waitFor("a score changed", () => projector.state.phase === "running" && scores() !== before, 30_000);
    expect(builder.build()).toEqual(whole(projector));

    await students.pop()!.room.leave();
    await waitFor("Cy gone", () => projector.state.players.size === 8 || [...projector.state.players.values()].some((p) => p.name === "Cy" && !p.connected));
    expect(builder.build()).toEqual(whole(projector));
  });

  it("keeps the players object while no player changed, and makes a new one when one did", async () => {
    const first = builder.build().players;
    expect(builder.build().players).toBe(first);
    host.room.send("host:pause", { token: session.hostToken });
    await waitFor("paused", () => projector.state.phase === "paused");
    // A pause changes the round, not the players: the players part is the same object.
    const paused = builder.build();
    expect(paused.phase).toBe("paused");
    expect(paused.players).toEqual(whole(projector).players);
    const kept = paused.players;
    host.room.send("host:kick", { token: session.hostToken, playerId: [...projector.state.players.values()].find((p) => p.name === "Ben")!.id });
    await waitFor("Ben kicked", () => ![...projector.state.players.values()].some((p) => p.name === "Ben"));
    // A kicked seat is closed by the server: nothing to leave.
    students.splice(1, 1);
    const after = builder.build();
    expect(after.players).not.toBe(kept);
    expect(after).toEqual(whole(projector));
    expect(Object.values(after.players).map((p) => p.name)).not.toContain("Ben");
  });

  it("copies everyone again after invalidate (a reconnection's state arrives whole)", () => {
    const before = builder.build().players;
    builder.invalidate();
    const again = builder.build();
    expect(again.players).not.toBe(before);
    expect(again).toEqual(whole(projector));
  });

  afterAll(async () => {
    await projector?.leave().catch(() => undefined);
    await leaveAll([host, ...students]);
  });
});
