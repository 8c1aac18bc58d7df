/**
 * The store's tables, the same on SQLite and PostgreSQL (SQLite reads BIGINT as INTEGER): sessions
 * (with the process that owns each), finished rounds with their replayable log, results per player
 * per round, the running round's write-ahead log, and each open session's snapshot.
 */
export const TABLES_SQL = `
  CREATE TABLE IF NOT EXISTS sessions (
    code TEXT PRIMARY KEY, host_token_hash TEXT NOT NULL, created_at BIGINT NOT NULL, ended_at BIGINT,
    owner TEXT NOT NULL DEFAULT 'local'
  );
  CREATE TABLE IF NOT EXISTS rounds (
    session_code TEXT NOT NULL, idx INTEGER NOT NULL, scenario TEXT NOT NULL, seed TEXT NOT NULL,
    config_json TEXT NOT NULL, log_json TEXT NOT NULL, end_ms BIGINT NOT NULL, final_hash TEXT NOT NULL,
    debrief_json TEXT NOT NULL, started_at BIGINT NOT NULL, ended_at BIGINT NOT NULL,
    ended_early INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (session_code, idx)
  );
  CREATE TABLE IF NOT EXISTS results (
    session_code TEXT NOT NULL, round INTEGER NOT NULL, player_id TEXT NOT NULL, name TEXT NOT NULL,
    role TEXT NOT NULL, score INTEGER NOT NULL, PRIMARY KEY (session_code, round, player_id)
  );
  CREATE TABLE IF NOT EXISTS round_log (
    session_code TEXT NOT NULL, round INTEGER NOT NULL, seq INTEGER NOT NULL, entry_json TEXT NOT NULL,
    PRIMARY KEY (session_code, round, seq)
  );
  CREATE TABLE IF NOT EXISTS session_snapshots (
    code TEXT PRIMARY KEY, snapshot_json TEXT NOT NULL, updated_at BIGINT NOT NULL
  );
`;
