import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { matchMaker } from "@colyseus/core";
import { startApp } from "../../server/app.ts";
import type { RunningApp } from "../../server/app.ts";
import { createSession, freePort, joinAsHost, joinAsPlayer, leaveAll, myId, waitFor } from "./helpers.ts";
import type { Peer } from "./helpers.ts";

/**
 * The write-ahead log never falls behind what the room acknowledged: while the store refuses
 * writes (here SQLite itself refuses them: a trigger another connection put on the log's table
 * stands for a full disk), an action is applied but not acknowledged; once the store takes writes
 * again the same lines are written, in order, and only then the ack leaves.
 */
describe("a store that fails for a while", () => {
  const dir = mkdtempSync(join(tmpdir(), "l2arena-store-failure-"));
  const path = join(dir, "l2arena.sqlite");
  let app: RunningApp | null = null;
  const peers: Peer[] = [];

  afterAll(async () => {
    await leaveAll(peers);
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("holds the ack until the action is stored, loses no line, and writes them in order once the store is back", async () => {
    const port = await freePort();
    app = await startApp({ port, databasePath: path, context: { tickMs: 50, botTurnMs: 200, reconnectSeconds: 2, hostReconnectSeconds: 4 } });
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    const ada = await joinAsPlayer(port, session.code, "Ada");
    const ben = await joinAsPlayer(port, session.code, "Ben");
    peers.push(host, ada, ben);
    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "l1", durationSec: 600 }] });
    host.room.send("host:start", { token: session.hostToken });
    await waitFor("running", () => host.room.state.phase === "running");
    ada.room.send("l1:send", { to: myId(ben), amount: 1_000, seq: 1 });
    await waitFor("first payment acknowledged", () => ada.acks.some((a) => a.seq === 1));

    // The disk is "full": every insert into the log fails until the trigger goes.
    const other = new DatabaseSync(path);
    other.exec("CREATE TRIGGER disk_full BEFORE INSERT ON round_log BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;");
    const room = matchMaker.getLocalRoomById(session.code) as unknown as { wal: { failing: boolean } };
    ada.room.send("l1:send", { to: myId(ben), amount: 2_000, seq: 2 });
    await waitFor("the log's write failing", () => room.wal.failing || null);
    // Applied in the round (it is in L1's mempool or a block), but not acknowledged while it is not stored.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(ada.acks.some((a) => a.seq === 2)).toBe(false);
    expect(ada.errors.some((e) => e.seq === 2)).toBe(false);

    other.exec("DROP TRIGGER disk_full");
    other.close();
    await waitFor("second payment acknowledged once stored", () => ada.acks.some((a) => a.seq === 2), 30_000);
    expect(room.wal.failing).toBe(false);
    // Every line is in the log, numbered without a gap, and the payment of 2,000 gwei is among them.
    const log = await app.store.roundLog(session.code, 0);
    const db = new DatabaseSync(path, { readOnly: true });
    const seqs = (db.prepare("SELECT seq FROM round_log WHERE session_code = ? AND round = 0 ORDER BY seq").all(session.code) as { seq: number }[]).map((r) => r.seq);
    db.close();
    expect(seqs).toEqual(seqs.map((_, i) => i));
    expect(log.some((entry) => entry.kind === "action" && JSON.stringify(entry.action).includes('"amount":2000'))).toBe(true);
  });
});
