import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CLK_TCK = 100;

// Servers this process started: killed when it exits, however it exits, so a bench that fails
// half-way leaves no server holding its port.
const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});
const PAGE_SIZE = 4096;

export interface ServerProcessOptions {
  /** Script to run (default: our server, server/main.ts). */
  script?: string;
  /** Extra environment (limit overrides). */
  env?: Record<string, string>;
  /** Node options before the script, e.g. ["--cpu-prof", "--cpu-prof-dir=…"]. */
  execArgv?: string[];
  /** The store's folder (default: a fresh one): processes of one cluster share it. */
  dataDir?: string;
}

/**
 * Starts `node <script>` (our server by default) on `port` with a fresh data folder and resolves
 * once /healthz answers. Its stdout and stderr go to a log file in that folder (`logPath`).
 */
export async function startServerProcess(port: number, options: ServerProcessOptions = {}): Promise<ChildProcess & { logPath: string }> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "l2bench-"));
  const logPath = join(dataDir, "server.log");
  const log = openSync(logPath, "a");
  const server = spawn(process.execPath, [...(options.execArgv ?? []), options.script ?? "server/main.ts"], {
    env: { ...process.env, ...options.env, PORT: String(port), DATA_DIR: dataDir },
    stdio: ["ignore", log, log],
  });
  live.add(server);
  server.once("exit", () => live.delete(server));
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) break;
    try {
      if ((await fetch(`http://localhost:${port}/healthz`)).ok) return Object.assign(server, { logPath });
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill("SIGKILL");
  throw new Error(`server did not start on port ${port} (log: ${logPath})`);
}

/** CPU seconds (user + system) and resident memory (bytes) of a process so far, from /proc. */
export function processUsage(pid: number): { cpuSec: number; rss: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return { cpuSec: (Number(fields[11]) + Number(fields[12])) / CLK_TCK, rss: Number(fields[21]) * PAGE_SIZE };
}
