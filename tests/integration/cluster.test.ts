import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eth } from "../../shared/engine/units.ts";
import { redisAvailable, redisServerBinary } from "../services.ts";
import { createSession, freePort, joinAsHost, joinAsPlayer, leaveAll, myId, waitFor } from "./helpers.ts";
import type { Peer, Session } from "./helpers.ts";
import { killServer, spawnServer } from "./server-process.ts";
import type { ServerProcess } from "./server-process.ts";

/**
 * Scale-out on Redis: a real redis-server on a free port and three real server processes sharing
 * it and one SQLite store, each reachable at its own public address. Any process answers for any
 * session; students who reach different processes play in the same room; one process dying leaves
 * the others' classrooms playing, and it restores its own when it comes back.
 */

interface Node {
  name: string;
  port: number;
  server: ServerProcess;
}

const runs = redisAvailable();
/** The shared store: the SQLite file in the data folder, or PostgreSQL when a wrapper suite sets this (cluster-postgres.test.ts). */
const DATABASE_URL = process.env.CLUSTER_DATABASE_URL;

describe.runIf(runs)("three processes on Redis", () => {
  let redis: ChildProcess;
  let redisPort: number;
  let dataDir: string;
  const nodes: Node[] = [];
  const peers: Peer[] = [];

  async function startNode(name: string, port: number): Promise<Node> {
    const server = await spawnServer(port, dataDir, { REDIS_URL: `redis://127.0.0.1:${redisPort}`, PUBLIC_ADDRESS: `localhost:${port}`, PROCESS_NAME: name, ...(DATABASE_URL ? { DATABASE_URL } : {}) });
    const node = { name, port, server };
    const existing = nodes.findIndex((n) => n.name === name);
    if (existing >= 0) nodes[existing] = node;
    else nodes.push(node);
    return node;
  }

  beforeAll(async () => {
    redisPort = await freePort();
    redis = spawn(redisServerBinary()!, ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    dataDir = mkdtempSync(join(tmpdir(), "l2arena-cluster-"));
    for (const name of ["a", "b", "c"]) await startNode(name, await freePort());
  }, 120_000);

  afterAll(async () => {
    await Promise.race([leaveAll(peers.splice(0)), new Promise((resolve) => setTimeout(resolve, 3_000))]);
    for (const node of nodes) await killServer(node.server);
    redis?.kill("SIGKILL");
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const url = (node: Node, path: string) => `http://localhost:${node.port}${path}`;
  const a = () => nodes[0]!;
  const b = () => nodes[1]!;
  const c = () => nodes[2]!;

  it("a session created through A is found, joined and hosted through B and C; students on every process play in one room; results and replay from any process", async () => {
    const session = await createSession(a().port);
    for (const node of [b(), c()]) {
      const found = await (await fetch(url(node, `/api/sessions/${session.code}`))).json();
      expect(found).toMatchObject({ roomId: session.code, phase: "lobby" });
    }
    // The host console opened on C, students on A, B and C.
    const host = await joinAsHost(c().port, session);
    const students = await Promise.all([a(), b(), c()].map((node, i) => joinAsPlayer(node.port, session.code, `Kid ${i}`)));
    peers.push(host, ...students);
    await waitFor("three students in the room", () => host.room.state.players.size === 3);
    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "l1", durationSec: 30 }] });
    host.room.send("host:start", { token: session.hostToken, seq: 1 });
    await waitFor("round running", () => host.room.state.phase === "running");
    const [k0, k1, k2] = students as [Peer, Peer, Peer];
    k1.room.send("l1:send", { to: myId(k2), amount: eth(0.01), seq: 5 });
    await waitFor("payment acked", () => k1.acks.some((x) => x.seq === 5));
    expect(k0.room.state.players.size).toBe(3);
    host.room.send("host:endRound", { token: session.hostToken });
    await waitFor("final", () => host.room.state.phase === "final");
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const node of [a(), b(), c()]) {
      const results = await fetch(url(node, `/api/sessions/${session.code}/results.json?token=${session.hostToken}`));
      expect(results.status).toBe(200);
      expect((await results.json()).rounds).toHaveLength(1);
      const replay = await (await fetch(url(node, `/api/sessions/${session.code}/rounds/0/replay?token=${session.hostToken}`))).json();
      expect(replay.matches).toBe(true);
      expect((await fetch(url(node, `/api/sessions/${session.code}/results.csv?token=wrong-token-here`))).status).toBe(403);
    }
    await leaveAll([host, ...students]);
  });

  it("30 classrooms spread over the processes have unique codes, each found from every process", async () => {
    const sessions: Session[] = [];
    for (let i = 0; i < 30; i++) sessions.push(await createSession(nodes[i % 3]!.port));
    expect(new Set(sessions.map((s) => s.code)).size).toBe(30);
    for (const [i, session] of sessions.entries()) {
      const status = (await fetch(url(nodes[(i + 1) % 3]!, `/api/sessions/${session.code}`))).status;
      expect(status, session.code).toBe(200);
    }
    const health = await Promise.all(nodes.map(async (node) => (await fetch(url(node, "/healthz"))).json()));
    for (const h of health) expect(h).toMatchObject({ ok: true, redis: "ready", store: { kind: DATABASE_URL ? "postgres" : "sqlite", ok: true }, acceptingSessions: true });
    expect(new Set(health.map((h) => h.processId)).size).toBe(3);
    expect(health.reduce((sum, h) => sum + h.rooms, 0)).toBeGreaterThanOrEqual(30);
    // Each room runs on the process that created it: every process holds its share.
    for (const h of health) expect(h.rooms).toBeGreaterThanOrEqual(10);
    expect(health.map((h) => h.processName).sort()).toEqual(["a", "b", "c"]);
    for (const h of health) expect(h.eventLoopDelayMs).toEqual({ p50: expect.any(Number), p99: expect.any(Number), max: expect.any(Number) });
  });

  it("killing one process leaves the others' classrooms playing; restarted, it restores its own", async () => {
    const onA = await createSession(a().port);
    const onB = await createSession(b().port);
    const hostA = await joinAsHost(a().port, onA);
    const kidA = await joinAsPlayer(c().port, onA.code, "Stays");
    const hostB = await joinAsHost(b().port, onB);
    hostB.room.reconnection.minUptime = 0;
    peers.push(hostA, kidA, hostB);
    hostA.room.send("host:plan", { token: onA.hostToken, rounds: [{ scenario: "l1", durationSec: 120 }] });
    hostA.room.send("host:addBots", { token: onA.hostToken, count: 2 });
    hostA.room.send("host:start", { token: onA.hostToken });
    await waitFor("A's round running", () => hostA.room.state.phase === "running");

    await killServer(b().server);
    // A's classroom plays on while B is gone.
    const someone = [...hostA.room.state.players.keys()].find((id) => id !== myId(kidA))!;
    kidA.room.send("l1:send", { to: someone, amount: eth(0.01), seq: 9 });
    await waitFor("A still acks", () => kidA.acks.some((x) => x.seq === 9));

    const restarted = await startNode("b", b().port);
    expect(restarted.server.output.join("")).toMatch(/Restored \d+ session/);
    // As long as the SDK keeps trying (15 tries over about a minute): a loaded machine restores slowly.
    await waitFor("B's host back by itself", () => hostB.room.connection.isOpen && hostB.room.state.hostConnected === true, 60_000);
    expect((await fetch(url(c(), `/api/sessions/${onB.code}`))).status).toBe(200);
  });

  it("a process that loses Redis says so and refuses new sessions", async () => {
    redis.kill("SIGKILL");
    await waitFor("redis down", () => !redis.exitCode && redis.signalCode !== null);
    const health = await (async () => {
      for (let i = 0; i < 100; i++) {
        const res = await fetch(url(a(), "/healthz"));
        if (res.status === 503) return res.json();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error("healthz never reported Redis down");
    })();
    expect(health).toMatchObject({ ok: false, redis: "down", acceptingSessions: false });
    const create = await fetch(url(a(), "/api/sessions"), { method: "POST" });
    expect(create.status).toBe(503);
    expect((await create.json()).error).toMatch(/Redis/);
  });
});
