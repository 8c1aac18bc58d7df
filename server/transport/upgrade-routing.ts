import type { Server as HttpServer, IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Keeps the upgrade listeners already on `server` away from WebSocket upgrades whose path starts
 * with `prefix`. Colyseus's WebSocket transport completes every upgrade it is offered, so without
 * this it would answer socket.io's own upgrade (long-polling → WebSocket) before socket.io could.
 * Call it before attaching the handler that owns `prefix`.
 */
export function reserveUpgradePrefix(server: HttpServer, prefix: string): void {
  const existing = server.listeners("upgrade") as UpgradeListener[];
  server.removeAllListeners("upgrade");
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if ((req.url ?? "/").startsWith(prefix)) return;
    for (const listener of existing) listener.call(server, req, socket, head);
  });
}
