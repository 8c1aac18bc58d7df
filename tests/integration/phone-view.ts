import { normalise, withViews } from "../../client/src/net/snapshot.ts";
import type { Snapshot } from "../../client/src/net/snapshot.ts";
import type { Peer } from "./helpers.ts";

/**
 * What `peer`'s phone renders from: the synced state as plain data with the scenario views it
 * received, built as the browser's Connection builds it (client/src/net/connection.ts). Screens'
 * pure helpers (loss notices, dispute and batch wording) read this.
 */
export function phoneSnapshot(peer: Peer): Snapshot {
  return withViews(normalise(peer.room.state.toJSON()), peer.views);
}
