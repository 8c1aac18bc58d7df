import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { processUsage, startServerProcess } from "../server-process.ts";
import { BENCH_ENV, PACING_MS, createSession, generatorCount, header, loadAverage, roundSeconds, seatedRoomsRun, sleep, startRound, stopServer, warnJoins } from "./cases.ts";
import type { BenchOptions, Pacing, RunResult, Session } from "./cases.ts";
import { GeneratorPool } from "./generator-pool.ts";
import type { SeatPlan } from "./protocol.ts";
import { summarizeGroup } from "./summary.ts";

const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }) : "–");
const cpuMs = (run: RunResult) => (run.server.cpuPct * 10 * run.windowSec) / (run.groups.clients?.answered || NaN);

// ---------- the write-ahead log's cost (issue 11) ----------

/**
 * The same rooms with the write-ahead log on (as in class) and off (L2ARENA_WAL=off: nothing is
 * saved, nothing survives a restart): p99 and server CPU per action, and what the log adds.
 */
export async function walCostCase(options: BenchOptions, layouts: readonly [rooms: number, perRoom: number][]): Promise<void> {
  for (const pacing of options.pacings) {
    header("The write-ahead log's cost: the same rooms with the log on and off", options, pacing);
    const rows = ["| layout | log | clients | actions/s | ack p50 ms | p99 ms | server CPU | CPU ms/action | load avg before → after |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"];
    for (const [roomCount, perRoom] of layouts) {
      const results: Record<string, RunResult> = {};
      for (const wal of ["on", "off"] as const) {
        const server = await startServerProcess(options.port, { env: { ...BENCH_ENV, ...(wal === "off" ? { L2ARENA_WAL: "off" } : {}) } });
        try {
          results[wal] = await seatedRoomsRun(`http://localhost:${options.port}`, server, options, roomCount, perRoom, pacing);
        } finally {
          await stopServer(server);
        }
        const run = results[wal]!;
        const g = run.groups.clients!;
        rows.push(`| ${roomCount} × ${perRoom} | ${wal} | ${fmt(g.clients)} | ${fmt(g.perSec)} | ${fmt(g.p50, 1)} | ${fmt(g.p99, 1)} | ${fmt(run.server.cpuPct)} % | ${fmt(cpuMs(run), 2)} | ${run.loadBefore} → ${run.loadAfter} |`);
      }
      const on = results.on!;
      const off = results.off!;
      rows.push(`| ${roomCount} × ${perRoom} | on ÷ off |  |  |  | **${fmt(on.groups.clients!.p99 / off.groups.clients!.p99, 2)}×** |  | **${fmt(cpuMs(on) / cpuMs(off), 2)}×** |  |`);
    }
    console.log(rows.join("\n"));
  }
}

// ---------- scale-out: one process against two on Redis (issue 12) ----------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** `count` of our processes on Redis and one SQLite file, each at its own public address. */
async function startCluster(options: BenchOptions, count: number, redisUrl: string): Promise<{ servers: ChildProcess[]; ports: number[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), "l2bench-cluster-"));
  const ports = Array.from({ length: count }, (_, i) => options.port + i);
  const servers: ChildProcess[] = [];
  for (const port of ports) {
    servers.push(await startServerProcess(port, { dataDir, env: { ...BENCH_ENV, REDIS_URL: redisUrl, PUBLIC_ADDRESS: `localhost:${port}`, PROCESS_NAME: `bench-${port}` } }));
  }
  return { servers, ports };
}

/**
 * Rooms of `perRoom` are added `step` at a time (sessions created through each process in turn, so
 * each runs its share), each load measured, until the p99 passes `p99LimitMs`. Prints every step
 * and returns the most players held within the limit.
 */
