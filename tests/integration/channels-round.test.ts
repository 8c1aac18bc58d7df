import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../server/app.ts";
import { signChannelState } from "../../shared/engine/channels/message.ts";
import { dutyMessage, dutySignProblem, dutySigns } from "../../shared/engine/channels/routing.ts";
import type { Duty } from "../../shared/engine/channels/routing.ts";
import type { Route } from "../../shared/engine/channels/relay.ts";
import type { SignatureKind } from "../../shared/engine/channels/message.ts";
import { channelsDebrief } from "../../shared/engine/channels/debrief.ts";
import { CHANNEL_POINTS } from "../../shared/engine/channels/round.ts";
import { eth } from "../../shared/engine/units.ts";
import { createSession, debriefOf, expectReplayMatchesLive, joinAsHost, joinAsPlayer, leaveAll, moduleEvents, myId, myWallet, startTestServer, testPort, waitFor, walletModule, worldModule, storedRounds } from "./helpers.ts";
import type { Peer, Session } from "./helpers.ts";

const port = testPort(4000);
let app: RunningApp;

beforeAll(async () => {
  // Game time runs 6× faster than the wall clock: the 24 s dispute window lasts 4 s.
  app = await startTestServer(port, { timeScale: 6 });
});
afterAll(async () => {
  await app.close();
});

interface Split { seq: number; balanceA: number; balanceB: number }
interface Signed extends Split { sigA: string; sigB: string }
interface MyChannel {
  id: string; partner: string; side: "a" | "b"; capacity: number; mine: number; theirs: number; seq: number; status: string; outcome: string | null;
  latest: Signed; oldBest: Signed | null; incoming: (Split & { kind: SignatureKind; from: string; amount: number }) | null;
  close: { by: string; seq: number; stale: boolean; windowEndsMs: number; settled: boolean } | null; toFund: number;
}
interface UserView { role: string; offlineUntilMs: number; channels: MyChannel[]; hub: string | null; reachable: string[]; routes: Route[]; duties: Duty[] }
interface PublicChannel { id: string; a: string; b: string; status: string; payments: number; ending: { penalizedBy?: string; gotAway?: number; cheater: string } | null }

function view(peer: Peer): UserView | null {
  return walletModule<UserView>(peer);
}

function channelOf(peer: Peer, id: string): MyChannel | undefined {
  return view(peer)?.channels.find((c) => c.id === id);
}

function publicChannels(peer: Peer): PublicChannel[] {
  return worldModule<{ channels: PublicChannel[] }>(peer)?.channels ?? [];
}

/** The channel fields a signature commits to, as the client sees them (a = the opener). */
function ends(peer: Peer, c: MyChannel): { id: string; a: string; b: string } {
  const me = myId(peer);
  return c.side === "a" ? { id: c.id, a: me, b: c.partner } : { id: c.id, a: c.partner, b: me };
}

/** `payer` proposes paying `amount` on channel `id`, signed in the test with their own key. */
function propose(payer: Peer, id: string, amount: number, seq?: number): number {
  const c = channelOf(payer, id)!;
  const fromA = c.side === "a";
  const split = { seq: seq ?? c.seq + 1, balanceA: c.latest.balanceA + (fromA ? -amount : amount), balanceB: c.latest.balanceB + (fromA ? amount : -amount) };
  const tag = 100 + payer.acks.length + payer.errors.length;
  payer.room.send("channels:propose", { channelId: id, kind: "update", split, sig: signChannelState(payer.key.secretKey, ends(payer, c), "update", split), seq: tag });
  return tag;
}

/** The partner checks the incoming proposal and countersigns it. */
function accept(peer: Peer, id: string, seqTag: number, sig?: string): void {
  const c = channelOf(peer, id)!;
  const p = c.incoming!;
  const split = { seq: p.seq, balanceA: p.balanceA, balanceB: p.balanceB };
  peer.room.send("channels:accept", { channelId: id, stateSeq: p.seq, sig: sig ?? signChannelState(peer.key.secretKey, ends(peer, c), p.kind, split), seq: seqTag });
}

