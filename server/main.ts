import { startApp } from "./app.ts";

const port = Number(process.env.PORT ?? 2567);
const dataDir = process.env.DATA_DIR ?? "./data";

const app = await startApp({ port, databasePath: `${dataDir}/l2arena.sqlite`, clientDir: "dist/client" });
console.log(`L2 Arena on http://localhost:${app.port} (data in ${dataDir})`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
