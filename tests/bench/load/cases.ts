/**
 * The load bench's cases. Each one starts the server it measures in its own process (ours:
 * server/main.ts; the yardstick: tests/bench/bare-server.ts), spreads the simulated clients over
 * generator processes (./generator-pool.ts), and prints a Markdown table per case and pacing.
 */
import type { ChildProcess } from "node:child_process";
import os from "node:os";
import type { Room } from "@colyseus/sdk";
import { sdkClient } from "../../../server/transport/sdk-client.ts";
import type { NodeTransport } from "../../../server/transport/sdk-client.ts";
import { SCENARIOS } from "../../../shared/protocol/messages.ts";
import type { Scenario } from "../../../shared/protocol/messages.ts";
import { processUsage, startServerProcess } from "../server-process.ts";
import { GeneratorPool } from "./generator-pool.ts";
import type { GeneratorReport, SeatPlan } from "./protocol.ts";
import { fmt, percentile, summarizeGenerators, summarizeGroup, table } from "./summary.ts";
import type { GeneratorSummary, GroupSummary } from "./summary.ts";

/** Human-like pacing: an action every few seconds per player; stress: one a second. Mean ms between actions. */
export const PACING_MS = { human: 4_000, stress: 1_000 } as const;
export type Pacing = keyof typeof PACING_MS;

export interface BenchOptions {
  /** Measured window per run, s. */
  seconds: number;
  /** From the round's start to the window, s (deposits land, the first batch posts). */
  warmupSec: number;
  transport: NodeTransport;
  /** Our server listens here, the bare one on port + 1. */
  port: number;
  /** Generator processes; undefined: one per 250 clients, at least 2, at most 8. */
  generators: number | undefined;
  pacings: Pacing[];
  /** Scenarios of the `scenarios` case, server bots per scenario session, watching players. */
  scenarios: Scenario[];
  bots: number;
  watchers: number;
  /** Noisy neighbour: the class's size, the neighbour's scenario, the flooder's messages a second. */
  classSize: number;
  neighbourScenario: Scenario;
  floodPerSecond: number;
  /** Write a CPU profile of our server per run (node --cpu-prof) into this folder. */
  profileDir: string | undefined;
}

/**
 * Limits our server must lift for a measurement to mean anything, and why. Everything else runs with
 * its production default (docs/operations.md), including bots per session (300): the noisy neighbour
 * is "the heaviest session the limits allow".
 */
export const BENCH_LIMIT_OVERRIDES: Record<string, [value: string, why: string]> = {
  LIMIT_PENDING_SEATS_PER_ADDRESS: ["100000", "every simulated client comes from 127.0.0.1 (default 40)"],
  LIMIT_PENDING_SEATS_PER_ROOM: ["100000", "2,000 clients join one room in a burst (default 400)"],
  LIMIT_SESSIONS_PER_ADDRESS_PER_HOUR: ["100000", "100 sessions from one address, run after run (default 20/h)"],
};
export const BENCH_ENV = Object.fromEntries(Object.entries(BENCH_LIMIT_OVERRIDES).map(([k, [v]]) => [k, v]));

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");

/** What one run measured: the clients' groups, the server's cost, the generators' own. */
export interface RunResult {
  windowSec: number;
  groups: Record<string, GroupSummary>;
  server: { cpuPct: number; rssMiB: number };
  generators: GeneratorSummary;
  loadBefore: string;
  loadAfter: string;
}

/** Server CPU ms per answered action of a group. */
export const cpuMsPerAction = (run: RunResult, group: string) => (run.server.cpuPct * 10 * run.windowSec) / (run.groups[group]?.answered || NaN);

/**
 * Stops a server. A profiled one gets SIGTERM (our server saves its classrooms and exits, and
 * --cpu-prof writes the profile on exit), then SIGKILL after 30 s; others are killed at once.
 */
