import { describe, expect, it } from "vitest";
import { Sim, rejection } from "./harness.ts";
import { eth } from "../../shared/engine/units.ts";
import { CHANNELS } from "../../shared/engine/channels/rules.ts";
import { signChannelState } from "../../shared/engine/channels/message.ts";
import type { SignatureKind } from "../../shared/engine/channels/message.ts";
import { bestOldState, countersigned, emptyRelay, proposalAmount, proposalProblem, syncRelay } from "../../shared/engine/channels/relay.ts";
import type { Proposal } from "../../shared/engine/channels/relay.ts";
import { channelsOf } from "../../shared/engine/channels/types.ts";
import type { Channel } from "../../shared/engine/channels/types.ts";

/** alice opens 2 ETH and pushes 1 to bob, as a channels round's genesis does. */
function setup(): { sim: Sim; channel: () => Channel } {
  const sim = new Sim("channels-relay");
  for (const name of ["alice", "bob", "carol"]) sim.player(name);
  sim.act({ type: "module", module: CHANNELS, by: "alice", call: { kind: "open", counterparty: "bob", deposit: eth(2), push: eth(1) } });
  sim.blocks(1);
  const id = channelsOf(sim.world).order[0]!;
  return { sim, channel: () => channelsOf(sim.world).channels[id]! };
}

function proposal(sim: Sim, c: Channel, from: string, split: { seq: number; balanceA: number; balanceB: number }, kind: SignatureKind = "update", signer = from): Proposal {
  return { channelId: c.id, kind, from, ...split, sig: signChannelState(sim.keys.get(signer)!.secretKey, c, kind, split), atMs: sim.now };
}

describe("channels relay: proposals between two nodes", () => {
  it("accepts a payment signed by its payer and refuses raises, replays, gaps, other keys and bad sums with reasons", () => {
    const { sim, channel } = setup();
    const relay = emptyRelay();
    const c = channel();
    const pay = proposal(sim, c, "alice", { seq: 1, balanceA: eth(0.9), balanceB: eth(1.1) });
    expect(proposalProblem(sim.world, relay, pay)).toBeNull();
    expect(proposalAmount(c, pay)).toBe(eth(0.1));
    expect(proposalProblem(sim.world, relay, proposal(sim, c, "bob", { seq: 1, balanceA: eth(0.9), balanceB: eth(1.1) }))).toMatch(/cannot sign yourself a raise/);
    expect(proposalProblem(sim.world, relay, proposal(sim, c, "alice", { seq: 0, balanceA: eth(0.9), balanceB: eth(1.1) }))).toMatch(/replayed state: sequence 0/);
    expect(proposalProblem(sim.world, relay, proposal(sim, c, "alice", { seq: 3, balanceA: eth(0.9), balanceB: eth(1.1) }))).toMatch(/next state of .* is sequence 1/);
    expect(proposalProblem(sim.world, relay, proposal(sim, c, "alice", { seq: 1, balanceA: eth(0.9), balanceB: eth(1) }))).toMatch(/does not add up/);
    expect(proposalProblem(sim.world, relay, proposal(sim, c, "alice", { seq: 1, balanceA: eth(0.9), balanceB: eth(1.1) }, "update", "bob"))).toMatch(/made with bob's key/);
    expect(proposalProblem(sim.world, relay, proposal(sim, c, "carol", { seq: 1, balanceA: eth(1.1), balanceB: eth(0.9) }))).toMatch(/not a party/);
    // While alice's proposal waits, bob must answer it before proposing his own.
    relay.proposals[c.id] = pay;
    expect(proposalProblem(sim.world, relay, proposal(sim, c, "bob", { seq: 1, balanceA: eth(1.1), balanceB: eth(0.9) }))).toMatch(/answer alice's proposal/);
    // A close must pay out exactly the latest split.
    expect(proposalProblem(sim.world, emptyRelay(), proposal(sim, c, "bob", { seq: 0, balanceA: eth(1), balanceB: eth(1) }, "close"))).toBeNull();
    expect(proposalProblem(sim.world, emptyRelay(), proposal(sim, c, "bob", { seq: 0, balanceA: eth(0.5), balanceB: eth(1.5) }, "close"))).toMatch(/latest split/);
  });

  it("the countersigned proposal is a valid engine update; the relay keeps every state, drops overtaken proposals, and finds the tempting old one", () => {
    const { sim, channel } = setup();
    const relay = emptyRelay();
    syncRelay(sim.world, relay, [channel()]);
    expect(relay.history[channel().id]!.map((s) => s.seq)).toEqual([0]);
    const splits = [[eth(0.6), eth(1.4)], [eth(1.5), eth(0.5)], [eth(1.2), eth(0.8)]] as const;
    splits.forEach(([a, b], i) => {
      const c = channel();
      const from = a < c.latest.balanceA ? "alice" : "bob";
      const p = proposal(sim, c, from, { seq: i + 1, balanceA: a, balanceB: b });
      expect(proposalProblem(sim.world, relay, p)).toBeNull();
      relay.proposals[c.id] = p;
      const other = from === "alice" ? "bob" : "alice";
      const state = countersigned(c, p, signChannelState(sim.keys.get(other)!.secretKey, c, "update", { seq: p.seq, balanceA: a, balanceB: b }));
      expect(rejection(sim.act({ type: "module", module: CHANNELS, by: other, call: { kind: "update", channelId: c.id, state } }))).toBeUndefined();
      syncRelay(sim.world, relay, [channel()]);
      expect(relay.proposals[c.id]).toBeUndefined();
    });
    const c = channel();
    expect(relay.history[c.id]!.map((s) => s.seq)).toEqual([0, 1, 2, 3]);
    // Latest: alice 1.2 | bob 0.8. Bob's best old state is seq 1 (1.4), alice's seq 2 (1.5).
    expect(bestOldState(c, relay.history[c.id]!, "bob")?.seq).toBe(1);
    expect(bestOldState(c, relay.history[c.id]!, "alice")?.seq).toBe(2);
    // The old state the relay kept is doubly signed: the adjudicator accepts it as a (stale) force close.
    expect(rejection(sim.act({ type: "module", module: CHANNELS, by: "bob", call: { kind: "forceClose", channelId: c.id, state: bestOldState(c, relay.history[c.id]!, "bob") } }))).toBeUndefined();
  });
});
