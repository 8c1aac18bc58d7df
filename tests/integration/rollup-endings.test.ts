import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../server/app.ts";
import type { BatchSnap, DisputeSnap } from "../../client/src/net/snapshot.ts";
import { batchCardLabel, batchCardLoss } from "../../client/src/projector/batch-card.ts";
import { batchStatusText, disputeEnding, disputeRange, rollupLosses, turnLabel } from "../../client/src/views/dispute.ts";
import { signL2Tx } from "../../shared/engine/l2-state.ts";
import { midpoint } from "../../shared/engine/optimistic/bisection.ts";
import { POINTS } from "../../shared/engine/points.ts";
import { eth } from "../../shared/engine/units.ts";
import { createSession, debriefOf, freePort, idOf, joinAsHost, joinAsPlayer, leaveAll, myId, myWallet, startTestServer, waitFor } from "./helpers.ts";
import type { Peer, Session } from "./helpers.ts";
import { phoneSnapshot } from "./phone-view.ts";

let app: RunningApp;
let port: number;

beforeAll(async () => {
  port = await freePort();
  // Game time runs 4× faster than the wall clock.
  app = await startTestServer(port, { timeScale: 4 });
});
afterAll(async () => {
  await app.close();
});

/** `from` pays `to` on L2 with a transaction signed by its own key, as its page would. */
function pay(from: Peer, to: string, amount: number, seq: number): void {
  const tx = signL2Tx(from.key.secretKey, { kind: "transfer", from: myId(from), to, amount, fee: from.room.state.world.l2FeePerTx, nonce: myWallet(from).l2Nonce });
  from.room.send("user:l2", { tx: { kind: "transfer", to, amount: tx.amount, fee: tx.fee, nonce: tx.nonce, sig: tx.sig }, seq });
}

const batchOf = (peer: Peer, id: number) => (peer.room.state.world.batches as BatchSnap[]).find((b) => b.id === id);

/** A session with its host and students joined, each given a role, a one-round optimistic plan, started. */
async function optimisticRound<Name extends string>(names: Record<Name, string>, params: Record<string, number>, bots: { role: string; difficulty: string }[] = []) {
  const session: Session = await createSession(port);
  const host = await joinAsHost(port, session);
  const peers = {} as Record<Name, Peer>;
  for (const name of Object.keys(names) as Name[]) peers[name] = await joinAsPlayer(port, session.code, name);
  for (const bot of bots) host.room.send("host:addBots", { token: session.hostToken, count: 1, ...bot });
  await waitFor("everyone in", () => host.room.state.players.size === Object.keys(names).length + bots.length);
  const roles = Object.entries(names) as [Name, string][];
  for (const [name, role] of roles) host.room.send("host:assign", { token: session.hostToken, playerId: idOf(host, name), role });
  await waitFor("roles", () => roles.every(([name, role]) => host.room.state.players.get(idOf(host, name))?.role === role));
  host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "optimistic", durationSec: 900, params }] });
  host.room.send("host:start", { token: session.hostToken });
  await waitFor("round running", () => host.room.state.phase === "running");
  await waitFor("deposits credited", () => (Object.values(peers) as Peer[]).every((p) => myWallet(p).l2Balance >= eth(2)), 30_000);
  return { session, host, peers };
}

