import { describe, expect, it } from "vitest";
import { keyPairFromSeed } from "../../shared/crypto/sign.ts";
import { sha256Bytes, sha256Hex, utf8ToBytes } from "../../shared/crypto/hash.ts";
import type { Action, LoggedAction } from "../../shared/engine/actions.ts";
import { makeConfig } from "../../shared/engine/config.ts";
import { conservationViolation } from "../../shared/engine/conservation.ts";
import { computeDebrief } from "../../shared/engine/debrief.ts";
import { advance, applyAction } from "../../shared/engine/engine.ts";
import type { EngineEvent } from "../../shared/engine/events.ts";
import { seedRng } from "../../shared/engine/prng.ts";
import { replay, stateHash } from "../../shared/engine/replay.ts";
import { eth } from "../../shared/engine/units.ts";
import { createWorld } from "../../shared/engine/world.ts";
import type { World } from "../../shared/engine/world.ts";
import { shareOf } from "../../shared/engine/channels/adjudicator.ts";
import { signChannelState } from "../../shared/engine/channels/message.ts";
import { emptyRelay, proposalProblem } from "../../shared/engine/channels/relay.ts";
import type { ChannelRelay } from "../../shared/engine/channels/relay.ts";
import { CHANNEL_EVENTS, CLTV_EXPIRY_DELTA_MS, DISPUTE_WINDOW_MS, MIN_FINAL_EXPIRY_MS, ROUTE_TRAVEL_MS } from "../../shared/engine/channels/rules.ts";
import { OFFERED_DEADLINE_MS, dutyMessage, dutySignProblem, dutySigns, openChannelBetween, routingFee } from "../../shared/engine/channels/routing.ts";
import type { Duty } from "../../shared/engine/channels/routing.ts";
import { channelsOf } from "../../shared/engine/channels/types.ts";
import { CLIENT_MESSAGES } from "../../shared/protocol/messages.ts";
import type { ClientMessageType } from "../../shared/protocol/messages.ts";
import type { BotMind } from "../../shared/bots/mind.ts";
import { channels } from "../../server/scenarios/channels.ts";
import type { RoundPlayer, ScenarioRun } from "../../server/scenarios/scenario.ts";

const SEED = "channels-routing";
const config = makeConfig();

function keyOf(id: string) {
  return keyPairFromSeed(sha256Bytes(utf8ToBytes(id)));
}

/**
 * A channels round driven as the server drives it, without the network: messages go through the
 * protocol's schemas and the scenario's act, actions through the engine, events back to observe.
 */
class Classroom {
  readonly world: World = createWorld(SEED, config);
  readonly run: ScenarioRun = channels.start();
  readonly log: LoggedAction[] = [];
  readonly events: EngineEvent[] = [];
  readonly refusals: string[] = [];
  readonly relay: ChannelRelay;
  readonly players: RoundPlayer[];

  constructor(players: RoundPlayer[]) {
    this.players = players;
    for (const p of players) {
      this.apply({ type: "fund", account: p.id, amount: eth(10) });
      this.apply({ type: "registerKey", account: p.id, publicKey: keyOf(p.id).publicKey });
    }
    for (const action of this.run.genesis(this.world, players, {})) this.apply(action);
    this.wait(config.blockTimeMs * 2);
    this.relay = relayOf(this);
  }

  apply(action: Action): EngineEvent[] {
    this.log.push({ atMs: this.world.nowMs, action });
    const events = applyAction(this.world, action, this.world.nowMs);
    this.absorb(events);
    return events;
  }

  absorb(events: EngineEvent[]): void {
    this.events.push(...events);
    this.run.observe?.(this.world, events);
  }

  /** A player's message, as the room handles it; returns the refusal, if any. */
  send(by: string, type: string, payload: Record<string, unknown>): string | null {
    const parsed = CLIENT_MESSAGES[type as ClientMessageType].safeParse(payload);
    if (!parsed.success) throw new Error(`${type} from ${by} does not fit the protocol: ${parsed.error.message}`);
    const action = this.run.act(this.world, by, type as ClientMessageType, parsed.data as Record<string, unknown>);
    if (typeof action === "string") {
      this.refusals.push(`${type}: ${action}`);
      return action;
    }
    if (!action) return null;
    const rejected = this.apply(action).find((e) => e.type === "rejected");
    return rejected && rejected.type === "rejected" ? rejected.reason : null;
  }

