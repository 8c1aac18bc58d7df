import { describe, expect, it } from "vitest";
import { Sim, rejection, testKey } from "./harness.ts";
import { conservationViolation } from "../../shared/engine/conservation.ts";
import { eth } from "../../shared/engine/units.ts";
import { nextInt, seedRng } from "../../shared/engine/prng.ts";
import type { EngineEvent } from "../../shared/engine/events.ts";
import { ADJUDICATOR, CHANNEL_GAS, CHANNELS, DISPUTE_WINDOW_MS } from "../../shared/engine/channels/rules.ts";
import { signChannelState } from "../../shared/engine/channels/message.ts";
import type { SignatureKind } from "../../shared/engine/channels/message.ts";
import { channelsOf } from "../../shared/engine/channels/types.ts";
import { channelsDebrief } from "../../shared/engine/channels/debrief.ts";
import { replay, stateHash } from "../../shared/engine/replay.ts";
import type { Channel, Htlc, SignedState } from "../../shared/engine/channels/types.ts";
import { sha256Hex } from "../../shared/crypto/hash.ts";
import { CLTV_EXPIRY_DELTA_MS, MIN_FINAL_EXPIRY_MS } from "../../shared/engine/channels/rules.ts";

function call(sim: Sim, by: string, body: unknown, fee: { tip?: number; maxFee?: number } = {}): EngineEvent[] {
  return sim.act({ type: "module", module: CHANNELS, by, call: body, ...fee });
}

function channelEvents(sim: Sim, name: string): Record<string, unknown>[] {
  return sim.events.flatMap((e) => (e.type === "module" && e.module === CHANNELS && e.name === name ? [e.data] : []));
}

function channel(sim: Sim, id: string): Channel {
  return channelsOf(sim.world).channels[id]!;
}

/** Opens a channel between `a` and `b` through L1 and returns its id once usable. */
function open(sim: Sim, a: string, b: string, depositA: number, depositB = 0): string {
  expect(rejection(call(sim, a, { kind: "open", counterparty: b, deposit: depositA, theirDeposit: depositB }))).toBeUndefined();
  sim.blocks(1);
  const id = channelsOf(sim.world).order.at(-1)!;
  if (depositB > 0) {
    expect(channel(sim, id).status).toBe("funding");
    expect(rejection(call(sim, b, { kind: "fund", channelId: id, amount: depositB }))).toBeUndefined();
    sim.blocks(1);
  }
  expect(channel(sim, id).status).toBe("open");
  return id;
}

/** Both parties sign a split with their own harness keys (the engine only ever sees the signatures). */
function signed(sim: Sim, id: string, seq: number, balanceA: number, balanceB: number, kind: SignatureKind = "update", htlcs: Htlc[] = []): SignedState {
  const c = channel(sim, id);
  const split = htlcs.length ? { seq, balanceA, balanceB, htlcs } : { seq, balanceA, balanceB };
  return {
    ...split,
    sigA: signChannelState(sim.keys.get(c.a)!.secretKey, c, kind, split),
    sigB: signChannelState(sim.keys.get(c.b)!.secretKey, c, kind, split),
  };
}

function pay(sim: Sim, by: string, id: string, seq: number, balanceA: number, balanceB: number): EngineEvent[] {
  return call(sim, by, { kind: "update", channelId: id, state: signed(sim, id, seq, balanceA, balanceB) });
}

function world(): Sim {
  const sim = new Sim("channels");
  sim.player("alice");
  sim.player("bob");
  sim.player("carol");
  sim.player("tower");
  return sim;
}

const ONE = eth(1);

