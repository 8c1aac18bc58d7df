import type { ScenarioViews } from "../registry.ts";

/** The plasma round's role views, by role (to be built). */
export const PLASMA_VIEWS: ScenarioViews = {};
