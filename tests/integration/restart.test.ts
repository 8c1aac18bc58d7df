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
import { VIEW_MESSAGES } from "../../shared/protocol/view-feed.ts";
import type { StoredRound } from "../../server/store/session-store.ts";
import { createSession, freePort, joinAsHost, joinAsPlayer, leaveAll, myId, testClient, waitFor, myWallet } from "./helpers.ts";
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

async function startServer(port: number, dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await spawnServer(port, dataDir, env);
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

/**
 * A player who reconnects by itself, at once (the SDK waits 5 s of uptime otherwise), counting its
 * comebacks and the private views sent whole after one (until then its mirror shows the old process's).
 */
function resilient(peer: Peer): Peer & { comebacks: number; viewsBack: number } {
  peer.room.reconnection.minUptime = 0;
  const tracked = Object.assign(peer, { comebacks: 0, viewsBack: 0 });
  peer.room.onReconnect(() => tracked.comebacks++);
  peer.room.onMessage(VIEW_MESSAGES.you, (message: object) => {
    if (tracked.comebacks > 0 && "reset" in message) tracked.viewsBack++;
  });
  return tracked;
}

/** Sends a signed L2 transfer to `to` with the nonce after `ahead` unanswered ones of its own. */
function sendPayment(peer: Peer, to: string, seq: number, ahead = 0): void {
  const me = myId(peer);
  const tx = signL2Tx(peer.key.secretKey, { kind: "transfer", from: me, to, amount: eth(0.01), fee: peer.room.state.world.l2FeePerTx, nonce: myWallet(peer).l2Nonce + ahead });
  peer.room.send("user:l2", { tx: { kind: "transfer", to, amount: tx.amount, fee: tx.fee, nonce: tx.nonce, sig: tx.sig }, seq });
}

/** Sends a signed L2 transfer to `to`; resolves with "acknowledged" or the refusal's message. */
async function pay(peer: Peer, to: string, seq: number): Promise<string> {
  sendPayment(peer, to, seq);
  const answer = await waitFor(`answer to ${seq}`, () => peer.acks.find((a) => a.seq === seq) ?? peer.errors.find((e) => e.seq === seq));
  return "code" in answer ? `refused: ${String(answer.code)} ${String((answer as { message?: unknown }).message)}` : "acknowledged";
}

function storedRound(dataDir: string, code: string, index: number): StoredRound {
  const db = new DatabaseSync(join(dataDir, "l2arena.sqlite"), { readOnly: true });
  try {
    const row = db.prepare("SELECT seed, config_json, log_json, end_ms, final_hash, debrief_json, scenario FROM rounds WHERE session_code = ? AND idx = ?").get(code, index) as Record<string, string | number>;
    return {
      sessionCode: code, index, scenario: String(row.scenario), seed: String(row.seed), config: JSON.parse(String(row.config_json)), log: JSON.parse(String(row.log_json)),
      endMs: Number(row.end_ms), finalHash: String(row.final_hash), debrief: JSON.parse(String(row.debrief_json)), startedAt: 0, endedAt: 0, endedEarly: false,
    };
  } finally {
    db.close();
  }
}

/**
 * A student's view shows none of their L2 transactions still waiting for the sequencer: the view's
 * balances (the L2 head's) include every payment they sent — and, from the same projection pass,
 * every payment the others sent them.
 */
function settled(peer: Peer): boolean {
  return peer.views.you !== null && !(peer.views.you.txs as { status: string }[]).some((tx) => tx.status === "pending");
}

/** What a student's seat held just before the crash. */
interface SeatBefore {
  id: string;
  role: string;
  roundRole: string;
  score: number;
  l1Balance: number;
  l2Balance: number;
}

/**
 * Host, four students, a projector and server bots (a cheating sequencer and challengers): a first
 * round (L1) played and ended, then an optimistic round played until a dispute is open, the last
 * acknowledged payments sent just before the crash.
 */
async function classUnderway(port: number) {
  const session = await createSession(port);
  const host = resilient(await joinAsHost(port, session));
  const students = await Promise.all(["Ada", "Ben", "Cy", "Di"].map(async (name) => resilient(await joinAsPlayer(port, session.code, name))));
  const projector = testClient(port).joinById(session.code, { projector: true });
  const screen = await projector;
  screen.reconnection.minUptime = 0;
  let screenBack = 0;
  screen.onReconnect(() => screenBack++);
  peers.push(host, ...students);
  const send = (type: string, body: Record<string, unknown> = {}) => host.room.send(type, { token: session.hostToken, ...body });
  send("host:addBots", { count: 1, role: "sequencer", difficulty: "hard" });
  send("host:addBots", { count: 3, role: "challenger" });
  send("host:plan", { rounds: [{ scenario: "l1", durationSec: 60 }, { scenario: "optimistic", durationSec: 75, params: { challengeWindowSec: 40, moveTimeoutSec: 6 } }] });
  send("host:start");
  // Round 1: everyone pays on L1 until each has points, then the host ends it.
  await waitFor("the L1 round running", () => host.room.state.phase === "running");
  let l1Seq = 50;
  for (const [k, s] of students.entries()) s.room.send("l1:send", { to: myId(students[(k + 1) % students.length]!), amount: 1_000, seq: l1Seq++ });
  await waitFor("points from round 1", () => students.every((s) => (host.room.state.players.get(myId(s))?.score ?? 0) > 0), 30_000);
  send("host:endRound");
  await waitFor("round 1 over", () => host.room.state.phase === "debrief");
  const firstRound = new Map([...host.room.state.players.entries()].map(([id, p]) => [id, p.score as number]));
  send("host:start");
  await waitFor("deposits credited", () => host.room.state.phase === "running" && students.every((s) => (s.views.you?.l2Balance ?? 0) >= eth(1)), 30_000);
  const acked = new Map<Peer, number>(students.map((s) => [s, 0]));
  let seq = 100;
  for (let i = 0; i < 3; i++) {
    for (const [k, s] of students.entries()) if ((await pay(s, myId(students[(k + 1) % students.length]!), seq++)) === "acknowledged") acked.set(s, acked.get(s)! + 1);
  }
  await waitFor("a dispute under way", () => host.room.state.world.disputes.some((d: { status: string }) => d.status === "open"), 60_000);
  // The last acknowledged actions go in just before the crash.
  for (const [k, s] of students.entries()) if ((await pay(s, myId(students[(k + 2) % students.length]!), seq++)) === "acknowledged") acked.set(s, acked.get(s)! + 1);
  // What each seat holds now, once the sequencer has soft-confirmed every payment (balances are the
  // L2 head's) and each student's own view shows them.
  await waitFor("every payment soft-confirmed", () => (host.room.state.world.l2MempoolSize === 0 && students.every(settled)) || null);
  const before = new Map<Peer, SeatBefore>();
  for (const s of students) {
    await waitFor("own view up to date", () => (s.views.you?.l2Nonce ?? 0) >= acked.get(s)! || null);
    const p = host.room.state.players.get(myId(s))!;
    before.set(s, { id: myId(s), role: p.role, roundRole: p.roundRole, score: p.score, l1Balance: myWallet(s).l1Balance, l2Balance: myWallet(s).l2Balance });
  }
  const openDisputes = host.room.state.world.disputes.filter((d: { status: string }) => d.status === "open").map((d: { id: number }) => d.id as number);
  expect(openDisputes.length, "a dispute open at the crash").toBeGreaterThan(0);
  const remainingMs = host.room.state.roundRemainingMs as number;
  return { session, host, students, acked, before, firstRound, openDisputes, remainingMs, screen, screenBack: () => screenBack };
}

/**
 * Everyone is back in their own seat (host, students, projector) with the same role and money, the
 * open dispute still there, the clock where it stopped; the round resumes by itself, finishes on its
 * clock, and both rounds replay from the store.
 */
async function expectClassCarriesOn(port: number, dataDir: string, server: ServerProcess, cls: Awaited<ReturnType<typeof classUnderway>>, backWithinMs: number, crashedAt: number): Promise<void> {
  const { session, host, students, acked, before, firstRound } = cls;
  const everyone = [host, ...students];
  // Back by themselves, within the bound counted from the moment the new process answers.
  const upAt = Date.now();
  await waitFor("everyone back in their seat", () => everyone.every((p) => p.comebacks > 0 && p.room.connection.isOpen) && cls.screenBack() > 0, backWithinMs);
  console.log(`back ${Date.now() - upAt} ms after the new process was up, ${Date.now() - crashedAt} ms after the old one stopped`);
  // The restored room's own state has reached the host (a reconnected client keeps the old one until
  // then): the round waits, paused, counting down visibly.
  await waitFor("the restored round paused, resuming by itself", () => (host.room.state.phase === "paused" && (host.room.state.resumingInSec as number) > 0) || null);
  expect((await fetch(`http://localhost:${port}/api/sessions/${session.code}`)).status).toBe(200);
  expect(server.output.join("")).toMatch(new RegExp(`\\[${session.code}\\] restored: .*round 2 replayed from \\d+ log lines \\(state hash matches\\)`));
  for (const s of students) {
    const seat = before.get(s)!;
    // Every transfer acknowledged before the crash is in the restored world: the nonce counts them.
    // (The restored state follows the rejoin by a round trip, a poll later over long-polling.)
    await waitFor(`${seat.id}'s restored nonce`, () => s.viewsBack > 0 && (s.views.you?.l2Nonce ?? 0) >= acked.get(s)!, 10_000);
    expect(myId(s)).toBe(seat.id);
    const p = host.room.state.players.get(seat.id)!;
    expect([p.role, p.roundRole]).toEqual([seat.role, seat.roundRole]);
    await waitFor(`${seat.id} shown online to the host`, () => host.room.state.players.get(seat.id)?.connected === true);
  }
  // Same money, read while the round waits paused (nothing moves; once it runs, the cheating sequencer's
  // next batch may take from someone). A payment acknowledged during a graceful stop waits in the
  // sequencer's mempool meanwhile: the nonce above counts it, the balances don't yet.
  for (const s of students) {
    const seat = before.get(s)!;
    expect([myWallet(s).l1Balance, myWallet(s).l2Balance], seat.id).toEqual([seat.l1Balance, seat.l2Balance]);
  }
  // The dispute open at the crash is still there, and the clock is where it stopped (at most the last second of game time is played again).
  for (const id of cls.openDisputes) expect(host.room.state.world.disputes.some((d: { id: number }) => d.id === id), `dispute ${id}`).toBe(true);
  expect(Math.abs((host.room.state.roundRemainingMs as number) - cls.remainingMs)).toBeLessThanOrEqual(2_000);
  // The round pauses a few visible seconds for phones to come back, then resumes by itself.
  await waitFor("round running again", () => host.room.state.phase === "running", 20_000);

  for (const s of students) await waitFor("score kept", () => (host.room.state.players.get(before.get(s)!.id)?.score ?? 0) >= before.get(s)!.score || null);
  // It keeps being playable, then ends on its clock.
  for (const [k, s] of students.entries()) expect(await pay(s, myId(students[(k + 3) % students.length]!), 900 + k), myId(s)).toBe("acknowledged");
  await waitFor("the round over", () => host.room.state.phase === "final", 120_000);
  const debrief = JSON.parse(host.room.state.debrief as string);
  const stored = storedRound(dataDir, session.code, 1);
  const replayed = replay(stored.seed, stored.config, stored.log, stored.endMs);
  expect(replayed.hash).toBe(stored.finalHash);
  expect(computeDebrief(replayed.events, stored.config, stored.endMs, "optimistic")).toEqual(debrief);
  expect(conservationViolation(replayed.world)).toBeNull();
  expect(debrief.fraud.disputes).toBeGreaterThan(0);
  // The first round, finished before the crash, is untouched: its scores carried into the lesson's totals.
  const first = storedRound(dataDir, session.code, 0);
  expect(replay(first.seed, first.config, first.log, first.endMs).hash).toBe(first.finalHash);
  for (const [id, player] of host.room.state.players.entries()) expect(player.score, id).toBe((firstRound.get(id) ?? 0) + (debrief.scores[id] ?? 0));
  const viaHttp = await (await fetch(`http://localhost:${port}/api/sessions/${session.code}/rounds/1/replay?token=${session.hostToken}`)).json();
  expect(viaHttp.matches).toBe(true);
  await cls.screen.leave();
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
    // Payments sent while the server stops: each is either acknowledged (and then restored) or refused
    // with a reason — never acknowledged and lost.
    cls.students.forEach((s, k) => sendPayment(s, myId(cls.students[(k + 1) % cls.students.length]!), 800 + k));
    expect(await first.exited).toBe(0);
    for (const [k, s] of cls.students.entries()) {
      if (s.acks.some((a) => a.seq === 800 + k)) cls.acked.set(s, cls.acked.get(s)! + 1);
      const refused = s.errors.find((e) => e.seq === 800 + k);
      if (refused) expect(refused.message).toMatch(/restarting/);
      console.log(`during the stop, ${myId(s)}'s payment: ${s.acks.some((a) => a.seq === 800 + k) ? "acknowledged" : refused ? "refused" : "unanswered"}`);
    }
    expect(cls.host.messages.some((m) => m.type === "notice" && /restarting/.test(String((m.payload as { message?: string }).message)))).toBe(true);
    const second = await startServer(port, dataDir);
    await expectClassCarriesOn(port, dataDir, second, cls, 5_000, stoppedAt);
  }, 300_000);

  it("a restart does not make an abandoned session look occupied, and one abandoned too long is ended at start", async () => {
    const { port, dataDir, first } = await firstServer("abandoned");
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    await host.room.leave();
    const leftAt = Date.now();
    await new Promise((r) => setTimeout(r, 300));
    first.child.kill("SIGKILL");
    await first.exited;
    const second = await startServer(port, dataDir);
    expect((await fetch(`http://localhost:${port}/api/sessions/${session.code}`)).status).toBe(200);
    // The restored room keeps the stored time someone was last there; it does not reset it to "now".
    await new Promise((r) => setTimeout(r, 300));
    const db = new DatabaseSync(join(dataDir, "l2arena.sqlite"), { readOnly: true });
    const row = db.prepare("SELECT snapshot_json FROM session_snapshots WHERE code = ?").get(session.code) as { snapshot_json: string };
    db.close();
    expect(JSON.parse(row.snapshot_json).lastOccupiedMs).toBeLessThanOrEqual(leftAt);
    second.child.kill("SIGKILL");
    await second.exited;
    // Started with a short idle time, the next process finds it abandoned: ended, not restored; its code answers 410.
    await startServer(port, dataDir, { SESSION_IDLE_MINUTES: "0.01" });
    expect((await fetch(`http://localhost:${port}/api/sessions/${session.code}`)).status).toBe(410);
  });

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
