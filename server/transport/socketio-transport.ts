import { createServer } from "node:http";
import type { Server as HttpServer } from "node:http";
import { CloseCode, ErrorCode, Transport, connectClientToRoom, createAuthContext, debugAndPrintError, isDevMode, matchMaker } from "@colyseus/core";
import type { Server as ColyseusServer } from "@colyseus/core";
import { WebSocketClient } from "@colyseus/ws-transport";
import { Server as SocketIoServer } from "socket.io";
import type { Socket } from "socket.io";
import { SOCKETIO_PATH, socketIoHandshake } from "../../shared/protocol/transport.ts";
import { SocketIoConnection, simulateSocketIoLatency } from "./socketio-connection.ts";
import { reserveUpgradePrefix } from "./upgrade-routing.ts";

/** The socket.io door's limits; each one bounds what a client can make this process hold. */
export interface SocketIoLimits {
  /**
   * Largest long-polling request body, and largest message once upgraded, bytes. 4 KB, like the
   * WebSocket door's `maxPayload` and the HTTP API's body limit in front of every request; the
   * client splits its queue into requests of at most this size (engine.io tells it in the
   * handshake). Frames travel base64 in a polling body, so one frame may be up to about 3 KB there;
   * the largest client message (a 12-round lesson plan) is about 1 KB.
   */
  maxHttpBufferBytes: number;
  /** Heartbeat: the server pings every `pingIntervalMs` and drops a client silent for `pingTimeoutMs` more (≤ 9 s, like ws-transport's 3 s × 2 misses + 3 s). */
  pingIntervalMs: number;
  pingTimeoutMs: number;
  /** A session must name its seat (socket.io's namespace connect) within this, ms. */
  connectTimeoutMs: number;
  /** A long-polling request body must arrive within this, ms. */
  requestBodyTimeoutMs: number;
  /** socket.io sessions this process holds at once (a room holds at most 2,100 clients); handshakes over it are refused. */
  maxSessions: number;
}

export const SOCKETIO_LIMITS: SocketIoLimits = {
  maxHttpBufferBytes: 4 * 1024,
  pingIntervalMs: 5_000,
  pingTimeoutMs: 4_000,
  connectTimeoutMs: 5_000,
  requestBodyTimeoutMs: 10_000,
  maxSessions: 4_000,
};

/**
 * socket.io (HTTP long-polling, upgrading to WebSocket) carrying the Colyseus room protocol beside
 * Colyseus's own WebSocket transport, on the same HTTP server and port, under SOCKETIO_PATH. Each
 * connection names its reserved seat in the handshake and joins through `connectClientToRoom`,
 * exactly as @colyseus/ws-transport does, so the room cannot tell the two apart.
 */
export class SocketIoTransport extends Transport {
  readonly io: SocketIoServer;
  #ownsServer = false;