describe("a fraud nobody challenged", () => {
  it("goes final marked as fraud (fraudFinal in the synced state): the phones and the projector call it what it is, and only the robbed user gets a loss notice", async () => {
    // No challenger in the class: nothing stops the sequencer's forgeries once their window passes.
    const { session, host, peers } = await optimisticRound({ Sid: "sequencer", Vic: "user", Wes: "user" }, { challengeWindowSec: 5, blockTimeSec: 1 });
    const { Sid: sid, Vic: vic, Wes: wes } = peers;
    const [sidId, vicId, wesId] = [sid, vic, wes].map(myId) as [string, string, string];

    // An honest batch first: Wes pays Vic, Sid soft-confirms and posts it.
    pay(wes, vicId, eth(0.1), 1);
    await waitFor("Wes's payment acked", () => wes.acks.some((a) => a.seq === 1));
    sid.room.send("seq:include", { seq: 2 });
    await waitFor("soft-confirmed", () => host.room.state.world.softCount >= 1);
    sid.room.send("seq:post", { seq: 3 });
    await waitFor("batch #0 final", () => batchOf(host, 0)?.status === "final", 30_000);
    // Then a forged transfer of Vic's money to Sid, and a mint out of thin air.
    sid.room.send("seq:post", { cheat: { kind: "steal", victim: vicId, amount: eth(0.5) }, seq: 4 });
    await waitFor("batch #1 final", () => batchOf(host, 1)?.status === "final", 30_000);
    sid.room.send("seq:post", { cheat: { kind: "mint", amount: eth(5) }, seq: 5 });
    await waitFor("batch #2 final", () => batchOf(host, 2)?.status === "final", 30_000);
    expect([sid, vic, wes].flatMap((p) => p.errors)).toEqual([]);

    // The synced state says which final batches carried a forgery, whose money it took and how much.
    expect(batchOf(host, 0)).toMatchObject({ fraudFinal: false, stolenFrom: "", stolen: 0 });
    expect(batchOf(host, 1)).toMatchObject({ fraudFinal: true, stolenFrom: vicId, stolen: eth(0.5) });
    expect(batchOf(host, 2)).toMatchObject({ fraudFinal: true, stolenFrom: "", stolen: eth(5) });
    // The theft is real: Vic holds 2 + 0.1 − 0.5 ETH on L2.
    await waitFor("Vic's wallet after the theft", () => myWallet(vic).l2Balance === eth(1.6));

    // Every phone's batch list (challenger's, sequencer's) and the projector's cards.
    const vicPhone = phoneSnapshot(vic);
    const [honest, stolen, minted] = [0, 1, 2].map((id) => vicPhone.world.batches.find((b) => b.id === id)!);
    expect(batchStatusText(vicPhone, honest!)).toBe("final ✓");
    expect(batchStatusText(vicPhone, stolen!)).toBe("final — FRAUD went through ✗ (0.5000 ETH stolen from Vic)");
    expect(batchStatusText(vicPhone, minted!)).toBe("final — FRAUD went through ✗ (5.0000 ETH minted)");
    expect([honest, stolen, minted].map((b) => [batchCardLabel(b!), batchCardLoss(b!)])).toEqual([
      ["✓ FINAL", null],
      ["✗ FRAUD FINAL", "0.5 ETH stolen"],
      ["✗ FRAUD FINAL", "5 ETH minted"],
    ]);

    // Vic is told who took what and what would have saved him; Wes lost nothing and is told nothing.
    expect(rollupLosses(vicPhone, vicId)).toEqual([{
      id: "stolen-1",
      what: "The sequencer Sid slipped a forged transfer of your money into batch #1, and nobody challenged it in time.",
      cost: "0.5000 ETH of your L2 ETH is gone: the batch is final on L1.",
      couldHave: "Nothing alone, as a user: safety needs one honest challenger re-executing every batch within the window. Play challenger, or withdraw before trusting a sequencer with more.",
    }]);
    expect(rollupLosses(phoneSnapshot(wes), wesId)).toEqual([]);
    expect(rollupLosses(phoneSnapshot(sid), sidId)).toEqual([]);

    host.room.send("host:endRound", { token: session.hostToken });
    await waitFor("final", () => host.room.state.phase === "final", 30_000);
    expect(debriefOf(host).fraud).toMatchObject({ attempted: 2, caught: 0, missed: 2 });
    await leaveAll([...(Object.values(peers) as Peer[]), host]);
  }, 120_000);
});