describe("a Lightning duel (channels round)", () => {
  let session: Session;
  let host: Peer;
  const students: Peer[] = [];

  afterAll(async () => {
    await leaveAll([...students, host]);
  });

  it("players pay off-chain with real signatures, a forgery is refused, a stale close is punished in the window and one is too late; debrief matches a replay", async () => {
    session = await createSession(port);
    host = await joinAsHost(port, session);
    students.push(...(await Promise.all(["Ada", "Bo"].map((name) => joinAsPlayer(port, session.code, name)))));
    const [ada, bo] = students as [Peer, Peer];
    await waitFor("2 players", () => host.room.state.players.size === 2);
    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "channels", durationSec: 900, params: { disputeWindowSec: 24 } }] });
    host.room.send("host:addBots", { token: session.hostToken, count: 2, role: "user", difficulty: "hard" });
    host.room.send("host:addBots", { token: session.hostToken, count: 1, role: "watchtower", difficulty: "normal" });
    await waitFor("3 bots", () => host.room.state.players.size === 5);
    host.room.send("host:start", { token: session.hostToken });
    await waitFor("round running", () => host.room.state.phase === "running");
    expect(host.room.state.scenario).toBe("channels");
    expect(host.errors).toEqual([]);
    const adaId = myId(ada);
    const boId = myId(bo);

    // Genesis paired Ada with Bo and opened their channel on L1 with 1 ETH on each side (the first bot is the hub: Ada has a channel with it too).
    const first = await waitFor("Ada's channel is open", () => view(ada)?.channels.find((c) => c.status === "open" && c.partner === myId(bo)), 30_000);
    expect(first).toMatchObject({ partner: boId, capacity: eth(2), mine: eth(1), theirs: eth(1), seq: 0 });
    const id = first.id;
    await waitFor("Bo sees it too", () => channelOf(bo, id)?.status === "open");

    // The edge refuses other rounds' messages, other roles' and malformed ones.
    ada.room.send("zk:deposit", { amount: 1, seq: 900 });
    ada.room.send("channels:propose", { channelId: id, kind: "update", split: { seq: 1, balanceA: 1, balanceB: 2 }, sig: "xyz", seq: 901 });
    await waitFor("two refusals", () => ada.errors.length >= 2);
    expect(ada.errors.map((e) => e.code)).toEqual(["wrong_phase", "invalid_payload"]);
    ada.errors.length = 0;

    // Ada pays Bo 0.1 ETH: she signs seq 1, Bo's client checks and countersigns.
    propose(ada, id, eth(0.1));
    await waitFor("Bo sees the request", () => channelOf(bo, id)?.incoming);
    expect(channelOf(bo, id)!.incoming).toMatchObject({ kind: "update", from: adaId, seq: 1, amount: eth(0.1) });
    accept(bo, id, 1);
    await waitFor("seq 1 applied", () => channelOf(ada, id)?.seq === 1);
    expect(channelOf(ada, id)).toMatchObject({ mine: eth(0.9), theirs: eth(1.1) });
    expect(ada.errors.concat(bo.errors)).toEqual([]);

    // A forged countersignature (Bo signs a different split) is refused with a reason; nothing changes.
    propose(ada, id, eth(0.2));
    await waitFor("second request", () => channelOf(bo, id)?.incoming?.seq === 2);
    const c = channelOf(bo, id)!;
    const forged = signChannelState(bo.key.secretKey, ends(bo, c), "update", { seq: 2, balanceA: 0, balanceB: eth(2) });
    accept(bo, id, 2, forged);
    const refusal = await waitFor("forgery refused", () => bo.errors.find((e) => e.seq === 2));
    expect(refusal.code).toBe("rejected");
    expect(refusal.message).toMatch(/signature does not verify/);
    expect(channelOf(ada, id)).toMatchObject({ seq: 1, mine: eth(0.9) });
    // A proposal signed with the wrong key, and a replayed old sequence, are refused too.
    const adaIsA = channelOf(ada, id)!.side === "a";
    const split2 = { seq: 2, balanceA: adaIsA ? eth(0.7) : eth(1.3), balanceB: adaIsA ? eth(1.3) : eth(0.7) };
    const wrongKey = signChannelState(bo.key.secretKey, ends(ada, channelOf(ada, id)!), "update", split2);
    ada.room.send("channels:propose", { channelId: id, kind: "update", split: split2, sig: wrongKey, seq: 50 });
    const replayTag = propose(ada, id, eth(0.1), 1);
    await waitFor("both refused", () => ada.errors.some((e) => e.seq === 50) && ada.errors.some((e) => e.seq === replayTag));
    expect(ada.errors.find((e) => e.seq === 50)!.message).toMatch(/made with .*'s key/);
    expect(ada.errors.find((e) => e.seq === replayTag)!.message).toMatch(/replayed state: sequence 1 is not newer than the latest 1/);
    ada.errors.length = 0;
    bo.errors.length = 0;

    // Now the real countersignature: seq 2 (Ada 0.7 | Bo 1.3), then Bo pays back 0.5 (seq 3: Ada 1.2 | Bo 0.8).
    accept(bo, id, 3);
    await waitFor("seq 2", () => channelOf(ada, id)?.seq === 2);
    propose(bo, id, eth(0.5));
    await waitFor("Ada sees Bo's payment", () => channelOf(ada, id)?.incoming?.seq === 3);
    accept(ada, id, 4);
    await waitFor("seq 3", () => channelOf(bo, id)?.seq === 3);
    expect(channelOf(bo, id)).toMatchObject({ mine: eth(0.8), theirs: eth(1.2) });

    // Bo is tempted: his node kept seq 2, which paid him 1.3 ETH. He publishes it.
    const old = channelOf(bo, id)!.oldBest!;
    expect(old.seq).toBe(2);
    expect(adaIsA ? old.balanceB : old.balanceA).toBe(eth(1.3));
    const adaBefore = myWallet(ada).l1Balance;
    bo.room.send("channels:forceClose", { channelId: id, state: old, seq: 5 });
    await waitFor("Bo's close acked", () => bo.acks.some((a) => a.seq === 5));
    const close = await waitFor("Ada sees the stale close", () => channelOf(ada, id)?.close, 20_000);
    expect(close).toMatchObject({ by: boId, seq: 2, stale: true, settled: false });
    // Ada answers inside the window with the newer state both signed.
    ada.room.send("channels:penalize", { channelId: id, state: channelOf(ada, id)!.latest, seq: 6 });
    await waitFor("penalty acked", () => ada.acks.some((a) => a.seq === 6));
    await waitFor("channel penalized", () => publicChannels(host).find((x) => x.id === id)?.ending?.penalizedBy === adaId, 20_000);
    expect(channelOf(ada, id)).toMatchObject({ status: "closed", outcome: "penalized" });
    // Ada got 0.7 ETH at once (her share in seq 2) and Bo's whole 1.3 ETH by the penalty, minus her L1 fee.
    expect(myWallet(ada).l1Balance - adaBefore).toBeGreaterThan(eth(2) - eth(0.01));

    // A second channel: Ada opens it and asks Bo for a deposit; Bo funds it; one payment; cooperative close.
    const adaChannels = new Set(view(ada)!.channels.map((x) => x.id));
    ada.room.send("channels:open", { counterparty: boId, deposit: eth(1), theirDeposit: eth(0.5), seq: 10 });
    const second = await waitFor("a channel waiting for Bo", () => view(bo)?.channels.find((x) => !adaChannels.has(x.id) && x.partner === adaId && x.toFund > 0), 20_000);
    expect(second.toFund).toBe(eth(0.5));
    bo.room.send("channels:fund", { channelId: second.id, seq: 11 });
    await waitFor("second channel open", () => channelOf(ada, second.id)?.status === "open", 20_000);
    propose(ada, second.id, eth(0.25));
    await waitFor("Bo sees it", () => channelOf(bo, second.id)?.incoming?.seq === 1);
    accept(bo, second.id, 12);
    await waitFor("paid", () => channelOf(ada, second.id)?.seq === 1);
    const latest = channelOf(ada, second.id)!.latest;
    const closeSplit = { seq: latest.seq, balanceA: latest.balanceA, balanceB: latest.balanceB };
    ada.room.send("channels:propose", { channelId: second.id, kind: "close", split: closeSplit, sig: signChannelState(ada.key.secretKey, ends(ada, channelOf(ada, second.id)!), "close", closeSplit), seq: 13 });
    await waitFor("Bo sees the close request", () => channelOf(bo, second.id)?.incoming?.kind === "close");
    accept(bo, second.id, 14);
    await waitFor("closed cooperatively", () => channelOf(ada, second.id)?.outcome === "cooperative", 20_000);
    expect(ada.errors.concat(bo.errors)).toEqual([]);

    // A third channel: Bo goes offline; Ada publishes an old state; nobody answers in time.
    const known = new Set(view(ada)!.channels.map((x) => x.id));
    ada.room.send("channels:open", { counterparty: boId, deposit: eth(1), seq: 20 });
    const third = await waitFor("third channel open", () => view(ada)?.channels.find((x) => !known.has(x.id) && x.partner === boId && x.status === "open"), 20_000);
    propose(ada, third.id, eth(0.3));
    await waitFor("Bo sees it", () => channelOf(bo, third.id)?.incoming?.seq === 1);
    accept(bo, third.id, 21);
    await waitFor("paid", () => channelOf(ada, third.id)?.seq === 1);
    bo.room.send("channels:offline", { seq: 22 });
    await waitFor("Bo is offline", () => (view(bo)?.offlineUntilMs ?? 0) > 0);
    const stale = channelOf(ada, third.id)!.oldBest!;
    expect(stale).toMatchObject({ seq: 0, balanceA: eth(1), balanceB: 0 });
    ada.room.send("channels:forceClose", { channelId: third.id, state: stale, seq: 23 });
    await waitFor("stale close on L1", () => channelOf(bo, third.id)?.close);
    bo.room.send("channels:penalize", { channelId: third.id, state: channelOf(bo, third.id)!.latest, seq: 24 });
    const offline = await waitFor("offline Bo cannot answer", () => bo.errors.find((e) => e.seq === 24));
    expect(offline.message).toMatch(/offline/);
    await waitFor("the window passed", () => publicChannels(host).find((x) => x.id === third.id)?.ending?.gotAway, 30_000);
    await waitFor("Bo is back", () => view(bo)?.offlineUntilMs === 0, 20_000);
    bo.room.send("channels:penalize", { channelId: third.id, state: channelOf(bo, third.id)!.latest, seq: 25 });
    const late = await waitFor("too late", () => bo.errors.find((e) => e.seq === 25));
    expect(late.message).toMatch(/no published state to answer|too late/);

    // The hard bots: one of them publishes an old state; its partner (or their watchtower) punishes it.
    await waitFor("a bot cheat punished", () => publicChannels(host).some((x) => x.ending?.penalizedBy && x.ending.cheater !== boId), 60_000);

    host.room.send("host:endRound", { token: session.hostToken });
    await waitFor("final", () => host.room.state.phase === "final");
    const debrief = debriefOf(host);
    expect(debrief.scenario).toBe("channels");
    const ch = debrief.channels!;
    expect(ch.payments).toBeGreaterThanOrEqual(5);
    expect(ch.staleCloses).toBeGreaterThanOrEqual(3);
    expect(ch.penalties).toBeGreaterThanOrEqual(2);
    expect(ch.cheatsGotAway).toBeGreaterThanOrEqual(1);
    expect(ch.cooperativeCloses).toBeGreaterThanOrEqual(1);
    expect(debrief.figures!.length).toBeGreaterThanOrEqual(5);
    expect(debrief.tradeOff).toMatch(/online/);
    expect(debrief.story.join(" ")).toMatch(/off-chain payments/);

    // The stored round replays to the same world, events and figures; money is conserved.
    const replayed = expectReplayMatchesLive((await storedRounds(app, session.code))[0]!, "channels", host, debrief);
    expect(channelsDebrief(replayed.events)).toEqual(ch);
    // Ada: 5 points per payment she made or received, 150 for her penalty, 10 for her cooperative close, 100 for getting away with it.
    expect(debrief.scores[adaId]).toBe(5 * 5 + CHANNEL_POINTS.penaltyWon + CHANNEL_POINTS.cooperativeClose + CHANNEL_POINTS.cheatGotAway);
    const events = moduleEvents(replayed.events, "channels");
    expect(events.find((e) => e.name === "penalized" && e.data.channelId === id)!.data).toMatchObject({ cheater: boId, victim: adaId, cheaterLost: eth(1.3) });
  }, 180_000);
});

