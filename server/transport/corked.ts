import type { Client } from "@colyseus/core";

interface Corkable {
  cork(): void;
  uncork(): void;
  destroyed?: boolean;
}

/** The TCP socket under a client's WebSocket (the ws library keeps it as `_socket`); socket.io clients have none. */
function socketOf(client: Client): Corkable | null {
  const socket = (client.ref as { _socket?: Partial<Corkable> } | undefined)?._socket;
  return socket && typeof socket.cork === "function" && typeof socket.uncork === "function" && !socket.destroyed ? (socket as Corkable) : null;
}

/**
 * Runs `send` with every client's socket corked, then uncorks them: whatever `send` writes to one
 * client (a patch, the views' changes, a notice) leaves in one write instead of one per frame. A
 * room of 30 sent 2–4 frames per client per tick, each its own system call; in a hundred rooms
 * those writes were a third of the server's CPU (docs/performance.md).
 */
export function corked<T>(clients: Iterable<Client>, send: () => T): T {
  const sockets: Corkable[] = [];
  for (const client of clients) {
    const socket = socketOf(client);
    if (!socket) continue;
    socket.cork();
    sockets.push(socket);
  }
  try {
    return send();
  } finally {
    for (const socket of sockets) socket.uncork();
  }
}
