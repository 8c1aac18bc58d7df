import type { ScenarioViews } from "../registry.ts";

/** The channels round's role views, by role (to be built). */
export const CHANNELS_VIEWS: ScenarioViews = {};
