import { createServer, request } from "node:http";
import type { ClientRequest, IncomingMessage } from "node:http";
import { connect } from "node:net";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";

/** A reverse proxy in front of the test server, standing in for the networks the fallback is for. */
export interface TestProxy {
  /** http://127.0.0.1:<port> */
  origin: string;
  port: number;
  /** socket.io session ids seen in the requests passed so far. */
  sids: Set<string>;
  /** Paths of the WebSocket upgrades refused or held so far (each one a client that had to fall back). */
  refusedUpgrades: string[];
  /**
   * Drops every client connection at once, as a phone that loses Wi-Fi does, and keeps the
   * server-side requests in flight open, as the server sees such a phone (no FIN, no RST): the
   * server notices only by its own heartbeat. New connections still pass. Returns how many of the
   * requests in flight at the cut the server has not finished yet, to wait on.
   */
  cut(): () => number;
  close(): Promise<void>;
}

export interface TestProxyOptions {
  /** Port of the server behind the proxy (on 127.0.0.1). */
  target: number;
  /** Answer every WebSocket upgrade with 403, as a filtering school proxy does; plain HTTP passes. */
  blockWebSocket?: boolean;
  /** Never answer a WebSocket upgrade, as some inspecting proxies do: the browser's WebSocket stays "connecting". */
  holdWebSocket?: boolean;
  /** Strip this path prefix before forwarding (`/p2601/…` → `/…`), as a scale-out entry proxy does per process. */
  stripPrefix?: string;
}

/** Starts a proxy on a free loopback port. */
/** How long a cut keeps the network down. */
const CUT_MS = 1_000;

export async function startTestProxy(options: TestProxyOptions): Promise<TestProxy> {
  let downUntil = 0;
  const open = new Set<Socket | Duplex>();
  const inFlight = new Set<ClientRequest>();
  const track = (socket: Socket | Duplex) => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const path = (req: IncomingMessage) => {
    const url = req.url ?? "/";
    const prefix = options.stripPrefix;
    return prefix && url.startsWith(`${prefix}/`) ? url.slice(prefix.length) : url;
  };
  const proxy: TestProxy = { origin: "", port: 0, sids: new Set(), refusedUpgrades: [], cut, close };
  const server = createServer((req, res) => {
    const sid = new URL(req.url ?? "/", "http://proxy").searchParams.get("sid");
    if (sid) proxy.sids.add(sid);
    const upstream = request({ host: "127.0.0.1", port: options.target, method: req.method, path: path(req), headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      // A client that went away stops reading; keep draining so the server's answer can finish.
      res.on("close", () => answer.resume());
      answer.on("end", () => inFlight.delete(upstream));
      answer.on("close", () => inFlight.delete(upstream));
    });
    inFlight.add(upstream);
    upstream.on("error", () => {
      inFlight.delete(upstream);
      res.destroy();
    });
    req.pipe(upstream);
  });
  server.on("connection", (socket: Socket) => {
    if (Date.now() < downUntil) return void socket.destroy();
    track(socket);
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    track(socket);
    if (options.blockWebSocket) {
      proxy.refusedUpgrades.push(req.url ?? "/");
      socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    }
    if (options.holdWebSocket) {
      proxy.refusedUpgrades.push(req.url ?? "/");
      return;
    }
    const upstream = connect(options.target, "127.0.0.1", () => {
      const lines = [`${req.method} ${path(req)} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    track(upstream);
    upstream.on("close", () => socket.destroy());
    socket.on("close", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.port = (server.address() as AddressInfo).port;
  proxy.origin = `http://127.0.0.1:${proxy.port}`;

  function cut(): () => number {
    const lingering = new Set(inFlight);
    for (const socket of open) socket.destroy();
    open.clear();
    // The network stays down a moment: a client between two polls (nothing of it open to cut) must
    // still notice, as it would on a real network, when its next request fails.
    downUntil = Date.now() + CUT_MS;
    return () => [...lingering].filter((r) => inFlight.has(r)).length;
  }
  function close(): Promise<void> {
    cut();
    for (const upstream of inFlight) upstream.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  }
  return proxy;
}
