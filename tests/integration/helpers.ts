import { expect } from "vitest";
import { createServer as createNetServer } from "node:net";
import type { Client, Room } from "@colyseus/sdk";
import { startApp } from "../../server/app.ts";
import type { AppOptions, RunningApp } from "../../server/app.ts";
import { ViewMirror } from "../../shared/protocol/view-feed.ts";
import type { StoredRound } from "../../server/store/session-store.ts";
import { NODE_TRANSPORTS, sdkClient } from "../../server/transport/sdk-client.ts";
import type { NodeTransport } from "../../server/transport/sdk-client.ts";
import { keyPairFromSeed } from "../../shared/crypto/sign.ts";
import type { KeyPair } from "../../shared/crypto/sign.ts";
import { sha256Bytes, utf8ToBytes } from "../../shared/crypto/hash.ts";
import { conservationViolation } from "../../shared/engine/conservation.ts";
import { computeDebrief } from "../../shared/engine/debrief.ts";
import type { Debrief } from "../../shared/engine/debrief.ts";
import type { EngineEvent } from "../../shared/engine/events.ts";
import { replay } from "../../shared/engine/replay.ts";

/** A port per vitest worker, so files run in parallel without colliding (TEST_PORT_OFFSET moves a whole run, for two runs on one machine). */
export function testPort(base: number): number {
  return base + Number(process.env.VITEST_POOL_ID ?? 0) * 7 + Number(process.env.TEST_PORT_OFFSET ?? 0);
}

/** A TCP port nobody listens on right now: for a test that starts a server of its own (never reuse one a closed server had). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function startTestServer(port: number, context: AppOptions["context"] = {}, limits: AppOptions["limits"] = {}): Promise<RunningApp> {
  return startApp({ port, databasePath: ":memory:", context: { tickMs: 50, botTurnMs: 200, reconnectSeconds: 2, hostReconnectSeconds: 4, ...context }, limits });
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
  /** The scenario views as they arrive (the public picture, this player's private view). */
  views: ViewMirror;
}

/** Resolves once the room's first full state has arrived. */
async function firstState(room: Room): Promise<void> {
  if (room.state && (room.state as { code?: string }).code) return;
  await new Promise<void>((resolve) => room.onStateChange.once(() => resolve()));
}

function wire(room: Room, client: Client, key: KeyPair): Peer {
  const peer: Peer = { room, client, key, errors: [], acks: [], messages: [], views: new ViewMirror(room) };
  room.onMessage("error", (e) => peer.errors.push(e));
  room.onMessage("ack", (a) => peer.acks.push(a));
  room.onMessage("*", (type, payload) => peer.messages.push({ type: String(type), payload }));
  return peer;
}

/**
 * How test clients connect unless a test says otherwise: Colyseus's WebSocket, or socket.io
 * (`TEST_TRANSPORT=polling npx vitest run …` replays a suite over long-polling).
 */
export const TEST_TRANSPORT: NodeTransport = NODE_TRANSPORTS.find((t) => t === process.env.TEST_TRANSPORT) ?? "websocket";

/** An SDK client for the test server on `port` (or at an endpoint URL, e.g. through a proxy), over `transport`. */
export function testClient(port: number | string, transport: NodeTransport = TEST_TRANSPORT): Client {
  return sdkClient(typeof port === "number" ? `http://localhost:${port}` : port, transport);
}

export async function joinAsPlayer(port: number | string, code: string, name: string, transport: NodeTransport = TEST_TRANSPORT): Promise<Peer> {
  const client = testClient(port, transport);
  const room = await client.joinById(code, { name });
  const key = keyPairFromSeed(sha256Bytes(utf8ToBytes(`integration:${code}:${name}`)));
  const peer = wire(room, client, key);
  await firstState(room);
  await waitFor("own private view", () => peer.views.myId);
  room.send("player:key", { publicKey: key.publicKey });
  return peer;
}

export async function joinAsHost(port: number | string, session: Session, transport: NodeTransport = TEST_TRANSPORT): Promise<Peer> {
  const client = testClient(port, transport);
  const room = await client.joinById(session.code, { hostToken: session.hostToken });
  const peer = wire(room, client, keyPairFromSeed(new Uint8Array(32)));
  await firstState(room);
  return peer;
}

/** The room state as plain JSON (what this client can see). */
export function snapshot(peer: Peer): any {
  return JSON.parse(JSON.stringify(peer.room.state));
}

/** Leaves the room with every peer given (undefined ones were never joined). */
export async function leaveAll(peers: readonly (Peer | undefined)[]): Promise<void> {
  await Promise.all(peers.map((p) => p?.room.leave().catch(() => undefined)));
}

/** The player this client is, from its private view ("" before it arrives, and for the host). */
export function myId(peer: Peer): string {
  return peer.views.myId;
}

/** A player's id by nickname, "" if nobody has that name. */
export function idOf(peer: Peer, name: string): string {
  for (const [id, player] of peer.room.state.players.entries()) if (player.name === name) return id;
  return "";
}

/** This client's own wallet, from its private view (text fields as JSON, as the screens read them). */
export function myWallet(peer: Peer): NonNullable<ReturnType<ViewMirror["wallet"]>> {
  const wallet = peer.views.wallet();
  if (!wallet) throw new Error("no private view yet");
  return wallet;
}

/** The round's public scenario picture (world.module JSON), null while there is none. */
export function worldModule<T>(peer: Peer): T | null {
  return peer.views.world === null ? null : (peer.views.world as T);
}

/** This client's private scenario picture (its wallet.module JSON), null while there is none. */
export function walletModule<T>(peer: Peer): T | null {
  const module = peer.views.you?.module;
  return module === null || module === undefined ? null : (module as T);
}

/** The debrief the room published at the end of the round. */
export function debriefOf(peer: Peer): Debrief {
  return JSON.parse(peer.room.state.debrief as string) as Debrief;
}

export type ModuleEvent = Extract<EngineEvent, { type: "module" }>;

/** The events one engine module emitted. */
export function moduleEvents(events: readonly EngineEvent[], module: string): ModuleEvent[] {
  return events.filter((e): e is ModuleEvent => e.type === "module" && e.module === module);
}

/** The session's stored rounds, once at least `count` are stored (a round is stored just after its debrief goes out). */
export async function storedRounds(app: RunningApp, code: string, count = 1, timeoutMs = 10_000): Promise<StoredRound[]> {
  const start = Date.now();
  for (;;) {
    const rounds = await app.store.rounds(code);
    if (rounds.length >= count) return rounds;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${count} stored round(s) of ${code}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Replays a stored round from its seed and action log; it must end in the stored world's hash. */
export function replayStored(stored: StoredRound): ReturnType<typeof replay> {
  const replayed = replay(stored.seed, stored.config, stored.log, stored.endMs);
  expect(replayed.hash).toBe(stored.finalHash);
  return replayed;
}

/**
 * What every played round must satisfy: its stored log replays to the same world and the same
 * debrief as the live round, money is conserved, and each player's live score is the debrief's.
 * Returns the replay for the test's own checks on its events.
 */
export function expectReplayMatchesLive(stored: StoredRound, scenario: string, host: Peer, debrief: Debrief): ReturnType<typeof replay> {
  const replayed = replayStored(stored);
  expect(computeDebrief(replayed.events, stored.config, stored.endMs, scenario)).toEqual(debrief);
  expect(conservationViolation(replayed.world)).toBeNull();
  for (const [id, player] of host.room.state.players.entries()) expect(player.score).toBe(debrief.scores[id] ?? 0);
  return replayed;
}
