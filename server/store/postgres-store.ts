import pg from "pg";
import type { LoggedAction } from "../../shared/engine/actions.ts";
import type { ScenarioConfig } from "../../shared/engine/config.ts";
import type { Debrief } from "../../shared/engine/debrief.ts";
import type { OpenSession, ResultRow, SessionStore, StoredRound, WalEntry } from "./session-store.ts";
import { TABLES_SQL } from "./tables.ts";

type Row = Record<string, unknown>;


/**
 * The store across machines: PostgreSQL (`DATABASE_URL`) through a small pool. The same tables and
 * the same answers as the SQLite store (tests/store runs one suite against both); a round's log
 * lines and snapshot go in one transaction.
 */
export class PostgresStore implements SessionStore {
  readonly kind = "postgres" as const;
  private readonly pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  /** Connects and creates the tables if they are missing. `schema` (tests) keeps a run's tables apart. */
  static async open(connectionString: string, options: { schema?: string; max?: number } = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString, max: options.max ?? 5, ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}) });
    // An idle client losing its server must not crash the process: the next query reports it.
    pool.on("error", (error) => console.error("PostgreSQL:", error.message));
    if (options.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
    await pool.query(TABLES_SQL);
    // Stores written before rounds knew whether the host ended them early: they read as played to the end.
    await pool.query("ALTER TABLE rounds ADD COLUMN IF NOT EXISTS ended_early INTEGER NOT NULL DEFAULT 0");
    return new PostgresStore(pool);
  }

  private async transaction(work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      await work(client);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async createSession(code: string, hostTokenHash: string, now: number, owner: string): Promise<void> {
    await this.transaction(async (c) => {
      await c.query(
        `INSERT INTO sessions (code, host_token_hash, created_at, ended_at, owner) VALUES ($1, $2, $3, NULL, $4)
         ON CONFLICT (code) DO UPDATE SET host_token_hash = EXCLUDED.host_token_hash, created_at = EXCLUDED.created_at, ended_at = NULL, owner = EXCLUDED.owner`,
        [code, hostTokenHash, now, owner],
      );
      await c.query("DELETE FROM session_snapshots WHERE code = $1", [code]);
    });
  }

  async endSession(code: string, now: number): Promise<void> {
    await this.transaction(async (c) => {
      await c.query("UPDATE sessions SET ended_at = $1 WHERE code = $2 AND ended_at IS NULL", [now, code]);
      await c.query("DELETE FROM session_snapshots WHERE code = $1", [code]);
      await c.query("DELETE FROM round_log WHERE session_code = $1", [code]);
    });
  }

  async session(code: string): Promise<{ createdAt: number; endedAt: number | null } | null> {
    const { rows } = await this.pool.query<Row>("SELECT created_at, ended_at FROM sessions WHERE code = $1", [code]);
    const row = rows[0];
    return row ? { createdAt: Number(row.created_at), endedAt: row.ended_at === null ? null : Number(row.ended_at) } : null;
  }

  async hostTokenHash(code: string): Promise<string | null> {
    const { rows } = await this.pool.query<Row>("SELECT host_token_hash FROM sessions WHERE code = $1", [code]);
    return rows[0] ? String(rows[0].host_token_hash) : null;
  }

  async saveRound(round: StoredRound, results: ResultRow[]): Promise<void> {
    await this.transaction(async (c) => {
      await c.query(
        `INSERT INTO rounds (session_code, idx, scenario, seed, config_json, log_json, end_ms, final_hash, debrief_json, started_at, ended_at, ended_early)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (session_code, idx) DO UPDATE SET scenario = EXCLUDED.scenario, seed = EXCLUDED.seed, config_json = EXCLUDED.config_json,
           log_json = EXCLUDED.log_json, end_ms = EXCLUDED.end_ms, final_hash = EXCLUDED.final_hash, debrief_json = EXCLUDED.debrief_json,
           started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, ended_early = EXCLUDED.ended_early`,
        [round.sessionCode, round.index, round.scenario, round.seed, JSON.stringify(round.config), JSON.stringify(round.log), round.endMs, round.finalHash, JSON.stringify(round.debrief), round.startedAt, round.endedAt, round.endedEarly ? 1 : 0],
      );
      for (const r of results) {
        await c.query(
          `INSERT INTO results (session_code, round, player_id, name, role, score) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (session_code, round, player_id) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role, score = EXCLUDED.score`,
          [round.sessionCode, r.round, r.playerId, r.name, r.role, r.score],
        );
      }
      await c.query("DELETE FROM round_log WHERE session_code = $1 AND round = $2", [round.sessionCode, round.index]);
    });
  }

  async rounds(code: string): Promise<StoredRound[]> {
    const { rows } = await this.pool.query<Row>("SELECT * FROM rounds WHERE session_code = $1 ORDER BY idx", [code]);
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
    const { rows } = await this.pool.query<Row>("SELECT round, player_id, name, role, score FROM results WHERE session_code = $1 ORDER BY round, score DESC, player_id", [code]);
    return rows.map((row) => ({ round: Number(row.round), playerId: String(row.player_id), name: String(row.name), role: String(row.role), score: Number(row.score) }));
  }

  async appendLog(code: string, roundIndex: number, fromSeq: number, entries: readonly WalEntry[], snapshot?: unknown): Promise<void> {
    await this.transaction(async (c) => {
      if (entries.length) {
        // One statement for the whole group: the lines travel as parallel arrays.
        await c.query(
          `INSERT INTO round_log (session_code, round, seq, entry_json)
           SELECT $1, $2, s, e FROM unnest($3::int[], $4::text[]) AS t(s, e)
           ON CONFLICT (session_code, round, seq) DO UPDATE SET entry_json = EXCLUDED.entry_json`,
          [code, roundIndex, entries.map((_, i) => fromSeq + i), entries.map((e) => JSON.stringify(e))],
        );
      }
      if (snapshot !== undefined) {
        await c.query(
          `INSERT INTO session_snapshots (code, snapshot_json, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (code) DO UPDATE SET snapshot_json = EXCLUDED.snapshot_json, updated_at = EXCLUDED.updated_at`,
          [code, JSON.stringify(snapshot), Date.now()],
        );
      }
    });
  }

  async roundLog(code: string, roundIndex: number): Promise<WalEntry[]> {
    const { rows } = await this.pool.query<Row>("SELECT entry_json FROM round_log WHERE session_code = $1 AND round = $2 ORDER BY seq", [code, roundIndex]);
    return rows.map((row) => JSON.parse(String(row.entry_json)) as WalEntry);
  }

  async openSessions(owner: string): Promise<OpenSession[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT s.code, s.host_token_hash, s.created_at, p.snapshot_json FROM sessions s
       LEFT JOIN session_snapshots p ON p.code = s.code WHERE s.ended_at IS NULL AND s.owner = $1 ORDER BY s.created_at`,
      [owner],
    );
    return rows.map((row) => ({
      code: String(row.code),
      hostTokenHash: String(row.host_token_hash),
      createdAt: Number(row.created_at),
      snapshot: row.snapshot_json === null ? null : (JSON.parse(String(row.snapshot_json)) as unknown),
    }));
  }

  async healthy(): Promise<boolean> {
    try {
      await this.pool.query("SELECT 1");
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