  wait(ms: number): void {
    this.absorb(advance(this.world, this.world.nowMs + ms));
  }

  /** A player's node duties from its private view, as its phone receives them. */
  duties(id: string): Duty[] {
    const view = this.run.privateView(this.world, id);
    return view ? (JSON.parse(view) as { duties: Duty[] }).duties : [];
  }

  /** The player's node does its duties, signing with its own key; returns what it did. */
  node(id: string): string[] {
    const done: string[] = [];
    for (const duty of this.duties(id)) {
      const channel = channelsOf(this.world).channels[duty.channelId]!;
      // As a phone does: it refuses to sign anything that takes money from it except its own HTLC offer.
      if (dutySigns(duty)) expect(dutySignProblem(duty, id, channel.latest)).toBeNull();
      const sig = dutySigns(duty) ? signChannelState(keyOf(id).secretKey, { id: duty.channelId, a: duty.a, b: duty.b }, "update", duty.state) : "";
      const message = dutyMessage(duty, sig);
      const refused = this.send(id, message.type, message.payload);
      if (refused) throw new Error(`${id}'s ${duty.kind} refused: ${refused}`);
      done.push(duty.kind === "propose" || duty.kind === "countersign" ? `${duty.kind} ${duty.step}` : duty.kind);
    }
    return done;
  }

  /** Every node works in turn until nobody has anything left to do (a second of game time per pass). */
  settle(ids: string[], passes = 20): string[] {
    const done: string[] = [];
    for (let i = 0; i < passes; i++) {
      const round = ids.flatMap((id) => this.node(id).map((d) => `${id}: ${d}`));
      done.push(...round);
      this.wait(1_000);
      if (round.length === 0) break;
    }
    return done;
  }

  share(x: string, y: string, who: string): number {
    const c = openChannelBetween(this.world, x, y)!;
    return shareOf(c, who, c.latest);
  }
}

/** A relay for checking proposals directly: the run keeps its own private, the public view says who the hub is. */
function relayOf(room: Classroom): ChannelRelay {
  const holder = emptyRelay();
  const view = JSON.parse(room.run.publicView(room.world)) as { hub: string | null };
  holder.hub = view.hub;
  return holder;
}

/** Four students: p1 is the hub (no bots), p2 and p3 share a channel, p4 has only its channel with the hub. */
function fourStudents(): Classroom {
  return new Classroom(["p1", "p2", "p3", "p4"].map((id) => ({ id, role: "user", bot: false, hard: false })));
}

function route(room: Classroom, from: string, to: string, amount: number, preimage: string): string | null {
  return room.send(from, "channels:route", { to, amount, preimage });
}

function eventsNamed(room: Classroom, name: string): Record<string, unknown>[] {
  return room.events.filter((e) => e.type === "module" && e.module === "channels" && e.name === name).map((e) => (e as { data: Record<string, unknown> }).data);
}

