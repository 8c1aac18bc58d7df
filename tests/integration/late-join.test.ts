import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../server/app.ts";
import { signL2Tx } from "../../shared/engine/l2-state.ts";
import { eth } from "../../shared/engine/units.ts";
import {
  createSession, debriefOf, expectReplayMatchesLive, joinAsHost, joinAsPlayer, leaveAll, myId, myWallet, startTestServer, testPort, waitFor, storedRounds } from "./helpers.ts";
import type { Peer } from "./helpers.ts";

const port = testPort(5500);
let app: RunningApp;

beforeAll(async () => {
  app = await startTestServer(port, { timeScale: 6 });
});
afterAll(async () => {
  await app.close();
});

describe("a student who arrives mid-round", () => {
  it("plays at once as a user: funded on L1, the starting deposit credited on L2, a payment soft-confirmed; the round still replays", async () => {
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    const early = await joinAsPlayer(port, session.code, "Early");
    let late: Peer | undefined;
    try {
      host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "optimistic", durationSec: 60 }] });
      host.room.send("host:addBots", { token: session.hostToken, count: 3 });
      host.room.send("host:start", { token: session.hostToken });
      await waitFor("the round runs", () => host.room.state.phase === "running");
      await waitFor("a few blocks", () => host.room.state.world.l1Height >= 3);

      late = await joinAsPlayer(port, session.code, "Late");
      const lateId = myId(late);
      // At least: bots may already have paid the newcomer a few cents (they pay anyone in the round).
      await waitFor("the late student's deposit is credited", () => myWallet(late!).l2Balance >= eth(2), 20_000);
      expect(late.room.state.players.get(lateId)!.roundRole).toBe("user");
      // With their key registered (sent on join), they can pay someone at once.
      const to = myId(early);
      const tx = signL2Tx(late.key.secretKey, { kind: "transfer", from: lateId, to, amount: eth(0.1), fee: late.room.state.world.l2FeePerTx, nonce: myWallet(late).l2Nonce });
      late.room.send("user:l2", { tx: { kind: "transfer", to, amount: tx.amount, fee: tx.fee, nonce: tx.nonce, sig: tx.sig } });
      await waitFor("the payment is acknowledged", () => late!.acks.some((a) => a.type === "user:l2") || late!.errors.length > 0);
      expect(late.errors).toEqual([]);

      host.room.send("host:endRound", { token: session.hostToken });
      await waitFor("the debrief", () => host.room.state.debrief !== "");
      const debrief = debriefOf(host);
      expect(debrief.scores[lateId]).toBeGreaterThan(0);
      expectReplayMatchesLive((await storedRounds(app, session.code))[0]!, "optimistic", host, debrief);
    } finally {
      await leaveAll([host, early, late]);
    }
  });
});
