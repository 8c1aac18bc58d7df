import { ADJUDICATOR, CHANNELS } from "./rules.ts";
import type { ChannelsState } from "./types.ts";
import type { World } from "../world.ts";

/**
 * The adjudicator's books: its L1 balance is exactly what open and closing channels still hold,
 * an open channel holds both deposits and its latest split (with pending HTLCs) sums to them, a closing channel
 * holds only the closer's time-locked share, a closed one holds nothing.
 */
export function channelsViolation(world: World): string | null {
  const state = world.modules[CHANNELS] as ChannelsState | undefined;
  if (!state) return null;
  let held = 0;
  for (const channel of Object.values(state.channels)) {
    if (!Number.isSafeInteger(channel.held) || channel.held < 0) return `${channel.id} holds ${channel.held}`;
    held += channel.held;
    const capacity = channel.depositA + channel.depositB;
    switch (channel.status) {
      case "funding":
        if (channel.held !== channel.depositA) return `${channel.id} is funding but holds ${channel.held}, not the opener's ${channel.depositA}`;
        break;
      case "open":
        if (channel.held !== capacity) return `${channel.id} is open but holds ${channel.held}, not its capacity ${capacity}`;
        // Pending HTLCs are part of the capacity, held for neither side until fulfilled or failed.
        if (channel.latest.balanceA + channel.latest.balanceB + (channel.latest.htlcs ?? []).reduce((sum, h) => sum + h.amount, 0) !== capacity) {
          return `${channel.id}'s latest split and pending HTLCs do not sum to its capacity`;
        }
        break;
      case "closing": {
        const close = channel.close;
        const htlcs = close ? close.htlcs.filter((h) => h.resolved === null).reduce((sum, h) => sum + h.amount, 0) : 0;
        if (!close || channel.held !== close.lockedForCloser + htlcs) return `${channel.id} is closing but holds ${channel.held}, not the closer's locked share plus pending HTLC outputs`;
        break;
      }
      case "closed":
        if (channel.held !== 0) return `${channel.id} is closed but still holds ${channel.held}`;
        break;
    }
  }
  const escrow = world.l1.balances[ADJUDICATOR] ?? 0;
  return held === escrow ? null : `channels hold ${held} but the adjudicator has ${escrow}`;
}