export async function stopServer(server: ChildProcess, graceful = false): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill(graceful ? "SIGTERM" : "SIGKILL");
  const timer = graceful ? setTimeout(() => server.kill("SIGKILL"), 30_000) : undefined;
  await exited;
  clearTimeout(timer);
}

/** Our server, with the bench's limit overrides (and a CPU profile when asked). */
async function startOurServer(options: BenchOptions): Promise<ChildProcess> {
  const execArgv = options.profileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.profileDir}`] : [];
  return await startServerProcess(options.port, { env: BENCH_ENV, execArgv });
}

/** Generators for `clients` clients: the option, or one per 250 clients (2 to 8). */
export function generatorCount(options: BenchOptions, clients: number): number {
  return options.generators ?? Math.min(8, Math.max(2, Math.ceil(clients / 250)));
}

/**
 * Measures one window: resets the generators, waits, collects their reports and the server's CPU.
 * `during` runs alongside (e.g. /healthz probes) and its result is returned too.
 */
export async function measure<T>(server: ChildProcess, pools: readonly GeneratorPool[], options: BenchOptions, groups: readonly string[], during?: (until: number) => Promise<T>) {
  const loadBefore = loadAverage();
  const before = processUsage(server.pid!);
  for (const pool of pools) pool.reset();
  const started = performance.now();
  const side = during?.(started + options.seconds * 1_000);
  await sleep(options.seconds * 1_000);
  const reports: GeneratorReport[] = (await Promise.all(pools.map((p) => p.report()))).flat();
  const windowSec = (performance.now() - started) / 1_000;
  const after = processUsage(server.pid!);
  const run: RunResult = {
    windowSec,
    groups: Object.fromEntries(groups.map((g) => [g, summarizeGroup(reports, g)])),
    server: { cpuPct: (100 * (after.cpuSec - before.cpuSec)) / windowSec, rssMiB: after.rss / 2 ** 20 },
    generators: summarizeGenerators(reports),
    loadBefore,
    loadAfter: loadAverage(),
  };
  return { run, side: (await side) as T | undefined };
}

/** A session on our server with its host console connected. */
export interface Session {
  code: string;
  token: string;
  host: Room;
}

export async function createSession(base: string): Promise<Session> {
  const res = await fetch(`${base}/api/sessions`, { method: "POST" });
  if (res.status !== 201) throw new Error(`POST /api/sessions: ${res.status} ${await res.text()}`);
  const { code, hostToken } = (await res.json()) as { code: string; hostToken: string };
  const host = await sdkClient(base).joinById(code, { hostToken });
  host.onMessage("*", () => undefined);
  return { code, token: hostToken, host };
}

/** Host messages that start a round of `scenario` for everyone seated (roles auto-balanced). */
export async function startRound(sessions: readonly Session[], scenario: Scenario, durationSec: number): Promise<void> {
  for (const s of sessions) s.host.send("host:plan", { token: s.token, rounds: [{ scenario, durationSec }] });
  await sleep(300);
  for (const s of sessions) s.host.send("host:autoBalance", { token: s.token });
  await sleep(500);
  for (const s of sessions) s.host.send("host:start", { token: s.token });
}

/** Round length that outlasts warm-up, window and teardown (s; the protocol allows 30–3,600). */
export const roundSeconds = (options: BenchOptions) => Math.min(3_600, Math.max(60, options.warmupSec + options.seconds + 300));

export function header(title: string, options: BenchOptions, pacing: Pacing | null): void {
  console.log("");
  console.log(`### ${title}${pacing ? ` — ${pacing} pacing (an action every ${PACING_MS[pacing] / 1_000} s per client, on average)` : ""}`);
  console.log(`transport ${options.transport} · ${options.seconds} s window after ${options.warmupSec} s warm-up`);
}

export function warnJoins(what: string, pool: GeneratorPool, wanted: number): void {
  if (pool.failed > 0) console.log(`⚠ ${what}: ${pool.joined} of ${wanted} clients joined (${pool.failed} failed: ${pool.firstError ?? "?"})`);
}

