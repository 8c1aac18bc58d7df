import type { GeneratorReport } from "./protocol.ts";

/** What one group of clients measured over a window, all generators added up. */
export interface GroupSummary {
  clients: number;
  /** Actions answered (ack or error) in the window. */
  answered: number;
  perSec: number;
  errors: number;
  /** The commonest errors, "kind ×count", most frequent first. */
  topErrors: string[];
  p50: number;
  p95: number;
  p99: number;
  max: number;
  bytesPerClientPerSec: number;
  drops: number;
  reconnects: number;
  kicks: number;
}

/** The load generators' own cost over a window. */
export interface GeneratorSummary {
  processes: number;
  /** % of one core, all generators together. */
  cpuPct: number;
  /** Worst generator's event-loop delay p99 and max, ms. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** The SDK's commonest console lines in the window, "line ×count". */
  sdkLog: string[];
}

/** The p-th percentile (nearest rank) of ascending values; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The three commonest error kinds over every generator's tally. */
function topKinds(tallies: readonly Record<string, number>[]): string[] {
  const total = new Map<string, number>();
  for (const tally of tallies) for (const [kind, n] of Object.entries(tally)) total.set(kind, (total.get(kind) ?? 0) + n);
  return [...total].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([kind, n]) => `${kind} ×${n}`);
}

/** One group's figures over the window, from every generator's report. */
export function summarizeGroup(reports: readonly GeneratorReport[], group: string): GroupSummary {
  const parts = reports.map((r) => r.groups[group]).filter((g) => g !== undefined);
  const windowSec = Math.max(...reports.map((r) => r.windowSec));
  const latencies = parts.flatMap((g) => g.latenciesMs).sort((a, b) => a - b);
  const clients = parts.reduce((n, g) => n + g.clients, 0);
  const sum = (key: "errors" | "bytes" | "drops" | "reconnects" | "kicks") => parts.reduce((n, g) => n + g[key], 0);
  return {
    clients,
    answered: latencies.length,
    perSec: latencies.length / windowSec,
    errors: sum("errors"),
    topErrors: topKinds(parts.map((g) => g.errorKinds)),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    bytesPerClientPerSec: clients ? sum("bytes") / clients / windowSec : 0,
    drops: sum("drops"),
    reconnects: sum("reconnects"),
    kicks: sum("kicks"),
  };
}

/** The generators' CPU and event-loop delay over the window. */
export function summarizeGenerators(reports: readonly GeneratorReport[]): GeneratorSummary {
  const windowSec = Math.max(...reports.map((r) => r.windowSec));
  return {
    processes: reports.length,
    cpuPct: (100 * reports.reduce((n, r) => n + r.cpuSec, 0)) / windowSec,
    loopDelayP99Ms: Math.max(...reports.map((r) => r.loopDelayP99Ms)),
    loopDelayMaxMs: Math.max(...reports.map((r) => r.loopDelayMaxMs)),
    sdkLog: topKinds(reports.map((r) => r.sdkLog)),
  };
}

/** A number for a table: thousands separated, `digits` decimals, "—" for NaN. */
export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return "—";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A Markdown table (so a report pastes straight into docs/performance.md). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
