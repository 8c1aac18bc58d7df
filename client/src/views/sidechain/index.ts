import type { ScenarioViews } from "../registry.ts";
import { createSidechainAuditorView } from "./auditor.ts";
import { createSidechainUserView } from "./user.ts";
import { createSidechainValidatorView } from "./validator.ts";

/** The sidechain round's ("Bridge heist") role views: users, validators and auditors (other roles play as users). */
export const SIDECHAIN_VIEWS: ScenarioViews = { user: createSidechainUserView, validator: createSidechainValidatorView, auditor: createSidechainAuditorView };
