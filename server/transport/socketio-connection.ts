import { EventEmitter } from "node:events";
import { CloseCode } from "@colyseus/core";
import type { Socket } from "socket.io";
import { SOCKETIO_EVENTS, TRANSPORTS, isCloseCode } from "../../shared/protocol/transport.ts";
import type { TransportKind } from "../../shared/protocol/transport.ts";

/** WebSocket ready states, as `ws` numbers them (the room checks OPEN after a reconnection). */
const READY = { open: 1, closing: 2, closed: 3 } as const;

/**
 * Bytes queued for a client that has not fetched them. Long-polling holds patches until the next
 * request; a client this far behind (about a minute of a big class's patches) is dropped, and the
 * SDK reconnects it with a fresh full state, instead of letting its queue grow without bound.
 */
export const MAX_PENDING_BYTES = 2 * 1024 * 1024;

let simulatedLatencyMs = 0;

/** Delays every frame sent over socket.io (for local testing; Colyseus's own simulateLatency already covers these clients). */
export function simulateSocketIoLatency(milliseconds: number): void {
  simulatedLatencyMs = Math.max(0, milliseconds);
}

/**
 * One socket.io connection with the face of a `ws` WebSocket — `send(data, options, cb)`,
 * `close(code, reason)`, `terminate()`, `readyState`, and the events `message` (a frame as a
 * Buffer) and `close` (a code) — so that @colyseus/ws-transport's own WebSocketClient drives it and
 * the room runs the very same client code on both transports. Frames travel as the
 * `SOCKETIO_EVENTS.frame` event; close codes, which socket.io lacks, as `SOCKETIO_EVENTS.close`.
 *
 * It emits on itself, never through a client's `ref`: when another connection takes the seat
 * back, Colyseus moves the new connection onto the old client object, and this connection's late
 * close (long after the drop went unnoticed) must not reach the new one's listeners.
 */
export class SocketIoConnection extends EventEmitter {
  readonly #socket: Socket;
  #readyState: number = READY.open;
  /** The code this side closed with, or the one the peer announced before disconnecting. */
  #closeCode: number | null = null;
  #pendingBytes = 0;

  constructor(socket: Socket) {
    super();
    this.#socket = socket;
    socket.on(SOCKETIO_EVENTS.frame, (data: unknown) => this.#receive(data));
    socket.on(SOCKETIO_EVENTS.close, (code: unknown) => {
      if (this.#closeCode === null && isCloseCode(code)) this.#closeCode = code;
    });
    socket.on("disconnect", (reason) => this.#closed(reason));
    // engine.io empties its queue into a response (or the upgraded WebSocket) on "drain".
    socket.conn.on("drain", () => {
      this.#pendingBytes = 0;
    });
    socket.conn.on("upgrade", () => this.emit("transport", this.transport));
  }

  /** How this connection is carried right now: long-polling, or a WebSocket socket.io upgraded to. */
  get transport(): TransportKind {
    return this.#socket.conn.transport.name === "polling" ? TRANSPORTS.polling : TRANSPORTS.socketIoWebSocket;
  }

  get readyState(): number {
    return this.#readyState;
  }

  /** Sends one Colyseus frame; `cb` runs once it is queued (with an error if the connection is not open). */
  send(data: Uint8Array, _options?: unknown, cb?: (error?: Error) => void): void {
    if (this.#readyState !== READY.open) {
      cb?.(new Error("socket.io connection is not open"));
      return;
    }
    // Colyseus encodes into buffers it reuses for the next patch, while socket.io keeps the frame
    // until the client's next poll: send our own copy (base64 text over polling, see SOCKETIO_EVENTS).
    const frame = this.#socket.conn.transport.name === "polling" ? Buffer.from(data).toString("base64") : Buffer.from(data);
    this.#pendingBytes += frame.length;
    if (this.#pendingBytes > MAX_PENDING_BYTES) {
      this.terminate();
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

  /** Closes with `code`: the client reads it from the close event; socket.io disconnects once the queue is fetched. */
  close(code?: number, reason?: string): void {
    if (this.#readyState !== READY.open) return;
    this.#readyState = READY.closing;
    this.#closeCode = code ?? CloseCode.NO_STATUS_RECEIVED;
    if (code !== undefined) this.#socket.emit(SOCKETIO_EVENTS.close, code, reason ?? "");
    this.#socket.disconnect(true);
  }

  /** Drops the connection as if the network had (1006): the SDK reconnects, the seat waits. */
  terminate(): void {
    if (this.#readyState !== READY.open) return;
    this.#readyState = READY.closing;
    this.#closeCode = CloseCode.ABNORMAL_CLOSURE;
    this.#socket.disconnect(true);
  }

  #receive(data: unknown): void {
    if (this.#readyState !== READY.open) return;
    // A frame is bytes, or base64 text over polling; anything else is not the Colyseus protocol and
    // is ignored, as Colyseus ignores what it cannot decode. Its size is capped before it gets here
    // (engine.io's maxHttpBufferSize); the parser hands over a fresh Buffer, so no copy is needed.
    const frame = typeof data === "string" ? Buffer.from(data, "base64") : data instanceof Uint8Array ? data : null;
    if (!frame || frame.byteLength === 0) return;
    try {
      this.emit("message", Buffer.isBuffer(frame) ? frame : Buffer.from(frame));
    } catch (error) {
      // The room catches its own handlers' errors; this is the last guard before socket.io's event loop.
      console.error("socket.io frame failed:", error);
    }
  }

  /** As ws reports it: the code either side closed with; 1005 for a client that closed without one; 1006 for a lost connection. */
  #closed(reason: string): void {
    if (this.#readyState === READY.closed) return;
    this.#readyState = READY.closed;
    const code = this.#closeCode ?? (reason === "client namespace disconnect" ? CloseCode.NO_STATUS_RECEIVED : CloseCode.ABNORMAL_CLOSURE);
    try {
      this.emit("close", code);
    } catch (error) {
      console.error("socket.io close failed:", error);
    }
  }
}
