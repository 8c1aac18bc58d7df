import { DatabaseSync } from "node:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { LoggedAction } from "../shared/engine/actions.ts";
import type { ScenarioConfig } from "../shared/engine/config.ts";
import type { Debrief } from "../shared/engine/debrief.ts";

export interface StoredRound {
  sessionCode: string;
  index: number;
  scenario: string;
  seed: string;
  config: ScenarioConfig;
  log: LoggedAction[];
  endMs: number;
  finalHash: string;
  debrief: Debrief;
  startedAt: number;
  endedAt: number;
}

export interface ResultRow {
  round: number;
  playerId: string;
  name: string;
  role: string;
  score: number;
}

/** The embedded store (node:sqlite): sessions, rounds with seed + action log, per-player results. */
export class Store {
  private readonly db: DatabaseSync;

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    this.db.exec(`
      PRAGMA journal_mode = WAL;
      CREATE TABLE IF NOT EXISTS sessions (
        code TEXT PRIMARY KEY, host_token_hash TEXT NOT NULL, created_at INTEGER NOT NULL, ended_at INTEGER
      );
      CREATE TABLE IF NOT EXISTS rounds (
        session_code TEXT NOT NULL, idx INTEGER NOT NULL, scenario TEXT NOT NULL, seed TEXT NOT NULL,
        config_json TEXT NOT NULL, log_json TEXT NOT NULL, end_ms INTEGER NOT NULL, final_hash TEXT NOT NULL,
        debrief_json TEXT NOT NULL, started_at INTEGER NOT NULL, ended_at INTEGER NOT NULL,
        PRIMARY KEY (session_code, idx)
      );
      CREATE TABLE IF NOT EXISTS results (
        session_code TEXT NOT NULL, round INTEGER NOT NULL, player_id TEXT NOT NULL, name TEXT NOT NULL,
        role TEXT NOT NULL, score INTEGER NOT NULL, PRIMARY KEY (session_code, round, player_id)
      );
    `);
  }

  createSession(code: string, hostTokenHash: string, now: number): void {
    this.db.prepare("INSERT OR REPLACE INTO sessions (code, host_token_hash, created_at) VALUES (?, ?, ?)").run(code, hostTokenHash, now);
  }

  endSession(code: string, now: number): void {
    this.db.prepare("UPDATE sessions SET ended_at = ? WHERE code = ?").run(now, code);
  }

  /** A session's dates, live or ended, or null if the code was never ours. */
  session(code: string): { createdAt: number; endedAt: number | null } | null {
    const row = this.db.prepare("SELECT created_at, ended_at FROM sessions WHERE code = ?").get(code) as { created_at: number; ended_at: number | null } | undefined;
    return row ? { createdAt: Number(row.created_at), endedAt: row.ended_at === null ? null : Number(row.ended_at) } : null;
  }

  hostTokenHash(code: string): string | null {
    const row = this.db.prepare("SELECT host_token_hash FROM sessions WHERE code = ?").get(code) as { host_token_hash: string } | undefined;
    return row?.host_token_hash ?? null;
  }

  saveRound(round: StoredRound, results: ResultRow[]): void {
    this.db.prepare(
      `INSERT OR REPLACE INTO rounds (session_code, idx, scenario, seed, config_json, log_json, end_ms, final_hash, debrief_json, started_at, ended_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(round.sessionCode, round.index, round.scenario, round.seed, JSON.stringify(round.config), JSON.stringify(round.log), round.endMs, round.finalHash, JSON.stringify(round.debrief), round.startedAt, round.endedAt);
    const insert = this.db.prepare("INSERT OR REPLACE INTO results (session_code, round, player_id, name, role, score) VALUES (?, ?, ?, ?, ?, ?)");
    for (const r of results) insert.run(round.sessionCode, r.round, r.playerId, r.name, r.role, r.score);
  }

  rounds(code: string): StoredRound[] {
    const rows = this.db.prepare("SELECT * FROM rounds WHERE session_code = ? ORDER BY idx").all(code) as Record<string, string | number>[];
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
    }));
  }

  results(code: string): ResultRow[] {
    const rows = this.db.prepare("SELECT round, player_id, name, role, score FROM results WHERE session_code = ? ORDER BY round, score DESC").all(code) as Record<string, string | number>[];
    return rows.map((row) => ({ round: Number(row.round), playerId: String(row.player_id), name: String(row.name), role: String(row.role), score: Number(row.score) }));
  }

  close(): void {
    this.db.close();
  }
}

/** Results as CSV: one row per player per round, then a total per player. */
export function resultsCsv(rows: ResultRow[]): string {
  const escape = (value: string | number) => {
    // A text cell starting with = + - @ (or a tab/CR) would run as a formula in a spreadsheet: make it plain text.
    const text = typeof value === "string" && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = ["round,player_id,name,role,score"];
  for (const r of rows) lines.push([r.round + 1, r.playerId, r.name, r.role, r.score].map(escape).join(","));
  const totals = new Map<string, { name: string; score: number }>();
  for (const r of rows) totals.set(r.playerId, { name: r.name, score: (totals.get(r.playerId)?.score ?? 0) + r.score });
  for (const [playerId, t] of [...totals].sort((a, b) => b[1].score - a[1].score)) lines.push(["total", playerId, t.name, "", t.score].map(escape).join(","));
  return lines.join("\n") + "\n";
}
