/**
 * A load generator process (forked by ./generator-pool.ts): joins its share of the simulated
 * clients, drives them at the pacing it was given, and reports what they measured. Several run
 * side by side so no single event loop limits the load; each reports its own CPU and event-loop
 * delay, so a report says when the generator, not the server, was late.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Room } from "@colyseus/sdk";
import { nativeEd25519Signer } from "../../../server/crypto/native-ed25519-signer.ts";
import { nativeEd25519Verifier } from "../../../server/crypto/native-ed25519-verifier.ts";
import { runHeadlessBot } from "../../../server/headless-bot.ts";
import type { BatchData, BotStats } from "../../../server/headless-bot.ts";
import { sdkClient } from "../../../server/transport/sdk-client.ts";
import { sha256Bytes, utf8ToBytes } from "../../../shared/crypto/hash.ts";
import { keyPairFromSeed, setSigner } from "../../../shared/crypto/sign.ts";
import { setSignatureVerifier } from "../../../shared/crypto/signature-verifier.ts";
import { executionTrace } from "../../../shared/engine/l2-state.ts";
import { eth } from "../../../shared/engine/units.ts";
import type { FromGenerator, GeneratorConfig, GroupReport, SeatPlan, ToGenerator } from "./protocol.ts";

/** Close code our server uses when it disconnects a flooding client (server/room: CLOSE_FLOODING). */
const CLOSE_FLOODING = 4102;

// Players sign and challengers re-execute here as browsers would, with node:crypto instead of noble
// (Ed25519 is deterministic: the same bytes, the same verdicts), so the generator's CPU goes to being
// many clients, not to curve math.
setSignatureVerifier(nativeEd25519Verifier());
setSigner(nativeEd25519Signer());

interface Driven {
  group: string;
  stats: BotStats;
  counters: { bytes: number; drops: number; reconnects: number; kicks: number; errorKinds: Map<string, number> };
  stop(): void;
  room(): Room | null;
}

const driven: Driven[] = [];

// The SDK narrates every drop and reconnection attempt on the console; thousands of clients would
// bury the report. Its lines are counted by their first words instead (drops and reconnections are
// counted from the room's own events).
const sdkLog = new Map<string, number>();
for (const method of ["log", "info", "warn", "error", "debug"] as const) {
  console[method] = (...args: unknown[]) => {
    const line = args.map(String).join(" ").replace(/'[^']*'/g, "…").replace(/\d+(\.\d+)?/g, "#").slice(0, 70);
    sdkLog.set(line, (sdkLog.get(line) ?? 0) + 1);
  };
}

// Every challenger of a room receives the same batch data and computes the same roots; their
// browsers would each do it, this process does it once per room and batch (bounded memo).
const traces = new Map<string, string[]>();
function sharedTrace(roomId: string): (data: BatchData) => string[] {
  return (data) => {
    const key = `${roomId}:${data.batchId}:${data.txs.length}`;
    let roots = traces.get(key);
    if (!roots) {
      if (traces.size > 2_000) traces.clear();
      roots = executionTrace(data.preState, data.txs, data.context).roots;
      traces.set(key, roots);
    }
    return roots;
  };
}
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
let windowStart = { at: performance.now(), cpu: process.cpuUsage() };

function send(message: FromGenerator): void {
  process.send?.(message);
}

/** Counts the payload bytes a room's connection receives. */
function countBytes(room: Room, counters: { bytes: number }): void {
  const events = (room.connection as unknown as { events: { onmessage?: (e: { data: ArrayBuffer | Uint8Array | string }) => void } }).events;
  const original = events.onmessage;
  events.onmessage = (event) => {
    const data = event.data;
    counters.bytes += typeof data === "string" ? data.length : data.byteLength;
    original?.call(events, event);
  };
}

