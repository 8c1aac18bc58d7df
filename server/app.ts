import { createServer } from "node:http";
import { defineRoom, defineServer, matchMaker } from "@colyseus/core";
import type { Server } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { ClassroomRoom } from "./classroom-room.ts";
import { nativeEd25519Verifier } from "./crypto/native-ed25519-verifier.ts";
import { setServerContext } from "./context.ts";
import type { ServerContext } from "./context.ts";
import { mountApi } from "./http/api.ts";
import { OPEN_MATCHMAKE_METHODS, guardRequests } from "./http/request-guard.ts";
import { limitsFromEnv } from "./limits.ts";
import type { Limits } from "./limits.ts";
import { Store } from "./store.ts";
import { setSignatureVerifier } from "../shared/crypto/signature-verifier.ts";
import { attachSocketIo } from "./transport/socketio-transport.ts";

export interface AppOptions {
  port: number;
  /** SQLite file; ":memory:" for tests. */
  databasePath: string;
  /** Built client to serve at /, if present. */
  clientDir?: string;
  /** Where students reach this server when it sits behind a proxy or a domain (PUBLIC_URL). */
  publicUrl?: string;
  context?: Partial<Omit<ServerContext, "store" | "limits">>;
  /** Overrides of the limits read from the environment (tests). */
  limits?: Partial<Limits>;
}

export interface RunningApp {
  server: Server;
  store: Store;
  port: number;
  close(): Promise<void>;
}

/** Starts the HTTP API, the Colyseus rooms and the static client on one port. */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  setSignatureVerifier(nativeEd25519Verifier()); // the engine checks signatures with OpenSSL (same verdicts as noble, ~20× faster)
  const store = new Store(options.databasePath);
  const limits: Limits = { ...limitsFromEnv(), ...options.limits };
  setServerContext({ store, limits, reconnectSeconds: 30, hostReconnectSeconds: 300, tickMs: 250, botTurnMs: 1000, timeScale: 1, ...options.context });
  // Only a classroom's code opens it: the matchmaker's join, joinOrCreate and create stay closed.
  matchMaker.controller.exposedMethods = [...OPEN_MATCHMAKE_METHODS];
  const httpServer = createServer();
  const server = defineServer({
    greet: false,
    // Every WebSocket message is a few hundred bytes; 4 KB (the ws-transport default) is the ceiling.
    transport: new WebSocketTransport({ server: httpServer, maxPayload: 4 * 1024 }),
    rooms: { classroom: defineRoom(ClassroomRoom) },
    express: (app) => mountApi(app, { store, limits, port: options.port, publicUrl: options.publicUrl, clientDir: options.clientDir }),
  });
  await server.listen(options.port);
  // socket.io (the long-polling fallback) on the same port: after listen, so it answers its own
  // path before Colyseus's router does; before the request guard, which then fronts it too.
  const socketIo = attachSocketIo(server);
  guardRequests(httpServer, limits);
  return {
    server,
    store,
    port: options.port,
    async close() {
      await server.gracefullyShutdown(false);
      socketIo.shutdown();
      store.close();
    },
  };
}
