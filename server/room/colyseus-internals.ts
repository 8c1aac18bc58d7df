import type { Room } from "@colyseus/core";

/**
 * The one place that touches Colyseus's private room API. Pinned to @colyseus/core 0.18.17
 * (package.json has the exact version); tests/integration/limits.test.ts covers what relies on it.
 *
 * `_reserveSeat(sessionId, joinOptions, authData, seconds, allowReconnection, reconnectionToken)`
 * is what the matchmaker calls on the room that owns a code (locally or over Redis pub/sub) to
 * hold a seat before the client's socket arrives.
 */
type ReserveSeat = (sessionId: string, joinOptions?: unknown, authData?: unknown, seconds?: number, allowReconnection?: boolean, reconnectionToken?: string) => Promise<boolean>;

interface RoomInternals {
  _reserveSeat: ReserveSeat;
}

/**
 * Puts `allow` in front of every fresh seat reservation (reconnections pass): when it answers
 * false, the matchmaker tells the client the room is full.
 */
export function gateSeatReservations(room: Room, allow: (sessionId: string, authData: unknown, seconds: number) => boolean): void {
  const internals = room as unknown as RoomInternals;
  const reserve = internals._reserveSeat.bind(room);
  internals._reserveSeat = async (sessionId, joinOptions, authData, seconds = room.seatReservationTimeout, allowReconnection = false, reconnectionToken) => {
    if (!allowReconnection && !allow(sessionId, authData, seconds)) return false;
    return reserve(sessionId, joinOptions, authData, seconds, allowReconnection, reconnectionToken);
  };
}
