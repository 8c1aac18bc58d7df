/**
 * npm run bench:load -- [--case room-300,room-2000,rooms-100x30,scenarios,noisy-neighbour,wal-cost,cluster,rooms-<N>x<M> | all]
 *                       [--pacing human,stress] [--seconds 20] [--warmup 5] [--transport websocket,polling,socketio]
 *                       [--generators N] [--port 2700] [--scenarios l1,zk,…] [--bots 300] [--watchers 5]
 *                       [--class-size 30] [--neighbour-scenario optimistic] [--flood 1000] [--profile DIR]
 *
 * Measures the server, not itself: the simulated clients run in generator processes (their CPU and
 * event-loop delay are reported), our server and a bare Colyseus room (tests/bench/bare-server.ts)
 * each run in their own process, and every rooms case runs the same clients against both and prints
 * the ratio of our p99 and CPU per action to the bare room's. Benchmarks print; they assert nothing.
 * docs/performance.md has the figures and how to read them.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { NODE_TRANSPORTS } from "../../server/transport/sdk-client.ts";
import type { NodeTransport } from "../../server/transport/sdk-client.ts";
import type { Scenario } from "../../shared/protocol/messages.ts";
import { ALL_SCENARIOS, BENCH_LIMIT_OVERRIDES, PACING_MS, noisyNeighbourCase, roomsCase, scenariosCase } from "./load/cases.ts";
import type { BenchOptions, Pacing } from "./load/cases.ts";
import { clusterCase, walCostCase } from "./load/scale-cases.ts";

const CASES = ["room-300", "room-2000", "rooms-100x30", "scenarios", "noisy-neighbour", "wal-cost", "cluster"] as const;
/** Any other size of the rooms case: rooms-<rooms>x<players per room>, e.g. rooms-1x30. */
const ROOMS_CASE = /^rooms-(\d+)x(\d+)$/;

const { values } = parseArgs({
  options: {
    case: { type: "string", default: "room-300" },
    pacing: { type: "string", default: "human,stress" },
    seconds: { type: "string", default: "20" },
    warmup: { type: "string", default: "5" },
    transport: { type: "string", default: "websocket" },
    generators: { type: "string" },
    port: { type: "string", default: "2700" },
    scenarios: { type: "string", default: ALL_SCENARIOS.join(",") },
    bots: { type: "string", default: "300" },
    watchers: { type: "string", default: "5" },
    "class-size": { type: "string", default: "30" },
    "neighbour-scenario": { type: "string", default: "optimistic" },
    flood: { type: "string", default: "1000" },
    profile: { type: "string" },
  },
});

const list = (value: string) => value.split(",").map((v) => v.trim()).filter(Boolean);
// "all" is every case but the two that start servers of their own kind (cluster needs redis-server).
const cases = values.case === "all" ? CASES.filter((c) => c !== "cluster") : list(values.case);
for (const name of cases) if (!(CASES as readonly string[]).includes(name) && !ROOMS_CASE.test(name)) throw new Error(`unknown case ${name}: ${CASES.join(", ")}, rooms-<N>x<M> or all`);
const pacings = list(values.pacing) as Pacing[];
for (const pacing of pacings) if (!(pacing in PACING_MS)) throw new Error(`unknown pacing ${pacing}: human, stress`);
// Several transports (websocket,polling): every case runs over each in turn, the same clients each time.
const transports = list(values.transport) as NodeTransport[];
for (const t of transports) if (!NODE_TRANSPORTS.includes(t)) throw new Error(`unknown transport ${t}: ${NODE_TRANSPORTS.join(", ")}`);
const scenarios = list(values.scenarios) as Scenario[];
for (const s of [...scenarios, values["neighbour-scenario"]]) if (!ALL_SCENARIOS.includes(s as Scenario)) throw new Error(`unknown scenario ${s}: ${ALL_SCENARIOS.join(", ")}`);

const options: BenchOptions = {
  seconds: Number(values.seconds),
  warmupSec: Number(values.warmup),
  transport: transports[0]!,
  port: Number(values.port),
  generators: values.generators ? Number(values.generators) : undefined,
  pacings,
  scenarios,
  bots: Number(values.bots),
  watchers: Number(values.watchers),
  classSize: Number(values["class-size"]),
  neighbourScenario: values["neighbour-scenario"] as Scenario,
  floodPerSecond: Number(values.flood),
  profileDir: values.profile,
};

console.log(`## L2 Arena load bench — ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`);
console.log(`node ${process.version} · ${os.cpus()[0]?.model ?? "unknown CPU"} × ${os.cpus().length} · ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB · load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
console.log("Our server runs with these limits lifted (everything else at its default, docs/operations.md):");
for (const [name, [value, why]] of Object.entries(BENCH_LIMIT_OVERRIDES)) console.log(`  ${name}=${value}: ${why}`);
if (options.profileDir) console.log(`Our server writes a CPU profile per run into ${options.profileDir} (node --cpu-prof; open it in Chrome DevTools → Performance).`);
console.log("Latency: ms from a client sending an action to its ack (or error), measured in the generator. Bytes: Colyseus payload bytes received, without WebSocket/HTTP framing.");

for (const name of cases) {
  for (const transport of transports) {
    const run = { ...options, transport };
    if (name === "room-300") await roomsCase("One room of 300", run, 1, 300);
    else if (name === "room-2000") await roomsCase("One room of 2,000", run, 1, 2_000);
    else if (name === "rooms-100x30") await roomsCase("100 rooms of 30 in one process", run, 100, 30);
    else if (name === "scenarios") await scenariosCase(run);
    else if (name === "wal-cost") await walCostCase(run, [[1, 300], [30, 30]]);
    else if (name === "cluster") await clusterCase(run, { perRoom: 30, step: 10, maxRooms: 200, p99LimitMs: 100 });
    else if (ROOMS_CASE.test(name)) {
      const [, rooms, perRoom] = ROOMS_CASE.exec(name)!;
      await roomsCase(`${rooms} room(s) of ${perRoom}`, run, Number(rooms), Number(perRoom));
    } else await noisyNeighbourCase({ ...run, pacings: values.pacing === "human,stress" ? ["stress"] : pacings });
  }
}
process.exit(0);
