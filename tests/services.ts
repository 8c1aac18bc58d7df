import { createConnection } from "node:net";
import { execFileSync } from "node:child_process";

/**
 * The real services some suites need (PostgreSQL, a redis-server binary). On a machine without
 * them those suites are skipped, loudly; CI sets REQUIRE_SERVICES=1 (.ci/run), which turns a
 * missing service into a failure instead.
 */
export const REQUIRE_SERVICES = process.env.REQUIRE_SERVICES === "1";

/** PostgreSQL for tests: TEST_DATABASE_URL, else the local server (trust auth, database "test"). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function reachable(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** Whether PostgreSQL answers at TEST_DATABASE_URL; says why not, loudly. Throws instead when services are required. */
export async function postgresAvailable(): Promise<boolean> {
  const url = new URL(TEST_DATABASE_URL);
  const ok = await reachable(url.hostname, Number(url.port || 5432));
  return ok || missing(`PostgreSQL at ${url.host}`, "install Debian's postgresql (or set TEST_DATABASE_URL)");
}

/** The redis-server binary, if installed (tests start their own on a free port). */
export function redisServerBinary(): string | null {
  for (const candidate of [process.env.REDIS_SERVER ?? "", "redis-server", "/usr/bin/redis-server", "/usr/local/bin/redis-server"].filter(Boolean)) {
    try {
      execFileSync(candidate, ["--version"], { stdio: "ignore" });
      return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

/** The nginx binary, if installed (the deploy test runs its own on a free port). */
export function nginxBinary(): string | null {
  for (const candidate of [process.env.NGINX ?? "", "nginx", "/usr/sbin/nginx"].filter(Boolean)) {
    try {
      execFileSync(candidate, ["-v"], { stdio: "ignore" });
      return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

export function nginxAvailable(): boolean {
  return nginxBinary() !== null || missing("the nginx binary", "install Debian's nginx");
}

export function redisAvailable(): boolean {
  return redisServerBinary() !== null || missing("the redis-server binary", "install Debian's redis-server");
}

function missing(what: string, fix: string): false {
  const message = `⚠ SKIPPED: ${what} is not available here — ${fix}. The suites that need it did not run.`;
  if (REQUIRE_SERVICES) throw new Error(`${message} (REQUIRE_SERVICES=1: CI needs it)`);
  console.warn(`\n${"=".repeat(message.length)}\n${message}\n${"=".repeat(message.length)}\n`);
  return false;
}
