import { Connection } from "@colyseus/sdk/Connection";
import type { ITransport, ITransportEventMap } from "@colyseus/sdk/transport/ITransport";
import { WebSocketTransport } from "@colyseus/sdk/transport/WebSocketTransport";
import type { TransportPreference } from "../../../shared/protocol/transport.ts";
import { SocketIoTransport } from "./socketio-transport.ts";
import { pagePreference, rememberWebSocket, webSocketFailedHere } from "./transport-memory.ts";

/**
 * How long a WebSocket may take to open before the page falls back to socket.io, ms. A filtering
 * proxy usually refuses the upgrade at once (the fallback starts immediately); some hold it open
 * and say nothing, which this bounds. Long enough for a slow phone on a good network.
 */
export const WEBSOCKET_OPEN_TIMEOUT_MS = 4_000;

/**
 * The browser's room transport: WebSocket first, and socket.io (long-polling, upgrading when it
 * can) if the WebSocket is refused or does not open in time, with no action from the student.
 * The seat reservation is still unused when the WebSocket never opened, so socket.io takes it.
 * Once on socket.io, reconnections of this room stay there. Which way it goes:
 * - `auto` (default): as above, straight to socket.io if WebSocket failed on this device before;
 * - `websocket`: WebSocket only; `socketio`: socket.io only; `polling`: socket.io held to polling.
 */
export class FallbackTransport implements ITransport {
  readonly events: ITransportEventMap;
  readonly #preference: TransportPreference;
  #active: ITransport | null = null;
  #onSocketIo = false;
  /** Cancels a WebSocket attempt that has neither opened nor failed yet. */
  #cancelTrial: (() => void) | null = null;

  constructor(events: ITransportEventMap, preference: TransportPreference) {
    this.events = events;
    this.#preference = preference;
  }

  get isOpen(): boolean {
    return this.#cancelTrial === null && this.#active?.isOpen === true;
  }

  connect(url: string, options?: unknown): void {
    this.#cancelTrial?.();
    const preference = this.#preference;
    if (preference === "socketio" || preference === "polling" || (preference === "auto" && (this.#onSocketIo || webSocketFailedHere()))) {
      this.#useSocketIo(url, false);
    } else if (preference === "websocket") {
      this.#active = new WebSocketTransport(this.events);
      this.#active.connect(url, options);
    } else {
      this.#tryWebSocket(url, options);
    }
  }

  send(data: Buffer | Uint8Array): void {
    this.#active?.send(data);
  }

  sendUnreliable(data: Buffer | Uint8Array): void {
    this.#active?.sendUnreliable(data);
  }

  close(code?: number, reason?: string): void {
    if (this.#cancelTrial) {
      this.#cancelTrial();
      this.events.onclose?.({ code: code ?? 1005, reason });
      return;
    }
    this.#active?.close(code, reason);
  }

  /** A WebSocket whose events reach the room only once it has opened; until then a failure means fall back. */
  #tryWebSocket(url: string, options: unknown): void {
    const trial: ITransportEventMap = {};
    const ws = new WebSocketTransport(trial);
    let settled = false;
    const settle = () => {
      settled = true;
      clearTimeout(timer);
      this.#cancelTrial = null;
      trial.onopen = trial.onmessage = trial.onclose = trial.onerror = null;
    };
    const abandon = () => {
      settle();
      try {
        ws.close();
      } catch {
        // Already closed.
      }
    };
    const fallBack = () => {
      if (settled) return;
      abandon();
      this.#useSocketIo(url, true);
    };
    const timer = setTimeout(fallBack, WEBSOCKET_OPEN_TIMEOUT_MS);
    trial.onopen = (event: unknown) => {
      if (settled) return;
      settle();
      trial.onmessage = (e: unknown) => this.events.onmessage?.(e);
      trial.onclose = (e: unknown) => this.events.onclose?.(e);
      trial.onerror = (e: unknown) => this.events.onerror?.(e);
      this.events.onopen?.(event);
    };
    // Refused before it opened (a proxy that drops the Upgrade): an error, then this close.
    trial.onclose = fallBack;
    trial.onerror = () => undefined;
    this.#cancelTrial = abandon;
    this.#active = ws;
    ws.connect(url, options);
  }

  #useSocketIo(url: string, webSocketFailed: boolean): void {
    this.#onSocketIo = true;
    this.#active = new SocketIoTransport(this.events, {
      pollingOnly: this.#preference === "polling",
      // Remember the failure only once the fallback got through: a server that is simply down must
      // not send this device to the fallback next time.
      onOpen: () => {
        if (webSocketFailed) rememberWebSocket(false);
      },
      // socket.io reached a WebSocket after all: the network passes them (now); try WebSocket first next time.
      onUpgrade: () => rememberWebSocket(true),
    });
    this.#active.connect(url);
  }
}

let installed = false;

/**
 * Puts FallbackTransport under every room connection of this page. The SDK has no transport option
 * besides WebSocket and WebTransport, so its Connection's `connect` is wrapped, once.
 */
export function installFallbackTransport(preference: TransportPreference = pagePreference()): void {
  if (installed) return;
  installed = true;
  const connect = Connection.prototype.connect;
  Connection.prototype.connect = function (this: Connection, url: string, options?: unknown): void {
    if (!(this.transport instanceof FallbackTransport)) this.transport = new FallbackTransport(this.events, preference);
    connect.call(this, url, options);
  };
}
