import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";

/** The real server (`node server/main.ts`) in a process of its own, with what it printed. */
export interface ServerProcess {
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

/**
 * Starts `node server/main.ts` on `port` with its store in `dataDir` (and `env` on top), and
 * resolves once it answers /healthz (or rejects after `startTimeoutMs`, 30 s unless given). Restart
 * tests kill it and start another on the same folder.
 */
export function spawnServer(port: number, dataDir: string, env: Record<string, string> = {}, options: { startTimeoutMs?: number } = {}): Promise<ServerProcess> {
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const child = spawn(process.execPath, ["server/main.ts"], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, PUBLIC_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const running: ServerProcess = { child, output, exited };
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = async () => {
      if (child.exitCode !== null) return reject(new Error(`server exited: ${output.join("")}`));
      try {
        if ((await fetch(`http://localhost:${port}/healthz`)).ok && output.join("").includes("L2 Arena on")) return resolve(running);
      } catch {
        // not up yet
      }
      if (Date.now() - started > startTimeoutMs) return reject(new Error(`server did not start: ${output.join("")}`));
      setTimeout(poll, 100);
    };
    void poll();
  });
}

/** Stops a server process for good (if it still runs) and waits for it to be gone. */
export async function killServer(server: ServerProcess): Promise<void> {
  if (server.child.exitCode === null) server.child.kill("SIGKILL");
  await server.exited;
}
