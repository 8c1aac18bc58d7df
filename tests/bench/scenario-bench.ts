/**
 * npm run bench:scenarios [-- --bots 300 --seconds 20 --scenarios l1,optimistic,zk,channels,plasma,sidechain]
 * For each scenario: starts the server as a child process, fills a session with server-side bots
 * (the lesson's own roles, auto-balanced), watches the round from a projector and five passive
 * players, and prints the server's CPU, its memory, and the bytes a player and the projector receive
 * per second. Bots play at the room's normal pace; one in five plays "hard" (cheats where it can).
 */
import { parseArgs } from "node:util";
import { Client } from "@colyseus/sdk";
import type { Room } from "@colyseus/sdk";
import { keyPairFromSeed } from "../../shared/crypto/sign.ts";
import { sha256Bytes, utf8ToBytes } from "../../shared/crypto/hash.ts";
import { SCENARIOS } from "../../shared/protocol/messages.ts";
import { processUsage, startServerProcess } from "./server-process.ts";

const { values } = parseArgs({
  options: {
    bots: { type: "string", default: "300" },
    seconds: { type: "string", default: "20" },
    scenarios: { type: "string", default: SCENARIOS.join(",") },
    port: { type: "string", default: "2598" },
  },
});
const port = Number(values.port);
const seconds = Number(values.seconds);
const botCount = Number(values.bots);
const WATCHERS = 5;

/** Counts the bytes a room's connection receives. */
function countBytes(room: Room, counter: { total: number }): void {
  const events = (room.connection as unknown as { events: { onmessage?: (e: MessageEvent) => void } }).events;
  const original = events.onmessage;
  events.onmessage = (event: MessageEvent) => {
    counter.total += (event.data as ArrayBuffer).byteLength ?? 0;
    original?.(event);
  };
  room.onMessage("*", () => undefined);
}

async function run(scenario: string): Promise<void> {
  const server = await startServerProcess(port);
  try {
    const session = (await (await fetch(`http://localhost:${port}/api/sessions`, { method: "POST" })).json()) as { code: string; hostToken: string };
    const client = new Client(`http://localhost:${port}`);
    const token = session.hostToken;
    const host = await client.joinById(session.code, { hostToken: token });
    host.onMessage("*", () => undefined);
    const players = { total: 0 };
    const projectorBytes = { total: 0 };
    const watchers: Room[] = [];
    for (let i = 0; i < WATCHERS; i++) {
      const room = await client.joinById(session.code, { name: `Watcher ${i}` });
      room.send("player:key", { publicKey: keyPairFromSeed(sha256Bytes(utf8ToBytes(`watch:${i}`))).publicKey });
      countBytes(room, players);
      watchers.push(room);
    }
    const projector = await client.joinById(session.code, { projector: true });
    countBytes(projector, projectorBytes);
    host.send("host:plan", { token, rounds: [{ scenario, durationSec: seconds + 60 }] });
    const hard = Math.round(botCount / 5);
    host.send("host:addBots", { token, count: botCount - hard, difficulty: "normal" });
    host.send("host:addBots", { token, count: hard, difficulty: "hard" });
    await new Promise((r) => setTimeout(r, 1_000));
    host.send("host:autoBalance", { token });
    await new Promise((r) => setTimeout(r, 500));
    host.send("host:start", { token });
    await new Promise((r) => setTimeout(r, 5_000)); // warm-up: genesis deposits land
    const state = projector.state as { phase?: string; players?: { size: number }; world?: { l1Height?: number } };
    if (state.phase !== "running") throw new Error(`${scenario}: the round did not start (phase ${state.phase})`);
    const heightBefore = state.world?.l1Height ?? 0;
    const before = { players: players.total, projector: projectorBytes.total, usage: processUsage(server.pid!) };
    const started = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const elapsedSec = (performance.now() - started) / 1000;
    const after = processUsage(server.pid!);
    console.log(
      `${scenario.padEnd(10)} players=${botCount + WATCHERS}  server CPU=${((100 * (after.cpuSec - before.usage.cpuSec)) / elapsedSec).toFixed(0)}% of one core  ` +
        `RSS=${(after.rss / 2 ** 20).toFixed(0)} MiB  ` +
        `L1 blocks=${(state.world?.l1Height ?? 0) - heightBefore}  bytes/s: player=${((players.total - before.players) / WATCHERS / elapsedSec).toFixed(0)} projector=${((projectorBytes.total - before.projector) / elapsedSec).toFixed(0)}`,
    );
    await Promise.all([...watchers, projector, host].map((r) => r.leave().catch(() => undefined)));
  } finally {
    server.kill("SIGKILL");
  }
}

console.log(`L2 Arena scenario bench: ${botCount} server bots + ${WATCHERS} watching players + a projector, ${seconds} s measured per scenario`);
for (const scenario of values.scenarios.split(",")) await run(scenario);
process.exit(0);