describe("disputes a challenger lost", () => {
  it("one at L1's one-step proof, one on its move clock: each says why it ended, and each challenger is told what it cost", async () => {
    // An honest bot sequencer (easy: only its second batch cheats), two student challengers, two users paying.
    const { session, host, peers } = await optimisticRound(
      { Chloe: "challenger", Dan: "challenger", Vic: "user", Wes: "user" },
      { challengeWindowSec: 120, blockTimeSec: 1, moveTimeoutSec: 40 },
      [{ role: "sequencer", difficulty: "easy" }],
    );
    const { Chloe: chloe, Dan: dan, Vic: vic, Wes: wes } = peers;
    const [chloeId, danId, vicId, wesId] = [chloe, dan, vic, wes].map(myId) as [string, string, string, string];
    const botId = [...host.room.state.players.values()].find((p) => p.bot)!.id as string;

    // Vic and Wes pay each other until the bot posts an honest batch of two or more transactions (one
    // the bisection must narrow) that is still in its window. (Its batch #1 is its cheat.)
    // (Each pays again once the sequencer has taken its last payment: its nonce has moved on.)
    let sent = 0;
    const target = await waitFor("an honest posted batch of 2+ transactions", () => {
      const batch = (host.room.state.world.batches as BatchSnap[]).find((b) => b.id !== 1 && b.status === "posted" && b.txCount >= 2);
      if (batch) return batch;
      if ([vic, wes].every((p) => myWallet(p).l2Nonce >= sent)) {
        sent += 1;
        pay(vic, wesId, eth(0.01), sent);
        pay(wes, vicId, eth(0.01), sent);
      }
      return null;
    }, 60_000);
    expect([vic, wes].flatMap((p) => p.errors)).toEqual([]);

    // Both challenge the honest batch (their roots differ from the claim); Chloe disagrees at every step, Dan never moves.
    const chloeL1 = myWallet(chloe).l1Balance;
    chloe.room.send("chal:challenge", { batchId: target.id, root: "11".repeat(32), seq: 1 });
    dan.room.send("chal:challenge", { batchId: target.id, root: "22".repeat(32), seq: 1 });
    const disputeOf = (id: string) => (host.room.state.world.disputes as DisputeSnap[]).find((d) => d.batchId === target.id && d.challenger === id);
    const answered = new Set<string>();
    const [chloes, dans] = await waitFor("both disputes over", () => {
      const mine = disputeOf(chloeId);
      if (mine?.status === "open" && mine.turn === "challenger" && !answered.has(`${mine.lo}:${mine.hi}`)) {
        answered.add(`${mine.lo}:${mine.hi}`);
        chloe.room.send("dispute:move", { disputeId: mine.id, root: "00".repeat(32), seq: 10 + answered.size });
      }
      const his = disputeOf(danId);
      return mine && his && mine.status !== "open" && his.status !== "open" && [mine, his];
    }, 90_000) as [DisputeSnap, DisputeSnap];
    expect(chloe.errors).toEqual([]);
    expect(answered.size).toBeGreaterThan(0);

    // Chloe's: L1 re-executed the last step and the sequencer was right.
    const chloePhone = phoneSnapshot(chloe);
    const c = chloePhone.world.disputes.find((d) => d.id === chloes.id)!;
    expect(c).toMatchObject({ status: "defender-won", defender: botId, hi: c.lo + 1 });
    expect(c.endedBy).not.toBe("timeout");
    const bot = chloePhone.players[botId]!.name;
    expect(disputeEnding(chloePhone, c)).toBe(`L1 re-executed step ${c.lo} → ${c.hi} itself: the sequencer's root was right, so the challenge was wrong. ${bot} (sequencer) wins.`);
    expect(disputeRange(c)).toBe(`Ended at steps ${c.lo}–${c.hi} of ${c.steps}`);
    expect(turnLabel(chloePhone, c, chloeId)).toBe("sequencer won");
    expect(rollupLosses(chloePhone, chloeId)).toEqual([{
      id: `dispute-${c.id}`,
      what: `L1 re-executed step ${c.lo} → ${c.hi} of batch #${target.id}: the sequencer's root was right, so your challenge was wrong.`,
      cost: `Your challenger bond went to the sequencer and the burn, and you lost ${-POINTS.disputeLost} points.`,
      couldHave: "Challenged only a batch your own re-execution marks FRAUD ✗.",
    }]);
    // Her bond is really gone.
    expect(myWallet(chloe).l1Balance).toBeLessThanOrEqual(chloeL1 - eth(0.555));

    // Dan's: his clock ran out at his first move, whatever the batch held.
    const danPhone = phoneSnapshot(dan);
    const d = danPhone.world.disputes.find((x) => x.id === dans.id)!;
    expect(d).toMatchObject({ status: "defender-won", endedBy: "timeout", turn: "challenger" });
    expect(disputeEnding(danPhone, d)).toBe(`Dan (challenger) did not send a root at step ${midpoint(d)} before the clock ran out: the sequencer wins by default, whatever the batch holds.`);
    expect(rollupLosses(danPhone, danId)).toEqual([{
      id: `dispute-${d.id}`,
      what: `Your clock ran out in dispute #${d.id} on batch #${target.id}: the sequencer ${bot} won by default.`,
      cost: `Your challenger bond went to the sequencer and the burn, and you lost ${-POINTS.disputeLost} points.`,
      couldHave: "Sent your root at each step before the clock ran out (40 s a move): the honest challenger wins every step it answers.",
    }]);
    // Neither dispute is a loss for the users.
    expect(rollupLosses(phoneSnapshot(vic), vicId)).toEqual([]);

    host.room.send("host:endRound", { token: session.hostToken });
    await waitFor("final", () => host.room.state.phase === "final", 30_000);
    const debrief = debriefOf(host);
    expect(debrief.fraud.defenderWins).toBeGreaterThanOrEqual(2);
    expect(debrief.fraud.timeouts).toBeGreaterThanOrEqual(1);
    await leaveAll([...(Object.values(peers) as Peer[]), host]);
  }, 180_000);
});
