import type { ScenarioViews } from "../registry.ts";
import { createChannelsUserView } from "./user.ts";
import { createWatchtowerView } from "./watchtower.ts";

/** The channels round's role views, by role. */
export const CHANNELS_VIEWS: ScenarioViews = { user: createChannelsUserView, watchtower: createWatchtowerView };
