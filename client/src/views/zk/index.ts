import type { ScenarioViews } from "../registry.ts";
import { createZkProverView } from "./prover.ts";
import { createZkUserView } from "./user.ts";

/** The ZK rollup round's role views: users and provers (other roles play as users). */
export const ZK_VIEWS: ScenarioViews = { user: createZkUserView, prover: createZkProverView };
