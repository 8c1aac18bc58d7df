import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Client } from "@colyseus/sdk";
import { conservationViolation } from "../../shared/engine/conservation.ts";
import { computeDebrief } from "../../shared/engine/debrief.ts";
import { signL2Tx } from "../../shared/engine/l2-state.ts";
import { replay } from "../../shared/engine/replay.ts";
import { eth } from "../../shared/engine/units.ts";
import type { StoredRound } from "../../server/store/session-store.ts";
import { createSession, freePort, joinAsHost, joinAsPlayer, leaveAll, myId, waitFor, myWallet } from "./helpers.ts";
import type { Peer, Session } from "./helpers.ts";
import { killServer, spawnServer } from "./server-process.ts";
import type { ServerProcess } from "./server-process.ts";

/**
 * A crash or a restart loses nothing. The real server runs as its own process; SDK clients and
 * server bots play an optimistic round with a dispute open when the process is killed (-9) or
 * stopped (SIGTERM); a new process on the same data folder restores the session, the clients come
 * back into their seats by themselves, and the round finishes on its clock with a debrief, scores
 * and a stored log that replays to the same hash.
 */

const processes: ServerProcess[] = [];
const folders: string[] = [];
const peers: Peer[] = [];

async function startServer(port: number, dataDir: string): Promise<ServerProcess> {
  const server = await spawnServer(port, dataDir);
  processes.push(server);
  return server;
}

/** A free port, an empty data folder (removed after the test) and the first server process on them. */
async function firstServer(folder: string): Promise<{ port: number; dataDir: string; first: ServerProcess }> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `l2arena-${folder}-`));
  folders.push(dataDir);
  return { port, dataDir, first: await startServer(port, dataDir) };
}

