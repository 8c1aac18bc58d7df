import type { Action, LoggedAction } from "../shared/engine/actions.ts";
import { makeConfig } from "../shared/engine/config.ts";
import type { ScenarioConfig } from "../shared/engine/config.ts";
import { advance, applyAction } from "../shared/engine/engine.ts";
import type { EngineEvent } from "../shared/engine/events.ts";
import { PLAN_PARAMS, checkPlanParams } from "../shared/lessons/params.ts";
import { createWorld } from "../shared/engine/world.ts";
import type { World } from "../shared/engine/world.ts";
import type { RoundPlan } from "../shared/protocol/messages.ts";

/**
 * The engine config for a planned round, or why its parameters cannot run. Every parameter is
 * checked against the one table in shared/lessons/params.ts (known to this scenario, in range);
 * the engine's own set the config here, the scenario's own are read by its genesis.
 */
export function configFor(plan: RoundPlan): ScenarioConfig | string {
  const params = plan.params ?? {};
  const refused = checkPlanParams(plan.scenario, params);
  if (refused) return refused;
  const config = makeConfig();
  for (const [name, value] of Object.entries(params)) PLAN_PARAMS[name]?.apply?.(config, value);
  return config;
}

/** The class size the block space of the defaults and the lesson plans is tuned for. */
export const REFERENCE_CLASS = 30;

/**
 * Block space grows with the class: a lecture hall of 300 gets blocks ten times bigger, so each
 * student has the share a class of 30 has (congestion is about demand per seat, not head count),
 * and 300 starting deposits land in a block or two instead of jamming L1 for 30 blocks.
 */
export function scaleBlockSpace(config: ScenarioConfig, players: number): void {
  if (players <= REFERENCE_CLASS) return;
  config.gasLimit = Math.round((config.gasLimit * players) / REFERENCE_CLASS / config.gas.transfer) * config.gas.transfer;
}

/** One running round: the world, its clock (paused time excluded) and its action log. */
export class RoundRunner {
  readonly world: World;
  readonly log: LoggedAction[] = [];
  readonly events: EngineEvent[] = [];
  readonly seed: string;
  durationMs: number;

  constructor(seed: string, config: ScenarioConfig, durationMs: number) {
    this.seed = seed;
    this.world = createWorld(seed, config);
    this.durationMs = durationMs;
  }

  get elapsedMs(): number {
    return this.world.nowMs;
  }

  get remainingMs(): number {
    return Math.max(0, this.durationMs - this.world.nowMs);
  }

  /** Applies an action at the round's current time; logs it for replay. */
  act(action: Action): EngineEvent[] {
    const atMs = this.world.nowMs;
    const events = applyAction(this.world, action, atMs);
    // Logged only once applied: an action that threw must not be in the log a replay runs.
    this.log.push({ atMs, action });
    this.events.push(...events);
    return events;
  }

  /** Moves the round clock forward by `deltaMs`, never past the end. */
  tick(deltaMs: number): EngineEvent[] {
    const events = advance(this.world, Math.min(this.durationMs, this.world.nowMs + deltaMs));
    this.events.push(...events);
    return events;
  }
}