async function ramp(options: BenchOptions, processes: number, redisUrl: string, pacing: Pacing, perRoom: number, step: number, maxRooms: number, p99LimitMs: number): Promise<{ held: number; rows: string[] }> {
  const rows: string[] = [];
  let held = 0;
  for (let roomCount = step; roomCount <= maxRooms; roomCount += step) {
    const { servers, ports } = await startCluster(options, processes, redisUrl);
    const sessions: Session[] = [];
    let pool: GeneratorPool | undefined;
    try {
      for (let r = 0; r < roomCount; r++) sessions.push(await createSession(`http://localhost:${ports[r % ports.length]}`));
      const seats: SeatPlan[] = sessions.flatMap((s) => Array.from({ length: perRoom }, (_, i) => ({ roomId: s.code, name: `Load ${i}`, seed: `${s.code}:${i}`, mode: "player" as const, group: "clients" })));
      pool = await GeneratorPool.start(generatorCount(options, seats.length), { endpoint: `http://localhost:${ports[0]}`, transport: options.transport, actEveryMs: PACING_MS[pacing], joinConcurrency: 8, floodPerSecond: 0 }, seats);
      warnJoins(`${processes} process(es)`, pool, seats.length);
      await startRound(sessions, "optimistic", roundSeconds(options));
      await sleep(options.warmupSec * 1_000);
      const loadBefore = loadAverage();
      const cpuBefore = servers.map((s) => processUsage(s.pid!).cpuSec);
      pool.reset();
      const started = performance.now();
      await sleep(options.seconds * 1_000);
      const reports = await pool.report();
      const windowSec = (performance.now() - started) / 1_000;
      const cpuPct = servers.map((s, i) => (100 * (processUsage(s.pid!).cpuSec - cpuBefore[i]!)) / windowSec);
      const g = summarizeGroup(reports, "clients");
      const within = g.p99 <= p99LimitMs && g.clients === roomCount * perRoom;
      if (within) held = g.clients;
      rows.push(`| ${processes} | ${roomCount} × ${perRoom} | ${fmt(g.clients)} | ${fmt(g.perSec)} | ${fmt(g.p50, 1)} | ${fmt(g.p99, 1)} | ${cpuPct.map((c) => `${fmt(c)} %`).join(" + ")} | ${within ? "✓" : "✗"} | ${loadBefore} → ${loadAverage()} |`);
      if (!within) break;
    } finally {
      await pool?.stop();
      await Promise.all(sessions.map((s) => s.host.leave().catch(() => undefined)));
      for (const server of servers) await stopServer(server);
    }
  }
  return { held, rows };
}

/**
 * One process against two on this machine: rooms of 30 are added until the p99 passes 100 ms;
 * prints how many players each held and the ratio. Starts a redis-server of its own on a free port.
 */
export async function clusterCase(options: BenchOptions, settings: { perRoom: number; step: number; maxRooms: number; p99LimitMs: number }): Promise<void> {
  const redisPort = await freePort();
  const redis = spawn("redis-server", ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  await sleep(300);
  try {
    for (const pacing of options.pacings) {
      header(`Scale-out: rooms of ${settings.perRoom} added ${settings.step} at a time until p99 passes ${settings.p99LimitMs} ms, 1 process against 2 on Redis`, options, pacing);
      const rows = ["| processes | rooms | clients | actions/s | ack p50 ms | p99 ms | server CPU (each) | within | load avg before → after |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"];
      const one = await ramp(options, 1, `redis://127.0.0.1:${redisPort}`, pacing, settings.perRoom, settings.step, settings.maxRooms, settings.p99LimitMs);
      const two = await ramp(options, 2, `redis://127.0.0.1:${redisPort}`, pacing, settings.perRoom, settings.step, settings.maxRooms, settings.p99LimitMs);
      rows.push(...one.rows, ...two.rows);
      console.log(rows.join("\n"));
      console.log(`Held within ${settings.p99LimitMs} ms p99: 1 process ${fmt(one.held)} players, 2 processes ${fmt(two.held)} players — ${one.held ? `${fmt(two.held / one.held, 2)}×` : "n/a"}.`);
    }
  } finally {
    redis.kill("SIGKILL");
  }
}
