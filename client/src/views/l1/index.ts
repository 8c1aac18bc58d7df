import type { ScenarioViews } from "../registry.ts";
import { createL1UserView } from "./user.ts";

/** The L1 rush-hour round's role views: everyone is a user. */
export const L1_VIEWS: ScenarioViews = { user: createL1UserView };
