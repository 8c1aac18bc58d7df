import type { ResultRow } from "./session-store.ts";

/** Results as CSV: one row per player per round (with the role played in it), then a total per player. */
export function resultsCsv(rows: readonly ResultRow[]): string {
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
