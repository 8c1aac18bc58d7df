import { CloseCode } from "@colyseus/sdk";
import type { ITransport, ITransportEventMap } from "@colyseus/sdk/transport/ITransport";
import { io } from "socket.io-client";
import type { Socket } from "socket.io-client";
import { SOCKETIO_EVENTS, clientCloseCode, isCloseCode, socketIoTarget } from "../../shared/protocol/transport.ts";

/** How long a socket.io handshake may take before the attempt counts as failed, ms. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The Colyseus SDK's transport over socket.io, for Node clients (headless bots, the load bench,
 * integration tests): what the SDK's WebSocketTransport does, over long-polling. Installed on the
 * SDK's Connection by ./sdk-client.ts; the browser has its own in client/src/net/.
 */
export class SdkSocketIoTransport implements ITransport {
  readonly events: ITransportEventMap;
  readonly #pollingOnly: boolean;
  #socket: Socket | null = null;
  #announced: number | null = null;
  #reason = "";

  constructor(events: ITransportEventMap, options: { pollingOnly: boolean }) {
    this.events = events;
    this.#pollingOnly = options.pollingOnly;
  }

  get isOpen(): boolean {
    return this.#socket?.connected === true;
  }

  /** Opens one socket.io session for the room URL the SDK built (the SDK calls this again to reconnect). */
  connect(url: string): void {
    this.#detach();
    const target = socketIoTarget(url);
    // One attempt, no socket.io reconnection and no shared manager: the SDK owns retries and seats.
    const socket = io(target.origin, {
      path: target.path,
      auth: target.handshake,
      transports: this.#pollingOnly ? ["polling"] : ["polling", "websocket"],
      upgrade: !this.#pollingOnly,
      reconnection: false,
      forceNew: true,
      timeout: CONNECT_TIMEOUT_MS,
    });
    this.#socket = socket;
    this.#announced = null;
    this.#reason = "";
    socket.on("connect", () => this.events.onopen?.({ type: "open" }));
    socket.on(SOCKETIO_EVENTS.frame, (data: unknown) => {
      const frame = typeof data === "string" ? Buffer.from(data, "base64") : data instanceof Uint8Array || data instanceof ArrayBuffer ? data : null;
      if (frame) this.events.onmessage?.({ data: frame });
    });
    socket.on(SOCKETIO_EVENTS.close, (code: unknown, reason: unknown) => {
      if (isCloseCode(code)) this.#announced = code;
      if (typeof reason === "string") this.#reason = reason.slice(0, 123);
    });
    socket.on("disconnect", (reason) => this.#ended(socket, reason));
    socket.on("connect_error", (error) => {
      this.#reason = error.message;
      this.#ended(socket, "connect_error");
    });
  }

  send(data: Buffer | Uint8Array): void {
    const socket = this.#socket;
    if (!socket?.connected) return;
    // The SDK writes every message into one shared buffer and socket.io sends later: send a copy,
    // as base64 text while on long-polling (see SOCKETIO_EVENTS).
    const polling = socket.io.engine?.transport.name === "polling";
    socket.emit(SOCKETIO_EVENTS.frame, polling ? Buffer.from(data).toString("base64") : new Uint8Array(data));
  }

  /** No unreliable channel, as on WebSocket: the same ordered delivery. */
  sendUnreliable(data: Buffer | Uint8Array): void {
    this.send(data);
  }

  close(code?: number, reason?: string): void {
    const socket = this.#socket;
    if (!socket) return;
    if (code === CloseCode.MAY_TRY_RECONNECT) {
      // Like the SDK's WebSocket: report at once (the browser went offline) so reconnection starts now.
      this.#detach();
      this.events.onclose?.({ code, reason });
      return;
    }
    if (code !== undefined && socket.connected) socket.emit(SOCKETIO_EVENTS.close, code, reason ?? "");
    this.#announced = code ?? CloseCode.NO_STATUS_RECEIVED;
    this.#reason = reason ?? "";
    socket.disconnect();
  }

  #ended(socket: Socket, disconnectReason: string): void {
    if (socket !== this.#socket) return;
    this.#socket = null;
    socket.removeAllListeners();
    socket.disconnect();
    const event = { code: clientCloseCode(this.#announced, disconnectReason), reason: this.#reason };
    // A WebSocket reports its close from the event loop, never inside the call that caused it.
    queueMicrotask(() => this.events.onclose?.(event));
  }

  #detach(): void {
    const socket = this.#socket;
    this.#socket = null;
    if (!socket) return;
    socket.removeAllListeners();
    socket.disconnect();
  }
}
