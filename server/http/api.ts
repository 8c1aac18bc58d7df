import express from "express";
import type { Application, ErrorRequestHandler, Request, Response } from "express";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { matchMaker } from "@colyseus/core";
import { replay } from "../../shared/engine/replay.ts";
import { hashHostToken, hostTokenMatches, newHostToken } from "../host-token.ts";
import { joinAddress } from "../join-address.ts";
import { claimCode, normaliseCode } from "../join-code.ts";
import type { Limits } from "../limits.ts";
import { RateLimiter } from "../rate-limit.ts";
import { resultsCsv } from "../store/results-csv.ts";
import type { SessionStore } from "../store/session-store.ts";
import type { Health } from "../app.ts";

export interface ApiOptions {
  store: SessionStore;
  limits: Limits;
  /** This process's name in the store: sessions it creates are its own to restore. */
  owner: string;
  /** This process's health (server/app.ts): /healthz, and whether it may create sessions. */
  health(): Promise<Health>;
  port: number;
  publicUrl?: string | undefined;
  clientDir?: string | undefined;
}

/** A live session by its join code, through the matchmaker (one read, on every process with the Redis driver). */
async function liveSession(code: string) {
  return (await matchMaker.findRoomsByIds([code])).get(code) ?? null;
}

/** The host proves itself with the token in a header (or ?token= for plain download links). */
function presentedToken(req: Request): unknown {
  return req.get("x-host-token") ?? req.query.token;
}

/** Live sessions on every process (each process counts its own rooms in the shared stats). */
async function liveSessionCount(): Promise<number> {
  const all = await matchMaker.stats.fetchAll();
  return all.length ? all.reduce((sum, s) => sum + s.roomCount, 0) : matchMaker.stats.local.roomCount;
}

/** The HTTP API and the built client, on the express app Colyseus shares its port with. */
export function mountApi(app: Application, options: ApiOptions): void {
  const { store, limits } = options;
  const sessionsPerAddress = new RateLimiter(limits.sessionsPerAddressPerHour / 3_600, limits.sessionsPerAddressPerHour);
  app.disable("x-powered-by");
  app.use(express.json({ limit: limits.apiBodyBytes }));

  app.get("/healthz", async (_req, res) => {
    const health = await options.health();
    res.status(health.ok ? 200 : 503).json(health);
  });

  app.get("/api/join-address", (req, res) => {
    res.json(joinAddress({ publicUrl: options.publicUrl, requestHost: req.get("host"), protocol: req.protocol, port: options.port }));
  });

  app.post("/api/sessions", async (req, res) => {
    const address = req.get("x-real-ip") ?? "unknown";
    if (!sessionsPerAddress.allow(address, Date.now())) {
      res.status(429).json({ error: `Too many new games from this network: at most ${limits.sessionsPerAddressPerHour} an hour. Reuse a game you created, or try again later.` });
      return;
    }
    // A process cut off from Redis or its store says so rather than create a session nobody can reach.
    if (!(await options.health()).acceptingSessions) {
      res.status(503).json({ error: "This server can't start new games right now (it lost its connection to Redis or its database). Try again in a moment." });
      return;
    }
    if ((await liveSessionCount()) >= limits.maxLiveSessions) {
      res.status(503).json({ error: "The server is running as many games as it can. Try again in a few minutes." });
      return;
    }
    const code = await claimCode(matchMaker.presence);
    const hostToken = newHostToken();
    await store.createSession(code, hashHostToken(hostToken), Date.now(), options.owner);
    const room = await matchMaker.createRoom("classroom", { code });
    res.status(201).json({ code, roomId: room.roomId, hostToken });
  });

  app.get("/api/sessions/:code", async (req, res) => {
    const code = normaliseCode(String(req.params.code));
    const room = code ? await liveSession(code) : null;
    if (room) {
      const meta = (room.metadata ?? {}) as { phase?: string; playerCount?: number; locked?: boolean };
      res.json({ roomId: room.roomId, phase: meta.phase ?? "lobby", playerCount: meta.playerCount ?? 0, locked: meta.locked ?? false });
      return;
    }
    const stored = code ? await store.session(code) : null;
    if (stored) {
      res.status(410).json({ error: "This game has ended. Ask your teacher for the new code.", ended: true, endedAt: stored.endedAt });
      return;
    }
    res.status(404).json({ error: "No game with that code. Check the code on the projector." });
  });

  const requireHost = async (req: Request, res: Response): Promise<string | null> => {
    const code = normaliseCode(String(req.params.code));
    if (!code || !hostTokenMatches(presentedToken(req), await store.hostTokenHash(code))) {
      res.status(403).json({ error: "The host token is missing or wrong." });
      return null;
    }
    return code;
  };
  app.get("/api/sessions/:code/results.csv", async (req, res) => {
    const code = await requireHost(req, res);
    if (!code) return;
    res.type("text/csv").attachment(`l2arena-${code}-results.csv`).send(resultsCsv(await store.results(code)));
  });
  app.get("/api/sessions/:code/results.json", async (req, res) => {
    const code = await requireHost(req, res);
    if (!code) return;
    const rounds = (await store.rounds(code)).map(({ log: _log, ...round }) => round);
    res.attachment(`l2arena-${code}-results.json`).json({ code, rounds, results: await store.results(code) });
  });
  app.get("/api/sessions/:code/rounds/:index/replay", async (req, res) => {
    const code = await requireHost(req, res);
    if (!code) return;
    const round = (await store.rounds(code)).find((r) => r.index === Number(req.params.index));
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
    // Client-side routes (/join, /host, /projector, /play) all load the single page.
    app.get(/^\/(join|host|projector|play|results)(\/.*)?$/, (_req, res) => res.sendFile(join(clientDir, "index.html")));
  }
  app.use(jsonErrors);
}

/** Express's own errors (a malformed or oversized body…) as one short JSON line: no stack, no server paths. */
const jsonErrors: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  const status = typeof error === "object" && error !== null && "status" in error && typeof error.status === "number" ? error.status : 500;
  const message = status === 413 ? "Request body too large." : status === 400 ? "Malformed request." : "Something went wrong on the server.";
  if (status >= 500) console.error("HTTP error:", error instanceof Error ? error.message : error);
  res.status(status).json({ error: message });
};