  constructor(limits: Partial<SocketIoLimits> = {}) {
    super();
    const l = { ...SOCKETIO_LIMITS, ...limits };
    this.io = new SocketIoServer({
      path: SOCKETIO_PATH,
      serveClient: false,
      transports: ["polling", "websocket"],
      allowUpgrades: true,
      perMessageDeflate: false,
      maxHttpBufferSize: l.maxHttpBufferBytes,
      // A 4 KB body arrives in a chunk or two; a trickle of thousands is an attack.
      maxBufferedChunks: 64,
      httpRequestBodyTimeout: l.requestBodyTimeoutMs,
      pingInterval: l.pingIntervalMs,
      pingTimeout: l.pingTimeoutMs,
      connectTimeout: l.connectTimeoutMs,
      // Under Redis scale-out the page may come from one process and poll another (its seat's
      // publicAddress): allow any origin, as Colyseus's matchmaker does. No cookies are used.
      cors: { origin: true, credentials: false },
      allowRequest: (_req, answer) => {
        if (this.io.engine.clientsCount >= l.maxSessions) answer("This server is full; try again in a minute.", false);
        else answer(null, true);
      },
    });
    this.io.on("connection", (socket) => {
      // An unhandled rejection would take the whole process, every classroom with it, down.
      this.#onConnection(socket).catch((error: unknown) => {
        console.error("socket.io connection failed:", error);
        socket.disconnect(true);
      });
    });
  }

  /** Serves socket.io on `server` (already serving Colyseus: attach after its listen, so socket.io sees requests first). */
  attach(server: HttpServer): this {
    this.server = server;
    reserveUpgradePrefix(server, `${SOCKETIO_PATH}/`);
    // engine.io takes over the "request" listeners present now (Colyseus's router and express)
    // and answers SOCKETIO_PATH itself; it must not end upgrades meant for Colyseus.
    this.io.attach(server, { destroyUpgrade: false });
    return this;
  }

  /** Standalone: its own HTTP server, which answers 404 to anything but socket.io. */
  listen(port?: number | string, hostname?: string, backlog?: number, listeningListener?: () => void): this {
    const server = createServer((_req, res) => res.writeHead(404).end());
    this.#ownsServer = true;
    this.attach(server);
    server.listen(Number(port ?? 0), hostname, backlog, listeningListener);
    return this;
  }

  /** Closes every socket.io session; the HTTP server stays up unless this transport created it. */
  shutdown(): void {
    this.io.disconnectSockets(true);
    this.io.engine.close();
    if (this.#ownsServer) this.server?.close();
  }

  simulateLatency(milliseconds: number): void {
    simulateSocketIoLatency(milliseconds);
  }

  /** A socket.io session is a Colyseus connection: find its reserved seat and join it, as ws-transport does. */
  async #onConnection(socket: Socket): Promise<void> {
    const parsed = socketIoHandshake.safeParse(socket.handshake.auth);
    const connection = new SocketIoConnection(socket);
    // Colyseus's own WebSocket client drives the connection (it has a ws WebSocket's face): the
    // room runs the same client code, with the same rate counters and close handling, on both transports.
    const client = new WebSocketClient(parsed.success ? parsed.data.sessionId : "", connection as unknown as ConstructorParameters<typeof WebSocketClient>[1]);
    if (!parsed.success) {
      client.error(ErrorCode.MATCHMAKE_INVALID_CRITERIA, "The socket.io handshake must name a room and a reserved seat.", () => connection.close(CloseCode.WITH_ERROR));
      return;
    }
    const { roomId, reconnectionToken, skipHandshake, authToken } = parsed.data;
    const context = createAuthContext({
      headers: socket.request.headers as Record<string, string | undefined>,
      token: authToken ?? null,
      remoteAddress: socket.conn.remoteAddress,
    });
    try {
      await connectClientToRoom(matchMaker.getLocalRoomById(roomId), client, context, {
        ...(reconnectionToken ? { reconnectionToken } : {}),
        ...(skipHandshake ? { skipHandshake } : {}),
      });
    } catch (error) {
      debugAndPrintError(error instanceof Error ? error : String(error));
      const { code, message } = error as { code?: number; message?: string };
      // Same answer as ws-transport: the error, then a close the SDK understands (retry only in devMode).
      const closeCode = reconnectionToken ? (isDevMode ? CloseCode.MAY_TRY_RECONNECT : CloseCode.FAILED_TO_RECONNECT) : CloseCode.WITH_ERROR;
      client.error(code ?? ErrorCode.APPLICATION_ERROR, message ?? "", () => connection.close(closeCode));
    }
  }
}

/** Puts socket.io beside Colyseus's WebSocket on the listening Colyseus server's HTTP server. */
export function attachSocketIo(server: ColyseusServer, limits: Partial<SocketIoLimits> = {}): SocketIoTransport {
  const httpServer = server.transport.server;
  if (!httpServer || !("listening" in httpServer) || !httpServer.listening) throw new Error("attachSocketIo needs a listening Colyseus server (call it after listen()).");
  return new SocketIoTransport(limits).attach(httpServer as HttpServer);
}
