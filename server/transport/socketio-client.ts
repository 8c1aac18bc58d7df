import { EventEmitter } from "node:events";
import { CloseCode, ClientState, Protocol, enqueueClientRaw, getMessageBytes } from "@colyseus/core";
import type { Client, ClientPrivate, ISendOptions } from "@colyseus/core";
import type { StateView } from "@colyseus/schema";
import type { Socket } from "socket.io";
import { SOCKETIO_EVENTS, TRANSPORTS, isCloseCode } from "../../shared/protocol/transport.ts";
import type { TransportKind } from "../../shared/protocol/transport.ts";

/** WebSocket ready states: the room checks `readyState === 1` (OPEN) after a reconnection. */
const READY = { open: 1, closing: 2, closed: 3 } as const;

/**
 * Bytes queued for a client that has not fetched them. Long-polling holds patches until the next
 * request; a client this far behind (about a minute of a big class's patches) is dropped, and the
 * SDK reconnects it with a fresh full state, instead of letting its queue grow without bound.
 */
export const MAX_PENDING_BYTES = 2 * 1024 * 1024;

let simulatedLatencyMs = 0;

/** Delays every frame sent to socket.io clients (Colyseus's `simulateLatency`, for local testing). */
export function simulateSocketIoLatency(milliseconds: number): void {
  simulatedLatencyMs = Math.max(0, milliseconds);
}

/**
 * The `ref` the room listens on: `message` (a frame) and `close` (a code), as a `ws` WebSocket emits
 * them. It also answers `send`/`close`/`readyState` like one, because after a reconnection Colyseus
 * moves the new connection's ref onto the old client object: a seat that dropped on WebSocket and
 * came back over socket.io keeps an old WebSocketClient whose methods call these.
 */
export class SocketIoRef extends EventEmitter {
  readonly #client: SocketIoClient;

  constructor(client: SocketIoClient) {
    super();
    this.#client = client;
  }

  get readyState(): number {
    return this.#client.readyState;
  }

  send(data: Uint8Array, _options?: unknown, cb?: (error?: Error) => void): void {
    this.#client.raw(data, undefined, cb);
  }

  close(code?: number, reason?: string): void {
    this.#client.leave(code, reason);
  }

  terminate(): void {
    this.#client.leave(CloseCode.ABNORMAL_CLOSURE);
  }
}

/**
 * One socket.io connection seen as a Colyseus client: what @colyseus/ws-transport's WebSocketClient
 * provides, so the room runs the same code whatever carries the bytes. Frames travel as the
 * `SOCKETIO_EVENTS.frame` event; close codes, which socket.io lacks, as `SOCKETIO_EVENTS.close`.
 */
export class SocketIoClient implements Client, ClientPrivate {
  declare "~messages": any;

  readonly id: string;
  readonly sessionId: string;
  ref: SocketIoRef;
  state: ClientState = ClientState.JOINING;
  reconnectionToken = "";
  view?: StateView;
  userData?: unknown;
  auth?: unknown;

  _enqueuedMessages: Uint8Array[] = [];
  _reconnectionToken = "";
  _joinedAt = 0;
  _numMessagesLastSecond = 0;
  _messageCountResetsAt = 0;
  _lastMessageTime = 0;

  readonly #socket: Socket;
  /**
   * The emitter of this connection's events. `ref` starts as the same object, but when another
   * connection takes this seat back, Colyseus moves the new connection's ref onto this client
   * object: this socket's late events (its close, long after the drop went unnoticed) must not
   * reach the new connection's listeners, or the room would drop the client that just came back.
   */
  readonly #events: SocketIoRef;
  #readyState: number = READY.open;
  /** The code this side closed with, or the one the peer announced before disconnecting. */
  #closeCode: number | null = null;
  #pendingBytes = 0;

