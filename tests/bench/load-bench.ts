/**
 * npm run bench:load [-- --counts 30,300 --seconds 30 --transport websocket,polling]
 * Starts the server as a child process, connects N headless bots that act every second, over each
 * transport given (WebSocket, socket.io long-polling, socket.io with upgrades), and prints p50/p99
 * action→ack latency, bytes per client per second (Colyseus payload), and server CPU.
 */
import { parseArgs } from "node:util";
import type { Room } from "@colyseus/sdk";
import { keyPairFromSeed } from "../../shared/crypto/sign.ts";
import { sha256Bytes, utf8ToBytes } from "../../shared/crypto/hash.ts";
import { runHeadlessBot } from "../../server/headless-bot.ts";
import { NODE_TRANSPORTS, sdkClient } from "../../server/transport/sdk-client.ts";
import type { NodeTransport } from "../../server/transport/sdk-client.ts";
import { processUsage, startServerProcess } from "./server-process.ts";

const { values } = parseArgs({ options: { counts: { type: "string", default: "30,300" }, seconds: { type: "string", default: "30" }, port: { type: "string", default: "2597" }, transport: { type: "string", default: "websocket" } } });
const transports = values.transport.split(",").map((t) => t.trim()) as NodeTransport[];
for (const t of transports) if (!NODE_TRANSPORTS.includes(t)) throw new Error(`unknown transport ${t}: ${NODE_TRANSPORTS.join(", ")}`);
const port = Number(values.port);
const seconds = Number(values.seconds);
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function run(count: number, transport: NodeTransport): Promise<void> {
  const server = await startServerProcess(port);
  try {
    const session = (await (await fetch(`http://localhost:${port}/api/sessions`, { method: "POST" })).json()) as { code: string; hostToken: string };
    // The host stays on WebSocket; the measured clients use `transport`.
    const host = await sdkClient(`http://localhost:${port}`).joinById(session.code, { hostToken: session.hostToken });
    const client = sdkClient(`http://localhost:${port}`, transport);
    host.onMessage("*", () => undefined);
    const rooms: Room[] = [];
    const bytes = { total: 0 };
    const bots = [];
    for (let i = 0; i < count; i++) {
      const room = await client.joinById(session.code, { name: `Load ${i}` });
      const events = (room.connection as unknown as { events: { onmessage?: (e: MessageEvent) => void } }).events;
      const original = events.onmessage;
      events.onmessage = (event: MessageEvent) => {
        // ArrayBuffer over WebSocket, Buffer over socket.io (already decoded from base64): payload bytes either way.
        bytes.total += (event.data as ArrayBuffer | Uint8Array).byteLength ?? 0;
        original?.(event);
      };
      const key = keyPairFromSeed(sha256Bytes(utf8ToBytes(`load:${i}`)));
      room.send("player:key", { publicKey: key.publicKey });
      rooms.push(room);
      bots.push(runHeadlessBot(room, key, `load:${i}`));
    }
    host.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "optimistic", durationSec: seconds + 60 }] });
    host.send("host:autoBalance", { token: session.hostToken });
    await new Promise((r) => setTimeout(r, 500));
    host.send("host:start", { token: session.hostToken });
    await new Promise((r) => setTimeout(r, 3_000)); // warm-up: deposits land
    for (const bot of bots) bot.stats.latenciesMs.length = 0;
    const bytesBefore = bytes.total;
    const cpuBefore = processUsage(server.pid!).cpuSec;
    const started = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const elapsedSec = (performance.now() - started) / 1000;
    const cpuSec = processUsage(server.pid!).cpuSec - cpuBefore;
    const latencies = bots.flatMap((b) => b.stats.latenciesMs);
    for (const bot of bots) bot.stop();
    console.log(
      `${transport.padEnd(9)}  clients=${count}  actions=${latencies.length} (${(latencies.length / elapsedSec).toFixed(0)}/s)  ` +
        `ack latency p50=${percentile(latencies, 50).toFixed(1)} ms p99=${percentile(latencies, 99).toFixed(1)} ms  ` +
        `bytes/client/s=${((bytes.total - bytesBefore) / count / elapsedSec).toFixed(0)}  ` +
        `server CPU=${((100 * cpuSec) / elapsedSec).toFixed(0)}% of one core`,
    );
    await Promise.all([...rooms, host].map((r) => r.leave().catch(() => undefined)));
  } finally {
    server.kill("SIGKILL");
  }
}

console.log(`L2 Arena load bench: ${seconds} s per run, bots act about once a second, server in its own process`);
// Each size over each transport in turn, so the report has them side by side.
for (const count of values.counts.split(",").map(Number)) for (const transport of transports) await run(count, transport);
process.exit(0);
