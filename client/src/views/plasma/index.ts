import type { ScenarioViews } from "../registry.ts";
import { createPlasmaOperatorView } from "./operator.ts";
import { createPlasmaUserView } from "./user.ts";

/** The Plasma round's role views: users and the operator (other roles play as users). */
export const PLASMA_VIEWS: ScenarioViews = { user: createPlasmaUserView, operator: createPlasmaOperatorView };
