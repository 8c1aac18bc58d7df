import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSession, freePort, joinAsHost, joinAsPlayer, leaveAll, testClient, waitFor } from "./helpers.ts";
import type { Peer } from "./helpers.ts";
import { killServer, spawnServer } from "./server-process.ts";
import type { ServerProcess } from "./server-process.ts";

/**
 * An ordinary refusal is no crash: the real server (`node server/main.ts`, as the README starts
 * it) prints a taken nickname or a locked game as one line naming the game and the reason, with
 * no stack trace, while the student's page gets the reason to read.
 */
describe("what the server prints when it refuses a join", () => {
  let server: ServerProcess;
  let port: number;
  let dataDir: string;
  const peers: Peer[] = [];

  beforeAll(async () => {
    port = await freePort();
    dataDir = mkdtempSync(join(tmpdir(), "l2arena-refusal-log-"));
    server = await spawnServer(port, dataDir);
  });
  afterAll(async () => {
    await leaveAll(peers);
    if (server) await killServer(server);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** What the server printed from the first line that mentions `from` on, as lines. */
  const printedSince = (from: number) => server.output.join("").split("\n").slice(from);

  it("a taken nickname and a locked game: one line each, no stack trace", async () => {
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    peers.push(host, await joinAsPlayer(port, session.code, "Ada"));
    const before = server.output.join("").split("\n").length - 1;

    // The same name in other letters' case is taken; the student is told why.
    const taken = await testClient(port).joinById(session.code, { name: "ada" }).then(() => null, (error: unknown) => error);
    expect(String((taken as Error | null)?.message)).toContain('The nickname "ada" is taken in this game');
    host.room.send("host:lock", { token: session.hostToken, locked: true });
    await waitFor("locked", () => host.room.state.locked === true);
    const locked = await testClient(port).joinById(session.code, { name: "Dee" }).then(() => null, (error: unknown) => error);
    expect(String((locked as Error | null)?.message)).toContain("This game is locked");

    const refusals = await waitFor("both refusals printed", () => {
      const lines = printedSince(before).filter((line) => line.includes("join refused"));
      return lines.length >= 2 && lines;
    });
    expect(refusals).toEqual([
      `[${session.code}] join refused: The nickname "ada" is taken in this game: pick another.`,
      `[${session.code}] join refused: This game is locked: ask your teacher to unlock it.`,
    ]);
    // Nothing else about them: no stack frame, no error object, no second line per refusal.
    const printed = printedSince(before).filter((line) => line.trim() !== "");
    expect(printed.filter((line) => /^\s+at\s/.test(line) || /Error\b/.test(line))).toEqual([]);
    expect(printed).toEqual(refusals);
  });
});
