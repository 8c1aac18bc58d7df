import type { Role, Scenario } from "../../../shared/protocol/messages.ts";
import { createChallengerView } from "./challenger.ts";
import { CHANNELS_VIEWS } from "./channels/index.ts";
import { L1_VIEWS } from "./l1/index.ts";
import { PLASMA_VIEWS } from "./plasma/index.ts";
import { createSequencerView } from "./sequencer.ts";
import { SIDECHAIN_VIEWS } from "./sidechain/index.ts";
import { createUserView } from "./user.ts";
import type { PlayContext, View } from "./view.ts";
import { ZK_VIEWS } from "./zk/index.ts";

/** A role's screen in one scenario. */
export type ViewFactory = (ctx: PlayContext) => View;
export type ScenarioViews = Partial<Record<Role, ViewFactory>>;

const VIEWS: Record<Scenario, ScenarioViews> = {
  optimistic: { user: createUserView, sequencer: createSequencerView, challenger: createChallengerView },
  zk: ZK_VIEWS,
  l1: L1_VIEWS,
  channels: CHANNELS_VIEWS,
  plasma: PLASMA_VIEWS,
  sidechain: SIDECHAIN_VIEWS,
};

/** The view for `role` in `scenario`; a role the scenario has no view for plays as its user. */
export function createRoleView(scenario: string, role: string, ctx: PlayContext): View | null {
  const views = VIEWS[scenario as Scenario];
  if (!views) return null;
  const factory = views[role as Role] ?? views.user;
  return factory ? factory(ctx) : null;
}