/** Sends `type` with a fresh seq and records the round trip to its ack or error. */
function ackedSender(room: () => Room | null, stats: BotStats): (type: string, payload: Record<string, unknown>) => void {
  const sentAt = new Map<number, number>();
  let seq = 0;
  const answered = (payload: { seq?: number }) => {
    const at = payload?.seq !== undefined ? sentAt.get(payload.seq) : undefined;
    if (at === undefined) return;
    stats.latenciesMs.push(performance.now() - at);
    sentAt.delete(payload.seq!);
  };
  let wired: Room | null = null;
  return (type, payload) => {
    const r = room();
    if (!r) return;
    if (r !== wired) {
      wired = r;
      r.onMessage("ack", answered);
      r.onMessage("error", (e: { seq?: number }) => {
        stats.errors++;
        answered(e);
      });
    }
    seq++;
    sentAt.set(seq, performance.now());
    stats.sent++;
    r.send(type, { ...payload, seq });
  };
}

/** Every `meanMs` on average (uniform 0.5–1.5×), calls `act` until stopped. */
function paced(meanMs: number, act: () => void): () => void {
  let timer: NodeJS.Timeout;
  const next = () => {
    timer = setTimeout(() => {
      act();
      next();
    }, meanMs * (0.5 + Math.random()));
  };
  // Start out of step with the other clients.
  timer = setTimeout(next, Math.random() * meanMs);
  return () => clearTimeout(timer);
}

/** A join that has not completed after this long counts as failed (ms); the server seats within 15 s or never. */
const JOIN_TIMEOUT_MS = 30_000;

