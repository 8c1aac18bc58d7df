import type { ScenarioRound } from "../scenario-rounds.ts";

/** A channels round's scoring and debrief (to be filled by the channels round). */
export const channelsRound: ScenarioRound = {
  score: () => [],
  extend() {},
};
