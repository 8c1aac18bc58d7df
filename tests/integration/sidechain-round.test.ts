import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../server/app.ts";
import { signMessage } from "../../shared/crypto/sign.ts";
import { sidechainDebrief } from "../../shared/engine/sidechain/debrief.ts";
import { heistMessage } from "../../shared/engine/sidechain/heist.ts";
import { burnMessage, transferMessage, withdrawalMessage } from "../../shared/engine/sidechain/messages.ts";
import { SIDECHAIN_POINTS } from "../../shared/engine/sidechain/round.ts";
import { eth } from "../../shared/engine/units.ts";
import { createSession, debriefOf, expectReplayMatchesLive, joinAsHost, joinAsPlayer, leaveAll, moduleEvents, myId, myWallet, startTestServer, testPort, waitFor, walletModule, worldModule, storedRounds } from "./helpers.ts";
import type { Peer, Session } from "./helpers.ts";

const port = testPort(4600);
let app: RunningApp;

beforeAll(async () => {
  // Game time runs 6× faster than the wall clock.
  app = await startTestServer(port, { timeScale: 6 });
});
afterAll(async () => {
  await app.close();
});

/** world.module of a sidechain round (server/scenarios/sidechain.ts publicPicture), the fields this test reads. */
interface SideView {
  m: number;
  n: number;
  signers: string[];
  height: number;
  escrow: number;
  supply: number;
  txFee: number;
  checkpoints: { number: number; status: string }[];
  attempts: { outcome: "refused" | "drained"; amount: number; signatures: number; signers: string[] }[];
  alarms: { by: string; verdict: string }[];
}

interface HeistInvite {
  id: number;
  organizer: string;
  amount: number;
  nonce: number;
  status: string;
  signatures: number;
  signed: boolean;
  attempts: number;
}

interface SideWithdrawal {
  nonce: number;
  amount: number;
  status: string;
  signatures: number;
}

function view(peer: Peer): SideView | null {
  return worldModule<SideView>(peer);
}

function withdrawalsOf(peer: Peer): SideWithdrawal[] {
  return JSON.parse(myWallet(peer).withdrawals) as SideWithdrawal[];
}

function heistsOf(peer: Peer): HeistInvite[] {
  return walletModule<{ heists: HeistInvite[] }>(peer)?.heists ?? [];
}

