import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../server/app.ts";
import type { EngineEvent } from "../../shared/engine/events.ts";
import { eth } from "../../shared/engine/units.ts";
import { createSession, debriefOf, expectReplayMatchesLive, joinAsHost, joinAsPlayer, leaveAll, myId, startTestServer, testPort, waitFor, walletModule, worldModule, storedRounds, myWallet } from "./helpers.ts";
import type { Peer } from "./helpers.ts";

const port = testPort(5200);
let app: RunningApp;

beforeAll(async () => {
  // Game time runs 6× faster than the wall clock: a 3 s L1 block takes half a second.
  app = await startTestServer(port, { timeScale: 6 });
});
afterAll(async () => {
  await app.close();
});

interface Sent {
  id: string;
  to: string;
  amount: number;
  tip: number;
  maxFee: number;
  status: string;
  waitMs?: number;
  ahead?: number;
}

/** The player's own L1 transfers (wallet.module in an L1 round). */
function sentBy(peer: Peer): Sent[] {
  return walletModule<{ sent?: Sent[] }>(peer)?.sent ?? [];
}

interface Mempool {
  waiting: number;
  pricedOut: number;
  perBlock: number;
  tips: [number, number][];
}

function mempool(peer: Peer): Mempool | null {
  return worldModule<Mempool>(peer);
}

type Included = Extract<EngineEvent, { type: "l1.included" }>;

describe("an L1 rush-hour round", () => {
  const peers: Peer[] = [];
  afterAll(async () => {
    await leaveAll(peers);
  });

  it("bots fill the blocks and the base fee climbs; a high tip jumps the queue, a fee cap below the base fee waits; debrief matches a replay", async () => {
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    const ada = await joinAsPlayer(port, session.code, "Ada");
    const bo = await joinAsPlayer(port, session.code, "Bo");
    peers.push(host, ada, bo);

    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "l1", durationSec: 600 }] });
    host.room.send("host:addBots", { token: session.hostToken, count: 24, role: "user", difficulty: "normal" });
    await waitFor("26 players", () => host.room.state.players.size === 26);
    host.room.send("host:autoBalance", { token: session.hostToken });
    await waitFor("everyone a user", () => [...host.room.state.players.values()].every((p) => p.role === "user"));
    host.room.send("host:start", { token: session.hostToken });
    await waitFor("round running", () => host.room.state.phase === "running");
    expect(host.room.state.scenario).toBe("l1");
    const adaId = myId(ada);
    const boId = myId(bo);

    // The edge refuses paying yourself, another scenario's message, and a malformed amount.
    ada.room.send("l1:send", { to: adaId, amount: eth(0.1), seq: 900 });
    ada.room.send("zk:deposit", { amount: eth(1), seq: 901 });
    ada.room.send("l1:send", { to: boId, amount: 0, seq: 902 });
    await waitFor("three refusals", () => ada.errors.length >= 3);
    expect(ada.errors.map((e) => [e.seq, e.code])).toEqual([[900, "rejected"], [901, "wrong_phase"], [902, "invalid_payload"]]);
    expect(ada.errors[0]!.message).toMatch(/someone else/);
    ada.errors.length = 0;

    // Rush hour: the bots' transfers fill blocks past the EIP-1559 target and the base fee rises.
    const initialBaseFee = host.room.state.world.baseFee as number;
    await waitFor("the base fee rising", () => (host.room.state.world.baseFee as number) > initialBaseFee * 1.5, 60_000);
    await waitFor("a full block", () => [...host.room.state.world.blocks].some((b) => b.txCount === mempool(host)!.perBlock), 30_000);

    // Ada tips far above every bot (they tip at most 25 gwei per gas); Bo caps his fee below today's base fee.
    const boBefore = myWallet(bo).l1Balance;
    ada.room.send("l1:send", { to: boId, amount: eth(0.2), tip: 60, seq: 1 });
    const cap = Math.floor((host.room.state.world.baseFee as number) / 2);
    bo.room.send("l1:send", { to: adaId, amount: eth(0.2), tip: 1, maxFee: cap, seq: 2 });
    await waitFor("both acked", () => ada.acks.some((a) => a.seq === 1) && bo.acks.some((a) => a.seq === 2));
    const adaSent = await waitFor("Ada's transfer included", () => sentBy(ada).find((t) => t.status === "included"), 30_000);
    expect(adaSent).toMatchObject({ to: boId, amount: eth(0.2), tip: 60 });
    // Bo's transfer is priced out: in the mempool, not in line for any block.
    const boSent = await waitFor("Bo's transfer listed", () => sentBy(bo)[0]);
    expect(boSent).toMatchObject({ status: "waiting", maxFee: cap });
    expect(boSent.ahead).toBeUndefined();
    expect(mempool(host)!.pricedOut).toBeGreaterThanOrEqual(1);
    const heightNow = host.room.state.world.l1Height as number;
    await waitFor("three more blocks", () => (host.room.state.world.l1Height as number) >= heightNow + 3, 30_000);
    expect(sentBy(bo)[0]!.status).toBe("waiting");

    host.room.send("host:endRound", { token: session.hostToken });
    await waitFor("final", () => host.room.state.phase === "final");
    const debrief = debriefOf(host);
    expect(debrief.scenario).toBe("l1");
    expect(debrief.l1.baseFeeMax).toBeGreaterThan(debrief.l1.baseFeeStart);
    expect(debrief.l1.transfers).toBeGreaterThan(30);
    expect(debrief.figures?.length).toBeGreaterThanOrEqual(5);
    expect(debrief.figures?.find(([label]) => label === "L1 transfers included")?.[1]).toBe(String(debrief.l1.transfers));
    expect(debrief.story.join(" ")).toContain(`peak of ${debrief.l1.baseFeeMax} gwei`);
    // Bo's capped transfer is counted as priced out (it waited), apart from transfers dropped for want of funds.
    expect(Number(debrief.figures?.find(([label]) => label.startsWith("Priced out"))?.[1].split(" / ")[0])).toBeGreaterThanOrEqual(1);
    expect(debrief.figures?.find(([label]) => label.startsWith("Dropped"))?.[1]).toBe("0");
    expect(debrief.tradeOff).toMatch(/block space/);

    // The stored round replays to the same world and the same debrief; money is conserved.
    const stored = (await storedRounds(app, session.code))[0]!;
    expect(stored.scenario).toBe("l1");
    const replayed = expectReplayMatchesLive(stored, "l1", host, debrief);

    // Ada's 60-gwei tip put her first in line: the very next block took her transfer.
    const included = replayed.events.filter((e): e is Included => e.type === "l1.included" && e.kind === "transfer");
    const adaIncluded = included.find((e) => e.txId === adaSent.id)!;
    expect(adaIncluded.waitMs).toBeLessThanOrEqual(stored.config.blockTimeMs);
    expect(adaIncluded.tip).toBe(60 * adaIncluded.gas);
    expect(adaIncluded.fee).toBe(adaIncluded.burned + adaIncluded.tip);
    // Bo's capped transfer never made it into a block while the base fee stayed above his cap.
    expect(included.some((e) => e.txId === boSent.id)).toBe(false);
    expect(replayed.world.l1.mempool.some((tx) => tx.id === boSent.id)).toBe(true);
    // Bo got Ada's 0.2 ETH (and maybe bots' payments) and paid nothing for his waiting transfer: only included transactions pay gas.
    expect(replayed.world.l1.balances[boId]! - boBefore).toBeGreaterThanOrEqual(eth(0.2));
  }, 120_000);
});