describe("channels: funding on L1", () => {
  it("a single-funded open locks the deposit in the adjudicator through the mempool", () => {
    const sim = world();
    const before = sim.l1Balance("alice");
    call(sim, "alice", { kind: "open", counterparty: "bob", deposit: ONE });
    expect(sim.world.l1.mempool).toHaveLength(1);
    expect(channelsOf(sim.world).order).toHaveLength(0);
    sim.blocks(1);
    const id = channelsOf(sim.world).order[0]!;
    const c = channel(sim, id);
    expect(c).toMatchObject({ a: "alice", b: "bob", status: "open", held: ONE, latest: { seq: 0, balanceA: ONE, balanceB: 0 } });
    expect(sim.l1Balance(ADJUDICATOR)).toBe(ONE);
    const opened = channelEvents(sim, "opened")[0]!;
    expect(before - sim.l1Balance("alice")).toBe(ONE + (opened.l1Fee as number));
    expect(opened.l1Fee).toBeGreaterThanOrEqual(CHANNEL_GAS.open * 10);
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("a dual-funded channel opens only once the counterparty's exact deposit lands; the opener can cancel before", () => {
    const sim = world();
    const id = open(sim, "alice", "bob", ONE, eth(0.5));
    expect(channel(sim, id).held).toBe(eth(1.5));
    expect(sim.l1Balance(ADJUDICATOR)).toBe(eth(1.5));

    call(sim, "alice", { kind: "open", counterparty: "carol", deposit: ONE, theirDeposit: ONE });
    sim.blocks(1);
    const pending = channelsOf(sim.world).order.at(-1)!;
    expect(rejection(call(sim, "carol", { kind: "fund", channelId: pending, amount: eth(0.9) }))).toMatch(/exactly/);
    expect(rejection(call(sim, "bob", { kind: "fund", channelId: pending, amount: ONE }))).toMatch(/only carol/);
    expect(rejection(pay(sim, "alice", pending, 1, ONE, ONE))).toMatch(/funding/);
    const aliceBefore = sim.l1Balance("alice");
    call(sim, "alice", { kind: "cancel", channelId: pending });
    sim.blocks(1);
    expect(channel(sim, pending)).toMatchObject({ status: "closed", outcome: "cancelled", held: 0 });
    const cancelled = channelEvents(sim, "cancelled")[0]!;
    expect(sim.l1Balance("alice") - aliceBefore).toBe(ONE - (cancelled.l1Fee as number));
    expect(sim.l1Balance(ADJUDICATOR)).toBe(eth(1.5));
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("an open may push part of the deposit to the counterparty (push_msat) and set its own dispute window (to_self_delay)", () => {
    const sim = world();
    call(sim, "alice", { kind: "open", counterparty: "bob", deposit: eth(2), push: ONE, toSelfDelayMs: 12_000 });
    sim.blocks(1);
    const id = channelsOf(sim.world).order.at(-1)!;
    expect(channel(sim, id)).toMatchObject({ status: "open", depositA: eth(2), depositB: 0, pushed: ONE, toSelfDelayMs: 12_000, latest: { seq: 0, balanceA: ONE, balanceB: ONE } });
    // Bob can pay at once with what he was pushed; the funding split (seq 0) is the pushed one.
    expect(rejection(pay(sim, "bob", id, 1, eth(1.3), eth(0.7)))).toBeUndefined();
    expect(rejection(call(sim, "bob", { kind: "forceClose", channelId: id, state: { seq: 0, balanceA: eth(2), balanceB: 0, sigA: "", sigB: "" } }))).toMatch(/funding split/);
    expect(rejection(call(sim, "bob", { kind: "forceClose", channelId: id, state: { seq: 0, balanceA: ONE, balanceB: ONE, sigA: "", sigB: "" } }))).toBeUndefined();
    sim.blocks(1);
    expect(channelEvents(sim, "close.started")[0]!.windowEndsMs).toBe(sim.now + 12_000);
    for (const bad of [{ push: eth(3) }, { push: -1 }, { toSelfDelayMs: 10 }, { toSelfDelayMs: 10_000_000 }]) {
      expect(rejection(call(sim, "alice", { kind: "open", counterparty: "carol", deposit: eth(2), ...bad }))).toMatch(/push|toSelfDelayMs/);
    }
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("malformed calls and impossible opens are refused and change nothing", () => {
    const sim = world();
    const snapshot = JSON.stringify(sim.world);
    for (const bad of [null, 7, "open", { kind: "teleport" }, { kind: "open", counterparty: "bob", deposit: -5 }, { kind: "open", counterparty: "bob", deposit: 1.5 },
      { kind: "open", counterparty: "alice", deposit: ONE }, { kind: "open", counterparty: "nobody", deposit: ONE }, { kind: "open", counterparty: "bob", deposit: eth(50) },
      { kind: "update", channelId: "ch-1", state: { seq: 1 } }, { kind: "forceClose", channelId: "ch-404", state: { seq: 1, balanceA: 0, balanceB: 0, sigA: "", sigB: "" } }]) {
      expect(rejection(call(sim, "alice", bad))).toBeTruthy();
    }
    // The engine drops the module state again when the very first call is refused.
    expect(JSON.stringify(sim.world)).toBe(snapshot);
  });
});

describe("channels: off-chain payments", () => {
  it("doubly-signed updates are instant and free: nothing reaches L1 until a close", () => {
    const sim = world();
    const id = open(sim, "alice", "bob", ONE, ONE);
    const l1Before = JSON.stringify(sim.world.l1.balances);
    const mempoolBefore = sim.world.l1.mempool.length;
    expect(rejection(pay(sim, "alice", id, 1, eth(0.9), eth(1.1)))).toBeUndefined();
    expect(rejection(pay(sim, "bob", id, 2, eth(1.2), eth(0.8)))).toBeUndefined();
    expect(rejection(pay(sim, "alice", id, 5, eth(1), eth(1)))).toBeUndefined();
    expect(JSON.stringify(sim.world.l1.balances)).toBe(l1Before);
    expect(sim.world.l1.mempool.length).toBe(mempoolBefore);
    expect(channel(sim, id)).toMatchObject({ payments: 3, latest: { seq: 5, balanceA: eth(1), balanceB: eth(1) } });
    const payments = channelEvents(sim, "payment");
    expect(payments.map((p) => [p.from, p.to, p.amount])).toEqual([["alice", "bob", eth(0.1)], ["bob", "alice", eth(0.3)], ["alice", "bob", eth(0.2)]]);
    expect(channelsOf(sim.world).stats).toMatchObject({ payments: 3, paidOffChain: eth(0.6) });
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("rejects forged signatures, the wrong key, another channel's state, a tampered split and replays, each with its reason", () => {
    const sim = world();
    const id = open(sim, "alice", "bob", ONE, ONE);
    const other = open(sim, "alice", "bob", ONE, ONE);
    expect(rejection(pay(sim, "alice", id, 1, eth(0.5), eth(1.5)))).toBeUndefined();
    const snapshot = JSON.stringify(sim.world);
    const c = channel(sim, id);
    const split = { seq: 2, balanceA: eth(0.2), balanceB: eth(1.8) };
    const good = signed(sim, id, 2, split.balanceA, split.balanceB);
    const attempt = (state: SignedState, by = "bob") => rejection(call(sim, by, { kind: "update", channelId: id, state }));

    // Forged: bob makes up alice's signature with a key that is not hers.
    const mallory = testKey("mallory");
    expect(attempt({ ...good, sigA: signChannelState(mallory.secretKey, c, "update", split) })).toMatch(/alice's signature does not verify/);
    expect(attempt({ ...good, sigA: "ab".repeat(64) })).toMatch(/alice's signature does not verify/);
    expect(attempt({ ...good, sigA: "nothex" })).toMatch(/128 hex/);
    // Wrong key: bob signs in alice's place with his own key.
    expect(attempt({ ...good, sigA: good.sigB })).toMatch(/alice's signature was made with bob's key/);
    // Another channel between the same players: same split, same sequence, other channel id.
    const elsewhere = signed(sim, other, 2, split.balanceA, split.balanceB);
    expect(attempt(elsewhere)).toMatch(new RegExp(`signature is for channel ${other}, not ${id}`));
    // A cooperative-close signature is not an update signature.
    expect(attempt(signed(sim, id, 2, split.balanceA, split.balanceB, "close"))).toMatch(/close signature, not a update/);
    // Tampered split after signing.
    expect(attempt({ ...good, balanceA: eth(0.3), balanceB: eth(1.7) })).toMatch(/does not verify/);
    expect(attempt({ ...good, balanceB: eth(1.9) })).toMatch(/does not add up/);
    // Replays: the current sequence and an older one.
    expect(attempt(signed(sim, id, 1, eth(0.5), eth(1.5)))).toMatch(/replayed state: sequence 1 is not newer than the latest 1/);
    expect(attempt(signed(sim, id, 0, ONE, ONE))).toMatch(/replayed state: sequence 0/);
    // An outsider cannot post updates even with valid signatures.
    expect(attempt(good, "carol")).toMatch(/not a party/);
    expect(JSON.stringify(sim.world)).toBe(snapshot);
    expect(attempt(good)).toBeUndefined();
  });
});

describe("channels: cooperative close", () => {
  it("pays both sides at once on inclusion, with no dispute window", () => {
    const sim = world();
    const id = open(sim, "alice", "bob", ONE, ONE);
    pay(sim, "alice", id, 1, eth(0.4), eth(1.6));
    const aliceBefore = sim.l1Balance("alice");
    const bobBefore = sim.l1Balance("bob");
    // Update signatures cannot be turned into an instant payout.
    expect(rejection(call(sim, "alice", { kind: "cooperativeClose", channelId: id, state: signed(sim, id, 1, eth(0.4), eth(1.6)) }))).toMatch(/update signature, not a close signature/);
    expect(rejection(call(sim, "alice", { kind: "cooperativeClose", channelId: id, state: signed(sim, id, 2, eth(0.4), eth(1.6), "close") }))).toBeUndefined();
    sim.blocks(1);
    const closed = channelEvents(sim, "closed.cooperative")[0]!;
    expect(channel(sim, id)).toMatchObject({ status: "closed", outcome: "cooperative", held: 0 });
    expect(sim.l1Balance("alice") - aliceBefore).toBe(eth(0.4) - (closed.l1Fee as number));
    expect(sim.l1Balance("bob") - bobBefore).toBe(eth(1.6));
    expect(sim.l1Balance(ADJUDICATOR)).toBe(0);
    expect(closed).toMatchObject({ paidA: eth(0.4), paidB: eth(1.6), payments: 1, l1Txs: 3, waitMs: 0 });
    expect(rejection(pay(sim, "bob", id, 3, 0, eth(2)))).toMatch(/closed/);
    expect(conservationViolation(sim.world)).toBeNull();
  });
});

/** alice and bob each lock 1 ETH; alice pays bob 0.6, then bob pays alice back 0.9: bob's best old state is seq 1. */
function cheatSetup(): { sim: Sim; id: string; old: SignedState; latest: SignedState } {
  const sim = world();
  const id = open(sim, "alice", "bob", ONE, ONE);
  pay(sim, "alice", id, 1, eth(0.4), eth(1.6));
  pay(sim, "bob", id, 2, eth(1.3), eth(0.7));
  return { sim, id, old: signed(sim, id, 1, eth(0.4), eth(1.6)), latest: signed(sim, id, 2, eth(1.3), eth(0.7)) };
}

describe("channels: unilateral close and the dispute window", () => {
  it("an old state published by the cheater is punished inside the window: the victim takes the whole channel", () => {
    const { sim, id, old, latest } = cheatSetup();
    const aliceBefore = sim.l1Balance("alice");
    const bobBefore = sim.l1Balance("bob");
    expect(rejection(call(sim, "bob", { kind: "forceClose", channelId: id, state: old }))).toBeUndefined();
    sim.blocks(1);
    const started = channelEvents(sim, "close.started")[0]!;
    expect(started).toMatchObject({ by: "bob", seq: 1, latestSeq: 2, stale: true, paidNow: eth(0.4), paidNowTo: "alice", locked: eth(1.6) });
    expect(started.windowEndsMs).toBe(sim.now + DISPUTE_WINDOW_MS);
    // to_remote is paid at once, to_local (the cheater's share) is time-locked.
    expect(sim.l1Balance("alice") - aliceBefore).toBe(eth(0.4));
    expect(channel(sim, id)).toMatchObject({ status: "closing", held: eth(1.6) });
    expect(rejection(call(sim, "bob", { kind: "penalize", channelId: id, state: latest }))).toMatch(/only alice or its watchtower/);
    expect(rejection(call(sim, "alice", { kind: "penalize", channelId: id, state: old }))).toMatch(/replayed state: sequence 1 is not newer than the published 1/);

    sim.blocks(3);
    expect(rejection(call(sim, "alice", { kind: "penalize", channelId: id, state: latest }))).toBeUndefined();
    sim.blocks(1);
    const penalty = channelEvents(sim, "penalized")[0]!;
    const penaltyFee = penalty.l1Fee as number;
    expect(penalty).toMatchObject({ cheater: "bob", victim: "alice", byWatchtower: false, publishedSeq: 1, newerSeq: 2, cheaterLost: eth(1.6), victimGets: eth(1.6), towerFee: 0, saved: eth(0.9) });
    expect(sim.l1Balance("alice") - aliceBefore).toBe(eth(2) - penaltyFee);
    expect(sim.l1Balance("bob") - bobBefore).toBe(-(started.l1Fee as number));
    expect(channel(sim, id)).toMatchObject({ status: "closed", outcome: "penalized", held: 0 });
    // Nothing more is paid when the window would have ended.
    sim.wait(DISPUTE_WINDOW_MS);
    expect(channelEvents(sim, "closed.settled")).toHaveLength(0);
    expect(channelsOf(sim.world).stats).toMatchObject({ penalties: 1, saved: eth(0.9), lost: 0 });
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("the same old state is NOT punishable after the window: the answer is refused and the stale state pays out", () => {
    const { sim, id, old, latest } = cheatSetup();
    const bobBefore = sim.l1Balance("bob");
    call(sim, "bob", { kind: "forceClose", channelId: id, state: old });
    sim.blocks(1);
    const started = channelEvents(sim, "close.started")[0]!;
    const windowEnds = started.windowEndsMs as number;
    // The window is the same 24 s however the blocks fall; until it ends the cheater's share stays locked.
    sim.wait(windowEnds - sim.now - 1);
    expect(channel(sim, id).status).toBe("closing");
    sim.wait(1);
    expect(channel(sim, id)).toMatchObject({ status: "closed", outcome: "settled", held: 0 });
    expect(sim.l1Balance("bob") - bobBefore).toBe(eth(1.6) - (started.l1Fee as number));
    expect(channelEvents(sim, "closed.settled")[0]).toMatchObject({ closer: "bob", seq: 1, latestSeq: 2, paidCloser: eth(1.6), lost: eth(0.9), lostBy: "alice", waitMs: DISPUTE_WINDOW_MS });
    expect(rejection(call(sim, "alice", { kind: "penalize", channelId: id, state: latest }))).toMatch(/closed: there is no published state/);
    expect(channelsOf(sim.world).stats).toMatchObject({ penalties: 0, lost: eth(0.9) });
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("inclusion is what counts: an answer sent inside the window but mined after it reverts", () => {
    const { sim, id, old, latest } = cheatSetup();
    call(sim, "bob", { kind: "forceClose", channelId: id, state: old });
    sim.blocks(1);
    const windowEnds = channelEvents(sim, "close.started")[0]!.windowEndsMs as number;
    expect(sim.world.l1.nextBlockAtMs).toBeLessThanOrEqual(windowEnds);
    sim.wait(windowEnds - sim.now - 1);
    // One millisecond before the end the answer is still accepted into the mempool...
    expect(rejection(call(sim, "alice", { kind: "penalize", channelId: id, state: latest }))).toBeUndefined();
    sim.blocks(1);
    // ...but the block that carries it is already past the window.
    const included = sim.eventsOf("l1.included").at(-1)!;
    expect(included).toMatchObject({ from: "alice", ok: false });
    expect(included.reason).toMatch(/too late/);
    expect(channel(sim, id).outcome).toBe("settled");
    expect(channelEvents(sim, "penalized")).toHaveLength(0);
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("an honest force close with the latest state cannot be answered and pays the closer after the window", () => {
    const { sim, id, latest } = cheatSetup();
    const aliceBefore = sim.l1Balance("alice");
    const bobBefore = sim.l1Balance("bob");
    call(sim, "alice", { kind: "forceClose", channelId: id, state: latest });
    sim.blocks(1);
    const started = channelEvents(sim, "close.started")[0]!;
    expect(started).toMatchObject({ stale: false, paidNow: eth(0.7), paidNowTo: "bob", locked: eth(1.3) });
    expect(sim.l1Balance("bob") - bobBefore).toBe(eth(0.7));
    expect(rejection(call(sim, "bob", { kind: "penalize", channelId: id, state: latest }))).toMatch(/not newer than the published 2/);
    expect(sim.l1Balance("alice") - aliceBefore).toBe(-(started.l1Fee as number));
    sim.wait(DISPUTE_WINDOW_MS);
    expect(sim.l1Balance("alice") - aliceBefore).toBe(eth(1.3) - (started.l1Fee as number));
    expect(channelEvents(sim, "closed.settled")[0]).toMatchObject({ lost: 0, lostBy: null });
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("two closes racing in one block: the adjudicator takes the first and reverts the second", () => {
    const { sim, id, old, latest } = cheatSetup();
    call(sim, "bob", { kind: "forceClose", channelId: id, state: old }, { tip: 5 });
    call(sim, "alice", { kind: "forceClose", channelId: id, state: latest }, { tip: 1 });
    sim.blocks(1);
    expect(channel(sim, id).close?.by).toBe("bob");
    expect(channelEvents(sim, "tx.reverted")[0]).toMatchObject({ by: "alice", call: "forceClose" });
    expect(channelEvents(sim, "tx.reverted")[0]!.reason).toMatch(/only an open channel/);
    // The reverted close still paid gas and counts among the L1 transactions used: 2 funding + 2 closes.
    expect(channelsDebrief(sim.events)).toMatchObject({ l1Txs: 4, forceCloses: 1, staleCloses: 1 });
    expect(conservationViolation(sim.world)).toBeNull();
  });
});

describe("channels: watchtowers", () => {
  it("a watchtower answers for an offline player inside the window and is paid its fee from the swept funds", () => {
    const { sim, id, old } = cheatSetup();
    const fee = eth(0.05);
    expect(rejection(call(sim, "alice", { kind: "hireTower", channelId: id, tower: "bob", fee }))).toMatch(/third player/);
    expect(rejection(call(sim, "alice", { kind: "hireTower", channelId: id, tower: "tower", fee }))).toBeUndefined();
    // A later payment reaches the tower too: it always holds the newest state.
    pay(sim, "alice", id, 3, eth(1.2), eth(0.8));
    const held = channel(sim, id).towers.alice!;
    expect(held).toMatchObject({ tower: "tower", fee, state: { seq: 3 } });

    const aliceBefore = sim.l1Balance("alice");
    const towerBefore = sim.l1Balance("tower");
    call(sim, "bob", { kind: "forceClose", channelId: id, state: old });
    sim.blocks(1);
    // alice is offline from here on; only the tower acts, with the state it holds.
    expect(rejection(call(sim, "carol", { kind: "penalize", channelId: id, state: held.state }))).toMatch(/only alice or its watchtower/);
    expect(rejection(call(sim, "tower", { kind: "penalize", channelId: id, state: held.state }))).toBeUndefined();
    sim.blocks(1);
    const penalty = channelEvents(sim, "penalized")[0]!;
    expect(penalty).toMatchObject({ by: "tower", byWatchtower: true, cheater: "bob", victim: "alice", newerSeq: 3, cheaterLost: eth(1.6), towerFee: fee, victimGets: eth(1.6) - fee, saved: eth(0.8) });
    expect(sim.l1Balance("tower") - towerBefore).toBe(fee - (penalty.l1Fee as number));
    expect(sim.l1Balance("alice") - aliceBefore).toBe(eth(2) - fee);
    expect(channel(sim, id)).toMatchObject({ outcome: "penalized", held: 0 });
    expect(channelsDebrief(sim.events)).toMatchObject({ payments: 3, staleCloses: 1, penalties: 1, penaltiesByWatchtower: 1, towerFees: fee, saved: eth(0.8), lost: 0, towerEarnings: { tower: fee } });
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("without a tower, the offline victim loses the difference once the window passes", () => {
    const { sim, id, old } = cheatSetup();
    const aliceBefore = sim.l1Balance("alice");
    call(sim, "bob", { kind: "forceClose", channelId: id, state: old });
    sim.wait(DISPUTE_WINDOW_MS + sim.world.config.blockTimeMs);
    expect(channel(sim, id).outcome).toBe("settled");
    expect(sim.l1Balance("alice") - aliceBefore).toBe(eth(0.4));
    expect(channelsOf(sim.world).stats.lost).toBe(eth(0.9));
    expect(channelsDebrief(sim.events)).toMatchObject({ staleCloses: 1, penalties: 0, saved: 0, lost: eth(0.9), cheatsGotAway: 1 });
    expect(conservationViolation(sim.world)).toBeNull();
  });
});

describe("channels: conservation", () => {
  it("the adjudicator's books are checked: a tampered holding is caught", () => {
    const sim = world();
    const id = open(sim, "alice", "bob", ONE, ONE);
    expect(conservationViolation(sim.world)).toBeNull();
    channel(sim, id).held -= 1;
    expect(conservationViolation(sim.world)).toMatch(/channels: ch-\d+ is open but holds/);
    channel(sim, id).held += 1;
    channel(sim, id).latest.balanceA += 1;
    expect(conservationViolation(sim.world)).toMatch(/latest split/);
  });

  it("holds through many channels, payments, closes and penalties with seeded random splits", () => {
    const sim = world();
    const rng = seedRng("channels-conservation");
    const players = ["alice", "bob", "carol", "tower"];
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(open(sim, players[i % 4]!, players[(i + 1) % 4]!, eth(1 + i), eth(0.5)));
    for (const id of ids) {
      const c = channel(sim, id);
      const capacity = c.depositA + c.depositB;
      for (let seq = 1; seq <= 4; seq++) {
        const a = nextInt(rng, capacity + 1);
        expect(rejection(pay(sim, nextInt(rng, 2) === 0 ? c.a : c.b, id, seq, a, capacity - a))).toBeUndefined();
        expect(conservationViolation(sim.world)).toBeNull();
      }
    }
    const [first, second, third, fourth] = ids as [string, string, string, string];
    const resign = (id: string, seq: number, kind: SignatureKind = "update") => {
      const c = channel(sim, id);
      return signed(sim, id, seq, c.latest.balanceA, c.latest.balanceB, kind);
    };
    call(sim, channel(sim, first).a, { kind: "cooperativeClose", channelId: first, state: resign(first, 5, "close") });
    call(sim, channel(sim, second).b, { kind: "forceClose", channelId: second, state: resign(second, 4) });
    // The third channel's b publishes seq 2 (all to b) after a newer seq 5 gave everything to a.
    const cheated = channel(sim, third);
    const capacity = cheated.depositA + cheated.depositB;
    const oldState = signed(sim, third, 2, 0, capacity);
    expect(rejection(pay(sim, cheated.a, third, 5, capacity, 0))).toBeUndefined();
    call(sim, cheated.b, { kind: "forceClose", channelId: third, state: oldState });
    for (let i = 0; i < 3; i++) {
      sim.blocks(1);
      expect(conservationViolation(sim.world)).toBeNull();
    }
    call(sim, cheated.a, { kind: "penalize", channelId: third, state: resign(third, 5) });
    for (let i = 0; i < 12; i++) {
      sim.blocks(1);
      expect(conservationViolation(sim.world)).toBeNull();
    }
    expect(channel(sim, first).outcome).toBe("cooperative");
    expect(channel(sim, second).outcome).toBe("settled");
    expect(channel(sim, third).outcome).toBe("penalized");
    expect(channelEvents(sim, "penalized")[0]).toMatchObject({ cheater: cheated.b, cheaterLost: capacity, saved: capacity });
    expect(channel(sim, fourth).status).toBe("open");
    expect(sim.l1Balance(ADJUDICATOR)).toBe(channel(sim, fourth).held);
    const stats = channelsOf(sim.world).stats;
    expect(stats.payments).toBe(17);
    expect(stats.penalties).toBe(1);
    // 4 opens + 4 fundings, then one cooperative close, two force closes and one penalty.
    expect(stats.l1Txs).toBe(8 + 4);
    // The debrief, computed from events alone, tells the same story, and its L1 fees are the gas really paid.
    const debrief = channelsDebrief(sim.events);
    const moduleGas = sim.eventsOf("l1.included").filter((e) => e.kind === "module").reduce((sum, e) => sum + e.fee, 0);
    expect(debrief).toEqual({
      channelsOpened: 4, payments: 17, paidOffChain: stats.paidOffChain, htlcsOffered: 0, htlcsForwarded: 0, htlcsFulfilled: 0, htlcsClaimedOnL1: 0, htlcsTimedOut: 0,
      htlcsFailed: 0, htlcPayments: 0, routedPayments: 0, routedAmount: 0, routingFees: 0, hubLost: 0, hubFees: {}, l1Txs: 12, l1Fees: moduleGas, cooperativeCloses: 1, forceCloses: 2,
      staleCloses: 1, penalties: 1, penaltiesByWatchtower: 0, towerFees: 0, saved: capacity, lost: 0,
      cheatsGotAway: 0, cheatersLost: capacity, locked: eth(1 + 2 + 3 + 4) + 4 * eth(0.5), towerEarnings: {}, paymentsBy: debrief.paymentsBy,
    });
    expect(Object.values(debrief.paymentsBy).reduce((a, b) => a + b, 0)).toBe(17);
    expect(stats.l1Fees).toBe(moduleGas);
  });
});

describe("channels: replay", () => {
  it("a round with payments, a stale close and a watchtower penalty replays from its JSON log to the same world and events", () => {
    const { sim, id, old } = cheatSetup();
    call(sim, "alice", { kind: "hireTower", channelId: id, tower: "tower", fee: eth(0.01) });
    call(sim, "bob", { kind: "forceClose", channelId: id, state: old });
    sim.blocks(2);
    call(sim, "tower", { kind: "penalize", channelId: id, state: channel(sim, id).towers.alice!.state });
    sim.wait(DISPUTE_WINDOW_MS);
    const log = JSON.parse(JSON.stringify(sim.log));
    const again = replay("channels", sim.world.config, log, sim.now);
    expect(again.hash).toBe(stateHash(sim.world));
    expect(again.events).toEqual(sim.events);
    expect(channelsOf(again.world).channels[id]!.outcome).toBe("penalized");
  });
});

describe("channels: two-hop HTLC payments (stretch)", () => {
  function htlcUpdate(sim: Sim, by: string, id: string, seq: number, a: number, b: number, htlcs: Htlc[]): EngineEvent[] {
    return call(sim, by, { kind: "update", channelId: id, state: signed(sim, id, seq, a, b, "update", htlcs) });
  }

  it("alice pays carol through bob: one SHA-256 hash on both hops, decreasing timeouts, all off-chain", () => {
    const sim = world();
    const ab = open(sim, "alice", "bob", ONE);
    const bc = open(sim, "bob", "carol", ONE);
    const preimage = "carol's invoice secret 42";
    const hash = sha256Hex(preimage);
    const amount = eth(0.2);
    const t = sim.now;
    const l1Before = JSON.stringify(sim.world.l1.balances);
    const first: Htlc = { id: 1, offerer: "alice", amount, hash, expiryMs: t + 30_000 };
    // Adding an HTLC moves only its amount out of the offerer's balance: it cannot pay bob on the side.
    expect(rejection(htlcUpdate(sim, "alice", ab, 1, ONE - 2 * amount, amount, [first]))).toMatch(/must move only their amounts/);
    expect(rejection(htlcUpdate(sim, "alice", ab, 1, ONE - amount, 0, [first]))).toBeUndefined();

    // bob's outgoing HTLC must expire a full cltv_expiry_delta before his incoming one, and forward no more.
    const late: Htlc = { id: 1, offerer: "bob", amount, hash, expiryMs: first.expiryMs - CLTV_EXPIRY_DELTA_MS + 1 };
    expect(rejection(htlcUpdate(sim, "bob", bc, 1, ONE - amount, 0, [late]))).toMatch(/timeouts decrease along a route/);
    const greedy: Htlc = { ...late, amount: amount + 1, expiryMs: t + 20_000 };
    expect(rejection(htlcUpdate(sim, "bob", bc, 1, ONE - amount - 1, 0, [greedy]))).toMatch(/forwards more/);
    const soon: Htlc = { id: 2, offerer: "bob", amount, hash: sha256Hex("other"), expiryMs: t + MIN_FINAL_EXPIRY_MS - 1 };
    expect(rejection(htlcUpdate(sim, "bob", bc, 1, ONE - amount, 0, [soon]))).toMatch(/at least 3000 ms from now/);
    const second: Htlc = { id: 1, offerer: "bob", amount, hash, expiryMs: first.expiryMs - CLTV_EXPIRY_DELTA_MS };
    expect(rejection(htlcUpdate(sim, "bob", bc, 1, ONE - amount, 0, [second]))).toBeUndefined();
    expect(channelEvents(sim, "htlc.offered").map((e) => e.forwarded)).toEqual([false, true]);

    // carol shows the preimage with the state that pays her; only a real preimage works.
    const paidCarol = signed(sim, bc, 2, ONE - amount, amount);
    expect(rejection(call(sim, "carol", { kind: "fulfill", channelId: bc, htlcId: 1, preimage: "a guess", state: paidCarol }))).toMatch(/does not hash/);
    expect(rejection(call(sim, "bob", { kind: "fulfill", channelId: bc, htlcId: 1, preimage, state: paidCarol }))).toMatch(/only carol/);
    const skimmed = signed(sim, bc, 2, ONE - amount + 1, amount - 1);
    expect(rejection(call(sim, "carol", { kind: "fulfill", channelId: bc, htlcId: 1, preimage, state: skimmed }))).toMatch(/must credit/);
    expect(rejection(call(sim, "carol", { kind: "fulfill", channelId: bc, htlcId: 1, preimage, state: paidCarol }))).toBeUndefined();
    // The preimage is now public: bob uses it to collect from alice.
    const learned = channelsOf(sim.world).preimages[hash]!;
    expect(learned).toBe(preimage);
    expect(rejection(call(sim, "bob", { kind: "fulfill", channelId: ab, htlcId: 1, preimage: learned, state: signed(sim, ab, 2, ONE - amount, amount) }))).toBeUndefined();

    expect(channel(sim, ab).latest).toMatchObject({ balanceA: ONE - amount, balanceB: amount });
    expect(channel(sim, ab).latest.htlcs ?? []).toHaveLength(0);
    expect(channel(sim, bc).latest).toMatchObject({ balanceA: ONE - amount, balanceB: amount });
    expect(JSON.stringify(sim.world.l1.balances)).toBe(l1Before);
    // One payment reached carol (the hop to bob is bob claiming back what he forwarded), through bob for no fee.
    expect(channelsDebrief(sim.events)).toMatchObject({ htlcsOffered: 2, htlcsForwarded: 1, htlcsFulfilled: 2, htlcPayments: 1, routedPayments: 1, routingFees: 0, paidOffChain: amount, l1Txs: 2 });
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("after a force close, the receiver claims an HTLC on L1 with its preimage before expiry; an unclaimed one times out to the offerer", () => {
    const sim = world();
    const id = open(sim, "bob", "carol", ONE);
    const t = sim.now;
    const known = "preimage carol has";
    const h1: Htlc = { id: 1, offerer: "bob", amount: eth(0.2), hash: sha256Hex(known), expiryMs: t + 60_000 };
    const h2: Htlc = { id: 2, offerer: "bob", amount: eth(0.3), hash: sha256Hex("preimage nobody reveals"), expiryMs: t + 40_000 };
    expect(rejection(htlcUpdate(sim, "bob", id, 1, eth(0.5), 0, [h1, h2]))).toBeUndefined();
    // No cooperative close while HTLCs are pending.
    expect(rejection(call(sim, "bob", { kind: "cooperativeClose", channelId: id, state: signed(sim, id, 2, eth(0.5), 0, "close", [h1, h2]) }))).toMatch(/pending HTLC/);
    const bobBefore = sim.l1Balance("bob");
    const carolBefore = sim.l1Balance("carol");
    call(sim, "bob", { kind: "forceClose", channelId: id, state: signed(sim, id, 1, eth(0.5), 0, "update", [h1, h2]) });
    sim.blocks(1);
    expect(channelEvents(sim, "close.started")[0]).toMatchObject({ locked: eth(0.5), htlcsLocked: eth(0.5), paidNow: 0 });
    expect(rejection(call(sim, "carol", { kind: "claimHtlc", channelId: id, htlcId: 1, preimage: "wrong" }))).toMatch(/does not hash/);
    expect(rejection(call(sim, "carol", { kind: "claimHtlc", channelId: id, htlcId: 2, preimage: known }))).toMatch(/does not hash/);
    expect(rejection(call(sim, "carol", { kind: "claimHtlc", channelId: id, htlcId: 1, preimage: known }))).toBeUndefined();
    sim.blocks(1);
    const claimed = channelEvents(sim, "htlc.claimed")[0]!;
    expect(claimed).toMatchObject({ by: "carol", amount: eth(0.2), delayed: false });
    expect(sim.l1Balance("carol") - carolBefore).toBe(eth(0.2) - (claimed.l1Fee as number));
    // The window ends: bob's own share is paid, but h2 is still pending until its expiry.
    sim.wait(DISPUTE_WINDOW_MS);
    expect(channel(sim, id).status).toBe("closing");
    expect(channelEvents(sim, "closed.settled")[0]).toMatchObject({ paidCloser: eth(0.5), htlcsPending: 1 });
    expect(conservationViolation(sim.world)).toBeNull();
    sim.wait(h2.expiryMs - sim.now + sim.world.config.blockTimeMs);
    expect(channelEvents(sim, "htlc.timedOut")[0]).toMatchObject({ htlcId: 2, returnedTo: "bob", amount: eth(0.3) });
    expect(channel(sim, id)).toMatchObject({ status: "closed", outcome: "settled", held: 0 });
    expect(rejection(call(sim, "carol", { kind: "claimHtlc", channelId: id, htlcId: 2, preimage: "preimage nobody reveals" }))).toMatch(/no HTLC outputs|already/);
    const closeFee = channelEvents(sim, "close.started")[0]!.l1Fee as number;
    expect(sim.l1Balance("bob") - bobBefore).toBe(eth(0.8) - closeFee);
    expect(channelsDebrief(sim.events)).toMatchObject({ htlcsClaimedOnL1: 1, htlcsTimedOut: 1 });
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("a penalty sweeps the cheater's HTLC outputs too", () => {
    const sim = world();
    const id = open(sim, "alice", "bob", ONE, ONE);
    const t = sim.now;
    const h: Htlc = { id: 1, offerer: "alice", amount: eth(0.4), hash: sha256Hex("x"), expiryMs: t + 90_000 };
    // seq 1: bob offers nothing, alice has an HTLC to bob pending; seq 2: it failed back to alice.
    const withHtlc = signed(sim, id, 1, eth(0.6), ONE, "update", [h]);
    expect(rejection(call(sim, "alice", { kind: "update", channelId: id, state: withHtlc }))).toBeUndefined();
    expect(rejection(pay(sim, "alice", id, 2, ONE, ONE))).toBeUndefined();
    expect(channelEvents(sim, "htlc.failed")).toHaveLength(1);
    const bobBefore = sim.l1Balance("bob");
    call(sim, "alice", { kind: "forceClose", channelId: id, state: withHtlc });
    sim.blocks(1);
    call(sim, "bob", { kind: "penalize", channelId: id, state: channel(sim, id).latest });
    sim.blocks(1);
    const penalty = channelEvents(sim, "penalized")[0]!;
    expect(penalty).toMatchObject({ cheater: "alice", cheaterLost: eth(1), victimGets: eth(1) });
    expect(sim.l1Balance("bob") - bobBefore).toBe(eth(2) - (penalty.l1Fee as number));
    expect(channel(sim, id)).toMatchObject({ outcome: "penalized", held: 0 });
    expect(conservationViolation(sim.world)).toBeNull();
  });
});