describe("Lightning routing through a hub (channels round)", () => {
  it("genesis gives every other user a channel with the hub; a payment to someone you share no channel with goes through it with one hash and decreasing timeouts, and the hub earns its fee", () => {
    const room = fourStudents();
    const view = JSON.parse(room.run.publicView(room.world)) as { hub: string };
    expect(view.hub).toBe("p1");
    for (const spoke of ["p2", "p3", "p4"]) expect(room.share("p1", spoke, spoke)).toBe(eth(0.5));
    expect(openChannelBetween(room.world, "p2", "p3")).not.toBeNull();
    expect(openChannelBetween(room.world, "p2", "p4")).toBeNull();

    const amount = eth(0.1);
    const fee = routingFee(amount);
    // 0.0005 ETH base + 1 % of 0.1 ETH.
    expect(fee).toBe(eth(0.0015));
    const before = { p2: room.share("p1", "p2", "p2"), hub: room.share("p1", "p2", "p1") + room.share("p1", "p4", "p1"), p4: room.share("p1", "p4", "p4") };
    const preimage = "a".repeat(64);
    const startedAt = room.world.nowMs;
    expect(route(room, "p2", "p4", amount, preimage)).toBeNull();
    // The same preimage twice is refused: a hash identifies one payment.
    expect(route(room, "p2", "p4", amount, preimage)).toMatch(/already sent/);

    const steps = room.settle(["p1", "p2", "p3", "p4"]);
    expect(steps).toEqual([
      "p2: propose offer",
      "p1: countersign offer",
      "p1: propose offer",
      "p4: countersign offer",
      "p4: propose fulfil",
      "p1: countersign fulfil",
      "p1: propose fulfil",
      "p2: countersign fulfil",
    ]);
    const offered = eventsNamed(room, CHANNEL_EVENTS.htlcOffered);
    expect(offered).toHaveLength(2);
    const [first, second] = offered as [Record<string, unknown>, Record<string, unknown>];
    const hash = sha256Hex(preimage);
    expect(first).toMatchObject({ from: "p2", to: "p1", amount: amount + fee, hash, forwarded: false, expiryMs: startedAt + ROUTE_TRAVEL_MS + MIN_FINAL_EXPIRY_MS + CLTV_EXPIRY_DELTA_MS });
    expect(second).toMatchObject({ from: "p1", to: "p4", amount, hash, forwarded: true, incomingAmount: amount + fee, expiryMs: (first.expiryMs as number) - CLTV_EXPIRY_DELTA_MS });
    expect(room.share("p1", "p2", "p2")).toBe(before.p2 - amount - fee);
    expect(room.share("p1", "p4", "p4")).toBe(before.p4 + amount);
    expect(room.share("p1", "p2", "p1") + room.share("p1", "p4", "p1")).toBe(before.hub + fee);
    expect(openChannelBetween(room.world, "p1", "p2")!.latest.htlcs ?? []).toEqual([]);

    // Nothing touched L1, money is conserved, and the debrief counts one routed payment and the hub's fee.
    expect(conservationViolation(room.world)).toBeNull();
    const debrief = computeDebrief(room.events, config, 60_000, "channels");
    expect(debrief.channels).toMatchObject({ routedPayments: 1, routedAmount: amount, routingFees: fee, htlcPayments: 1, htlcsTimedOut: 0, hubLost: 0 });
    expect(debrief.channels!.hubFees.p1).toBe(fee);
    expect(debrief.story.join(" ")).toMatch(/1 payment went through the hub .* one SHA-256 hash locked both hops, the hub's HTLC expiring 6\.0 s before the payer's/);
    // The receiver and the hub saw the route; only the receiver (and payer) see the preimage.
    const hubView = JSON.parse(room.run.privateView(room.world, "p1")) as { routes: Record<string, unknown>[] };
    const receiverView = JSON.parse(room.run.privateView(room.world, "p4")) as { routes: Record<string, unknown>[] };
    expect(hubView.routes[0]).toMatchObject({ status: "done", hash });
    expect(hubView.routes[0]!.preimage).toBeUndefined();
    expect(receiverView.routes[0]).toMatchObject({ status: "done", preimage });
  });

  it("a hub that goes offline holding the payer's HTLC: the money is locked until the expiry, then the payer's node closes on L1 and the timeout returns it", () => {
    const room = fourStudents();
    const amount = eth(0.2);
    const fee = routingFee(amount);
    const l1Before = room.world.l1.balances.p2!;
    expect(route(room, "p2", "p4", amount, "b".repeat(64))).toBeNull();
    expect(room.node("p2")).toEqual(["propose offer"]);
    expect(room.node("p1")).toEqual(["countersign offer"]);
    const htlc = openChannelBetween(room.world, "p1", "p2")!.latest.htlcs![0]!;
    // The hub's node goes offline before it forwards: nothing reaches p4, p2's 0.2015 ETH is stuck.
    expect(room.send("p1", "channels:offline", {})).toBeNull();
    expect(room.duties("p1")).toEqual([]);
    room.wait(htlc.expiryMs - room.world.nowMs - 1);
    // Before the expiry (plus BOLT 2's grace), the payer's node waits: the hub may still come back and forward.
    expect(room.duties("p2")).toEqual([]);
    expect(room.share("p1", "p2", "p2")).toBe(eth(0.5) - amount - fee);
    room.wait(OFFERED_DEADLINE_MS + 1);
    expect(room.node("p2")).toEqual(["forceClose"]);
    room.wait(config.blockTimeMs * 2);
    const timedOut = eventsNamed(room, CHANNEL_EVENTS.htlcTimedOut);
    expect(timedOut).toEqual([expect.objectContaining({ returnedTo: "p2", amount: amount + fee })]);
    // The HTLC output joins the closer's time-locked share (BOLT 3 second-stage HTLC-timeout): paid after the window.
    room.wait(DISPUTE_WINDOW_MS + config.blockTimeMs);
    const closeFee = eventsNamed(room, CHANNEL_EVENTS.closeStarted)[0]!.l1Fee as number;
    expect(room.world.l1.balances.p2! - l1Before).toBe(eth(0.5) - closeFee);
    expect(conservationViolation(room.world)).toBeNull();
    const debrief = computeDebrief(room.events, config, 90_000, "channels");
    expect(debrief.channels).toMatchObject({ routedPayments: 0, htlcsTimedOut: 1, hubLost: 0 });
    expect(debrief.story.join(" ")).toMatch(/1 HTLC outlived its expiry .* the timeout gave the money back\. Without the timeout, an offline hub would hold it for ever\./);
  });

  it("a hub that pays the receiver and is away when the payer's HTLC expires loses what it forwarded: its timeout margin helps only if it stays online", () => {
    const room = fourStudents();
    const amount = eth(0.1);
    expect(route(room, "p2", "p4", amount, "c".repeat(64))).toBeNull();
    expect(room.node("p2")).toEqual(["propose offer"]);
    expect(room.node("p1")).toEqual(["countersign offer"]);
    room.wait(1_000);
    expect(room.node("p1")).toEqual(["propose offer"]);
    expect(room.node("p4")).toEqual(["countersign offer"]);
    expect(room.node("p4")).toEqual(["propose fulfil"]);
    expect(room.node("p1")).toEqual(["countersign fulfil"]);
    // p4 is paid; the preimage is public. The hub goes offline before claiming from p2.
    expect(room.send("p1", "channels:offline", {})).toBeNull();
    const upstream = openChannelBetween(room.world, "p1", "p2")!.latest.htlcs![0]!;
    room.wait(upstream.expiryMs + OFFERED_DEADLINE_MS - room.world.nowMs);
    expect(room.node("p2")).toEqual(["forceClose"]);
    room.wait(config.blockTimeMs * 2);
    expect(conservationViolation(room.world)).toBeNull();
    const debrief = computeDebrief(room.events, config, 90_000, "channels");
    expect(debrief.channels).toMatchObject({ routedPayments: 0, htlcPayments: 1, htlcsTimedOut: 1, hubLost: amount });
    expect(debrief.story.join(" ")).toMatch(/A hub paid its receiver but was away when the payer's HTLC expired: it lost 0\.1000 ETH/);
  });

  it("refuses what a node must not sign: a payer removing its own HTLC, a wrong preimage, an HTLC forwarded too late, a route without a hub or the money", () => {
    const room = fourStudents();
    expect(route(room, "p2", "p4", eth(0.6), "d".repeat(64))).toMatch(/not enough/);
    expect(route(room, "p1", "p4", eth(0.1), "d".repeat(64))).toMatch(/you are the hub/);
    expect(route(room, "p2", "p1", eth(0.1), "d".repeat(64))).toMatch(/pay it directly/);
    expect(route(room, "p2", "p4", eth(0.1), "e".repeat(64))).toBeNull();
    room.node("p2");
    room.node("p1");
    const c = openChannelBetween(room.world, "p1", "p2")!;
    const h = c.latest.htlcs![0]!;
    const p2IsA = c.a === "p2";
    const back = { seq: c.latest.seq + 1, balanceA: c.latest.balanceA + (p2IsA ? h.amount : 0), balanceB: c.latest.balanceB + (p2IsA ? 0 : h.amount) };
    const propose = (from: string, split: typeof back, fulfil?: { htlcId: number; preimage: string }) =>
      proposalProblem(room.world, room.relay, { channelId: c.id, kind: "update", from, ...split, ...(fulfil ? { fulfil } : {}), sig: signChannelState(keyOf(from).secretKey, c, "update", split) } as Parameters<typeof proposalProblem>[2]);
    // BOLT 2: only the receiver removes an HTLC; the payer waits for the expiry.
    expect(propose("p2", back)).toMatch(/only p1, the receiver of HTLC .* can remove it/);
    const toHub = { seq: back.seq, balanceA: c.latest.balanceA + (p2IsA ? 0 : h.amount), balanceB: c.latest.balanceB + (p2IsA ? h.amount : 0) };
    expect(propose("p1", toHub, { htlcId: h.id, preimage: "a guess" })).toMatch(/does not hash/);
    expect(propose("p1", back)).toBeNull();
    // A phone checks each duty before signing it: a "countersign" that moves its money to the hub is refused.
    const skim: Duty = { kind: "countersign", step: "fail", channelId: c.id, a: c.a, b: c.b, hash: h.hash, state: { ...toHub, sigA: "", sigB: "" } };
    expect(dutySignProblem(skim as Duty & { kind: "countersign" }, "p2", { ...c.latest, balanceA: c.latest.balanceA + (p2IsA ? h.amount : 0), balanceB: c.latest.balanceB + (p2IsA ? 0 : h.amount), seq: c.latest.seq })).toMatch(/would take .* gwei from you/);
    // Forwarding with an expiry too close to the incoming one breaks the decreasing timeouts.
    const down = openChannelBetween(room.world, "p1", "p4")!;
    const hubIsA = down.a === "p1";
    const late = { id: 9, offerer: "p1", amount: eth(0.1), hash: h.hash, expiryMs: h.expiryMs - CLTV_EXPIRY_DELTA_MS + 1 };
    const forward = { seq: down.latest.seq + 1, balanceA: down.latest.balanceA - (hubIsA ? late.amount : 0), balanceB: down.latest.balanceB - (hubIsA ? 0 : late.amount), htlcs: [late] };
    expect(proposalProblem(room.world, room.relay, { channelId: down.id, kind: "update", from: "p1", ...forward, sig: signChannelState(keyOf("p1").secretKey, down, "update", forward) })).toMatch(/timeouts decrease along a route/);
    // No hub with two users.
    const pair = new Classroom(["p1", "p2"].map((id) => ({ id, role: "user", bot: false, hard: false })));
    expect(JSON.parse(pair.run.publicView(pair.world)).hub).toBeNull();
    expect(route(pair, "p1", "p2", eth(0.1), "f".repeat(64))).toMatch(/no hub/);
  });

  it("a bot class routes through a bot hub, which goes offline once mid-payment; every step replays from the action log to the same world, and money is conserved", () => {
    const players: RoundPlayer[] = Array.from({ length: 9 }, (_, i) => ({ id: `b${i + 1}`, role: i === 8 ? "watchtower" : "user", bot: true, hard: false }));
    const room = new Classroom(players);
    const minds: BotMind[] = players.map((p) => ({ id: p.id, role: p.role, difficulty: "normal", secretKey: keyOf(p.id).secretKey, rng: seedRng(`${SEED}-${p.id}`), checked: {}, lastPostMs: 0, batchesPosted: 0, lastProveMs: 0, batchesProved: 0, memory: {} }));
    for (let turn = 0; turn < 180; turn++) {
      for (const mind of minds) for (const move of room.run.botMoves(room.world, mind, players)) room.send(mind.id, move.type, move.payload as Record<string, unknown>);
      room.wait(1_000);
      expect(conservationViolation(room.world)).toBeNull();
    }
    const debrief = computeDebrief(room.events, config, room.world.nowMs, "channels");
    const ch = debrief.channels!;
    expect(JSON.parse(room.run.publicView(room.world)).hub).toBe("b1");
    expect(ch.routedPayments).toBeGreaterThanOrEqual(3);
    expect(ch.routingFees).toBeGreaterThan(0);
    expect(ch.hubFees.b1).toBe(ch.routingFees);
    // The hub went offline holding an HTLC: its payer took the money back by timeout on L1.
    expect(ch.htlcsTimedOut).toBeGreaterThanOrEqual(1);
    expect(debrief.figures!.find(([label]) => label.startsWith("Routed via the hub"))).toBeDefined();
    // The relay refused nothing a bot node proposed, except what raced the hub's offline moment.
    expect(room.refusals.filter((r) => !/offline/.test(r))).toEqual([]);
    const again = replay(SEED, config, room.log, room.world.nowMs);
    expect(again.hash).toBe(stateHash(room.world));
  });
});
