import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { makeConfig } from "../../shared/engine/config.ts";
import type { Debrief } from "../../shared/engine/debrief.ts";
import { PostgresStore } from "../../server/store/postgres-store.ts";
import type { ResultRow, SessionStore, StoredRound, WalEntry } from "../../server/store/session-store.ts";
import { SqliteStore } from "../../server/store/sqlite-store.ts";
import { TEST_DATABASE_URL, postgresAvailable } from "../services.ts";

/**
 * One suite, every backend: the embedded SQLite store always, PostgreSQL where it runs. Both must
 * give the same answers — the rooms and the API only ever see the SessionStore interface.
 */

function round(code: string, index: number, endedEarly = false): StoredRound {
  return {
    sessionCode: code, index, scenario: "optimistic", seed: `seed-${index}`, config: makeConfig(), log: [{ atMs: 0, action: { type: "fund", account: "p1", amount: 5 } }],
    endMs: 60_000, finalHash: "ab".repeat(32), debrief: { scenario: "optimistic", scores: { p1: 10 } } as unknown as Debrief, startedAt: 1_000, endedAt: 61_000, endedEarly,
  };
}

function storeSuite(name: string, open: () => Promise<{ store: SessionStore; cleanup(): Promise<void> }>): void {
  describe(`session store: ${name}`, () => {
    let store: SessionStore;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await open());
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it("creates, looks up and ends sessions; an ended one keeps its dates and loses its snapshot and log", async () => {
      await store.createSession("AAAAAA", "hash-a", 100, "proc-1");
      expect(await store.session("AAAAAA")).toEqual({ createdAt: 100, endedAt: null });
      expect(await store.hostTokenHash("AAAAAA")).toBe("hash-a");
      expect(await store.session("ZZZZZZ")).toBeNull();
      expect(await store.hostTokenHash("ZZZZZZ")).toBeNull();
      await store.appendLog("AAAAAA", 0, 0, [{ kind: "clock", atMs: 5 }], { version: 1, note: "snap" });
      await store.endSession("AAAAAA", 200);
      expect(await store.session("AAAAAA")).toEqual({ createdAt: 100, endedAt: 200 });
      expect(await store.roundLog("AAAAAA", 0)).toEqual([]);
      expect((await store.openSessions("proc-1")).map((s) => s.code)).not.toContain("AAAAAA");
      // Ending twice keeps the first end.
      await store.endSession("AAAAAA", 300);
      expect((await store.session("AAAAAA"))!.endedAt).toBe(200);
    });

    it("keeps a round's write-ahead log in order across appends, with the latest snapshot, per owner", async () => {
      await store.createSession("BBBBBB", "hash-b", 1, "proc-1");
      await store.createSession("CCCCCC", "hash-c", 2, "proc-2");
      const lines: WalEntry[] = [
        { kind: "action", atMs: 0, action: { type: "fund", account: "p1", amount: 10 } },
        { kind: "relay", atMs: 10, playerId: "p1", type: "channels:propose", data: { channelId: "ch-1" } },
        { kind: "clock", atMs: 1_000, hash: "cd".repeat(32), refIds: 42 },
      ];
      await store.appendLog("BBBBBB", 0, 0, lines.slice(0, 2), { version: 1, phase: "running" });
      await store.appendLog("BBBBBB", 0, 2, lines.slice(2));
      await store.appendLog("BBBBBB", 1, 0, [{ kind: "clock", atMs: 7 }]);
      expect(await store.roundLog("BBBBBB", 0)).toEqual(lines);
      expect(await store.roundLog("BBBBBB", 1)).toEqual([{ kind: "clock", atMs: 7 }]);
      const mine = await store.openSessions("proc-1");
      expect(mine.map((s) => s.code)).toEqual(["BBBBBB"]);
      expect(mine[0]).toMatchObject({ hostTokenHash: "hash-b", createdAt: 1, snapshot: { version: 1, phase: "running" } });
      expect((await store.openSessions("proc-2")).map((s) => [s.code, s.snapshot])).toEqual([["CCCCCC", null]]);
      await store.appendLog("BBBBBB", 0, 3, [], { version: 1, phase: "paused" });
      expect((await store.openSessions("proc-1"))[0]!.snapshot).toEqual({ version: 1, phase: "paused" });
    });

    it("stores finished rounds and results (which retires that round's log), in order", async () => {
      await store.createSession("DDDDDD", "hash-d", 1, "proc-1");
      await store.appendLog("DDDDDD", 0, 0, [{ kind: "clock", atMs: 1 }]);
      const results: ResultRow[] = [
        { round: 0, playerId: "p1", name: "=Ada", role: "user", score: 10 },
        { round: 0, playerId: "p2", name: "Ben", role: "challenger", score: 30 },
      ];
      await store.saveRound(round("DDDDDD", 1, true), []);
      await store.saveRound(round("DDDDDD", 0), results);
      expect(await store.roundLog("DDDDDD", 0)).toEqual([]);
      const rounds = await store.rounds("DDDDDD");
      expect(rounds.map((r) => r.index)).toEqual([0, 1]);
      expect(rounds[0]).toEqual(round("DDDDDD", 0));
      // Whether the host ended it early is kept with the round.
      expect(rounds[1]).toEqual(round("DDDDDD", 1, true));
      expect(await store.results("DDDDDD")).toEqual([results[1], results[0]]);
      // Saving a round again replaces it.
      await store.saveRound({ ...round("DDDDDD", 0), finalHash: "ef".repeat(32) }, [{ ...results[0]!, score: 99 }]);
      expect((await store.rounds("DDDDDD"))[0]!.finalHash).toBe("ef".repeat(32));
      expect((await store.results("DDDDDD")).find((r) => r.playerId === "p1")!.score).toBe(99);
    });

    it("a code used again starts clean: no old snapshot comes back", async () => {
      await store.createSession("EEEEEE", "old", 1, "proc-1");
      await store.appendLog("EEEEEE", 0, 0, [], { version: 1, phase: "lobby" });
      await store.endSession("EEEEEE", 2);
      await store.createSession("EEEEEE", "new", 3, "proc-1");
      const open = (await store.openSessions("proc-1")).find((s) => s.code === "EEEEEE");
      expect(open).toMatchObject({ hostTokenHash: "new", createdAt: 3, snapshot: null });
      expect(await store.healthy()).toBe(true);
    });
  });
}

