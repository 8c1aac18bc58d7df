import type { Scenario } from "../../../../shared/protocol/messages.ts";
import { channelsLane } from "./channels.ts";
import { l1Lane } from "./l1.ts";
import type { Lane } from "./lane.ts";
import { plasmaLane } from "./plasma.ts";
import { sidechainLane } from "./sidechain.ts";
import { zkLane } from "./zk.ts";

/** Each scenario's projector lane; the optimistic rollup's is WorldScene's own (L2 lane + disputes). */
export const LANES: Partial<Record<Scenario, Lane | null>> = {
  zk: zkLane,
  l1: l1Lane,
  channels: channelsLane,
  plasma: plasmaLane,
  sidechain: sidechainLane,
};
