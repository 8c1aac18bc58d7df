import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Room } from "@colyseus/sdk";
import { randomBytes } from "node:crypto";
import { keyPairFromSeed } from "../../shared/crypto/sign.ts";
import { POINTS } from "../../shared/engine/points.ts";
import { runHeadlessBot } from "../../server/headless-bot.ts";
import type { RunningApp } from "../../server/app.ts";
import { createSession, debriefOf, freePort, joinAsHost, startTestServer, testClient, waitFor } from "./helpers.ts";
import type { Peer, Session } from "./helpers.ts";

/**
 * Headless players as `npm run bots` seats them: marked as bots (b-ids, Player.bot), and playing
 * every scenario from the synced views as a phone would, not only the optimistic rollup. Each
 * round is checked for what only their own actions can have scored.
 */
describe("headless bots (npm run bots)", () => {
  let app: RunningApp;
  let port: number;
  let session: Session;
  let host: Peer;
  const rooms: Room[] = [];
  const bots: ReturnType<typeof runHeadlessBot>[] = [];

  beforeAll(async () => {
    port = await freePort();
    // Rounds run ten times as fast as the wall clock.
    app = await startTestServer(port, { timeScale: 10, tickMs: 50, botTurnMs: 200 });
    session = await createSession(port);
    host = await joinAsHost(port, session);
    for (let i = 1; i <= 8; i++) {
      const room = await testClient(port).joinById(session.code, { name: `Headless ${i}`, bot: true });
      const key = keyPairFromSeed(randomBytes(32));
      room.send("player:key", { publicKey: key.publicKey });
      rooms.push(room);
      bots.push(runHeadlessBot(room, key, `headless-test:${i}`, 400));
    }
  });

  afterAll(async () => {
    for (const bot of bots) bot.stop();
    for (const room of rooms) await room.leave().catch(() => undefined);
    await host?.room.leave().catch(() => undefined);
    await app?.close();
  });

  const send = (type: string, body: Record<string, unknown> = {}) => host.room.send(type, { token: session.hostToken, ...body });
  const headless = () => [...host.room.state.players.values()].filter((p: { name: string }) => p.name.startsWith("Headless "));

  const SCENARIOS = ["l1", "zk", "channels", "plasma", "sidechain"] as const;
  /** "round:playerId" → the role that player played in that round, as the room said while it ran. */
  const playedAs = new Map<string, string>();

  it("are seated as bots: b-ids and Player.bot, never students", async () => {
    send("host:plan", { rounds: SCENARIOS.map((scenario) => ({ scenario, durationSec: 60 })) });
    await waitFor("8 headless players", () => headless().length === 8);
    // The plan reaches the host with a patch of its own (on a loaded machine it can trail the players').
    await waitFor("the plan", () => JSON.parse((host.room.state.plan as string) || "[]").length === SCENARIOS.length || null);
    for (const p of headless()) {
      expect(p.bot).toBe(true);
      expect(p.id).toMatch(/^b\d+$/);
    }
  });

  it.each([
    ["l1", "pays on L1", (id: string, d: ReturnType<typeof debriefOf>) => (d.scores[id] ?? 0) >= POINTS.l1TransferIncluded],
    ["zk", "pays on the ZK rollup", (id: string, d: ReturnType<typeof debriefOf>) => (d.scores[id] ?? 0) > POINTS.depositCredited],
    ["channels", "pays and countersigns in its channel", (id: string, d: ReturnType<typeof debriefOf>) => (d.channels?.paymentsBy[id] ?? 0) >= 1],
    ["plasma", "pays on Plasma", (id: string, d: ReturnType<typeof debriefOf>) => (d.scores[id] ?? 0) > POINTS.depositCredited],
    // A validator stakes at genesis (no deposit): any point is a block or checkpoint it signed; a user's start with its deposit.
    ["sidechain", "pays on the sidechain or signs as a validator", (id: string, d: ReturnType<typeof debriefOf>, role: string) => (d.scores[id] ?? 0) > (role === "validator" ? 0 : POINTS.depositCredited)],
  ] as const)("play a %s round: every headless player %s", async (scenario, _what, played) => {
    const before = host.room.state.roundIndex as number;
    expect(JSON.parse(host.room.state.plan as string)[before + 1]?.scenario).toBe(scenario);
    send("host:autoBalance");
    send("host:start");
    await waitFor(`${scenario} round over`, () => host.room.state.roundIndex > before && (host.room.state.phase === "final" || host.room.state.phase === "debrief"), 60_000);
    const d = debriefOf(host);
    expect(d.scenario).toBe(scenario);
    for (const p of headless()) playedAs.set(`${before + 1}:${p.id}`, p.roundRole);
    // A watchtower or an auditor acts only on a cheat or a theft (none is planned here): the others must have played.
    const idle = headless()
      .filter((p: { roundRole: string }) => p.roundRole !== "watchtower" && p.roundRole !== "auditor")
      .filter((p: { id: string; roundRole: string }) => !played(p.id, d, p.roundRole))
      .map((p: { name: string; roundRole: string }) => `${p.name} (${p.roundRole})`);
    expect(idle, `headless players who did nothing in the ${scenario} round`).toEqual([]);
  });

  it("the results CSV gives each player the role played in each round, not the one they ended the lesson with", async () => {
    const csv = await (await fetch(`http://localhost:${port}/api/sessions/${session.code}/results.csv`, { headers: { "x-host-token": session.hostToken } })).text();
    const rows = csv.trim().split("\n").slice(1).map((line) => line.split(",")).filter(([round]) => round !== "total");
    let checked = 0;
    for (const [round, playerId, , role] of rows) {
      const expected = playedAs.get(`${Number(round) - 1}:${playerId}`);
      if (expected === undefined) continue;
      expect(role, `round ${round}, ${playerId}`).toBe(expected);
      checked++;
    }
    expect(checked).toBe(8 * SCENARIOS.length);
    // The mix really changed between rounds: a CSV that kept one role per player would fail above.
    expect(new Set([...playedAs.values()]).size).toBeGreaterThan(2);
  });
});
