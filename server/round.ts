import type { Action, LoggedAction } from "../shared/engine/actions.ts";
import { makeConfig } from "../shared/engine/config.ts";
import type { ScenarioConfig } from "../shared/engine/config.ts";
import { advance, applyAction } from "../shared/engine/engine.ts";
import type { EngineEvent } from "../shared/engine/events.ts";
import { eth } from "../shared/engine/units.ts";
import { createWorld } from "../shared/engine/world.ts";
import type { World } from "../shared/engine/world.ts";
import type { RoundPlan } from "../shared/protocol/messages.ts";

/** Scenario parameters a lesson plan may set, in classroom units (seconds, ETH). */
const PARAMS: Record<string, (config: ScenarioConfig, value: number) => void> = {
  blockTimeSec: (c, v) => (c.blockTimeMs = Math.round(v * 1000)),
  challengeWindowSec: (c, v) => (c.challengeWindowMs = Math.round(v * 1000)),
  moveTimeoutSec: (c, v) => (c.moveTimeoutMs = Math.round(v * 1000)),
  forcedInclusionDelaySec: (c, v) => (c.forcedInclusionDelayMs = Math.round(v * 1000)),
  transfersPerBlock: (c, v) => (c.gasLimit = Math.round(v) * c.gas.transfer),
  sequencerBondEth: (c, v) => (c.sequencerBond = eth(v)),
  challengerBondEth: (c, v) => (c.challengerBond = eth(v)),
};

/**
 * The engine config for a planned round. `scenario.params` are the names the round's scenario
 * reads itself at genesis (ScenarioDef.params), checked by its checkParams; any other unknown
 * parameter is refused by name.
 */
export function configFor(plan: RoundPlan, scenario: { params: Readonly<Record<string, string>>; checkParams?(params: Readonly<Record<string, number>>): string | null } = { params: {} }): ScenarioConfig | string {
  const scenarioParams = scenario.params;
  const config = makeConfig();
  for (const [name, value] of Object.entries(plan.params ?? {})) {
    if (!Number.isFinite(value) || value <= 0) return `parameter "${name}" must be a positive number`;
    if (Object.hasOwn(scenarioParams, name)) continue;
    const set = Object.hasOwn(PARAMS, name) ? PARAMS[name] : undefined;
    if (!set) return `unknown parameter "${name}" for a ${plan.scenario} round (known: ${[...Object.keys(PARAMS), ...Object.keys(scenarioParams)].join(", ")})`;
    set(config, value);
  }
  return scenario.checkParams?.(plan.params ?? {}) ?? config;
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
