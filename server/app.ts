import { createServer } from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { defineRoom, defineServer, matchMaker } from "@colyseus/core";
import type { Server } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { CLOSING_WRITES, ClassroomRoom, LIVE_CLASSROOMS } from "./classroom-room.ts";
import { nativeEd25519Verifier } from "./crypto/native-ed25519-verifier.ts";
import { nativeEd25519Signer } from "./crypto/native-ed25519-signer.ts";
import { setSigner } from "../shared/crypto/sign.ts";
import { setServerContext } from "./context.ts";
import type { ServerContext } from "./context.ts";
import { mountApi } from "./http/api.ts";
import { OPEN_MATCHMAKE_METHODS, guardRequests } from "./http/request-guard.ts";
import { limitsFromEnv } from "./limits.ts";
import type { Limits } from "./limits.ts";
import { restoreSessions } from "./restore.ts";
import { setSignatureVerifier } from "../shared/crypto/signature-verifier.ts";
import type { SessionStore } from "./store/session-store.ts";
import { SqliteStore } from "./store/sqlite-store.ts";
import { PostgresStore } from "./store/postgres-store.ts";
import { scaleOut } from "./scale-out.ts";
import type { ScaleOut } from "./scale-out.ts";
import { attachSocketIo } from "./transport/socketio-transport.ts";

export interface AppOptions {
  port: number;
  /** SQLite file; ":memory:" for tests. Shared by every process of one machine. */
  databasePath: string;
  /** PostgreSQL instead of SQLite (DATABASE_URL): the store shared by processes on several machines. */
  databaseUrl?: string | undefined;
  /** Redis (REDIS_URL): presence and matchmaking shared by every process. */
  redisUrl?: string | undefined;
  /** Where clients reach this very process (PUBLIC_ADDRESS, "host:port" or "host/prefix"): needed with Redis. */
  publicAddress?: string | undefined;
  /** Built client to serve at /, if present. */
  clientDir?: string;
  /** Where students reach this server when it sits behind a proxy or a domain (PUBLIC_URL). */
  publicUrl?: string;
  /** This process's name in the store: it restores the sessions it owns after a restart. */
  owner?: string;
  context?: Partial<Omit<ServerContext, "store" | "limits">>;
  /** Overrides of the limits read from the environment (tests). */
  limits?: Partial<Limits>;
}

export interface RunningApp {
  server: Server;
  store: SessionStore;
  port: number;
  /** Codes of the sessions brought back at start, and those ended instead (abandoned). */
  restored: { restored: string[]; ended: string[] };
  /** Stops for good: every room disposed, the store closed (tests, and Ctrl-C with nothing to keep). */
  close(): Promise<void>;
  /** Stops to be restarted: nobody new is seated, every classroom's log and snapshot are saved, clients are told; rooms stay in the store to be restored. */
  stopForRestart(): Promise<void>;
}

