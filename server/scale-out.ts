import { RedisDriver } from "@colyseus/redis-driver";
import { RedisPresence } from "@colyseus/redis-presence";
import type { MatchMakerDriver, Presence } from "@colyseus/core";

/**
 * How this process finds the others: on its own (local presence and matchmaking, the default), or
 * with Redis (`REDIS_URL`), where every process sees every classroom, join codes are claimed in one
 * place and a join through any process reaches the one that runs the room. Each process then needs
 * a `PUBLIC_ADDRESS` clients can reach: the matchmaker sends them there for the socket.
 */
export interface ScaleOut {
  presence?: Presence;
  driver?: MatchMakerDriver;
  publicAddress?: string;
  /** "none" without Redis; else whether this process is connected to it right now. */
  redisStatus(): "none" | "ready" | "down";
}

interface RedisConnection {
  status: string;
  on(event: "error", listener: (error: Error) => void): unknown;
}

/** Local by default; Redis presence and driver when `redisUrl` is given. */
export function scaleOut(options: { redisUrl?: string | undefined; publicAddress?: string | undefined }): ScaleOut {
  if (!options.redisUrl) return { redisStatus: () => "none", ...(options.publicAddress ? { publicAddress: options.publicAddress } : {}) };
  const presence = new RedisPresence(options.redisUrl);
  const driver = new RedisDriver(options.redisUrl);
  const connections = [(presence as unknown as { pub: RedisConnection }).pub, (presence as unknown as { sub: RedisConnection }).sub];
  // ioredis reconnects by itself; without a listener every failed attempt would be an "unhandled error" line.
  let lastLogged = 0;
  for (const connection of connections) {
    connection.on("error", (error) => {
      if (Date.now() - lastLogged < 10_000) return;
      lastLogged = Date.now();
      console.error(`Redis: ${error.message} (new sessions refused until it is back)`);
    });
  }
  return {
    presence,
    driver,
    ...(options.publicAddress ? { publicAddress: options.publicAddress } : {}),
    // Colyseus closes both connections in its own shutdown.
    redisStatus: () => (connections.every((c) => c.status === "ready") ? "ready" : "down"),
  };
}