describe("a channels round played by bots", () => {
  it("auto-balance gives one watchtower per eight players; bots pay, hard bots cheat and get punished; replay and conservation hold", async () => {
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "channels", durationSec: 120 }] });
    host.room.send("host:addBots", { token: session.hostToken, count: 16, role: "user", difficulty: "hard" });
    await waitFor("16 bots", () => host.room.state.players.size === 16);
    host.room.send("host:autoBalance", { token: session.hostToken });
    await waitFor("two watchtowers", () => [...host.room.state.players.values()].filter((p) => p.role === "watchtower").length === 2);
    host.room.send("host:start", { token: session.hostToken });
    await waitFor("round over", () => host.room.state.phase === "final", 60_000);
    expect(host.errors).toEqual([]);

    const debrief = debriefOf(host);
    const ch = debrief.channels!;
    // 14 users: a bot hub with a channel to each of the 13 others, 6 pairs (the odd one has only the hub), then reopened ones.
    expect(ch.channelsOpened).toBeGreaterThanOrEqual(19);
    expect(ch.payments).toBeGreaterThan(30);
    // Bots pay people they share no channel with through the hub, which keeps its fee on each.
    expect(ch.routedPayments).toBeGreaterThanOrEqual(1);
    expect(ch.routingFees).toBeGreaterThan(0);
    expect(Object.keys(ch.hubFees)).toHaveLength(1);
    // Every hard bot cheats once at most, and bots always watch: stale closes are answered.
    expect(ch.staleCloses).toBeGreaterThanOrEqual(1);
    expect(ch.penalties).toBeGreaterThanOrEqual(1);
    expect(ch.penalties + ch.cheatsGotAway).toBeLessThanOrEqual(ch.staleCloses);

    expectReplayMatchesLive((await storedRounds(app, session.code))[0]!, "channels", host, debrief);
    await host.room.leave().catch(() => undefined);
  }, 90_000);
});