describe("a sidechain round (Bridge heist)", () => {
  let session: Session;
  let host: Peer;
  const students: Peer[] = [];

  afterAll(async () => {
    await leaveAll([...students, host]);
  });

  it("deposits, a signed transfer and a 5-of-9 withdrawal; a heist reverted with 4 keys drains the bridge with 5; the alarm is scored; debrief matches a replay", async () => {
    session = await createSession(port);
    host = await joinAsHost(port, session);
    const [ada, val, aud] = await Promise.all(["Ada", "Val", "Aud"].map((name) => joinAsPlayer(port, session.code, name)));
    students.push(ada!, val!, aud!);
    await waitFor("3 players", () => host.room.state.players.size === 3);
    const [adaId, valId, audId] = students.map(myId) as [string, string, string];

    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "sidechain", durationSec: 900, params: { bridgeThreshold: 5, bridgeSeats: 9, checkpointIntervalSec: 10 } }] });
    // Four corrupt (hard) bot validators: with the organizer that is m − 1 = 4 keys. Val holds the fifth that matters.
    host.room.send("host:addBots", { token: session.hostToken, count: 4, role: "validator", difficulty: "hard" });
    host.room.send("host:addBots", { token: session.hostToken, count: 2, role: "user", difficulty: "normal" });
    await waitFor("9 players", () => host.room.state.players.size === 9);
    host.room.send("host:assign", { token: session.hostToken, playerId: adaId, role: "user" });
    host.room.send("host:assign", { token: session.hostToken, playerId: valId, role: "validator" });
    host.room.send("host:assign", { token: session.hostToken, playerId: audId, role: "auditor" });
    await waitFor("roles assigned", () => host.room.state.players.get(audId)?.role === "auditor" && host.room.state.players.get(valId)?.role === "validator");
    host.room.send("host:start", { token: session.hostToken });
    await waitFor("round running", () => host.room.state.phase === "running");
    expect(host.room.state.scenario).toBe("sidechain");
    expect(host.errors).toEqual([]);
    // Bots filled the empty bridge seats: 9 validators (Val, 4 hard, 4 more), every one a signer.
    const validators = [...host.room.state.players.values()].filter((p) => p.role === "validator");
    expect(validators).toHaveLength(9);

    // Genesis: the validators staked (taking the 9 seats), everyone else deposited 2 ETH through the bridge.
    await waitFor("deposits minted", () => myWallet(ada!).l2Balance >= eth(2) && myWallet(aud!).l2Balance >= eth(2), 30_000);
    const start = view(ada!)!;
    expect(start).toMatchObject({ m: 5, n: 9 });
    expect(start.signers).toHaveLength(9);
    expect(start.signers).toContain(valId);

    // The edge refuses what does not belong to this round or this role, or is malformed or forged.
    ada!.room.send("zk:deposit", { amount: eth(1), seq: 900 });
    ada!.room.send("sidechain:signBlock", { hash: "00".repeat(32), sig: "00".repeat(64), seq: 901 });
    ada!.room.send("sidechain:send", { to: audId, amount: 1, nonce: 0, sig: "00".repeat(64), extra: 1, seq: 902 });
    ada!.room.send("sidechain:send", { to: audId, amount: 1, nonce: 0, sig: "00".repeat(64), seq: 903 });
    aud!.room.send("sidechain:heistPropose", { amount: eth(1), seq: 904 });
    await waitFor("five refusals", () => ada!.errors.length >= 4 && aud!.errors.length >= 1);
    expect(ada!.errors.map((e) => [e.seq, e.code])).toEqual([[900, "wrong_phase"], [901, "wrong_role"], [902, "invalid_payload"], [903, "rejected"]]);
    expect(aud!.errors.map((e) => [e.seq, e.code])).toEqual([[904, "wrong_role"]]);
    ada!.errors.length = 0;
    aud!.errors.length = 0;

    // Ada pays Aud 0.3 ETH on the sidechain, signed here with her key.
    const fee = start.txFee;
    const audBefore = myWallet(aud!).l2Balance;
    const nonce = myWallet(ada!).l2Nonce;
    ada!.room.send("sidechain:send", { to: audId, amount: eth(0.3), nonce, sig: signMessage(ada!.key.secretKey, transferMessage(adaId, audId, eth(0.3), fee, nonce)), seq: 1 });
    await waitFor("transfer acked", () => ada!.acks.some((a) => a.seq === 1));
    // (Bot users may pay Aud too; the replay below checks Ada's transfer itself.)
    await waitFor("Aud received it", () => myWallet(aud!).l2Balance >= audBefore + eth(0.3));

    // Ada burns 0.5 ETH to withdraw; the validators sign it (Val too, by hand) until the bridge's 5.
    await waitFor("Ada's nonce counts her transfer", () => myWallet(ada!).l2Nonce === nonce + 1);
    ada!.room.send("sidechain:withdraw", { amount: eth(0.5), nonce: nonce + 1, sig: signMessage(ada!.key.secretKey, burnMessage(adaId, eth(0.5), fee, nonce + 1)), seq: 2 });
    await waitFor("withdraw acked", () => ada!.acks.some((a) => a.seq === 2));
    const burned = await waitFor("the burn is committed", () => withdrawalsOf(ada!)[0]);
    expect(burned).toMatchObject({ amount: eth(0.5), status: "burned" });
    val!.room.send("sidechain:signWithdrawal", { nonce: burned.nonce, sig: signMessage(val!.key.secretKey, withdrawalMessage(adaId, eth(0.5), burned.nonce)), seq: 3 });
    await waitFor("Val's approval answered", () => val!.acks.some((a) => a.seq === 3) || val!.errors.some((e) => e.seq === 3));
    await waitFor("m signatures", () => withdrawalsOf(ada!)[0]!.signatures >= 5);
    const adaL1 = myWallet(ada!).l1Balance;
    ada!.room.send("sidechain:release", { nonce: burned.nonce, seq: 4 });
    await waitFor("release acked", () => ada!.acks.some((a) => a.seq === 4));
    await waitFor("the withdrawal is paid on L1", () => withdrawalsOf(ada!)[0]!.status === "paid", 30_000);
    expect(myWallet(ada!).l1Balance).toBeGreaterThan(adaL1 + eth(0.49));

    // A checkpoint of the sidechain's blocks lands on L1.
    await waitFor("a posted checkpoint", () => view(host)?.checkpoints.some((c) => c.status === "posted"), 30_000);

    // An alarm while the bridge still backs every token is a false one.
    const early = view(aud!)!;
    expect(early.escrow).toBe(early.supply);
    aud!.room.send("sidechain:alarm", { seq: 5 });
    await waitFor("false alarm acked", () => aud!.acks.some((a) => a.seq === 5));
    await waitFor("the alarm is public", () => view(host)?.alarms.some((a) => a.by === audId && a.verdict === "false"));

    // The corrupt bots plan a heist and invite Val; with their 4 keys the release reverts on L1.
    const invite = await waitFor("Val is invited to a heist", () => heistsOf(val!).find((h) => !h.signed), 60_000);
    const refused = await waitFor("the 4-key release reverts", () => view(host)?.attempts.find((a) => a.outcome === "refused"), 60_000);
    expect(refused.signatures).toBe(4);
    expect(refused.signers).not.toContain(valId);
    const escrowBefore = view(host)!.escrow;
    expect(escrowBefore).toBe(view(host)!.supply);

    // Val signs: the fifth key. The organizer sends it again and the bridge pays.
    const heist = heistsOf(val!).find((h) => h.id === invite.id)!;
    expect(heist.signatures).toBe(4);
    val!.room.send("sidechain:heistSign", { id: heist.id, sig: signMessage(val!.key.secretKey, heistMessage(heist)), seq: 6 });
    await waitFor("heist signature acked", () => val!.acks.some((a) => a.seq === 6));
    const drained = await waitFor("the bridge is drained", () => view(host)?.attempts.find((a) => a.outcome === "drained"), 60_000);
    expect(drained.signatures).toBe(5);
    expect(drained.signers).toContain(valId);
    expect(drained.amount).toBe(heist.amount);
    const after = view(aud!)!;
    expect(after.escrow).toBeLessThan(after.supply);

    // Aud compares the two numbers and raises the alarm.
    aud!.room.send("sidechain:alarm", { seq: 7 });
    await waitFor("alarm acked", () => aud!.acks.some((a) => a.seq === 7));
    await waitFor("the alarm is right", () => view(host)?.alarms.some((a) => a.by === audId && a.verdict === "right"));
    expect(students.flatMap((s) => s.errors)).toEqual([]);

    host.room.send("host:endRound", { token: session.hostToken });
    await waitFor("final", () => host.room.state.phase === "final");
    const debrief = debriefOf(host);
    expect(debrief.scenario).toBe("sidechain");
    expect(debrief.tradeOff).toMatch(/5 of the 9 bridge keys can take everything/);
    const s = debrief.sidechain!;
    expect(s.validators).toBe(9);
    expect(s.sideTxs).toBeGreaterThanOrEqual(2);
    expect(s.withdrawalsPaid).toBeGreaterThanOrEqual(1);
    expect(s.checkpointsPosted).toBeGreaterThanOrEqual(1);
    expect(s.heistAttemptsRefused).toBeGreaterThanOrEqual(1);
    expect(s.refusedSignatures).toBe(4);
    expect(s.thefts).toBeGreaterThanOrEqual(1);
    expect(s.stolen).toBeGreaterThanOrEqual(heist.amount);
    expect(s.heistSigners).toContain(valId);
    expect(s.firstAlarmBy).toBe(audId);
    expect(s.falseAlarms).toBe(1);
    expect(s.backed).toBe(false);
    expect(debrief.figures!.length).toBeGreaterThanOrEqual(5);
    expect(debrief.story.join(" ")).toMatch(/raised the alarm/);

    // The stored round replays to the same world, events and figures; money is conserved.
    const stored = (await storedRounds(app, session.code))[0]!;
    expect(stored.scenario).toBe("sidechain");
    const replayed = expectReplayMatchesLive(stored, "sidechain", host, debrief);
    expect(sidechainDebrief(replayed.events)).toEqual(s);

    // Aud's alarms: one false, one right (worth more the sooner it came); the colluders, Val among them, were caught.
    const events = moduleEvents(replayed.events, "sidechain");
    expect(events.some((e) => e.name === "tx.included" && e.data.kind === "transfer" && e.data.from === adaId && e.data.to === audId && e.data.amount === eth(0.3) && e.data.fee === fee)).toBe(true);
    const paid = events.find((e) => e.name === "withdrawal.released" && e.data.to === adaId)!;
    expect(paid.data).toMatchObject({ amount: eth(0.5), threshold: 5 });
    expect(paid.data.signatures as number).toBeGreaterThanOrEqual(5);
    const right = events.find((e) => e.name === "alarm.raised" && e.data.by === audId && (e.data.thefts as number) > 0)!;
    expect(right.data.signers).toEqual(expect.arrayContaining(drained.signers));
    const alarmPoints = Math.max(SIDECHAIN_POINTS.alarmMin, SIDECHAIN_POINTS.alarmRight - 2 * Math.floor((right.data.noticedAfterMs as number) / 1000));
    const audDeposit = events.some((e) => e.name === "deposit.minted" && e.data.to === audId) ? 10 : 0;
    expect(debrief.scores[audId]).toBe(audDeposit + SIDECHAIN_POINTS.alarmFalse + alarmPoints);
    const valBlocks = events.filter((e) => e.name === "block.signed" && e.data.signer === valId).length;
    expect(valBlocks).toBe(0);
    // Val's key signed the theft: no share of the loot (a heist scores nothing), and the alarm cost it.
    expect(debrief.scores[valId]).toBeLessThanOrEqual(SIDECHAIN_POINTS.heistCaught + 2 * 10);
    // Ada scored her deposit, transfer, burn and payout.
    expect(debrief.scores[adaId]).toBeGreaterThanOrEqual(10 + 5 + 5 + 20);
  }, 240_000);
});

