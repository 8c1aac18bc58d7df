import type { ScenarioViews } from "../registry.ts";

/** The zk round's role views, by role (to be built). */
export const ZK_VIEWS: ScenarioViews = {};