/** Starts the HTTP API, the Colyseus rooms and the static client on one port, after restoring this process's unfinished sessions. */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  setSignatureVerifier(nativeEd25519Verifier()); // the engine checks signatures with OpenSSL (same verdicts as noble, ~20× faster)
  setSigner(nativeEd25519Signer()); // server bots sign with OpenSSL too (Ed25519 is deterministic: the same bytes)
  const store: SessionStore = options.databaseUrl ? await PostgresStore.open(options.databaseUrl) : new SqliteStore(options.databasePath);
  const limits: Limits = { ...limitsFromEnv(), ...options.limits };
  const owner = options.owner ?? "local";
  const cluster = scaleOut({ redisUrl: options.redisUrl, publicAddress: options.publicAddress });
  setServerContext({ store, limits, reconnectSeconds: 30, hostReconnectSeconds: 300, tickMs: 250, botTurnMs: 1000, timeScale: 1, ...options.context });
  // Only a classroom's code opens it: the matchmaker's join, joinOrCreate and create stay closed.
  matchMaker.controller.exposedMethods = [...OPEN_MATCHMAKE_METHODS];
  const httpServer = createServer();
  const server = defineServer({
    greet: false,
    // Colyseus's own SIGTERM handler disposes every room and closes clients with a code they don't
    // reconnect after; server/main.ts saves the classrooms for a restart instead.
    gracefullyShutdown: false,
    // Every WebSocket message is a few hundred bytes; 4 KB (the ws-transport default) is the ceiling.
    transport: new WebSocketTransport({ server: httpServer, maxPayload: limits.websocketMessageBytes }),
    rooms: { classroom: defineRoom(ClassroomRoom) },
    ...(cluster.presence ? { presence: cluster.presence } : {}),
    ...(cluster.driver ? { driver: cluster.driver } : {}),
    ...(cluster.publicAddress ? { publicAddress: cluster.publicAddress } : {}),
    // A session's room runs on the process that created it: the one that stored its host token and
    // will restore it after a restart (the matchmaker would pick the process with the fewest rooms).
    selectProcessIdToCreateRoom: async () => matchMaker.processId,
    express: (app) => mountApi(app, { store, limits, owner, port: options.port, publicUrl: options.publicUrl, clientDir: options.clientDir, health: () => health(store, cluster, owner) }),
  });
  await server.listen(options.port);
  watchEventLoop();
  // socket.io (the long-polling fallback) on the same port: after listen, so it answers its own
  // path before Colyseus's router does; before the request guard, which then fronts it too.
  const socketIo = attachSocketIo(server, { maxHttpBufferBytes: limits.websocketMessageBytes, maxSessions: limits.socketIoSessions });
  const guard = guardRequests(httpServer, limits);
  // Classrooms that were running when the server stopped come back before anyone new is seated;
  // their clients' automatic reconnections find their seats re-armed.
  guard.close("The server is restarting: try again in a moment.");
  const restored = await restoreSessions(store, matchMaker.presence, owner, limits);
  guard.open();
  if (restored.restored.length || restored.ended.length) console.log(`Restored ${restored.restored.length} session(s)${restored.ended.length ? `; ended ${restored.ended.length} abandoned one(s)` : ""}.`);
  return {
    server,
    store,
    port: options.port,
    restored,
    async close() {
      await server.gracefullyShutdown(false);
      socketIo.shutdown();
      await Promise.all(CLOSING_WRITES);
      await store.close();
    },
    async stopForRestart() {
      guard.close("The server is restarting: try again in a moment.");
      await Promise.all([...LIVE_CLASSROOMS].map((room) => room.prepareForRestart()));
      await store.close();
      // Let the "restarting" notices leave the sockets before the process goes.
      await new Promise((resolve) => setTimeout(resolve, 200));
    },
  };
}

/** What /healthz reports: this process, its classrooms and clients, and whether Redis and the store answer. */
export interface Health {
  ok: boolean;
  processId: string;
  /** PROCESS_NAME (or PUBLIC_ADDRESS): the name this process restores its sessions under. */
  processName: string;
  rooms: number;
  clients: number;
  redis: "none" | "ready" | "down";
  store: { kind: string; ok: boolean };
  /** False when this process must not create sessions (Redis or the store is down). */
  acceptingSessions: boolean;
  /** How late the event loop ran over the last full 10 s window, ms: a busy process answers everyone late by about this much. */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

/** The event loop's delay, sampled every 20 ms, reported per 10 s window (the last complete one). */
const LOOP_WINDOW_MS = 10_000;
let loopDelay: Health["eventLoopDelayMs"] = { p50: 0, p99: 0, max: 0 };
let loopMonitor: ReturnType<typeof monitorEventLoopDelay> | null = null;
function watchEventLoop(): void {
  if (loopMonitor) return;
  const monitor = monitorEventLoopDelay({ resolution: 20 });
  loopMonitor = monitor;
  monitor.enable();
  const ms = (ns: number) => Math.round(ns / 1e5) / 10;
  setInterval(() => {
    loopDelay = { p50: ms(monitor.percentile(50)), p99: ms(monitor.percentile(99)), max: ms(monitor.max) };
    monitor.reset();
  }, LOOP_WINDOW_MS).unref();
}

async function health(store: SessionStore, cluster: ScaleOut, processName: string): Promise<Health> {
  const redis = cluster.redisStatus();
  const storeOk = await store.healthy();
  const rooms = [...LIVE_CLASSROOMS];
  const acceptingSessions = redis !== "down" && storeOk;
  return {
    ok: acceptingSessions,
    processId: matchMaker.processId,
    processName,
    rooms: rooms.length,
    clients: rooms.reduce((sum, room) => sum + room.clients.length, 0),
    redis,
    store: { kind: store.kind, ok: storeOk },
    acceptingSessions,
    eventLoopDelayMs: loopDelay,
  };
}
