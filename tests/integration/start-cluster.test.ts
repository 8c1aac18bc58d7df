import { afterAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { redisAvailable } from "../services.ts";
import { freePort, joinAsHost, joinAsPlayer, leaveAll, waitFor } from "./helpers.ts";
import type { Peer, Session } from "./helpers.ts";

/**
 * `npm run start:cluster` (server/cluster.ts): N processes on consecutive ports with their own
 * public addresses, on a redis-server it starts itself; a session created on one is joined through
 * the other; Ctrl-C (SIGTERM) stops every process and its Redis.
 */
describe.runIf(redisAvailable())("npm run start:cluster", () => {
  let cluster: ChildProcess | null = null;
  const dataDir = mkdtempSync(join(tmpdir(), "l2arena-start-cluster-"));
  const peers: Peer[] = [];
  const output: string[] = [];

  afterAll(async () => {
    await Promise.race([leaveAll(peers), new Promise((resolve) => setTimeout(resolve, 3_000))]);
    if (cluster && cluster.exitCode === null) cluster.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts two processes and its own Redis; a session on one is joined through the other; SIGTERM stops them all", async () => {
    const base = await freePort();
    cluster = spawn(process.execPath, ["server/cluster.ts", "--processes", "2", "--port", String(base)], {
      env: { ...process.env, PUBLIC_HOST: "localhost", DATA_DIR: dataDir, REDIS_URL: "", PUBLIC_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    cluster.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    cluster.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    const health = async (port: number) => fetch(`http://localhost:${port}/healthz`).then(async (r) => (r.ok ? ((await r.json()) as { redis: string; processName: string }) : null), () => null);
    for (let tries = 0; ; tries++) {
      const both = await Promise.all([health(base), health(base + 1)]);
      if (both.every((h) => h?.redis === "ready")) {
        expect(both.map((h) => h!.processName)).toEqual([`process-${base}`, `process-${base + 1}`]);
        break;
      }
      if (tries > 150) throw new Error(`cluster did not come up: ${output.join("")}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(output.join("")).toMatch(new RegExp(`Started redis-server on 127\\.0\\.0\\.1:${base + 2}`));
    const session = (await (await fetch(`http://localhost:${base}/api/sessions`, { method: "POST" })).json()) as Session;
    const host = await joinAsHost(base + 1, session);
    const student = await joinAsPlayer(base + 1, session.code, "Ada");
    peers.push(host, student);
    await waitFor("the student seated", () => host.room.state.players.size === 1 || null);
    const exited = new Promise<number | null>((resolve) => cluster!.once("exit", resolve));
    cluster.kill("SIGTERM");
    expect(await exited).toBe(0);
    // Nothing listens any more: neither game server nor the cluster's Redis.
    const listening = (port: number) => new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: "127.0.0.1", port });
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    for (const port of [base, base + 1]) expect(await listening(port), `port ${port}`).toBe(false);
    for (let tries = 0; (await listening(base + 2)) && tries < 50; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await listening(base + 2), "the cluster's redis-server").toBe(false);
  });
});
