import { DatabaseSync } from "node:sqlite";
import type { StatementSync } from "node:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { LoggedAction } from "../../shared/engine/actions.ts";
import type { ScenarioConfig } from "../../shared/engine/config.ts";
import type { Debrief } from "../../shared/engine/debrief.ts";
import type { OpenSession, ResultRow, SessionStore, StoredRound, WalEntry } from "./session-store.ts";
import { SqliteCheckpointer } from "./sqlite-checkpointer.ts";
import { TABLES_SQL } from "./tables.ts";

type Row = Record<string, string | number | null>;

/**
 * The embedded store: one SQLite file (node:sqlite) in WAL mode, shared safely by every process of
 * one machine (writers wait for each other up to busy_timeout). synchronous=NORMAL: a committed
 * transaction survives the process being killed; only a power cut can lose the last ones.
 */
export class SqliteStore implements SessionStore {
  readonly kind = "sqlite" as const;
  private readonly db: DatabaseSync;
  private readonly insertLog: StatementSync;
  private readonly upsertSnapshot: StatementSync;
  /** Log writes gathered this turn of the event loop, committed together. */
  private group: { work: () => void; resolve: () => void; reject: (error: unknown) => void }[] | null = null;
  /** Checkpoints in a worker thread, off the event loop (a file database only). */
  private readonly checkpointer: SqliteCheckpointer | null;

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    this.db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      PRAGMA busy_timeout = 5000;
    `);
    // Commits only append to the write-ahead file; the checkpointer copies it into the database.
    this.checkpointer = path === ":memory:" ? null : new SqliteCheckpointer(path);
    if (this.checkpointer) this.db.exec("PRAGMA wal_autocheckpoint = 0");
    this.db.exec(TABLES_SQL);
    // Stores written before sessions had an owning process: theirs is the single local one.
    const columns = (this.db.prepare("PRAGMA table_info(sessions)").all() as Row[]).map((c) => String(c.name));
    if (!columns.includes("owner")) this.db.exec("ALTER TABLE sessions ADD COLUMN owner TEXT NOT NULL DEFAULT 'local'");
    // Stores written before rounds knew whether the host ended them early: they read as played to the end.
    const roundColumns = (this.db.prepare("PRAGMA table_info(rounds)").all() as Row[]).map((c) => String(c.name));
    if (!roundColumns.includes("ended_early")) this.db.exec("ALTER TABLE rounds ADD COLUMN ended_early INTEGER NOT NULL DEFAULT 0");
    this.insertLog = this.db.prepare("INSERT OR REPLACE INTO round_log (session_code, round, seq, entry_json) VALUES (?, ?, ?, ?)");
    this.upsertSnapshot = this.db.prepare("INSERT OR REPLACE INTO session_snapshots (code, snapshot_json, updated_at) VALUES (?, ?, ?)");
  }

  /** Runs `work` in one transaction. */
  private transaction(work: () => void): void {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      work();
      this.db.exec("COMMIT");
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  async createSession(code: string, hostTokenHash: string, now: number, owner: string): Promise<void> {
    this.transaction(() => {
      this.db.prepare("INSERT OR REPLACE INTO sessions (code, host_token_hash, created_at, ended_at, owner) VALUES (?, ?, ?, NULL, ?)").run(code, hostTokenHash, now, owner);
      // A code is reused only once its old session has ended: its old snapshot must not come back.
      this.db.prepare("DELETE FROM session_snapshots WHERE code = ?").run(code);
    });
  }

  async endSession(code: string, now: number): Promise<void> {
    this.transaction(() => {
      this.db.prepare("UPDATE sessions SET ended_at = ? WHERE code = ? AND ended_at IS NULL").run(now, code);
      this.db.prepare("DELETE FROM session_snapshots WHERE code = ?").run(code);
      this.db.prepare("DELETE FROM round_log WHERE session_code = ?").run(code);
    });
  }

  async session(code: string): Promise<{ createdAt: number; endedAt: number | null } | null> {
    const row = this.db.prepare("SELECT created_at, ended_at FROM sessions WHERE code = ?").get(code) as Row | undefined;
    return row ? { createdAt: Number(row.created_at), endedAt: row.ended_at === null ? null : Number(row.ended_at) } : null;
  }

  async hostTokenHash(code: string): Promise<string | null> {
    const row = this.db.prepare("SELECT host_token_hash FROM sessions WHERE code = ?").get(code) as Row | undefined;
    return row ? String(row.host_token_hash) : null;
  }

  async saveRound(round: StoredRound, results: ResultRow[]): Promise<void> {
    this.transaction(() => {
      this.db.prepare(
        `INSERT OR REPLACE INTO rounds (session_code, idx, scenario, seed, config_json, log_json, end_ms, final_hash, debrief_json, started_at, ended_at, ended_early)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(round.sessionCode, round.index, round.scenario, round.seed, JSON.stringify(round.config), JSON.stringify(round.log), round.endMs, round.finalHash, JSON.stringify(round.debrief), round.startedAt, round.endedAt, round.endedEarly ? 1 : 0);
      const insert = this.db.prepare("INSERT OR REPLACE INTO results (session_code, round, player_id, name, role, score) VALUES (?, ?, ?, ?, ?, ?)");
      for (const r of results) insert.run(round.sessionCode, r.round, r.playerId, r.name, r.role, r.score);
      this.db.prepare("DELETE FROM round_log WHERE session_code = ? AND round = ?").run(round.sessionCode, round.index);
    });
  }

  async rounds(code: string): Promise<StoredRound[]> {
    const rows = this.db.prepare("SELECT * FROM rounds WHERE session_code = ? ORDER BY idx").all(code) as Row[];
    return rows.map((row) => ({
      sessionCode: String(row.session_code),
      index: Number(row.idx),
      scenario: String(row.scenario),
      seed: String(row.seed),
      config: JSON.parse(String(row.config_json)) as ScenarioConfig,
      log: JSON.parse(String(row.log_json)) as LoggedAction[],
      endMs: Number(row.end_ms),
      finalHash: String(row.final_hash),
      debrief: JSON.parse(String(row.debrief_json)) as Debrief,
      startedAt: Number(row.started_at),
      endedAt: Number(row.ended_at),
      endedEarly: Number(row.ended_early) === 1,
    }));
  }

  async results(code: string): Promise<ResultRow[]> {
    const rows = this.db.prepare("SELECT round, player_id, name, role, score FROM results WHERE session_code = ? ORDER BY round, score DESC, player_id").all(code) as Row[];
    return rows.map((row) => ({ round: Number(row.round), playerId: String(row.player_id), name: String(row.name), role: String(row.role), score: Number(row.score) }));
  }

  /**
   * Every classroom's lines of one turn of the event loop go in one transaction (a group commit
   * across rooms: a hundred classrooms make one commit, not a hundred); each caller's promise
   * resolves once its lines are committed. A failing group is retried room by room, so one bad
   * write fails only its own room.
   */
  appendLog(code: string, roundIndex: number, fromSeq: number, entries: readonly WalEntry[], snapshot?: unknown): Promise<void> {
    return new Promise((resolve, reject) => {
      const work = () => {
        entries.forEach((entry, i) => this.insertLog.run(code, roundIndex, fromSeq + i, JSON.stringify(entry)));
        if (snapshot !== undefined) this.upsertSnapshot.run(code, JSON.stringify(snapshot), Date.now());
      };
      if (!this.group) {
        this.group = [];
        setImmediate(() => this.commitGroup());
      }
      this.group.push({ work, resolve, reject });
    });
  }

  private commitGroup(): void {
    const group = this.group ?? [];
    this.group = null;
    try {
      this.transaction(() => group.forEach((write) => write.work()));
      group.forEach((write) => write.resolve());
    } catch {
      for (const write of group) {
        try {
          this.transaction(write.work);
          write.resolve();
        } catch (error) {
          write.reject(error);
        }
      }
    }
  }

  async roundLog(code: string, roundIndex: number): Promise<WalEntry[]> {
    const rows = this.db.prepare("SELECT entry_json FROM round_log WHERE session_code = ? AND round = ? ORDER BY seq").all(code, roundIndex) as Row[];
    return rows.map((row) => JSON.parse(String(row.entry_json)) as WalEntry);
  }

  async openSessions(owner: string): Promise<OpenSession[]> {
    const rows = this.db.prepare(
      `SELECT s.code, s.host_token_hash, s.created_at, p.snapshot_json FROM sessions s
       LEFT JOIN session_snapshots p ON p.code = s.code WHERE s.ended_at IS NULL AND s.owner = ? ORDER BY s.created_at`,
    ).all(owner) as Row[];
    return rows.map((row) => ({
      code: String(row.code),
      hostTokenHash: String(row.host_token_hash),
      createdAt: Number(row.created_at),
      snapshot: row.snapshot_json === null ? null : (JSON.parse(String(row.snapshot_json)) as unknown),
    }));
  }

  async healthy(): Promise<boolean> {
    try {
      this.db.prepare("SELECT 1").get();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.group) this.commitGroup();
    this.db.close();
    await this.checkpointer?.stop();
  }
}
