import type { ScenarioViews } from "../registry.ts";

/** The sidechain round's role views, by role (to be built). */
export const SIDECHAIN_VIEWS: ScenarioViews = {};
