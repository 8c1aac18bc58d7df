import { z } from "zod";

/**
 * The two transports that carry the same Colyseus room protocol: Colyseus's own WebSocket, and
 * socket.io (HTTP long-polling that upgrades to WebSocket when the network lets it) for school
 * networks that cut WebSocket. Both sides of the socket.io wire read this one contract.
 */

/** How a player is connected right now, as the host console shows it (`Player.transport`). */
export const TRANSPORTS = {
  /** Colyseus's WebSocket: the normal case. */
  websocket: "websocket",
  /** socket.io over HTTP long-polling: the fallback. */
  polling: "polling",
  /** Came in through the socket.io fallback, which has since upgraded itself to a WebSocket. */
  socketIoWebSocket: "socketio-websocket",
} as const;
export type TransportKind = (typeof TRANSPORTS)[keyof typeof TRANSPORTS];

/**
 * What a client asks for. `auto`: WebSocket first, socket.io if it does not open (the browser's
 * default). `socketio`: socket.io from the start, upgrading when it can. `polling`: socket.io held
 * to long-polling (what a WebSocket-blocking network amounts to; tests and the load bench use it).
 */
export const TRANSPORT_PREFERENCES = ["auto", "websocket", "socketio", "polling"] as const;
export type TransportPreference = (typeof TRANSPORT_PREFERENCES)[number];

/** True for one of TRANSPORT_PREFERENCES (page parameter, CLI flag). */
export function isTransportPreference(value: unknown): value is TransportPreference {
  return typeof value === "string" && (TRANSPORT_PREFERENCES as readonly string[]).includes(value);
}

/**
 * Query parameter that marks a Colyseus room URL for socket.io (value: `socketio` or `polling`).
 * Node clients set it per SDK client (see server/transport/sdk-transport.ts); the WebSocket
 * transport ignores unknown parameters, so an unmarked URL behaves exactly as before.
 */
export const TRANSPORT_PARAM = "transport";

/** Where socket.io listens on a server process; behind a path-prefix proxy it is `<prefix>/socket.io`. */
export const SOCKETIO_PATH = "/socket.io";

/**
 * socket.io event names. `frame` carries one Colyseus protocol frame either way: as bytes over a
 * WebSocket, as a base64 string over long-polling. Polling bodies are text, so socket.io would
 * base64 the bytes anyway, in two packets (a placeholder and the attachment) whose size
 * engine.io-client underestimates when it packs a request up to the server's limit; one text packet
 * is smaller and measured exactly. A receiver takes either form. `close` carries a WebSocket-style
 * close code (socket.io has none), sent just before disconnecting.
 */
export const SOCKETIO_EVENTS = { frame: "m", close: "close" } as const;

/** A close code a peer may send: an integer WebSocket would accept (1000–4999). */
export function isCloseCode(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1000 && value <= 4999;
}

/**
 * The close code a socket.io client reports when its socket disconnects, as a browser WebSocket
 * would: the code the server announced, else 1005 (closed without a code) when the server closed
 * it on purpose, else 1006 (the connection was lost), which the SDK answers by reconnecting.
 */
export function clientCloseCode(announced: number | null, disconnectReason: string): number {
  if (announced !== null) return announced;
  return disconnectReason === "io server disconnect" ? 1005 : 1006;
}

/** Colyseus ids (room, session, reconnection token): what ws-transport accepts in its URL. */
const colyseusId = z.string().min(1).max(64).regex(/^[a-zA-Z0-9_-]+$/);

/**
 * The socket.io handshake (`auth`): what a WebSocket client puts in its URL, as data. The server
 * parses it with this schema before it looks for the reserved seat.
 */
export const socketIoHandshake = z.strictObject({
  roomId: colyseusId,
  sessionId: colyseusId,
  reconnectionToken: colyseusId.optional(),
  /** The client already holds the state's schema (a reconnection): skip sending it again. */
  skipHandshake: z.boolean().optional(),
  /** Colyseus's optional auth token (the WebSocket URL's `_authToken`). */
  authToken: z.string().max(2_048).optional(),
});
export type SocketIoHandshake = z.infer<typeof socketIoHandshake>;

/** Where and how a socket.io client connects for one Colyseus room URL. */
export interface SocketIoTarget {
  /** http(s)://host[:port] of the process that holds the seat. */
  origin: string;
  /** socket.io path on that origin: SOCKETIO_PATH behind any path prefix of the room URL. */
  path: string;
  handshake: SocketIoHandshake;
}

/**
 * Turns the URL the Colyseus SDK would open a WebSocket on —
 * `ws(s)://<host[:port][/prefix] or publicAddress>/<processId>/<roomId>?sessionId=…` — into the
 * socket.io target on the same process. The SDK builds that URL from the seat reservation's
 * `publicAddress` when the server has one (Redis scale-out), so long-polling requests go to the
 * process that holds the room, as the WebSocket would. Like ws-transport, only the last two path
 * segments are the process and room; anything before them is a proxy prefix.
 */
export function socketIoTarget(roomUrl: string): SocketIoTarget {
  const url = new URL(roomUrl);
  const segments = url.pathname.split("/").filter((s) => s.length > 0);
  const roomId = segments.at(-1) ?? "";
  const prefix = segments.slice(0, -2).map((s) => `/${s}`).join("");
  const secure = url.protocol === "wss:" || url.protocol === "https:";
  const query = url.searchParams;
  const reconnectionToken = query.get("reconnectionToken");
  const authToken = query.get("_authToken");
  return {
    origin: `${secure ? "https" : "http"}://${url.host}`,
    path: `${prefix}${SOCKETIO_PATH}`,
    handshake: {
      roomId,
      sessionId: query.get("sessionId") ?? "",
      ...(reconnectionToken ? { reconnectionToken } : {}),
      ...(query.has("skipHandshake") ? { skipHandshake: true } : {}),
      ...(authToken ? { authToken } : {}),
    },
  };
}
