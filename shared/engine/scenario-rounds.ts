import type { ScenarioConfig } from "./config.ts";
import type { Debrief } from "./debrief.ts";
import type { EngineEvent } from "./events.ts";
import { channelsRound } from "./channels/round.ts";
import { l1Round } from "./l1-round.ts";
import { plasmaRound } from "./plasma/round.ts";
import { sidechainRound } from "./sidechain/round.ts";
import { zkRound } from "./zk/round.ts";

/** What a scenario other than the optimistic rollup adds to scoring and to the debrief. */
export interface ScenarioRound {
  /** Points a module event (`{ type: "module", name, data }`) gives: [playerId, points]. */
  score(name: string, data: Record<string, unknown>): [string, number][];
  /** Sets the round's own figures, `figures`, `tradeOff` and `story` on the common debrief. */
  extend(debrief: Debrief, events: readonly EngineEvent[], config: ScenarioConfig): void;
}

/**
 * By scenario name, which is also the module name its events carry ("l1" has no module).
 * Registering a scenario here is all scoring and the debrief need.
 */
export const SCENARIO_ROUNDS: Readonly<Record<string, ScenarioRound>> = {
  zk: zkRound,
  l1: l1Round,
  channels: channelsRound,
  plasma: plasmaRound,
  sidechain: sidechainRound,
};
