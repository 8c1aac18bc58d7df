import type { ScenarioRound } from "../scenario-rounds.ts";

/** A sidechain round's scoring and debrief (to be filled by the sidechain round). */
export const sidechainRound: ScenarioRound = {
  score: () => [],
  extend() {},
};
