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

/**
 * After a restart, holds a seat for a client that was connected before it: the same session id
 * and reconnection token, as a reconnection (the SDK's automatic reconnect and a reloaded page's
 * `reconnect(token)` both find it). When it comes back, `onReconnect` runs; if it never does,
 * Colyseus calls `onLeave` with a stand-in client after `seconds`.
 */
export async function rearmSeat(room: Room, sessionId: string, reconnectionToken: string, seconds: number): Promise<void> {
  await (room as unknown as RoomInternals)._reserveSeat(sessionId, true, undefined, seconds, true, reconnectionToken);
}

interface SerializerInternals {
  _serializer: { encoder?: { root: { nextUniqueId: number } } };
}

/** The next refId the room's state encoder will hand out (refIds only grow, for the room's life). */
export function refIdHighWater(room: Room): number {
  return (room as unknown as SerializerInternals)._serializer.encoder?.root.nextUniqueId ?? 0;
}

/**
 * A restored room's state must not reuse the refIds the crashed process gave out: a client that
 * reconnects keeps its decoded tree and reconciles the new full state against it by refId (the
 * SDK's resync), and an old refId bound to a different structure breaks its decoding. From here on
 * the encoder numbers from `next`; structures created after this call get fresh ids.
 */
export function continueRefIdsFrom(room: Room, next: number): void {
  const root = (room as unknown as SerializerInternals)._serializer.encoder?.root;
  if (root) root.nextUniqueId = Math.max(root.nextUniqueId, next);
}
