import { Callbacks } from "@colyseus/sdk";
import type { Room } from "@colyseus/sdk";
import { normalise } from "./snapshot.ts";
import type { PlayerSnap, Snapshot } from "./snapshot.ts";

/** The synced state's top-level fields (server/schema.ts), as the snapshot has them. */
const FIELDS = Object.keys(normalise(undefined)).filter((key) => key !== "players");

interface Jsonable {
  toJSON(): unknown;
}

const isJsonable = (value: unknown): value is Jsonable => typeof value === "object" && value !== null && typeof (value as Partial<Jsonable>).toJSON === "function";

/**
 * Turns the decoded Colyseus state into a plain Snapshot without re-reading what did not change:
 * `room.state.toJSON()` copied every player on every patch, 2,000 objects a frame in a lecture hall
 * whose patch changed one score. The players part is kept from one snapshot to the next and only the
 * players the patch added, changed or removed are copied again; so the `players` object keeps its
 * identity while no player changed, and a screen can skip work on it. The rest (the world's bounded
 * lists, the round's fields) is small and copied each time.
 */
export class SnapshotBuilder {
  private readonly room: Room;
  private players: Record<string, PlayerSnap> | null = null;
  /** Players added, changed or removed since the last build, by id. */
  private readonly changed = new Set<string>();

  constructor(room: Room) {
    this.room = room;
    const callbacks = Callbacks.get(room);
    // Immediate: the players already seated count as added.
    callbacks.onAdd("players", (player, id) => {
      this.changed.add(String(id));
      callbacks.onChange(player as object, () => this.changed.add(String(id)));
    });
    callbacks.onRemove("players", (_player, id) => this.changed.add(String(id)));
  }

  /** Copies every player on the next build (after a reconnection, whose state arrives whole). */
  invalidate(): void {
    this.players = null;
  }

  /** The state as plain data. */
  build(): Snapshot {
    const state = this.room.state as Record<string, unknown> | undefined;
    if (!state) return normalise(undefined);
    const raw: Record<string, unknown> = {};
    for (const key of FIELDS) {
      const value = state[key];
      raw[key] = isJsonable(value) ? value.toJSON() : value;
    }
    raw.players = this.buildPlayers(state.players as Map<string, Jsonable> | undefined);
    return normalise(raw);
  }

  private buildPlayers(players: Map<string, Jsonable> | undefined): Record<string, PlayerSnap> {
    if (!players) return {};
    if (this.players === null) {
      const all: Record<string, PlayerSnap> = {};
      players.forEach((player, id) => {
        all[id] = player.toJSON() as PlayerSnap;
      });
      this.changed.clear();
      return (this.players = all);
    }
    if (this.changed.size === 0) return this.players;
    const next = { ...this.players };
    for (const id of this.changed) {
      const player = players.get(id);
      if (player) next[id] = player.toJSON() as PlayerSnap;
      else delete next[id];
    }
    this.changed.clear();
    return (this.players = next);
  }
}
