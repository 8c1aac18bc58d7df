import type { Client } from "@colyseus/core";
import { TRANSPORTS } from "../../shared/protocol/transport.ts";
import type { TransportKind } from "../../shared/protocol/transport.ts";
import { SocketIoConnection } from "./socketio-connection.ts";

/**
 * Tells `onChange` how `client` is connected now, and again whenever socket.io upgrades it from
 * long-polling to WebSocket. The room uses it to show the host who is on the fallback; room logic
 * otherwise never asks which transport carries a client.
 */
export function watchTransport(client: Client, onChange: (kind: TransportKind) => void): void {
  const connection = client.ref;
  if (!(connection instanceof SocketIoConnection)) {
    onChange(TRANSPORTS.websocket);
    return;
  }
  onChange(connection.transport);
  connection.on("transport", onChange);
}

/** Keeps `player.transport` (the host console's column) true to how `client` is connected. */
export function followTransport(client: Client, player: { transport: string } | undefined): void {
  if (!player) return;
  watchTransport(client, (kind) => {
    if (player.transport !== kind) player.transport = kind;
  });
}