afterEach(async () => {
  // A client still trying to reconnect to a server that is gone never finishes leaving: don't wait for it.
  await Promise.race([leaveAll(peers.splice(0)), new Promise((resolve) => setTimeout(resolve, 3_000))]);
  for (const p of processes.splice(0)) await killServer(p);
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A player who reconnects by itself, at once (the SDK waits 5 s of uptime otherwise), counting its comebacks. */
function resilient(peer: Peer): Peer & { comebacks: number } {
  peer.room.reconnection.minUptime = 0;
  const tracked = Object.assign(peer, { comebacks: 0 });
  peer.room.onReconnect(() => tracked.comebacks++);
  return tracked;
}

/** Sends a signed L2 transfer to `to`; resolves when it is acknowledged (true) or refused (false). */
async function pay(peer: Peer, to: string, seq: number): Promise<boolean> {
  const me = myId(peer);
  const wallet = myWallet(peer);
  const tx = signL2Tx(peer.key.secretKey, { kind: "transfer", from: me, to, amount: eth(0.01), fee: peer.room.state.world.l2FeePerTx, nonce: wallet.l2Nonce });
  peer.room.send("user:l2", { tx: { kind: "transfer", to, amount: tx.amount, fee: tx.fee, nonce: tx.nonce, sig: tx.sig }, seq });
  const answer = await waitFor(`answer to ${seq}`, () => peer.acks.find((a) => a.seq === seq) ?? peer.errors.find((e) => e.seq === seq));
  return !("code" in answer);
}

function storedRound(dataDir: string, code: string): StoredRound {
  const db = new DatabaseSync(join(dataDir, "l2arena.sqlite"), { readOnly: true });
  try {
    const row = db.prepare("SELECT seed, config_json, log_json, end_ms, final_hash, debrief_json, scenario FROM rounds WHERE session_code = ? AND idx = 0").get(code) as Record<string, string | number>;
    return {
      sessionCode: code, index: 0, scenario: String(row.scenario), seed: String(row.seed), config: JSON.parse(String(row.config_json)), log: JSON.parse(String(row.log_json)),
      endMs: Number(row.end_ms), finalHash: String(row.final_hash), debrief: JSON.parse(String(row.debrief_json)), startedAt: 0, endedAt: 0,
    };
  } finally {
    db.close();
  }
}

/** Host, four students and server bots (a cheating sequencer and challengers) playing an optimistic round until a dispute is open. */
async function classUnderway(port: number): Promise<{ session: Session; host: Peer & { comebacks: number }; students: (Peer & { comebacks: number })[]; acked: Map<Peer, number> }> {
  const session = await createSession(port);
  const host = resilient(await joinAsHost(port, session));
  const students = await Promise.all(["Ada", "Ben", "Cy", "Di"].map(async (name) => resilient(await joinAsPlayer(port, session.code, name))));
  peers.push(host, ...students);
  const send = (type: string, body: Record<string, unknown> = {}) => host.room.send(type, { token: session.hostToken, ...body });
  send("host:addBots", { count: 1, role: "sequencer", difficulty: "hard" });
  send("host:addBots", { count: 3, role: "challenger" });
  send("host:plan", { rounds: [{ scenario: "optimistic", durationSec: 75, params: { challengeWindowSec: 40, moveTimeoutSec: 6 } }] });
  send("host:start");
  await waitFor("deposits credited", () => students.every((s) => (s.views.you?.l2Balance ?? 0) >= eth(1)), 30_000);
  const acked = new Map<Peer, number>(students.map((s) => [s, 0]));
  let seq = 100;
  for (let i = 0; i < 3; i++) {
    for (const [k, s] of students.entries()) if (await pay(s, myId(students[(k + 1) % students.length]!), seq++)) acked.set(s, acked.get(s)! + 1);
  }
  await waitFor("a dispute under way", () => host.room.state.world.disputes.some((d: { status: string }) => d.status === "open"), 60_000);
  // The last acknowledged actions go in just before the crash.
  for (const [k, s] of students.entries()) if (await pay(s, myId(students[(k + 2) % students.length]!), seq++)) acked.set(s, acked.get(s)! + 1);
  return { session, host, students, acked };
}

/** Everyone is back in their own seat, the round resumes by itself, finishes on its clock, and replays. */
async function expectClassCarriesOn(port: number, dataDir: string, server: ServerProcess, cls: Awaited<ReturnType<typeof classUnderway>>, backWithinMs: number, crashedAt: number): Promise<void> {
  const { session, host, students, acked } = cls;
  const everyone = [host, ...students];
  // Back by themselves, within the bound counted from the moment the new process answers.
  const upAt = Date.now();
  await waitFor("everyone back in their seat", () => everyone.every((p) => p.comebacks > 0 && p.room.connection.isOpen), backWithinMs);
  console.log(`back ${Date.now() - upAt} ms after the new process was up, ${Date.now() - crashedAt} ms after the old one stopped`);
  expect((await fetch(`http://localhost:${port}/api/sessions/${session.code}`)).status).toBe(200);
  expect(server.output.join("")).toMatch(new RegExp(`\\[${session.code}\\] restored: .*state hash (matches|not logged yet)`));
  for (const s of students) {
    const me = myId(s);
    expect(me).toMatch(/^p\d+$/);
    // Every transfer acknowledged before the crash is in the restored world: the nonce counts them.
    // (The restored state follows the rejoin by a round trip, a poll later over long-polling.)
    await waitFor(`${me}'s restored nonce`, () => (s.views.you?.l2Nonce ?? 0) >= acked.get(s)!, 10_000);
    await waitFor(`${me} shown online to the host`, () => host.room.state.players.get(me)?.connected === true);
  }
  // The round pauses a few visible seconds for phones to come back, then resumes by itself.
  await waitFor("round running again", () => host.room.state.phase === "running", 20_000);
  // It keeps being playable, then ends on its clock.
  for (const [k, s] of students.entries()) expect(await pay(s, myId(students[(k + 3) % students.length]!), 900 + k)).toBe(true);
  await waitFor("the round over", () => host.room.state.phase === "final", 120_000);
  const debrief = JSON.parse(host.room.state.debrief as string);
  const stored = storedRound(dataDir, session.code);
  const replayed = replay(stored.seed, stored.config, stored.log, stored.endMs);
  expect(replayed.hash).toBe(stored.finalHash);
  expect(computeDebrief(replayed.events, stored.config, stored.endMs, "optimistic")).toEqual(debrief);
  expect(conservationViolation(replayed.world)).toBeNull();
  expect(debrief.fraud.disputes).toBeGreaterThan(0);
  for (const [id, player] of host.room.state.players.entries()) expect(player.score, id).toBe(debrief.scores[id] ?? 0);
  const viaHttp = await (await fetch(`http://localhost:${port}/api/sessions/${session.code}/rounds/0/replay?token=${session.hostToken}`)).json();
  expect(viaHttp.matches).toBe(true);
}

describe("a crash or a restart loses nothing", () => {
  it("kill -9 mid-dispute: restored on restart, everyone back by themselves within 15 s, the round finishes and replays", async () => {
    const { port, dataDir, first } = await firstServer("crash");
    const cls = await classUnderway(port);
    const crashedAt = Date.now();
    first.child.kill("SIGKILL");
    await first.exited;
    const second = await startServer(port, dataDir);
    await expectClassCarriesOn(port, dataDir, second, cls, 15_000, crashedAt);
  }, 300_000);

  it("SIGTERM: zero acknowledged actions lost, clients back within 5 s", async () => {
    const { port, dataDir, first } = await firstServer("term");
    const cls = await classUnderway(port);
    const stoppedAt = Date.now();
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(cls.host.messages.some((m) => m.type === "notice" && /restarting/.test(String((m.payload as { message?: string }).message)))).toBe(true);
    const second = await startServer(port, dataDir);
    await expectClassCarriesOn(port, dataDir, second, cls, 5_000, stoppedAt);
  }, 300_000);

  it("an ended session stays ended after a restart", async () => {
    const { port, dataDir, first } = await firstServer("ended");
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    host.room.send("host:endSession", { token: session.hostToken });
    await waitFor("ended", () => host.room.state.phase === "ended");
    await new Promise((r) => setTimeout(r, 300));
    first.child.kill("SIGKILL");
    await first.exited;
    await startServer(port, dataDir);
    expect((await fetch(`http://localhost:${port}/api/sessions/${session.code}`)).status).toBe(410);
    await expect(new Client(`http://localhost:${port}`).joinById(session.code, { name: "Late" })).rejects.toThrow();
  });
});
