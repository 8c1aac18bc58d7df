import type { FeeChoice } from "../../shared/engine/actions.ts";
import { eth } from "../../shared/engine/units.ts";

/** Every player starts a round with this much on L1… */
export const STARTING_L1 = eth(10);
/** …and, in rounds with a Layer 2 to use, deposits this much into it at genesis. */
export const STARTING_DEPOSIT = eth(2);

/** The fee fields of a validated message (tip, maxFee), as the engine takes them. */
export function feeOf(d: Record<string, unknown>): FeeChoice {
  return { ...(d.tip !== undefined ? { tip: d.tip as number } : {}), ...(d.maxFee !== undefined ? { maxFee: d.maxFee as number } : {}) };
}

/** A withdrawal pays out to the player who makes it (docs/protocol.md): one addressed to anyone else is refused. */
export function withdrawsElsewhere(tx: unknown, me: string): string | null {
  const { kind, to } = tx as { kind?: unknown; to?: unknown };
  return kind === "withdraw" && to !== me ? "A withdrawal goes back to yourself: set `to` to your own id." : null;
}
