import express from "express";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { defineRoom, defineServer, matchMaker } from "@colyseus/core";
import type { Server } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { replay } from "../shared/engine/replay.ts";
import { ClassroomRoom } from "./classroom-room.ts";
import { setServerContext } from "./context.ts";
import type { ServerContext } from "./context.ts";
import { hashHostToken, hostTokenMatches, newHostToken } from "./host-token.ts";
import { claimCode, normaliseCode } from "./join-code.ts";
import { Store, resultsCsv } from "./store.ts";

export interface AppOptions {
  port: number;
  /** SQLite file; ":memory:" for tests. */
  databasePath: string;
  /** Built client to serve at /, if present. */
  clientDir?: string;
  context?: Partial<Omit<ServerContext, "store">>;
}

export interface RunningApp {
  server: Server;
  store: Store;
  port: number;
  close(): Promise<void>;
}

/** Finds a live session by its join code through the matchmaker (works across processes with the Redis driver). */
async function findSession(code: string) {
  const rooms = await matchMaker.query({ roomId: code });
  return rooms[0] ?? null;
}

/** The host proves itself with the token in a header (or ?token= for plain download links). */
function presentedToken(req: express.Request): unknown {
  return req.get("x-host-token") ?? req.query.token;
}

/** Starts the HTTP API, the Colyseus rooms and the static client on one port. */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  const store = new Store(options.databasePath);
  setServerContext({ store, reconnectSeconds: 30, hostReconnectSeconds: 300, tickMs: 250, botTurnMs: 1000, timeScale: 1, rateLimit: { perSec: 8, burst: 16 }, ...options.context });
  const server = defineServer({
    greet: false,
    transport: new WebSocketTransport(),
    rooms: { classroom: defineRoom(ClassroomRoom) },
    express: (app) => {
      app.use(express.json({ limit: "16kb" }));
      app.get("/healthz", (_req, res) => {
        res.status(200).json({ ok: true });
      });
      app.post("/api/sessions", async (_req, res) => {
        try {
          const code = await claimCode(matchMaker.presence);
          const hostToken = newHostToken();
          store.createSession(code, hashHostToken(hostToken), Date.now());
          const room = await matchMaker.createRoom("classroom", { code });
          res.status(201).json({ code, roomId: room.roomId, hostToken });
        } catch (error) {
          console.error("create session failed:", error);
          res.status(500).json({ error: "Could not create a session; try again." });
        }
      });
      app.get("/api/sessions/:code", async (req, res) => {
        const code = normaliseCode(String(req.params.code));
        const room = code ? await findSession(code) : null;
        if (!room) {
          res.status(404).json({ error: "No game with that code. Check the code on the projector." });
          return;
        }
        const meta = (room.metadata ?? {}) as { phase?: string; playerCount?: number; locked?: boolean };
        res.json({ roomId: room.roomId, phase: meta.phase ?? "lobby", playerCount: meta.playerCount ?? 0, locked: meta.locked ?? false });
      });
      const requireHost = (req: express.Request, res: express.Response): string | null => {
        const code = normaliseCode(String(req.params.code));
        if (!code || !hostTokenMatches(presentedToken(req), store.hostTokenHash(code))) {
          res.status(403).json({ error: "The host token is missing or wrong." });
          return null;
        }
        return code;
      };
      app.get("/api/sessions/:code/results.csv", (req, res) => {
        const code = requireHost(req, res);
        if (!code) return;
        res.type("text/csv").attachment(`l2arena-${code}-results.csv`).send(resultsCsv(store.results(code)));
      });
      app.get("/api/sessions/:code/results.json", (req, res) => {
        const code = requireHost(req, res);
        if (!code) return;
        const rounds = store.rounds(code).map(({ log: _log, ...round }) => round);
        res.attachment(`l2arena-${code}-results.json`).json({ code, rounds, results: store.results(code) });
      });
      app.get("/api/sessions/:code/rounds/:index/replay", (req, res) => {
        const code = requireHost(req, res);
        if (!code) return;
        const round = store.rounds(code).find((r) => r.index === Number(req.params.index));
        if (!round) {
          res.status(404).json({ error: "No such round." });
          return;
        }
        const replayed = replay(round.seed, round.config, round.log, round.endMs);
        res.json({ index: round.index, storedHash: round.finalHash, replayedHash: replayed.hash, matches: replayed.hash === round.finalHash, actions: round.log.length });
      });
      const clientDir = options.clientDir && existsSync(options.clientDir) ? resolve(options.clientDir) : null;
      if (clientDir) {
        app.use(express.static(clientDir, { index: "index.html" }));
        // Client-side routes (/join, /host, /projector) all load the single page.
        app.get(/^\/(join|host|projector|play)(\/.*)?$/, (_req, res) => res.sendFile(join(clientDir, "index.html")));
      }
    },
  });
  await server.listen(options.port);
  return {
    server,
    store,
    port: options.port,
    async close() {
      await server.gracefullyShutdown(false);
      store.close();
    },
  };
}
