import { startApp } from "./app.ts";
import { joinAddress } from "./join-address.ts";

const port = Number(process.env.PORT ?? 2567);
const dataDir = process.env.DATA_DIR ?? "./data";
const publicUrl = process.env.PUBLIC_URL || undefined;
// The sessions this process restores after a restart are the ones it created under this name.
const owner = process.env.PROCESS_NAME || "local";

const clientDir = process.env.CLIENT_DIR ?? "dist/client";

const app = await startApp({ port, databasePath: `${dataDir}/l2arena.sqlite`, clientDir, publicUrl, owner });
const students = joinAddress({ publicUrl, port });
console.log(`L2 Arena on http://localhost:${app.port} (data in ${dataDir})`);
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
