import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Room } from "@colyseus/sdk";
import type { RunningApp } from "../../server/app.ts";
import { CLOSE_FLOODING } from "../../shared/protocol/messages.ts";
import { createSession, freePort, joinAsHost, joinAsPlayer, leaveAll, myId, startTestServer, waitFor } from "./helpers.ts";
import type { Peer, Session } from "./helpers.ts";

/**
 * One classroom can't slow or break another: each attack from the security review runs in its own
 * session while a class of three next door keeps paying each other on L1. Every payment the class
 * sends during the attack must be acknowledged (none lost, none refused), and its chain keeps
 * making blocks; the attacker meanwhile hears a clear error and, if it keeps on, is disconnected.
 * How much the neighbour slows down is a benchmark's question (bench:load --case noisy-neighbour).
 */

interface Classroom {
  session: Session;
  host: Peer;
  students: Peer[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("one classroom can't hurt another on the same server", () => {
  let app: RunningApp;
  let port = 0;
  let neighbour: Classroom;
  const others: Peer[] = [];
  let seq = 1;

  /** A session with a round of `scenario` running and `names` students seated. */
  async function classroom(scenario: string, names: string[], bots = 2): Promise<Classroom> {
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    const students = [];
    for (const name of names) students.push(await joinAsPlayer(port, session.code, name));
    if (bots) host.room.send("host:addBots", { token: session.hostToken, count: bots });
    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario, durationSec: 1_800 }] });
    host.room.send("host:start", { token: session.hostToken });
    await waitFor(`${scenario} round running`, () => host.room.state.phase === "running");
    others.push(host, ...students);
    return { session, host, students };
  }

  /**
   * The neighbour plays while `attack` runs: each student pays the next one every 300 ms. Resolves
   * once every payment sent has its answer; returns how many were sent and how many blocks the
   * neighbour's chain made meanwhile.
   */
  async function neighbourPlaysThrough(attack: () => Promise<void>): Promise<{ sent: number; blocks: number }> {
    const sent: { peer: Peer; seq: number }[] = [];
    const height = () => neighbour.host.room.state.world.blocks.at(-1)?.height ?? 0;
    const startHeight = height();
    let playing = true;
    const play = (async () => {
      while (playing) {
        neighbour.students.forEach((peer, i) => {
          const to = myId(neighbour.students[(i + 1) % neighbour.students.length]!);
          const mine = seq++;
          peer.room.send("l1:send", { to, amount: 1_000, seq: mine });
          sent.push({ peer, seq: mine });
        });
        await sleep(300);
      }
    })();
    await attack();
    playing = false;
    await play;
    for (const { peer, seq: mine } of sent) {
      const answer = await waitFor(`answer to payment ${mine}`, () => peer.acks.find((a) => a.seq === mine) ?? peer.errors.find((e) => e.seq === mine), 60_000);
      expect(answer, `payment ${mine}`).not.toHaveProperty("code");
    }
    await waitFor("the neighbour's chain made blocks", () => height() > startHeight || null, 30_000);
    return { sent: sent.length, blocks: height() - startHeight };
  }

  /** Sends `burst` messages every 10 ms until the room closes or `ms` pass; resolves with the close code (or null). */
  async function flood(room: Room, ms: number, burst: number, send: (i: number) => void): Promise<number | null> {
    let code: number | null = null;
    room.onLeave((c) => {
      code = c;
    });
    const until = Date.now() + ms;
    let i = 0;
    while (code === null && Date.now() < until) {
      for (let k = 0; k < burst; k++) send(i++);
      await sleep(10);
    }
    await waitFor("the flooder is told and disconnected", () => code !== null || null, 20_000).catch(() => undefined);
    return code;
  }

  beforeAll(async () => {
    port = await freePort();
    // The production clock and bot pace: ticks every 250 ms, a bot turn a second.
    app = await startTestServer(port, { tickMs: 250, botTurnMs: 1_000 });
    neighbour = await classroom("l1", ["Ada", "Ben", "Cy"], 0);
  });

  afterAll(async () => {
    // A disconnected flooder's leave() would wait for ever.
    await leaveAll(others.filter((peer) => peer.room.connection.isOpen));
    await app?.close();
  });

  it("a flood of a valid message type (1,000 a second) is dropped, told once a second and disconnected; the class next door loses nothing", async () => {
    const attacker = await classroom("optimistic", ["Flood"]);
    const flooder = attacker.students[0]!;
    let closeCode: number | null = null;
    const played = await neighbourPlaysThrough(async () => {
      closeCode = await flood(flooder.room, 5_000, 10, (i) => flooder.room.send("user:deposit", { amount: 1_000, seq: 100_000 + i }));
    });
    expect(closeCode).toBe(CLOSE_FLOODING);
    expect(flooder.errors.filter((e) => e.code === "rate_limited").length).toBeGreaterThanOrEqual(1);
    // At most the burst and the sustained rate were served before the kick.
    expect(flooder.acks.length + flooder.errors.filter((e) => e.code !== "rate_limited").length).toBeLessThan(100);
    expect(played.sent).toBeGreaterThan(0);
  });

  it("a flood of requests of unknown types and of pings (which Colyseus would answer itself) counts against the rate and is disconnected; the class next door loses nothing", async () => {
    const attacker = await classroom("optimistic", ["Pinger"]);
    const flooder = attacker.students[0]!;
    // Answers the server sent: a pong, or Colyseus's own "no handler" for a request (not a request dropped, which fails when the socket closes).
    let answered = 0;
    let closeCode: number | null = null;
    await neighbourPlaysThrough(async () => {
      closeCode = await flood(flooder.room, 5_000, 10, (i) => {
        if (i % 2) flooder.room.ping(() => (answered += 1));
        else flooder.room.request(`nope:${i}`, {}, { timeout: 30_000 }).then(() => (answered += 1), (error: unknown) => {
          if (/handler/.test(String((error as Error)?.message ?? error))) answered += 1;
        });
      });
    });
    expect(closeCode).toBe(CLOSE_FLOODING);
    expect(flooder.errors.some((e) => e.code === "rate_limited")).toBe(true);
    // Only the burst and the sustained rate got an answer, not the thousands sent.
    expect(answered).toBeLessThan(100);
  });

  it("challengers hammering batch:data get capped answers; the class next door loses nothing", async () => {
    const attacker = await classroom("optimistic", ["Cha 1", "Cha 2", "Cha 3", "Cha 4"], 6);
    await waitFor("a batch on L1", () => attacker.host.room.state.world.batches.some((b: { status: string }) => b.status === "posted"), 60_000);
    const batchId = attacker.host.room.state.world.batches.find((b: { status: string }) => b.status === "posted")!.id as number;
    await neighbourPlaysThrough(async () => {
      // Within the message rate (8 a second each), so only the batch:data caps answer them.
      for (let round = 0; round < 20; round++) {
        for (const peer of attacker.students) peer.room.send("batch:data", { batchId });
        await sleep(150);
      }
    });
    for (const peer of attacker.students) {
      await waitFor("refused", () => peer.errors.find((e) => e.type === "batch:data"));
      expect(peer.messages.filter((m) => m.type === "batch:data").length).toBe(3);
      expect(peer.errors.find((e) => e.type === "batch:data")!.message).toMatch(/already downloaded batch/);
    }
  });

  it("the heaviest session the limits allow (300 server bots, one in five hard) plays beside it; the class next door loses nothing", async () => {
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    others.push(host);
    host.room.send("host:addBots", { token: session.hostToken, count: 240, seq: 1 });
    host.room.send("host:addBots", { token: session.hostToken, count: 60, difficulty: "hard", seq: 2 });
    await waitFor("bots seated", () => host.acks.some((a) => a.seq === 2) || null);
    host.room.send("host:addBots", { token: session.hostToken, count: 1, seq: 3 });
    const overCap = await waitFor("the 301st bot refused", () => host.errors.find((e) => e.seq === 3));
    expect(overCap.message).toMatch(/at most 300 bots/);
    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "optimistic", durationSec: 600 }] });
    host.room.send("host:start", { token: session.hostToken });
    await waitFor("the heavy round running", () => host.room.state.phase === "running");
    const played = await neighbourPlaysThrough(async () => void (await sleep(8_000)));
    expect(played.sent).toBeGreaterThanOrEqual(3 * 20);
    // The heavy session played too: its bots sent transactions through the same doors.
    await waitFor("the bots' transactions on L1", () => host.room.state.world.blocks.some((b: { txCount: number }) => b.txCount > 0) || null, 30_000);
  });
});
