import type { ScenarioViews } from "../registry.ts";

/** The l1 round's role views, by role (to be built). */
export const L1_VIEWS: ScenarioViews = {};
