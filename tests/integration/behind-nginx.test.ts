import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nginxBinary, redisServerBinary, nginxAvailable, redisAvailable } from "../services.ts";
import { freePort, joinAsHost, joinAsPlayer, leaveAll, myId, waitFor } from "./helpers.ts";
import type { Peer, Session } from "./helpers.ts";
import { killServer, spawnServer } from "./server-process.ts";
import type { ServerProcess } from "./server-process.ts";

/**
 * docs/deploy.md's production layout, for real: two server processes on Redis behind nginx, each
 * reachable under its own path prefix of one public address, nginx configured as the page says
 * (its socket settings are read from the page itself). A session created through nginx is joined
 * through nginx by a host and by students over WebSocket and over socket.io long-polling, each
 * socket going to the process that holds the room, whichever process answered the matchmaker.
 */

/** The ```nginx block of docs/deploy.md that starts with `# <file>`. */
function deployBlock(file: string): string {
  const page = readFileSync(new URL("../../docs/deploy.md", import.meta.url), "utf8");
  const block = [...page.matchAll(/```nginx\n([\s\S]*?)```/g)].map((m) => m[1]!).find((text) => text.startsWith(`# ${file}`) || text.includes(`# /etc/nginx/${file}`));
  if (!block) throw new Error(`docs/deploy.md has no nginx block for ${file}`);
  return block;
}

const runs = redisAvailable() && nginxAvailable();

describe.runIf(runs)("two processes behind nginx, as docs/deploy.md lays them out", () => {
  let redis: ChildProcess;
  let nginx: ChildProcess;
  let dir: string;
  let entry = 0;
  const servers: ServerProcess[] = [];
  const ports: number[] = [];
  const peers: Peer[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "l2arena-nginx-"));
    const redisPort = await freePort();
    redis = spawn(redisServerBinary()!, ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    entry = await freePort();
    for (let i = 0; i < 2; i++) ports.push(await freePort());
    // The socket settings exactly as the page gives them; the server block as the page builds it, for two local processes.
    const socketConf = join(dir, "l2arena-socket.conf");
    writeFileSync(socketConf, deployBlock("l2arena-socket.conf"));
    const conf = `
worker_processes 1;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream l2arena_any { ${ports.map((p) => `server 127.0.0.1:${p};`).join(" ")} }
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  server {
    listen 127.0.0.1:${entry};
    client_max_body_size 16k;
    proxy_set_header X-Real-IP $remote_addr;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_set_header Host $host;
    ${ports.map((p) => `location /p${p}/ { proxy_pass http://127.0.0.1:${p}/; include ${socketConf}; }`).join("\n    ")}
    location / { proxy_pass http://l2arena_any; proxy_next_upstream error timeout http_502 http_503; }
  }
}`;
    writeFileSync(join(dir, "nginx.conf"), conf);
    for (const sub of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(join(dir, sub));
    nginx = spawn(nginxBinary()!, ["-p", dir, "-c", join(dir, "nginx.conf"), "-g", "daemon off; user root;"], { stdio: ["ignore", "ignore", "inherit"] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const port of ports) {
      servers.push(await spawnServer(port, dir, {
        REDIS_URL: `redis://127.0.0.1:${redisPort}`, PUBLIC_ADDRESS: `localhost:${entry}/p${port}`, PROCESS_NAME: `p${port}`, TRUST_PROXY: "1",
      }));
    }
    for (let tries = 0; !(await fetch(`http://localhost:${entry}/healthz`).then((r) => r.ok, () => false)); tries++) {
      if (tries > 100) throw new Error("nginx did not answer");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.race([leaveAll(peers), new Promise((resolve) => setTimeout(resolve, 3_000))]);
    for (const server of servers) await killServer(server);
    nginx?.kill("SIGTERM");
    redis?.kill("SIGKILL");
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("a session created through nginx is hosted and played through nginx over WebSocket and long-polling, every socket on the process that holds the room", async () => {
    const entryUrl = `http://localhost:${entry}`;
    // Several sessions, so that both processes hold some (creation stays on the process that answered).
    const sessions: Session[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${entryUrl}/api/sessions`, { method: "POST" });
      expect(res.status).toBe(201);
      sessions.push((await res.json()) as Session);
    }
    const rooms = await Promise.all(ports.map(async (p) => ((await (await fetch(`http://localhost:${p}/healthz`)).json()) as { rooms: number }).rooms));
    expect(rooms.every((n) => n > 0), `rooms per process: ${rooms.join(", ")}`).toBe(true);
    for (const session of sessions.slice(0, 2)) {
      const host = await joinAsHost(entryUrl, session);
      const ada = await joinAsPlayer(entryUrl, session.code, "Ada", "websocket");
      const ben = await joinAsPlayer(entryUrl, session.code, "Ben", "polling");
      peers.push(host, ada, ben);
      await waitFor("both students seen by the host", () => host.room.state.players.size === 2 || null);
      host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "l1", durationSec: 120 }] });
      host.room.send("host:start", { token: session.hostToken });
      await waitFor("running", () => host.room.state.phase === "running");
      ada.room.send("l1:send", { to: myId(ben), amount: 1_000, seq: 1 });
      ben.room.send("l1:send", { to: myId(ada), amount: 1_000, seq: 1 });
      await waitFor("both payments acknowledged", () => (ada.acks.some((a) => a.seq === 1) && ben.acks.some((a) => a.seq === 1)) || null);
      // Results through nginx, with the host token.
      const results = await fetch(`${entryUrl}/api/sessions/${session.code}/results.json?token=${session.hostToken}`);
      expect(results.status).toBe(200);
    }
  });
});
