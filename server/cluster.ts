/**
 * npm run start:cluster [-- --processes N --port 2567]
 *
 * One machine, several server processes (default: one per core) sharing Redis (presence and
 * matchmaking) and one store (the SQLite file in WAL mode, or DATABASE_URL). Process i listens on
 * PORT+i and tells clients to reach it at PUBLIC_HOST:PORT+i (default: this machine's LAN address,
 * so phones can). Without REDIS_URL it starts a redis-server of its own if one is installed. A
 * process that dies is started again and restores its own classrooms. Ctrl-C / SIGTERM stops them
 * all gracefully (every classroom saved for the next start). In production, put nginx in front
 * (docs/deploy.md).
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { createConnection } from "node:net";
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { lanAddress } from "./join-address.ts";

const { values } = parseArgs({ options: { processes: { type: "string" }, port: { type: "string" } } });
const count = Math.max(1, Number(values.processes ?? process.env.PROCESSES ?? availableParallelism()));
const basePort = Number(values.port ?? process.env.PORT ?? 2567);
const publicHost = process.env.PUBLIC_HOST || lanAddress() || "localhost";
const children = new Map<number, ChildProcess>();
let stopping = false;
let redis: ChildProcess | null = null;

/** A redis-server of our own, when none is given: on the port after the game servers', keeping nothing on disk. */
async function ownRedis(): Promise<string> {
  const binary = ["redis-server", "/usr/bin/redis-server"].find((candidate) => {
    try {
      execFileSync(candidate, ["--version"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  });
  if (!binary) throw new Error("REDIS_URL is not set and no redis-server is installed (Debian: apt install redis-server).");
  const port = basePort + count;
  redis = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "ignore", "inherit"] });
  redis.once("exit", (code) => {
    if (!stopping) console.error(`redis-server exited (${code}): the game servers refuse new sessions until it is back.`);
  });
  // Ready once it accepts connections (the game servers would otherwise start on a Redis that is not there yet).
  for (let tries = 0; !(await accepts(port)); tries++) {
    if (tries > 100) throw new Error(`redis-server did not start on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  console.log(`Started redis-server on 127.0.0.1:${port}`);
  return `redis://127.0.0.1:${port}`;
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function startProcess(index: number, redisUrl: string): void {
  const port = basePort + index;
  const child = spawn(process.execPath, ["server/main.ts"], {
    env: { ...process.env, PORT: String(port), REDIS_URL: redisUrl, PUBLIC_ADDRESS: `${publicHost}:${port}`, PROCESS_NAME: `process-${port}` },
    stdio: ["ignore", "inherit", "inherit"],
  });
  children.set(index, child);
  child.once("exit", (code, signal) => {
    children.delete(index);
    if (stopping) return;
    console.error(`process ${index} (port ${port}) exited (${signal ?? code}); starting it again — it restores its classrooms.`);
    setTimeout(() => startProcess(index, redisUrl), 1_000);
  });
}

const redisUrl = process.env.REDIS_URL || (await ownRedis());
for (let i = 0; i < count; i++) startProcess(i, redisUrl);
console.log(`L2 Arena cluster: ${count} processes on ports ${basePort}–${basePort + count - 1}, reachable at ${publicHost}; open http://${publicHost}:${basePort}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    const exits = [...children.values()].map((child) => new Promise((resolve) => child.once("exit", resolve)));
    for (const child of children.values()) child.kill("SIGTERM");
    void Promise.all(exits).then(() => {
      redis?.kill("SIGTERM");
      process.exit(0);
    });
  });
}
