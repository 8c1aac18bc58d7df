import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../server/app.ts";
import { computeDebrief } from "../../shared/engine/debrief.ts";
import type { Debrief } from "../../shared/engine/debrief.ts";
import { LESSON_PLANS } from "../../shared/lessons/plans.ts";
import { RISK_SLICES } from "../../shared/lessons/rosette.ts";
import type { RoundPlan } from "../../shared/protocol/messages.ts";
import { createSession, debriefOf, joinAsHost, replayStored, startTestServer, testPort, waitFor, storedRounds } from "./helpers.ts";
import type { Peer, Session } from "./helpers.ts";

const port = testPort(4900);
let app: RunningApp;

beforeAll(async () => {
  // Game time runs 6× faster than the wall clock: a 60 s round takes 10 s.
  app = await startTestServer(port, { timeScale: 6 });
});
afterAll(async () => {
  await app.close();
});

describe("a lesson plan from a preset, edited by the host", () => {
  let session: Session;
  let host: Peer;
  let seq = 1000;

  afterAll(async () => {
    await host?.room.leave().catch(() => undefined);
  });

  /** Sends a plan and waits for the server's answer: the error it gave, or null on an ack. */
  async function sendPlan(rounds: unknown): Promise<{ code: string; message: string } | null> {
    const mine = ++seq;
    host.room.send("host:plan", { token: session.hostToken, rounds, seq: mine });
    const error = () => host.errors.find((e) => e.seq === mine);
    await waitFor("the plan's answer", () => error() ?? host.acks.find((a) => a.seq === mine));
    return error() ?? null;
  }

  it("refuses bad plans with readable errors, plays the edited Optimistic vs ZK plan with bots, and each debrief has its rosette", async () => {
    session = await createSession(port);
    host = await joinAsHost(port, session);
    const preset = LESSON_PLANS.find((p) => p.id === "optimistic-vs-zk")!;
    // The host's edit: the same two rounds, 60 s each instead of 4 minutes.
    const edited: RoundPlan[] = preset.rounds.map((r) => ({ ...r, durationSec: 60 }));
    expect(await sendPlan(edited)).toBeNull();
    // The ack may overtake the state patch.
    const planJson = await waitFor("the edited plan", () => host.room.state.plan === JSON.stringify(edited) && (host.room.state.plan as string));
    expect(host.room.state.roundCount).toBe(2);

    // Bad plans: each refused with a sentence that names the problem, and the plan stays as it was.
    const bad: [unknown, RegExp][] = [
      [[{ scenario: "zk", durationSec: 60, params: { bogus: 3 } }], /unknown parameter "bogus" for a zk round/],
      [[{ scenario: "optimistic", durationSec: 60, params: { transfersPerBlock: -4 } }], /transfersPerBlock must be a whole number from 1 to 1,000/],
      [[{ scenario: "optimistic", durationSec: 10 }], /rounds\.0\.durationSec/],
      [[{ scenario: "rollercoaster", durationSec: 60 }], /rounds\.0\.scenario/],
      [[], /rounds/],
      [[...edited, { scenario: "zk", durationSec: 60, extra: true }], /rounds\.2/],
    ];
    for (const [rounds, reason] of bad) {
      const error = await sendPlan(rounds);
      expect(error?.code).toBe("invalid_payload");
      expect(error?.message).toMatch(reason);
      expect(host.room.state.plan).toBe(planJson);
    }

    host.room.send("host:addBots", { token: session.hostToken, count: 5, difficulty: "hard" });
    await waitFor("5 bots", () => host.room.state.players.size === 5);
    const debriefs: Debrief[] = [];
    for (const [index, scenario] of (["optimistic", "zk"] as const).entries()) {
      host.room.send("host:autoBalance", { token: session.hostToken });
      host.room.send("host:start", { token: session.hostToken });
      await waitFor(`round ${index + 1} running`, () => host.room.state.phase === "running" && host.room.state.roundIndex === index);
      expect(host.room.state.scenario).toBe(scenario);
      // While a round runs the plan cannot change.
      host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "l1", durationSec: 60 }] });
      await waitFor("the refusal", () => host.errors.find((e) => e.type === "host:plan" && e.code === "wrong_phase"));
      expect(host.room.state.plan).toBe(planJson);
      const after = index === 0 ? "debrief" : "final";
      await waitFor(`round ${index + 1} ${after}`, () => host.room.state.phase === after, 60_000);
      const debrief = debriefOf(host);
      expect(debrief.scenario).toBe(scenario);
      expect(debrief.tradeOff.length).toBeGreaterThan(40);
      expect(debrief.rosette?.slices.map((s) => s.slice)).toEqual([...RISK_SLICES]);
      for (const slice of debrief.rosette!.slices) {
        expect(["good", "warning", "bad"]).toContain(slice.level);
        expect(slice.sentence.length).toBeGreaterThan(20);
      }
      debriefs.push(debrief);
    }

    // What the rosettes compare: fraud proofs against validity proofs, a challenge window against none, forced inclusion against none.
    const [optimistic, zk] = debriefs as [Debrief, Debrief];
    const slice = (d: Debrief, name: string) => d.rosette!.slices.find((s) => s.slice === name)!;
    // The exit window is about upgrades (the game has none); the withdrawal delay is named apart, with the plan's window.
    expect(slice(optimistic, "exitWindow").level).toBe("good");
    expect(optimistic.rosette!.withdrawalDelay).toContain("45.0 s challenge window");
    expect(zk.rosette!.withdrawalDelay).toMatch(/^None beyond proving/);
    expect(slice(zk, "sequencerFailure").level).toBe("bad");
    expect(optimistic.rosette!.slices[0]!.sentence).toMatch(/^Fraud proofs /);
    expect(zk.rosette!.slices[0]!.sentence).toMatch(/^Validity proofs: /);
    expect(optimistic.rosette!.stage).toBe("Stage 2");
    expect(zk.rosette!.stage).toBe("Stage 0");

    // The results endpoint lists both rounds; each stored debrief (rosette included) is what a replay of its log computes.
    const res = await fetch(`http://localhost:${port}/api/sessions/${session.code}/results.json?token=${encodeURIComponent(session.hostToken)}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rounds: { index: number; scenario: string; debrief: Debrief }[]; results: { round: number }[] };
    expect(body.rounds.map((r) => [r.index, r.scenario])).toEqual([[0, "optimistic"], [1, "zk"]]);
    expect(body.rounds.map((r) => r.debrief.rosette?.slices.length)).toEqual([5, 5]);
    expect(new Set(body.results.map((r) => r.round))).toEqual(new Set([0, 1]));
    for (const stored of await storedRounds(app, session.code, 2)) {
      const replayed = replayStored(stored);
      expect(computeDebrief(replayed.events, stored.config, stored.endMs, stored.scenario)).toEqual(stored.debrief);
      expect(stored.debrief).toEqual(debriefs[stored.index]);
    }
  });
});