// ---------- rooms: one of 300, one of 2,000, 100 of 30 — ours against the bare room ----------

/**
 * `rooms` × `perRoom` seated players of an optimistic round on one of our servers at `base` (the
 * server `server` is measured), a warm-up, then one measured window.
 */
export async function seatedRoomsRun(base: string, server: ChildProcess, options: BenchOptions, rooms: number, perRoom: number, pacing: Pacing): Promise<RunResult> {
  const sessions: Session[] = [];
  let pool: GeneratorPool | undefined;
  try {
    for (let r = 0; r < rooms; r++) sessions.push(await createSession(base));
    const seats: SeatPlan[] = sessions.flatMap((s) => Array.from({ length: perRoom }, (_, i) => ({ roomId: s.code, name: `Load ${i}`, seed: `${s.code}:${i}`, mode: "player" as const, group: "clients" })));
    pool = await GeneratorPool.start(generatorCount(options, seats.length), { endpoint: base, transport: options.transport, actEveryMs: PACING_MS[pacing], joinConcurrency: 8, floodPerSecond: 0 }, seats);
    warnJoins("ours", pool, seats.length);
    await startRound(sessions, "optimistic", roundSeconds(options));
    await sleep(options.warmupSec * 1_000);
    return (await measure(server, [pool], options, ["clients"])).run;
  } finally {
    await pool?.stop();
    await Promise.all(sessions.map((s) => s.host.leave().catch(() => undefined)));
  }
}

/** N rooms × M players of our optimistic round at `pacing`, on a server of its own. */
async function oursRooms(options: BenchOptions, rooms: number, perRoom: number, pacing: Pacing): Promise<RunResult> {
  const server = await startOurServer(options);
  try {
    return await seatedRoomsRun(`http://localhost:${options.port}`, server, options, rooms, perRoom, pacing);
  } finally {
    await stopServer(server, options.profileDir !== undefined);
  }
}

/** The same clients against the bare room. */
async function bareRooms(options: BenchOptions, rooms: number, perRoom: number, pacing: Pacing): Promise<RunResult> {
  const port = options.port + 1;
  const server = await startServerProcess(port, { script: "tests/bench/bare-server.ts" });
  const base = `http://localhost:${port}`;
  let pool: GeneratorPool | undefined;
  try {
    const { ids } = (await (await fetch(`${base}/bare/create?n=${rooms}`)).json()) as { ids: string[] };
    const seats: SeatPlan[] = ids.flatMap((roomId) => Array.from({ length: perRoom }, (_, i) => ({ roomId, name: `Load ${i}`, seed: `${roomId}:${i}`, mode: "bare" as const, group: "clients" })));
    pool = await GeneratorPool.start(generatorCount(options, seats.length), { endpoint: base, transport: options.transport, actEveryMs: PACING_MS[pacing], joinConcurrency: 8, floodPerSecond: 0 }, seats);
    warnJoins("bare", pool, seats.length);
    await sleep(Math.min(options.warmupSec, 3) * 1_000);
    return (await measure(server, [pool], options, ["clients"])).run;
  } finally {
    await pool?.stop();
    await stopServer(server);
  }
}

