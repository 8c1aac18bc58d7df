import type { Limits } from "../limits.ts";

/**
 * Seats reserved through the matchmaker but not yet taken by a connection. Each one counts
 * towards the room's capacity for up to the reservation timeout, so a script reserving thousands
 * could lock real students out: they are capped per client address and per room.
 */
export class SeatReservations {
  private readonly pending = new Map<string, { address: string; expiresMs: number }>();
  private readonly limits: Pick<Limits, "pendingSeatsPerAddress" | "pendingSeatsPerRoom">;

  constructor(limits: Pick<Limits, "pendingSeatsPerAddress" | "pendingSeatsPerRoom">) {
    this.limits = limits;
  }

  /** Records a reservation for `address`, or refuses it (false) when a cap is reached. */
  reserve(sessionId: string, address: string, nowMs: number, timeoutMs: number): boolean {
    for (const [id, seat] of this.pending) if (seat.expiresMs <= nowMs) this.pending.delete(id);
    if (this.pending.size >= this.limits.pendingSeatsPerRoom) return false;
    let fromAddress = 0;
    for (const seat of this.pending.values()) if (seat.address === address) fromAddress++;
    if (fromAddress >= this.limits.pendingSeatsPerAddress) return false;
    this.pending.set(sessionId, { address, expiresMs: nowMs + timeoutMs });
    return true;
  }

  /** The reservation became a connection (or failed): it no longer counts. */
  taken(sessionId: string): void {
    this.pending.delete(sessionId);
  }
}
