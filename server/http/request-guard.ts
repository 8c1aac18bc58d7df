import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Limits } from "../limits.ts";

/** The matchmaker methods a browser may call: join a classroom by its code, or take a seat back. */
export const OPEN_MATCHMAKE_METHODS: readonly string[] = ["joinById", "reconnect"];

const FORWARDING_HEADERS = ["x-real-ip", "x-forwarded-for", "x-client-ip"] as const;

/**
 * Who the client is, as every later handler will read it: Colyseus takes the client's address from
 * X-Real-IP / X-Forwarded-For, which anyone can forge. Unless a trusted proxy sets them, they are
 * replaced by the socket's own address, so per-address limits count real addresses.
 */
export function normaliseClientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? String(req.headers["x-real-ip"] ?? req.headers["x-forwarded-for"] ?? "").split(",")[0]!.trim() : "";
  const address = forwarded || req.socket.remoteAddress || "unknown";
  for (const header of FORWARDING_HEADERS) delete req.headers[header];
  req.headers["x-real-ip"] = address;
  return address;
}

function refuse(res: ServerResponse, status: number, error: string): void {
  const body = JSON.stringify({ error });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/**
 * The door in front of everything on the HTTP port, installed after Colyseus has bound its routes:
 * normalises the client's address and refuses, before any body is read, what no classroom needs —
 * matchmaker methods other than joinById/reconnect (a stranger could otherwise be seated in a
 * random classroom, or create rooms that belong to no session) and oversized bodies.
 */
export function guardRequests(server: Server, limits: Limits): RequestGuard {
  const listeners = server.listeners("request") as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners("request");
  let closedBecause: string | null = null;
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    normaliseClientAddress(req, limits.trustProxy);
    const path = (req.url ?? "/").split("?")[0]!;
    const declared = Number(req.headers["content-length"] ?? 0);
    // While the server restores its classrooms (or is about to stop), nobody new is seated.
    if (closedBecause && (path.startsWith("/matchmake/") || (req.method === "POST" && path === "/api/sessions"))) return refuse(res, 503, closedBecause);
    if (path.startsWith("/matchmake/")) {
      const method = path.split("/")[2] ?? "";
      if (req.method === "POST" && !OPEN_MATCHMAKE_METHODS.includes(method)) return refuse(res, 403, "Join a classroom with its code.");
      const chunked = req.headers["transfer-encoding"] !== undefined;
      if (declared > limits.matchmakeBodyBytes || (req.method === "POST" && chunked)) return refuse(res, 413, `Request body too large (at most ${limits.matchmakeBodyBytes} bytes).`);
    } else if (declared > limits.apiBodyBytes) {
      return refuse(res, 413, `Request body too large (at most ${limits.apiBodyBytes} bytes).`);
    }
    for (const listener of listeners) listener.call(server, req, res);
  });
  // WebSocket upgrades skip "request": their address is normalised too, before Colyseus reads it.
  server.prependListener("upgrade", (req: IncomingMessage) => normaliseClientAddress(req, limits.trustProxy));
  return {
    close(reason) {
      closedBecause = reason;
    },
    open() {
      closedBecause = null;
    },
  };
}

/** Opens and closes the doors that seat someone new (the matchmaker, session creation). */
export interface RequestGuard {
  /** Until `open()`, those doors answer 503 with `reason`. */
  close(reason: string): void;
  open(): void;
}