function roomsTable(ours: RunResult, bare: RunResult): string {
  const row = (name: string, run: RunResult) => {
    const g = run.groups.clients!;
    return [
      name,
      fmt(g.clients),
      fmt(g.perSec),
      fmt(g.p50, 1),
      fmt(g.p95, 1),
      fmt(g.p99, 1),
      fmt(g.max, 0),
      fmt(g.errors),
      fmt(g.bytesPerClientPerSec),
      `${fmt(g.drops)} / ${fmt(g.reconnects)}`,
      `${fmt(run.server.cpuPct)} %`,
      fmt(cpuMsPerAction(run, "clients"), 2),
      fmt(run.server.rssMiB),
      `${fmt(run.generators.cpuPct)} % (${run.generators.processes}; loop p99 ${fmt(run.generators.loopDelayP99Ms)} ms)`,
      `${run.loadBefore} → ${run.loadAfter}`,
    ];
  };
  const o = ours.groups.clients!;
  const b = bare.groups.clients!;
  const ratio = (x: number, y: number) => (Number.isFinite(x / y) ? `${fmt(x / y, 1)}×` : "—");
  const notes = [ours, bare].flatMap((run, i) => [
    ...(run.groups.clients!.topErrors.length ? [`errors (${i ? "bare" : "ours"}): ${run.groups.clients!.topErrors.join("; ")}`] : []),
    ...(run.generators.sdkLog.length ? [`SDK console (${i ? "bare" : "ours"}): ${run.generators.sdkLog.join("; ")}`] : []),
  ]);
  return table(
    ["server", "clients", "actions/s", "ack p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "bytes/client/s", "drops / reconnects", "server CPU", "CPU ms/action", "RSS MiB", "generator CPU (procs; loop p99)", "load avg before → after"],
    [
      row("ours", ours),
      row("bare Colyseus", bare),
      ["ours ÷ bare", "", "", ratio(o.p50, b.p50), ratio(o.p95, b.p95), `**${ratio(o.p99, b.p99)}**`, "", "", ratio(o.bytesPerClientPerSec, b.bytesPerClientPerSec), "", ratio(ours.server.cpuPct, bare.server.cpuPct), `**${ratio(cpuMsPerAction(ours, "clients"), cpuMsPerAction(bare, "clients"))}**`, ratio(ours.server.rssMiB, bare.server.rssMiB), "", ""],
    ],
  ) + (notes.length ? `\n\n${notes.join("\n")}` : "");
}

/** One room of `perRoom` (or `rooms` rooms of it), ours then bare, at each pacing. */
export async function roomsCase(title: string, options: BenchOptions, rooms: number, perRoom: number): Promise<void> {
  for (const pacing of options.pacings) {
    header(title, options, pacing);
    const ours = await oursRooms(options, rooms, perRoom, pacing);
    const bare = await bareRooms(options, rooms, perRoom, pacing);
    console.log(roomsTable(ours, bare));
  }
}

// ---------- every scenario: server bots play, a few players and a projector watch ----------

/** Counts the payload bytes a room's connection receives (the projector's, here). */
function countBytes(room: Room): { bytes: number } {
  const counter = { bytes: 0 };
  const events = (room.connection as unknown as { events: { onmessage?: (e: { data: ArrayBuffer | string }) => void } }).events;
  const original = events.onmessage;
  events.onmessage = (event) => {
    counter.bytes += typeof event.data === "string" ? event.data.length : event.data.byteLength;
    original?.call(events, event);
  };
  room.onMessage("*", () => undefined);
  return counter;
}

/**
 * One scenario: `bots` server bots (one in five "hard": it cheats where it can) play the round;
 * `watchers` players send one acknowledged message at the pacing and count what they receive; a
 * projector counts its bytes. The bots' work is the server's, so this measures the scenario's cost.
 */
async function scenarioRun(options: BenchOptions, scenario: Scenario, pacing: Pacing): Promise<string[]> {
  const server = await startOurServer(options);
  const base = `http://localhost:${options.port}`;
  let pool: GeneratorPool | undefined;
  let session: Session | undefined;
  let projector: Room | undefined;
  try {
    session = await createSession(base);
    projector = await sdkClient(base).joinById(session.code, { projector: true });
    const projectorBytes = countBytes(projector);
    const seats: SeatPlan[] = Array.from({ length: options.watchers }, (_, i) => ({ roomId: session!.code, name: `Watcher ${i}`, seed: `watch:${i}`, mode: "watcher" as const, group: "watchers" }));
    pool = await GeneratorPool.start(1, { endpoint: base, transport: options.transport, actEveryMs: PACING_MS[pacing], joinConcurrency: 4, floodPerSecond: 0 }, seats);
    warnJoins(scenario, pool, seats.length);
    const hard = Math.round(options.bots / 5);
    session.host.send("host:addBots", { token: session.token, count: options.bots - hard, difficulty: "normal" });
    if (hard > 0) session.host.send("host:addBots", { token: session.token, count: hard, difficulty: "hard" });
    await sleep(1_000);
    await startRound([session], scenario, roundSeconds(options));
    await sleep(options.warmupSec * 1_000);
    const state = projector.state as { phase?: string; players?: { size: number }; world?: { l1Height?: number } };
    if (state.phase !== "running") throw new Error(`${scenario}: the round did not start (phase ${state.phase})`);
    const heightBefore = state.world?.l1Height ?? 0;
    const bytesBefore = projectorBytes.bytes;
    const { run } = await measure(server, [pool], options, ["watchers"]);
    const w = run.groups.watchers!;
    return [
      scenario,
      fmt(state.players?.size ?? NaN),
      `${fmt(run.server.cpuPct)} %`,
      fmt(run.server.rssMiB),
      fmt((state.world?.l1Height ?? 0) - heightBefore),
      fmt(w.p50, 1),
      fmt(w.p99, 1),
      fmt(w.errors),
      fmt(w.bytesPerClientPerSec),
      fmt((projectorBytes.bytes - bytesBefore) / run.windowSec),
      `${fmt(run.generators.cpuPct)} %`,
      `${run.loadBefore} → ${run.loadAfter}`,
    ];
  } finally {
    await pool?.stop();
    await projector?.leave().catch(() => undefined);
    await session?.host.leave().catch(() => undefined);
    await stopServer(server, options.profileDir !== undefined);
  }
}

/** Every scenario (bench:scenarios). */
export async function scenariosCase(options: BenchOptions): Promise<void> {
  for (const pacing of options.pacings) {
    header(`Every scenario: ${options.bots} server bots (one in five hard) + ${options.watchers} watching players + a projector`, options, pacing);
    const rows: string[][] = [];
    for (const scenario of options.scenarios) rows.push(await scenarioRun(options, scenario, pacing));
    console.log(
      table(["scenario", "players", "server CPU", "RSS MiB", "L1 blocks", "watcher ack p50 ms", "p99 ms", "errors", "bytes/s per player", "bytes/s projector", "generator CPU", "load avg before → after"], rows),
    );
  }
}

// ---------- noisy neighbour: a class of 30 alone, then beside the heaviest session the limits allow ----------

/** /healthz round trips (ms) until `until`, one every 250 ms. */
async function probeHealth(base: string, until: number): Promise<number[]> {
  const samples: number[] = [];
  while (performance.now() < until) {
    const t = performance.now();
    try {
      await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5_000) });
      samples.push(performance.now() - t);
    } catch {
      samples.push(5_000);
    }
    await sleep(250);
  }
  return samples.sort((a, b) => a - b);
}

