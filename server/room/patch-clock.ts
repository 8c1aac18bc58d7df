/**
 * One timer drives every room's patch loop, each room in a fixed slot of the patch period.
 *
 * Colyseus gives each room its own `setInterval`. Node re-arms every interval that fired in one
 * pass from that pass's loop time, so once a busy spell delays them, all rooms fall into the same
 * phase and stay there: a hundred classrooms then patch (and tick, and run their bots) in one
 * burst every period, and an action that arrives during it waits for all of them
 * (docs/performance.md, 100 rooms of 30). Here a room's turn is tied to the wall clock: slot
 * `k` runs when `now mod period` enters it, whatever ran late before.
 */
export interface Patching {
  broadcastPatch(): unknown;
}

/** Calls `step` every `ms` until stopped (setInterval; a test steps by hand). */
export type Every = (step: () => void, ms: number) => () => void;

const everyInterval: Every = (step, ms) => {
  const timer = setInterval(step, ms);
  timer.unref();
  return () => clearInterval(timer);
};

export class PatchClock {
  private readonly slots: Set<Patching>[];
  private readonly slotMs: number;
  private stop: (() => void) | null = null;
  /** The absolute slot number (ms since the epoch ÷ slotMs) that ran last. */
  private lastSlot = -1;
  private readonly report: (error: unknown) => void;
  private readonly every: Every;

  constructor(periodMs: number, slotCount: number, report: (error: unknown) => void, every: Every = everyInterval) {
    this.slotMs = periodMs / slotCount;
    this.slots = Array.from({ length: slotCount }, () => new Set<Patching>());
    this.report = report;
    this.every = every;
  }

  /** The room patches from now on, in the slot with the fewest rooms. */
  add(room: Patching): void {
    const slot = this.slots.reduce((least, s) => (s.size < least.size ? s : least));
    slot.add(room);
    if (!this.stop) {
      this.lastSlot = Math.floor(Date.now() / this.slotMs) - 1;
      this.stop = this.every(() => this.step(Date.now()), this.slotMs);
    }
  }

  remove(room: Patching): void {
    for (const slot of this.slots) slot.delete(room);
    if (this.slots.every((s) => s.size === 0) && this.stop) {
      this.stop();
      this.stop = null;
    }
  }

  /** Runs the slots whose time came since the last step, each once (after a long spell: every slot once, not a backlog). */
  step(nowMs: number): void {
    const current = Math.floor(nowMs / this.slotMs);
    const due = Math.min(current - this.lastSlot, this.slots.length);
    this.lastSlot = current;
    for (let i = due - 1; i >= 0; i--) {
      for (const room of this.slots[(current - i) % this.slots.length]!) {
        try {
          room.broadcastPatch();
        } catch (error) {
          this.report(error);
        }
      }
    }
  }
}
