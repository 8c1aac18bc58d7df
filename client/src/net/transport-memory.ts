import { isTransportPreference } from "../../../shared/protocol/transport.ts";
import type { TransportPreference } from "../../../shared/protocol/transport.ts";

/**
 * What this device knows about its network: a WebSocket that failed here before (localStorage,
 * so a Chromebook on the school network goes straight to the fallback next time, in any tab), and
 * what the page asks for (`?transport=polling` to force the fallback, `?transport=websocket` to
 * refuse it).
 */

const FAILED_KEY = "l2arena:websocket-failed-at";
/** A failure is remembered this long (ms): the device may have moved to a network that passes WebSocket. */
const REMEMBER_MS = 7 * 24 * 3_600_000;

/** The page's `?transport=` when it is one of TRANSPORT_PREFERENCES, else "auto". */
export function pagePreference(search: string = location.search): TransportPreference {
  const asked = new URLSearchParams(search).get("transport");
  return isTransportPreference(asked) ? asked : "auto";
}

/** True when a WebSocket failed to open on this device recently. */
export function webSocketFailedHere(nowMs: number = Date.now()): boolean {
  try {
    const at = Number(localStorage.getItem(FAILED_KEY));
    return at > 0 && nowMs - at < REMEMBER_MS;
  } catch {
    return false;
  }
}

/** Remembers that WebSocket failed (or forgets it, once a WebSocket got through after all). */
export function rememberWebSocket(worked: boolean, nowMs: number = Date.now()): void {
  try {
    if (worked) localStorage.removeItem(FAILED_KEY);
    else localStorage.setItem(FAILED_KEY, String(nowMs));
  } catch {
    // Private mode or storage full: the fallback still works, it just waits for WebSocket again next time.
  }
}
