import { describe, expect, it } from "vitest";
import { createWorld } from "../../shared/engine/world.ts";
import { makeConfig } from "../../shared/engine/config.ts";
import { TxTracker } from "../../server/projection.ts";

describe("a wallet's transaction list", () => {
  it("follows every status change, and is the same text while nothing of that player's changed", () => {
    const world = createWorld("tracker", makeConfig());
    const tracker = new TxTracker();
    const list = (player: string) => JSON.parse(tracker.json(player)) as { id: string; status: string; reason?: string }[];
    tracker.apply({ t: 1, type: "l2.submitted", txId: "l2-1", kind: "transfer", from: "alice", to: "bob", amount: 5 }, world);
    tracker.apply({ t: 1, type: "l2.submitted", txId: "l2-2", kind: "transfer", from: "bob", to: "alice", amount: 7 }, world);
    expect(list("alice").map((tx) => [tx.id, tx.status])).toEqual([["l2-1", "pending"]]);
    const bobBefore = tracker.json("bob");
    expect(tracker.takeChanged().sort()).toEqual(["alice", "bob"]);
    tracker.apply({ t: 2, type: "l2.softConfirmed", txId: "l2-1", kind: "transfer", from: "alice", fee: 1, latencyMs: 1, forced: false }, world);
    expect(list("alice")[0]!.status).toBe("soft");
    // Bob's list did not change: the same text, so the view's comparison is one identity check, and
    // only Alice's view is named for the next projection.
    expect(tracker.json("bob")).toBe(bobBefore);
    expect(tracker.takeChanged()).toEqual(["alice"]);
    expect(tracker.takeChanged()).toEqual([]);
    tracker.apply({ t: 3, type: "l2.rejected", txId: "l2-2", from: "bob", reason: "insufficient balance" }, world);
    expect(list("bob")[0]).toMatchObject({ status: "rejected", reason: "insufficient balance" });
    expect(tracker.json("carol")).toBe("[]");
  });
});
