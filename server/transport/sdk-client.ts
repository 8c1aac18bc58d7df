import { Client } from "@colyseus/sdk";
import { Connection } from "@colyseus/sdk/Connection";
import { TRANSPORT_PARAM } from "../../shared/protocol/transport.ts";
import type { TransportPreference } from "../../shared/protocol/transport.ts";
import { SdkSocketIoTransport } from "./sdk-socketio-transport.ts";

/** What a Node client can pick: no fallback there, it knows its network. */
export type NodeTransport = Exclude<TransportPreference, "auto">;
export const NODE_TRANSPORTS: readonly NodeTransport[] = ["websocket", "socketio", "polling"];

let installed = false;

/**
 * Teaches the SDK's Connection to open socket.io for room URLs marked with TRANSPORT_PARAM. The
 * SDK has no transport option besides WebSocket and WebTransport, so its `connect` is wrapped
 * (once per process): an unmarked URL keeps the SDK's own WebSocket, untouched.
 */
function installSocketIo(): void {
  if (installed) return;
  installed = true;
  const connect = Connection.prototype.connect;
  Connection.prototype.connect = function (this: Connection, url: string, options?: unknown): void {
    const wanted = URL.canParse(url) ? new URL(url).searchParams.get(TRANSPORT_PARAM) : null;
    if (wanted === "socketio" || wanted === "polling") this.transport = new SdkSocketIoTransport(this.events, { pollingOnly: wanted === "polling" });
    connect.call(this, url, options);
  };
}

/** An SDK client whose rooms connect over `transport`; the mark rides on every room URL it builds, reconnections included. */
export function sdkClient(endpoint: string, transport: NodeTransport = "websocket"): Client {
  if (transport === "websocket") return new Client(endpoint);
  installSocketIo();
  return new Client(endpoint, {
    urlBuilder: (url) => {
      if (url.protocol === "ws:" || url.protocol === "wss:") url.searchParams.set(TRANSPORT_PARAM, transport);
      return url.toString();
    },
  });
}