async function joinSeat(config: GeneratorConfig, seat: SeatPlan, suffix = ""): Promise<Room> {
  const client = sdkClient(config.endpoint, config.transport);
  const joining = client.joinById(seat.roomId, { name: `${seat.name}${suffix}` });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`join timed out after ${JOIN_TIMEOUT_MS / 1_000} s`)), JOIN_TIMEOUT_MS);
  });
  try {
    return await Promise.race([joining, timeout]);
  } catch (error) {
    // A join that completes after its timeout leaves at once: it is not part of the load.
    void joining.then((room) => room.leave().catch(() => undefined), () => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function watch(room: Room, d: Driven): void {
  countBytes(room, d.counters);
  room.onMessage("*", () => undefined);
  room.onMessage("error", (e: { type?: string; message?: string }) => {
    const kind = `${e?.type ?? "?"}: ${String(e?.message ?? "").replace(/\d+/g, "#")}`.slice(0, 80);
    d.counters.errorKinds.set(kind, (d.counters.errorKinds.get(kind) ?? 0) + 1);
  });
  room.onDrop(() => d.counters.drops++);
  room.onReconnect(() => d.counters.reconnects++);
}

async function drive(config: GeneratorConfig, seat: SeatPlan): Promise<Driven> {
  const stats: BotStats = { sent: 0, latenciesMs: [], errors: 0 };
  const counters = { bytes: 0, drops: 0, reconnects: 0, kicks: 0, errorKinds: new Map<string, number>() };
  let current: Room | null = await joinSeat(config, seat);
  const d: Driven = { group: seat.group, stats, counters, stop: () => undefined, room: () => current };
  watch(current, d);
  const key = keyPairFromSeed(sha256Bytes(utf8ToBytes(`load:${seat.seed}`)));
  if (seat.mode !== "bare") current.send("player:key", { publicKey: key.publicKey });
  switch (seat.mode) {
    case "player": {
      const bot = runHeadlessBot(current, key, seat.seed, config.actEveryMs, { trace: sharedTrace(seat.roomId) });
      // The headless bot keeps its own stats; share them so reset/report see the same arrays.
      d.stats = bot.stats;
      d.stop = bot.stop;
      break;
    }
    case "watcher": {
      const act = ackedSender(() => current, stats);
      d.stop = paced(config.actEveryMs, () => act("player:key", { publicKey: key.publicKey }));
      break;
    }
    case "bare": {
      const act = ackedSender(() => current, stats);
      d.stop = paced(config.actEveryMs, () => act("act", {}));
      break;
    }
    case "flooder": {
      let stopped = false;
      let rejoins = 0;
      const act = ackedSender(() => current, stats);
      const perTick = Math.max(1, Math.round(config.floodPerSecond / 100));
      const timer = setInterval(() => {
        for (let i = 0; i < perTick; i++) act("user:deposit", { amount: eth(0.001) });
      }, 10);
      const onKicked = (code: number) => {
        if (stopped || code !== CLOSE_FLOODING) return;
        counters.kicks++;
        current = null;
        // Back in under a new name, as a determined flooder would.
        void joinSeat(config, seat, ` ${++rejoins}`).then(
          (room) => {
            current = room;
            watch(room, d);
            room.onLeave(onKicked);
          },
          () => undefined,
        );
      };
      current.onLeave(onKicked);
      d.stop = () => {
        stopped = true;
        clearInterval(timer);
      };
      break;
    }
  }
  return d;
}

async function start(config: GeneratorConfig): Promise<void> {
  let joined = 0;
  let failed = 0;
  let firstError: string | undefined;
  const queue = [...config.seats];
  const worker = async () => {
    for (let seat = queue.shift(); seat; seat = queue.shift()) {
      try {
        driven.push(await drive(config, seat));
        joined++;
      } catch (error) {
        failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, config.joinConcurrency) }, worker));
  send({ type: "joined", joined, failed, ...(firstError ? { firstError } : {}) });
}

function reset(): void {
  for (const d of driven) {
    d.stats.latenciesMs.length = 0;
    d.stats.errors = 0;
    d.stats.sent = 0;
    Object.assign(d.counters, { bytes: 0, drops: 0, reconnects: 0, kicks: 0 });
    d.counters.errorKinds.clear();
  }
  loopDelay.reset();
  sdkLog.clear();
  windowStart = { at: performance.now(), cpu: process.cpuUsage() };
}

function report(): void {
  const cpu = process.cpuUsage(windowStart.cpu);
  const groups: Record<string, GroupReport> = {};
  for (const d of driven) {
    const g = (groups[d.group] ??= { clients: 0, latenciesMs: [], acks: 0, errors: 0, errorKinds: {}, bytes: 0, drops: 0, reconnects: 0, kicks: 0 });
    for (const [kind, n] of d.counters.errorKinds) g.errorKinds[kind] = (g.errorKinds[kind] ?? 0) + n;
    g.clients++;
    for (const ms of d.stats.latenciesMs) g.latenciesMs.push(ms);
    g.errors += d.stats.errors;
    g.acks += d.stats.latenciesMs.length - d.stats.errors;
    g.bytes += d.counters.bytes;
    g.drops += d.counters.drops;
    g.reconnects += d.counters.reconnects;
    g.kicks += d.counters.kicks;
  }
  send({
    type: "report",
    report: {
      pid: process.pid,
      windowSec: (performance.now() - windowStart.at) / 1000,
      cpuSec: (cpu.user + cpu.system) / 1e6,
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      loopDelayMaxMs: loopDelay.max / 1e6,
      groups,
      sdkLog: Object.fromEntries(sdkLog),
    },
  });
}

async function stop(): Promise<void> {
  for (const d of driven) d.stop();
  await Promise.race([Promise.all(driven.map((d) => d.room()?.leave().catch(() => undefined))), new Promise((r) => setTimeout(r, 3_000))]);
  send({ type: "stopped" });
  process.exit(0);
}

loopDelay.enable();
process.on("message", (message: ToGenerator) => {
  if (message.type === "start") void start(message.config);
  else if (message.type === "reset") reset();
  else if (message.type === "report") report();
  else if (message.type === "stop") void stop();
});
// The orchestrator gone (Ctrl-C, a crash): nothing left to report to.
process.on("disconnect", () => process.exit(0));
