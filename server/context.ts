import type { Limits } from "./limits.ts";
import type { SessionStore } from "./store/session-store.ts";

/** Process-wide services the rooms use; set once by the app before any room is created. */
export interface ServerContext {
  store: SessionStore;
  limits: Limits;
  /** Seconds a dropped player (and the host) may take to come back with the same identity. */
  reconnectSeconds: number;
  hostReconnectSeconds: number;
  /** Room tick (ms of wall clock between engine advances) and bot turn interval. */
  tickMs: number;
  botTurnMs: number;
  /** Game ms per wall ms: 1 in class; tests compress time to finish rounds quickly. */
  timeScale: number;
  /** False only to measure the write-ahead log's cost (L2ARENA_WAL=off in bench:load): then nothing survives a restart. */
  writeAheadLog?: boolean;
}

let current: ServerContext | null = null;

export function setServerContext(context: ServerContext): void {
  current = context;
}

export function serverContext(): ServerContext {
  if (!current) throw new Error("server context not set");
  return current;
}