describe("Lightning routing through the hub (channels round)", () => {
  it("a student pays a bot she has no channel with: her node offers the HTLC, the bot hub forwards it for a fee, the bot receiver claims it with the secret", async () => {
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    const [ada, bo] = (await Promise.all(["Ada", "Bo"].map((name) => joinAsPlayer(port, session.code, name)))) as [Peer, Peer];
    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "channels", durationSec: 600 }] });
    host.room.send("host:addBots", { token: session.hostToken, count: 2, role: "user", difficulty: "hard" });
    await waitFor("4 players", () => host.room.state.players.size === 4);
    host.room.send("host:start", { token: session.hostToken });
    await waitFor("round running", () => host.room.state.phase === "running");
    const adaId = myId(ada);
    const hub = await waitFor("a hub", () => view(ada)?.hub);
    const [, receiver] = [...host.room.state.players.values()].filter((p) => p.bot).map((p) => p.id) as [string, string];
    expect(hub).not.toBe(receiver);
    // Ada shares no channel with the second bot (the odd one out has only the hub), but can reach it.
    await waitFor("Ada's channel with the hub is open", () => view(ada)?.channels.find((c) => c.partner === hub && c.status === "open"), 30_000);
    expect(view(ada)!.channels.some((c) => c.partner === receiver)).toBe(false);
    expect(view(ada)!.reachable).toContain(receiver);

    ada.room.send("channels:route", { to: receiver, amount: eth(0.1), preimage: "5e".repeat(32), seq: 1 });
    await waitFor("route acked", () => ada.acks.some((a) => a.seq === 1));
    // Ada's node: what her page does with each duty in her private view (sign with her key, send).
    const sent = new Set<string>();
    const done = await waitFor("the payment is delivered", () => {
      const v = view(ada);
      for (const duty of v?.duties ?? []) {
        const id = JSON.stringify([duty.kind, duty.channelId, "state" in duty ? duty.state.seq : null]);
        if (sent.has(id)) continue;
        sent.add(id);
        let sig = "";
        if (dutySigns(duty)) {
          expect(dutySignProblem(duty, adaId, v!.channels.find((c) => c.id === duty.channelId)!.latest)).toBeNull();
          sig = signChannelState(ada.key.secretKey, { id: duty.channelId, a: duty.a, b: duty.b }, "update", duty.state);
        }
        const message = dutyMessage(duty, sig);
        ada.room.send(message.type, { ...message.payload, seq: 100 + sent.size });
      }
      return v?.routes.find((r) => r.payer === adaId && r.status === "done");
    }, 30_000);
    expect(ada.errors).toEqual([]);
    expect(done).toMatchObject({ receiver, hub, amount: eth(0.1), fee: eth(0.0015) });
    // Nobody but payer and receiver sees the secret (Bo may see routes of his own: bots pay him through the hub too);
    // the hub's channel with Ada moved 0.1015 ETH to the hub.
    expect(view(bo)!.routes.filter((r) => r.hash === done.hash)).toEqual([]);
    // (Bots may route payments to Ada through the hub meanwhile: what they delivered comes back in on the same channel.)
    const hubChannel = view(ada)!.channels.find((c) => c.partner === hub)!;
    const received = view(ada)!.routes.filter((r) => r.receiver === adaId && r.hub === hub && r.status === "done").reduce((sum, r) => sum + r.amount, 0);
    expect(hubChannel.mine).toBe(eth(0.5) - eth(0.1015) + received);

    host.room.send("host:endRound", { token: session.hostToken });
    await waitFor("final", () => host.room.state.phase === "final");
    const debrief = debriefOf(host);
    expect(debrief.channels!.routedPayments).toBeGreaterThanOrEqual(1);
    expect(debrief.channels!.hubFees[hub]).toBeGreaterThanOrEqual(eth(0.0015));
    expect(debrief.story.join(" ")).toMatch(/went through the hub to someone the payer had no channel with/);
    const replayed = expectReplayMatchesLive((await storedRounds(app, session.code))[0]!, "channels", host, debrief);
    expect(channelsDebrief(replayed.events)).toEqual(debrief.channels);
    await leaveAll([ada, bo, host]);
  }, 90_000);
});
