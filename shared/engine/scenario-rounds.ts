import type { ScenarioRound } from "./debrief-types.ts";
import { channelsRound } from "./channels/round.ts";
import { l1Round } from "./l1-round.ts";
import { optimisticRound } from "./optimistic/round.ts";
import { plasmaRound } from "./plasma/round.ts";
import { sidechainRound } from "./sidechain/round.ts";
import { zkRound } from "./zk/round.ts";

/**
 * By scenario name, which is also the module name its events carry ("l1" has no module).
 * Registering a scenario here is all scoring and the debrief need.
 */
export const SCENARIO_ROUNDS: Readonly<Record<string, ScenarioRound>> = {
  optimistic: optimisticRound,
  zk: zkRound,
  l1: l1Round,
  channels: channelsRound,
  plasma: plasmaRound,
  sidechain: sidechainRound,
};