describe("a sidechain round played by bots", () => {
  it("auto-balance: a validator in four and an auditor; bots fill the 9 bridge seats; hard colluders short of keys are refused; replay matches", async () => {
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "sidechain", durationSec: 120 }] });
    host.room.send("host:addBots", { token: session.hostToken, count: 12, role: "user", difficulty: "hard" });
    await waitFor("12 bots", () => host.room.state.players.size === 12);
    host.room.send("host:autoBalance", { token: session.hostToken });
    const roles = () => [...host.room.state.players.values()].map((p) => p.role);
    await waitFor("balanced", () => roles().filter((r) => r === "validator").length === 3);
    expect(roles().filter((r) => r === "auditor")).toHaveLength(1);
    host.room.send("host:start", { token: session.hostToken });
    await waitFor("round running", () => host.room.state.phase === "running");
    // Six more (normal, honest) bot validators fill the bridge's nine seats.
    expect(roles().filter((r) => r === "validator")).toHaveLength(9);
    await waitFor("round over", () => host.room.state.phase === "final", 60_000);
    expect(host.errors).toEqual([]);

    const debrief = debriefOf(host);
    const s = debrief.sidechain!;
    expect(s.validators).toBe(9);
    expect(s.blocksCommitted).toBeGreaterThan(10);
    expect(s.sideTxs).toBeGreaterThan(10);
    expect(s.checkpointsPosted).toBeGreaterThanOrEqual(1);
    expect(s.withdrawalsPaid).toBeGreaterThanOrEqual(1);
    // Three corrupt keys of the five needed: their release reverts, the vault stays whole.
    expect(s.heistAttemptsRefused).toBeGreaterThanOrEqual(1);
    expect(s.refusedSignatures).toBe(3);
    expect(s.thefts).toBe(0);
    expect(s.backed).toBe(true);
    expect(debrief.figures!.find(([label]) => label === "Bridge heist")![1]).toBe("refused: 3 of the 5 of 9 keys needed");

    expectReplayMatchesLive((await storedRounds(app, session.code))[0]!, "sidechain", host, debrief);
    await host.room.leave().catch(() => undefined);
  }, 90_000);

  it("Polygon PoS's bridge: withdrawals are paid on burn proofs against checkpoints, and 5 stolen keys of 9 cannot forge one", async () => {
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "sidechain", durationSec: 150, params: { bridgeDesign: 2, stolenKeys: 5 } }] });
    host.room.send("host:addBots", { token: session.hostToken, count: 12, role: "user", difficulty: "normal" });
    await waitFor("12 bots", () => host.room.state.players.size === 12);
    host.room.send("host:autoBalance", { token: session.hostToken });
    host.room.send("host:start", { token: session.hostToken });
    await waitFor("round running", () => host.room.state.phase === "running");
    await waitFor("round over", () => host.room.state.phase === "final", 90_000);
    expect(host.errors).toEqual([]);

    const debrief = debriefOf(host);
    const s = debrief.sidechain!;
    expect(s.design).toBe("checkpoint");
    expect(s.validators).toBe(9);
    expect(s.checkpointsPosted).toBeGreaterThanOrEqual(2);
    // Every paid withdrawal proved its burn: no bridge key signed any of them.
    expect(s.withdrawalsPaid).toBeGreaterThanOrEqual(1);
    expect(s.meanSignaturesPerWithdrawal).toBe(0);
    // The attacker's 5 keys held 5/9 of the stake: its forged checkpoint reverted, the vault stayed whole.
    expect(s.thefts).toBe(0);
    expect(s.backed).toBe(true);
    if (s.heistWeight) {
      expect(s.heistWeight).toMatchObject({ keys: 5, stakePercent: 56, drained: false });
      expect(debrief.story.join(" ")).toContain("Ronin's 5-of-9 multisig would have counted keys: 5 would have drained it.");
    }
    expect(debrief.figures!.find(([label]) => label === "Bridge")![1]).toMatch(/^Polygon PoS-style/);

    expectReplayMatchesLive((await storedRounds(app, session.code))[0]!, "sidechain", host, debrief);
    await host.room.leave().catch(() => undefined);
  }, 150_000);
});
