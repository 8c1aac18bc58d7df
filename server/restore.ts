import { matchMaker } from "@colyseus/core";
import type { Presence } from "@colyseus/core";
import { reclaimCode } from "./join-code.ts";
import type { Limits } from "./limits.ts";
import { readSnapshot } from "./room/snapshot.ts";
import type { OpenSession, SessionStore } from "./store/session-store.ts";

/** Sessions whose rooms are being recreated right now, for their room's onCreate to pick up. */
const pending = new Map<string, OpenSession>();

/** The stored session a restoring room was created for (once). */
export function takePendingRestore(code: string): OpenSession | null {
  const open = pending.get(code) ?? null;
  pending.delete(code);
  return open;
}

/**
 * On boot: every session of this process that had not ended comes back with the same code —
 * unless the lifecycle rules say it is over (nobody there for the idle time, never started in
 * time), in which case it is ended for good, its results kept. Returns what happened to each.
 */
export async function restoreSessions(store: SessionStore, presence: Presence, owner: string, limits: Limits, now = Date.now()): Promise<{ restored: string[]; ended: string[] }> {
  const restored: string[] = [];
  const ended: string[] = [];
  for (const open of await store.openSessions(owner)) {
    const snapshot = readSnapshot(open.snapshot);
    const idle = snapshot !== null && now - snapshot.lastOccupiedMs >= limits.idleSessionMinutes * 60_000;
    const neverStarted = (snapshot === null || snapshot.roundIndex < 0) && now - open.createdAt >= limits.unstartedSessionMinutes * 60_000;
    const unreadable = open.snapshot !== null && snapshot === null;
    if (idle || neverStarted || unreadable) {
      await store.endSession(open.code, now);
      ended.push(open.code);
      continue;
    }
    try {
      await reclaimCode(presence, open.code);
      pending.set(open.code, open);
      await matchMaker.createRoom("classroom", { code: open.code, restore: true });
      restored.push(open.code);
    } catch (error) {
      pending.delete(open.code);
      console.error(`[${open.code}] could not be restored:`, error);
    }
  }
  return { restored, ended };
}
