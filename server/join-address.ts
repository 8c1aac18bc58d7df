import { networkInterfaces } from "node:os";
import type { NetworkInterfaceInfo } from "node:os";

/** Where students' phones can reach this server, and how we know. */
export interface JoinAddress {
  /** Origin students open, e.g. "http://192.168.1.23:2567". */
  origin: string;
  /** public-url: PUBLIC_URL was set (behind a proxy); request: the page was opened at a reachable address; lan: this machine's network address. */
  source: "public-url" | "request" | "lan" | "loopback";
  /** A sentence for the host when phones probably can't reach `origin`, else null. */
  hint: string | null;
}

const LOOPBACK_HOST = /^(localhost|127(\.\d+){3}|\[::1\]|::1|0\.0\.0\.0)(:\d+)?$/i;

/** True for a Host header phones cannot reach: localhost, 127.x, ::1. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOST.test(host);
}

/** Private LAN ranges first (what a school network hands out), then any other non-internal IPv4. */
function rank(address: string): number {
  if (/^192\.168\./.test(address)) return 0;
  if (/^10\./.test(address)) return 1;
  if (/^172\.(1[6-9]|2\d|3[01])\./.test(address)) return 2;
  if (/^169\.254\./.test(address)) return 9; // link-local: no DHCP, rarely reachable
  return 3;
}

/** This machine's best IPv4 address on a network (not loopback), or null. */
export function lanAddress(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces()): string | null {
  const candidates: string[] = [];
  for (const infos of Object.values(interfaces)) {
    for (const info of infos ?? []) if (info.family === "IPv4" && !info.internal) candidates.push(info.address);
  }
  candidates.sort((a, b) => rank(a) - rank(b));
  return candidates[0] ?? null;
}

/**
 * The address to put on the projector and in the QR code. PUBLIC_URL wins (a proxy or a domain);
 * then the address the page itself was opened at, when phones can reach it; then this machine's
 * LAN address on the server's port; else only loopback is known, and the host is told what to do.
 */
export function joinAddress(options: { publicUrl?: string | undefined; requestHost?: string | undefined; protocol?: string; port: number; lan?: string | null }): JoinAddress {
  if (options.publicUrl) return { origin: options.publicUrl.replace(/\/+$/, ""), source: "public-url", hint: null };
  const protocol = options.protocol ?? "http";
  if (options.requestHost && !isLoopbackHost(options.requestHost)) return { origin: `${protocol}://${options.requestHost}`, source: "request", hint: null };
  const lan = options.lan === undefined ? lanAddress() : options.lan;
  if (lan) return { origin: `http://${lan}:${options.port}`, source: "lan", hint: null };
  return {
    origin: `${protocol}://${options.requestHost ?? `localhost:${options.port}`}`,
    source: "loopback",
    hint: "Phones can't reach this computer's \"localhost\": connect it to the classroom network, or start the server with PUBLIC_URL set to an address students can open.",
  };
}