storeSuite("SQLite (file, WAL)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "l2arena-store-"));
  return { store: new SqliteStore(join(dir, "store.sqlite")), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

const postgres = await postgresAvailable();
describe.runIf(postgres)("with PostgreSQL", () => {
  storeSuite(`PostgreSQL (${new URL(TEST_DATABASE_URL).host})`, async () => {
    const schema = `l2arena_test_${randomBytes(4).toString("hex")}`;
    const store = await PostgresStore.open(TEST_DATABASE_URL, { schema });
    // Dropping needs its own connection: the suite closes the store first.
    return { store, cleanup: async () => {
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    } };
  });
});

describe("a SQLite store written by an older version", () => {
  it("opens, gains the columns it lacked, and reads its rounds as played to the end and its sessions as this process's", async () => {
    const dir = mkdtempSync(join(tmpdir(), "l2arena-store-old-"));
    const path = join(dir, "store.sqlite");
    const old = new DatabaseSync(path);
    old.exec(`
      CREATE TABLE sessions (code TEXT PRIMARY KEY, host_token_hash TEXT NOT NULL, created_at BIGINT NOT NULL, ended_at BIGINT);
      CREATE TABLE rounds (session_code TEXT NOT NULL, idx INTEGER NOT NULL, scenario TEXT NOT NULL, seed TEXT NOT NULL,
        config_json TEXT NOT NULL, log_json TEXT NOT NULL, end_ms BIGINT NOT NULL, final_hash TEXT NOT NULL,
        debrief_json TEXT NOT NULL, started_at BIGINT NOT NULL, ended_at BIGINT NOT NULL, PRIMARY KEY (session_code, idx));
    `);
    const r = round("OLDOLD", 0);
    old.prepare("INSERT INTO sessions VALUES (?, ?, ?, NULL)").run("OLDOLD", "hash", 5);
    old.prepare("INSERT INTO rounds VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").run(r.sessionCode, r.index, r.scenario, r.seed, JSON.stringify(r.config), JSON.stringify(r.log), r.endMs, r.finalHash, JSON.stringify(r.debrief), r.startedAt, r.endedAt);
    old.close();
    const store = new SqliteStore(path);
    try {
      expect(await store.rounds("OLDOLD")).toEqual([r]);
      expect((await store.openSessions("local")).map((s) => s.code)).toEqual(["OLDOLD"]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
