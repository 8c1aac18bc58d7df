import type { ScenarioRound } from "../scenario-rounds.ts";

/** A plasma round's scoring and debrief (to be filled by the plasma round). */
export const plasmaRound: ScenarioRound = {
  score: () => [],
  extend() {},
};
