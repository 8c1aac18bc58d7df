import { startApp } from "./app.ts";
import { joinAddress } from "./join-address.ts";

const port = Number(process.env.PORT ?? 2567);
const dataDir = process.env.DATA_DIR ?? "./data";
const publicUrl = process.env.PUBLIC_URL || undefined;

const app = await startApp({ port, databasePath: `${dataDir}/l2arena.sqlite`, clientDir: "dist/client", publicUrl });
const students = joinAddress({ publicUrl, port });
console.log(`L2 Arena on http://localhost:${app.port} (data in ${dataDir})`);
console.log(`Students join at ${students.origin}/join${students.hint ? `\n  ⚠ ${students.hint}` : ""}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
