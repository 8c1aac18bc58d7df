import { CloseCode } from "@colyseus/sdk";
import type { ITransport, ITransportEventMap } from "@colyseus/sdk/transport/ITransport";
import { io } from "socket.io-client";
import type { Socket } from "socket.io-client";
import { SOCKETIO_EVENTS, clientCloseCode, isCloseCode, socketIoTarget } from "../../../shared/protocol/transport.ts";

/** How long a socket.io handshake (over plain HTTP) may take before the attempt counts as failed, ms. */
const CONNECT_TIMEOUT_MS = 15_000;

function toBase64(bytes: Uint8Array): string {
  let text = "";
  // String.fromCharCode takes arguments: go in slices that stay well under engines' argument limits.
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The Colyseus SDK's transport over socket.io in the browser: HTTP long-polling, which school
 * proxies pass, upgrading itself to a WebSocket when the network lets it (unless `pollingOnly`).
 * Speaks the wire contract of shared/protocol/transport.ts to server/transport/socketio-transport.ts.
 */
export class SocketIoTransport implements ITransport {
  readonly events: ITransportEventMap;
  readonly #pollingOnly: boolean;
  readonly #onOpen: () => void;
  readonly #onUpgrade: () => void;
  #socket: Socket | null = null;
  #announced: number | null = null;
  #reason = "";

  /** `onOpen`: a session opened; `onUpgrade`: socket.io moved it from long-polling onto a WebSocket. */
  constructor(events: ITransportEventMap, options: { pollingOnly: boolean; onOpen?: () => void; onUpgrade?: () => void }) {
    this.events = events;
    this.#pollingOnly = options.pollingOnly;
    this.#onOpen = options.onOpen ?? (() => undefined);
    this.#onUpgrade = options.onUpgrade ?? (() => undefined);
  }

  get isOpen(): boolean {
    return this.#socket?.connected === true;
  }

  /** Opens one socket.io session for the room URL the SDK built (the SDK calls this again to reconnect). */
  connect(url: string): void {
    this.#detach();
    const target = socketIoTarget(url);
    // One attempt, no socket.io reconnection, no shared manager: the SDK owns retries and seats.
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
    socket.on("connect", () => {
      socket.io.engine.on("upgrade", () => this.#onUpgrade());
      this.#onOpen();
      this.events.onopen?.({ type: "open" });
    });
    socket.on(SOCKETIO_EVENTS.frame, (data: unknown) => {
      const frame = typeof data === "string" ? fromBase64(data) : data instanceof ArrayBuffer || data instanceof Uint8Array ? data : null;
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
    socket.emit(SOCKETIO_EVENTS.frame, polling ? toBase64(data) : new Uint8Array(data));
  }

  /** No unreliable channel, as on WebSocket: the same ordered delivery. */
  sendUnreliable(data: Buffer | Uint8Array): void {
    this.send(data);
  }

  close(code?: number, reason?: string): void {
    const socket = this.#socket;
    if (!socket) return;
    if (code === CloseCode.MAY_TRY_RECONNECT) {
      // Like the SDK's WebSocket: the browser went offline; report now so reconnection starts at once.
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
