import { startApp } from "./app.ts";
import { joinAddress } from "./join-address.ts";

const port = Number(process.env.PORT ?? 2567);
const dataDir = process.env.DATA_DIR ?? "./data";
const publicUrl = process.env.PUBLIC_URL || undefined;
// Scale-out (docs/deploy.md): Redis shared by every process, each reachable at its own PUBLIC_ADDRESS;
// PostgreSQL instead of the SQLite file when the processes run on several machines.
const redisUrl = process.env.REDIS_URL || undefined;
const publicAddress = process.env.PUBLIC_ADDRESS || undefined;
const databaseUrl = process.env.DATABASE_URL || undefined;
// The sessions this process restores after a restart are the ones it created under this name.
const owner = process.env.PROCESS_NAME || publicAddress || "local";
const clientDir = process.env.CLIENT_DIR ?? "dist/client";
if (redisUrl && !publicAddress) console.warn("REDIS_URL is set but PUBLIC_ADDRESS is not: clients another process sends here won't find this one.");

// L2ARENA_WAL=off exists only for bench:load to measure the write-ahead log's cost.
const writeAheadLog = process.env.L2ARENA_WAL !== "off";
if (!writeAheadLog) console.warn("L2ARENA_WAL=off: nothing is saved; a restart loses every classroom (benchmarks only).");

const app = await startApp({ port, databasePath: `${dataDir}/l2arena.sqlite`, databaseUrl, redisUrl, publicAddress, clientDir, publicUrl, owner, context: { writeAheadLog } });
const students = joinAddress({ publicUrl, port });
console.log(`L2 Arena on http://localhost:${app.port} (store: ${databaseUrl ? "PostgreSQL" : dataDir}${redisUrl ? `; Redis; this process at ${publicAddress}` : ""})`);
console.log(`Students join at ${students.origin}/join${students.hint ? `\n  ⚠ ${students.hint}` : ""}`);

// Stopping (a deploy, Ctrl-C, a laptop restart) keeps every classroom: the next start restores them
// and the clients come back by themselves. Ending a game is the host's button, not a signal.
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`${signal}: saving every classroom for the restart…`);
    void app.stopForRestart().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("could not save everything before stopping:", error);
        process.exit(1);
      },
    );
  });
}
