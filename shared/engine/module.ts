import type { FeeChoice } from "./actions.ts";
import type { EngineEvent } from "./events.ts";
import type { L1Tx, World } from "./world.ts";

/**
 * A Layer 2 mechanism: the optimistic rollup, the ZK rollup, channels, Plasma, the sidechain.
 * Its state is plain data at world.modules[name]; its L1 transactions travel through the same
 * mempool and blocks as everything else, as `{ kind: "module", module, call }` payloads.
 */
export interface EngineModule {
  name: string;
  /** Initial state, stored at world.modules[name]. */
  create(): unknown;
  /**
   * A player's action: validate against the world and either change module state directly
   * (off-chain steps) or queue an L1 transaction with submitL1Tx(world, by, { kind: "module", module: name, call }, ...).
   * Returns why it was refused, or null. A refusal must change nothing.
   */
  submit(world: World, by: string, call: unknown, fee: FeeChoice, out: EngineEvent[]): string | null;
  /** An included L1 transaction's effect; gas is already paid. Returns why it reverted, or null. */
  execute(world: World, tx: L1Tx, call: unknown, out: EngineEvent[]): string | null;
  /** ETH the L1 transaction carrying `call` moves out of its sender besides gas (deposits, bonds). */
  valueOf(call: unknown): number;
  /** Its L1 transaction was dropped from a block (its sender could no longer pay gas + value): undo what submitting it set up. Optional. */
  onDropped?(world: World, tx: L1Tx, call: unknown, out: EngineEvent[]): void;
  /** Runs at every L1 block after its transactions: timers, windows, proving progress. */
  onBlock(world: World, out: EngineEvent[]): void;
  /** The module's own money invariant, checked by the conservation property; null when it holds. */
  violation(world: World): string | null;
}

/** Module state, typed by the module that owns it. */
export function moduleState<S>(world: World, name: string): S {
  return world.modules[name] as S;
}

/** An event a module emits: `name` says what happened, `data` the figures (plain JSON). */
export function moduleEvent(world: World, module: string, name: string, data: Record<string, unknown>): EngineEvent {
  return { t: world.nowMs, type: "module", module, name, data };
}
