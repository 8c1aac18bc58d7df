import type { Scenario } from "../../shared/protocol/messages.ts";
import { channels } from "./channels.ts";
import { l1 } from "./l1.ts";
import { optimistic } from "./optimistic.ts";
import { plasma } from "./plasma.ts";
import type { ScenarioDef } from "./scenario.ts";
import { sidechain } from "./sidechain.ts";
import { zk } from "./zk.ts";

/** Every scenario a lesson plan can hold, by name. */
export const SCENARIO_DEFS: Readonly<Record<Scenario, ScenarioDef>> = { optimistic, zk, l1, channels, plasma, sidechain };
