/**
 * What the load bench's orchestrator and its generator processes say to each other (Node IPC).
 * A generator drives a share of the simulated clients; the orchestrator only plans, starts rounds
 * and adds up the reports, so neither its work nor one generator's limits the load.
 */
import type { NodeTransport } from "../../../server/transport/sdk-client.ts";

/**
 * How a simulated client behaves:
 *  - `player`: a student in our optimistic round (server/headless-bot.ts: transfers, deposits; the
 *    sequencer includes and posts; challengers fetch and re-execute batches);
 *  - `watcher`: one acknowledged message (`player:key`, re-sending its own key) at the pacing, in any
 *    scenario, while server bots play: the scenario's cost is the server's, not the client's;
 *  - `bare`: the yardstick's `act` → `ack`;
 *  - `flooder`: a hostile client sending `flood.perSecond` messages a second; when the server kicks it
 *    (close 4102) it joins again under a new name and carries on.
 */
export type ClientMode = "player" | "watcher" | "bare" | "flooder";

/** One simulated client. `group` names whose figures it counts towards (e.g. "class", "neighbour"). */
export interface SeatPlan {
  roomId: string;
  name: string;
  seed: string;
  mode: ClientMode;
  group: string;
}

export interface GeneratorConfig {
  endpoint: string;
  transport: NodeTransport;
  seats: SeatPlan[];
  /** Mean ms between two actions of one client (each waits a uniformly random 0.5–1.5× of it). */
  actEveryMs: number;
  /** Joins in flight at once, per generator. */
  joinConcurrency: number;
  /** Messages a second a flooder sends. */
  floodPerSecond: number;
}

/** The figures of one group of clients over the measured window, from one generator. */
export interface GroupReport {
  clients: number;
  /** ms from sending an action to its ack or error, every sample. */
  latenciesMs: number[];
  acks: number;
  errors: number;
  /** Errors by kind ("type: message", digits as #), to say what the errors were. */
  errorKinds: Record<string, number>;
  /** Colyseus payload bytes received (no WebSocket/HTTP framing). */
  bytes: number;
  /** Unexpected closes (the SDK then tries to reconnect), reconnections that worked, flood kicks. */
  drops: number;
  reconnects: number;
  kicks: number;
}

export interface GeneratorReport {
  pid: number;
  windowSec: number;
  /** CPU seconds (user + system) this generator used in the window. */
  cpuSec: number;
  /** Event-loop delay in the window, ms: a late generator makes every latency it measures late too. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  groups: Record<string, GroupReport>;
  /** What the SDK printed in the window (its reconnection narration), line shape → count. */
  sdkLog: Record<string, number>;
}

export type ToGenerator =
  | { type: "start"; config: GeneratorConfig }
  | { type: "reset" }
  | { type: "report" }
  | { type: "stop" };

export type FromGenerator =
  | { type: "joined"; joined: number; failed: number; firstError?: string }
  | { type: "report"; report: GeneratorReport }
  | { type: "stopped" };
