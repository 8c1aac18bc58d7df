import type { EngineModule } from "./module.ts";
import { plasmaModule } from "./plasma/plasma.ts";
import { sidechainModule } from "./sidechain/sidechain.ts";
import { channelsModule } from "./channels/channels.ts";
import { zkRollup } from "./zk/zk-rollup.ts";
import { idRecord } from "./id-record.ts";
import { optimisticModule } from "./optimistic/optimistic.ts";

/**
 * Every L2 mechanism module the engine runs, by name. Registering one here is all the engine
 * needs. Their block-time work runs in this order (the optimistic rollup's first).
 */
export const MODULES: Readonly<Record<string, EngineModule>> = idRecord<EngineModule>([
  ["optimistic", optimisticModule],
  ["plasma", plasmaModule],
  ["sidechain", sidechainModule],
  ["zk", zkRollup],
  ["channels", channelsModule],
]);
