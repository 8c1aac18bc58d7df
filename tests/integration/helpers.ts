import { Client } from "@colyseus/sdk";
import type { Room } from "@colyseus/sdk";
import { startApp } from "../../server/app.ts";
import type { AppOptions, RunningApp } from "../../server/app.ts";
import { keyPairFromSeed } from "../../shared/crypto/sign.ts";
import type { KeyPair } from "../../shared/crypto/sign.ts";
import { sha256Bytes, utf8ToBytes } from "../../shared/crypto/hash.ts";

/** A port per vitest worker, so files run in parallel without colliding. */
export function testPort(base: number): number {
  return base + Number(process.env.VITEST_POOL_ID ?? 0) * 7;
}

export async function startTestServer(port: number, context: AppOptions["context"] = {}): Promise<RunningApp> {
  return startApp({ port, databasePath: ":memory:", context: { tickMs: 50, botTurnMs: 200, reconnectSeconds: 2, hostReconnectSeconds: 4, ...context } });
}

export interface Session {
  code: string;
  roomId: string;
  hostToken: string;
}

export async function createSession(port: number): Promise<Session> {
  const res = await fetch(`http://localhost:${port}/api/sessions`, { method: "POST" });
  if (res.status !== 201) throw new Error(`create session: ${res.status}`);
  return (await res.json()) as Session;
}

/** Waits until `check` returns a truthy value, polling; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | null | false, timeoutMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A connected SDK client with the server events it received. */
export interface Peer {
  room: Room;
  client: Client;
  key: KeyPair;
  errors: { code: string; message: string; type: string; seq?: number }[];
  acks: { type: string; seq?: number }[];
  messages: { type: string; payload: unknown }[];
}

/** Resolves once the room's first full state has arrived. */
async function firstState(room: Room): Promise<void> {
  if (room.state && (room.state as { code?: string }).code) return;
  await new Promise<void>((resolve) => room.onStateChange.once(() => resolve()));
}

function wire(room: Room, client: Client, key: KeyPair): Peer {
  const peer: Peer = { room, client, key, errors: [], acks: [], messages: [] };
  room.onMessage("error", (e) => peer.errors.push(e));
  room.onMessage("ack", (a) => peer.acks.push(a));
  room.onMessage("*", (type, payload) => peer.messages.push({ type: String(type), payload }));
  return peer;
}

export async function joinAsPlayer(port: number, code: string, name: string): Promise<Peer> {
  const client = new Client(`http://localhost:${port}`);
  const room = await client.joinById(code, { name });
  const key = keyPairFromSeed(sha256Bytes(utf8ToBytes(`integration:${code}:${name}`)));
  const peer = wire(room, client, key);
  await firstState(room);
  room.send("player:key", { publicKey: key.publicKey });
  return peer;
}

export async function joinAsHost(port: number, session: Session): Promise<Peer> {
  const client = new Client(`http://localhost:${port}`);
  const room = await client.joinById(session.code, { hostToken: session.hostToken });
  const peer = wire(room, client, keyPairFromSeed(new Uint8Array(32)));
  await firstState(room);
  return peer;
}

/** The room state as plain JSON (what this client can see). */
export function snapshot(peer: Peer): any {
  return JSON.parse(JSON.stringify(peer.room.state));
}