  constructor(sessionId: string, socket: Socket) {
    this.id = this.sessionId = sessionId;
    this.#socket = socket;
    this.ref = this.#events = new SocketIoRef(this);
    socket.on(SOCKETIO_EVENTS.frame, (data: unknown) => this.#receive(data));
    socket.on(SOCKETIO_EVENTS.close, (code: unknown) => {
      if (this.#closeCode === null && isCloseCode(code)) this.#closeCode = code;
    });
    socket.on("disconnect", (reason) => this.#closed(reason));
    // engine.io empties its queue into a response (or the upgraded WebSocket) on "drain".
    socket.conn.on("drain", () => {
      this.#pendingBytes = 0;
    });
    socket.conn.on("upgrade", () => this.#events.emit("transport", this.transport));
  }

  /** How this client is carried right now: long-polling, or a WebSocket socket.io upgraded to. */
  get transport(): TransportKind {
    return this.#socket.conn.transport.name === "polling" ? TRANSPORTS.polling : TRANSPORTS.socketIoWebSocket;
  }

  get readyState(): number {
    return this.#readyState;
  }

  sendBytes(type: string | number, bytes: Buffer | Uint8Array, options?: ISendOptions): void {
    this.enqueueRaw(getMessageBytes.raw(Protocol.ROOM_DATA_BYTES, type, undefined, bytes), options);
  }

  send(messageOrType: any, messageOrOptions?: any, options?: ISendOptions): void {
    this.enqueueRaw(getMessageBytes.raw(Protocol.ROOM_DATA, messageOrType, messageOrOptions), options);
  }

  enqueueRaw(data: Uint8Array | Buffer, options?: ISendOptions): void {
    enqueueClientRaw(this, data, options);
  }

  raw(data: Uint8Array | Buffer, _options?: ISendOptions, cb?: (error?: Error) => void): void {
    if (this.#readyState !== READY.open) {
      cb?.(new Error("socket.io client is not open"));
      return;
    }
    // Colyseus encodes into buffers it reuses for the next patch, while socket.io keeps the frame
    // until the client's next poll: send our own copy (base64 text over polling, see SOCKETIO_EVENTS).
    const frame = this.#socket.conn.transport.name === "polling" ? Buffer.from(data).toString("base64") : Buffer.from(data);
    this.#pendingBytes += frame.length;
    if (this.#pendingBytes > MAX_PENDING_BYTES) {
      this.#drop();
      cb?.(new Error("socket.io client fell too far behind"));
      return;
    }
    const emit = () => {
      if (this.#readyState === READY.open) this.#socket.emit(SOCKETIO_EVENTS.frame, frame);
      cb?.();
    };
    if (simulatedLatencyMs > 0) setTimeout(emit, simulatedLatencyMs);
    else emit();
  }

  error(code: number, message = "", cb?: (error?: Error) => void): void {
    this.raw(getMessageBytes[Protocol.ERROR](code, message), undefined, cb);
  }

  /** Closes with `code`: the client reads it from the close event, then socket.io disconnects once the queue is fetched. */
  leave(code?: number, data?: string): void {
    if (this.#readyState !== READY.open) return;
    this.#readyState = READY.closing;
    this.#closeCode = code ?? CloseCode.NO_STATUS_RECEIVED;
    if (code !== undefined) this.#socket.emit(SOCKETIO_EVENTS.close, code, data ?? "");
    this.#socket.disconnect(true);
  }

  /** @deprecated as on WebSocketClient: use leave(). */
  close(code?: number, data?: string): void {
    this.leave(code, data);
  }

  toJSON(): { sessionId: string; readyState: number } {
    return { sessionId: this.sessionId, readyState: this.#readyState };
  }

  #receive(data: unknown): void {
    if (this.#readyState !== READY.open) return;
    // A frame is bytes, or base64 text over polling; anything else is not the Colyseus protocol and
    // is ignored, as Colyseus ignores what it cannot decode. Its size is capped before it gets here
    // (engine.io's maxHttpBufferSize); the parser hands over a fresh Buffer, so no copy is needed.
    const frame = typeof data === "string" ? Buffer.from(data, "base64") : data instanceof Uint8Array ? data : null;
    if (!frame || frame.byteLength === 0) return;
    try {
      this.#events.emit("message", Buffer.isBuffer(frame) ? frame : Buffer.from(frame));
    } catch (error) {
      // The room catches its own handlers' errors; this is the last guard before socket.io's event loop.
      console.error(`socket.io frame from ${this.sessionId} failed:`, error);
    }
  }

  /** A client too far behind: disconnect as if its network dropped (the SDK reconnects, the seat waits). */
  #drop(): void {
    if (this.#readyState !== READY.open) return;
    this.#readyState = READY.closing;
    this.#closeCode = CloseCode.ABNORMAL_CLOSURE;
    this.#socket.disconnect(true);
  }

  /** As ws reports it: the code either side closed with; 1005 for a client that closed without one; 1006 for a lost connection. */
  #closed(reason: string): void {
    if (this.#readyState === READY.closed) return;
    this.#readyState = READY.closed;
    const code = this.#closeCode ?? (reason === "client namespace disconnect" ? CloseCode.NO_STATUS_RECEIVED : CloseCode.ABNORMAL_CLOSURE);
    try {
      this.#events.emit("close", code);
    } catch (error) {
      console.error(`socket.io close of ${this.sessionId} failed:`, error);
    }
  }
}