/**
 * Issue 9's fair-share test: a class of `classSize` plays an optimistic round; its ack latency is
 * measured alone, then beside a session with the most server bots one session may have (300, the
 * default limit) playing `neighbourScenario` plus a client flooding `floodPerSecond` messages a
 * second (kicked by the flood limit, it joins again under a new name). Target: the class's p99
 * beside the neighbour within 1.5× of its p99 alone.
 */
export async function noisyNeighbourCase(options: BenchOptions): Promise<void> {
  for (const pacing of options.pacings) {
    header(`Noisy neighbour: a class of ${options.classSize} beside ${options.bots} server bots (${options.neighbourScenario}) and a client flooding ${fmt(options.floodPerSecond)} messages/s`, options, pacing);
    const server = await startOurServer(options);
    const base = `http://localhost:${options.port}`;
    const sessions: Session[] = [];
    const pools: GeneratorPool[] = [];
    try {
      const classroom = await createSession(base);
      sessions.push(classroom);
      const seats: SeatPlan[] = Array.from({ length: options.classSize }, (_, i) => ({ roomId: classroom.code, name: `Student ${i}`, seed: `class:${i}`, mode: "player" as const, group: "class" }));
      const classPool = await GeneratorPool.start(generatorCount(options, seats.length), { endpoint: base, transport: options.transport, actEveryMs: PACING_MS[pacing], joinConcurrency: 8, floodPerSecond: 0 }, seats);
      pools.push(classPool);
      warnJoins("class", classPool, seats.length);
      await startRound([classroom], "optimistic", roundSeconds(options) + options.seconds + options.warmupSec);
      await sleep(options.warmupSec * 1_000);
      const alone = await measure(server, [classPool], options, ["class"], (until) => probeHealth(base, until));

      const neighbour = await createSession(base);
      sessions.push(neighbour);
      const hard = Math.round(options.bots / 5);
      neighbour.host.send("host:addBots", { token: neighbour.token, count: options.bots - hard, difficulty: "normal" });
      if (hard > 0) neighbour.host.send("host:addBots", { token: neighbour.token, count: hard, difficulty: "hard" });
      const flooder: SeatPlan = { roomId: neighbour.code, name: "Flood", seed: "flood", mode: "flooder", group: "flooder" };
      const floodPool = await GeneratorPool.start(1, { endpoint: base, transport: options.transport, actEveryMs: 1_000, joinConcurrency: 1, floodPerSecond: options.floodPerSecond }, [flooder]);
      pools.push(floodPool);
      await sleep(1_000);
      await startRound([neighbour], options.neighbourScenario, roundSeconds(options));
      await sleep(options.warmupSec * 1_000);
      const beside = await measure(server, [classPool, floodPool], options, ["class", "flooder"], (until) => probeHealth(base, until));

      const a = alone.run.groups.class!;
      const b = beside.run.groups.class!;
      const flood = beside.run.groups.flooder!;
      const row = (name: string, g: GroupSummary, run: RunResult, health: number[] | undefined) => [
        name,
        fmt(g.clients),
        fmt(g.perSec),
        fmt(g.p50, 1),
        fmt(g.p95, 1),
        fmt(g.p99, 1),
        fmt(g.max, 0),
        fmt(g.errors),
        `${fmt(g.drops)} / ${fmt(g.reconnects)}`,
        fmt(percentile(health ?? [], 99), 1),
        `${fmt(run.server.cpuPct)} %`,
        `${fmt(run.generators.cpuPct)} %`,
        `${run.loadBefore} → ${run.loadAfter}`,
      ];
      console.log(
        table(
          ["the class", "clients", "actions/s", "ack p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "drops / reconnects", "/healthz p99 ms", "server CPU", "generator CPU", "load avg before → after"],
          [row("alone", a, alone.run, alone.side), row("beside the neighbour", b, beside.run, beside.side)],
        ),
      );
      for (const [name, g, run] of [["alone", a, alone.run], ["beside", b, beside.run]] as const) {
        if (g.topErrors.length) console.log(`errors (class ${name}): ${g.topErrors.join("; ")}`);
        if (run.generators.sdkLog.length) console.log(`SDK console (${name}): ${run.generators.sdkLog.join("; ")}`);
      }
      const ratio = b.p99 / a.p99;
      console.log(`\nThe class's p99 beside the neighbour ÷ alone = **${fmt(ratio, 2)}×** (target ≤ 1.5×: ${ratio <= 1.5 ? "met" : "NOT met"}). The flooder was kicked ${fmt(flood.kicks)} times in the window and joined again each time.`);
    } finally {
      for (const pool of pools) await pool.stop();
      await Promise.all(sessions.map((s) => s.host.leave().catch(() => undefined)));
      await stopServer(server, options.profileDir !== undefined);
    }
  }
}

/** Every scenario name, for --scenarios' default. */
export const ALL_SCENARIOS: Scenario[] = [...SCENARIOS];
