import type { LoggedAction } from "./actions.ts";
import type { ScenarioConfig } from "./config.ts";
import { advance, applyAction } from "./engine.ts";
import type { EngineEvent } from "./events.ts";
import { sha256Hex } from "../crypto/hash.ts";
import { createWorld } from "./world.ts";
import type { World } from "./world.ts";

/** SHA-256 of the world's canonical JSON: equal hashes mean equal worlds. */
export function stateHash(world: World): string {
  return sha256Hex(JSON.stringify(world));
}

/** Rebuilds a round from its seed, config and action log, then advances to `endMs` if given. */
export function replay(seed: string, config: ScenarioConfig, log: readonly LoggedAction[], endMs?: number): { world: World; events: EngineEvent[]; hash: string } {
  const world = createWorld(seed, config);
  const events: EngineEvent[] = [];
  for (const { atMs, action } of log) events.push(...applyAction(world, action, atMs));
  if (endMs !== undefined) events.push(...advance(world, endMs));
  return { world, events, hash: stateHash(world) };
}
