import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CLK_TCK = 100;
const PAGE_SIZE = 4096;

/** Starts `node server/main.ts` on `port` with a fresh data folder and resolves once /healthz answers. */
export async function startServerProcess(port: number): Promise<ChildProcess> {
  const server = spawn(process.execPath, ["server/main.ts"], { env: { ...process.env, PORT: String(port), DATA_DIR: mkdtempSync(join(tmpdir(), "l2bench-")) }, stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://localhost:${port}/healthz`)).ok) return server;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill("SIGKILL");
  throw new Error("server did not start");
}

/** CPU seconds (user + system) and resident memory (bytes) of a process so far, from /proc. */
export function processUsage(pid: number): { cpuSec: number; rss: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return { cpuSec: (Number(fields[11]) + Number(fields[12])) / CLK_TCK, rss: Number(fields[21]) * PAGE_SIZE };
}
