import { afterAll } from "vitest";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { TEST_DATABASE_URL, postgresAvailable } from "../services.ts";

/**
 * The Redis scale-out suite (cluster.test.ts) once more with the store the processes of several
 * machines share: PostgreSQL (DATABASE_URL), in a schema of this run's own (dropped afterwards).
 * Killing a process and starting it again restores its sessions from PostgreSQL.
 */
if (await postgresAvailable()) {
  const schema = `l2arena_cluster_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  process.env.CLUSTER_DATABASE_URL = url.toString();
  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });
  await import("./cluster.test.ts");
}
