import { Protocol } from "@colyseus/core";
import type { Client, Room } from "@colyseus/core";
import { decode } from "@colyseus/schema";

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
  /** Every frame a client sends (bound to each client when it joins). */
  _onMessage(client: Client, buffer: Uint8Array | undefined): void;
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

/** Frame codes that pass the gate uncounted: joining and leaving are not messages a client can flood with. */
const UNCOUNTED: ReadonlySet<number> = new Set([Protocol.JOIN_ROOM, Protocol.LEAVE_ROOM]);
const FRAME_NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(Protocol).map(([name, code]) => [code, name.toLowerCase()]));

/** What a frame carries: its message type, for an error that names it ("ping", "room_input_reliable"…). */
export function frameType(buffer: Uint8Array): string {
  const code = buffer[0]! & 0x1f;
  try {
    const it = { offset: 1 };
    if (code === Protocol.ROOM_REQUEST) decode.number(buffer as Buffer, it);
    if (code === Protocol.ROOM_DATA || code === Protocol.ROOM_REQUEST) return decode.stringCheck(buffer as Buffer, it) ? decode.string(buffer as Buffer, it) : String(decode.number(buffer as Buffer, it));
  } catch {
    // a malformed frame: named by its code
  }
  return FRAME_NAMES[code] ?? `frame ${code}`;
}

/**
 * Puts `admit` in front of every frame a client sends: room messages of any type, requests (which
 * Colyseus answers itself when no handler has the type), pings (which it echoes), bytes and inputs.
 * A frame `admit` refuses is dropped before Colyseus reads it. Joining and leaving pass. Call in
 * `onCreate`, before any client joins (each client's listener is bound to the room's `_onMessage`).
 */
export function gateFrames(room: Room, admit: (client: Client, buffer: Uint8Array) => boolean): void {
  const internals = room as unknown as RoomInternals;
  const onMessage = internals._onMessage.bind(room);
  internals._onMessage = (client, buffer) => {
    if (buffer && buffer.length > 0 && !UNCOUNTED.has(buffer[0]! & 0x1f) && !admit(client, buffer)) return;
    onMessage(client, buffer);
  };
}
