/**
 * npm run bench:scenarios [-- --bots 300 --seconds 20 --scenarios l1,optimistic,zk,channels,plasma,sidechain]
 * The load bench's `scenarios` case (tests/bench/load/cases.ts), kept under its old name: for each
 * scenario, 300 server bots play while a few players and a projector watch; prints server CPU,
 * memory, L1 blocks, the watchers' ack latency and the bytes a player and the projector receive.
 */
import { parseArgs } from "node:util";
import { ALL_SCENARIOS, scenariosCase } from "./load/cases.ts";
import type { Pacing } from "./load/cases.ts";
import type { Scenario } from "../../shared/protocol/messages.ts";

const { values } = parseArgs({
  options: {
    bots: { type: "string", default: "300" },
    seconds: { type: "string", default: "20" },
    scenarios: { type: "string", default: ALL_SCENARIOS.join(",") },
    pacing: { type: "string", default: "stress" },
    port: { type: "string", default: "2710" },
  },
});

await scenariosCase({
  seconds: Number(values.seconds),
  warmupSec: 5,
  transport: "websocket",
  port: Number(values.port),
  generators: undefined,
  pacings: values.pacing.split(",") as Pacing[],
  scenarios: values.scenarios.split(",") as Scenario[],
  bots: Number(values.bots),
  watchers: 5,
  classSize: 30,
  neighbourScenario: "optimistic",
  floodPerSecond: 0,
  profileDir: undefined,
});
process.exit(0);
