import { describe, expect, it } from "vitest";
import { Sim, rejection } from "./harness.ts";
import type { EngineEvent } from "../../shared/engine/events.ts";
import { eth } from "../../shared/engine/units.ts";
import { seedRng } from "../../shared/engine/prng.ts";
import { PLASMA } from "../../shared/engine/plasma/constants.ts";
import { exitCallFor } from "../../shared/engine/plasma/chain.ts";
import { coinOutcome } from "../../shared/engine/plasma/losses.ts";
import { plasmaRound } from "../../shared/engine/plasma/round.ts";
import { decodePosition, signPlasmaTx } from "../../shared/engine/plasma/plasma-tx.ts";
import type { PlasmaState } from "../../shared/engine/plasma/state.ts";
import { PlasmaWallets, plasmaPublicView } from "../../shared/engine/plasma/views.ts";
import { plasmaMoves } from "../../shared/bots/plasma.ts";
import type { BotMind } from "../../shared/bots/mind.ts";
import type { Difficulty, Role } from "../../shared/protocol/messages.ts";

function call(sim: Sim, by: string, body: unknown, fee: { tip?: number; maxFee?: number } = {}): EngineEvent[] {
  return sim.act({ type: "module", module: PLASMA, by, call: body, ...fee });
}

function ok(events: EngineEvent[]): void {
  expect(rejection(events)).toBeUndefined();
}

function plasma(sim: Sim): PlasmaState {
  return sim.world.modules[PLASMA] as PlasmaState;
}

/** op operates; every other player deposits `amount` and the deposits land. Returns each player's coin. */
function round(names: string[], amount = eth(1)): { sim: Sim; coin: Map<string, number> } {
  const sim = new Sim("plasma-round");
  sim.player("op");
  for (const name of names) sim.player(name);
  ok(call(sim, "op", { kind: "becomeOperator" }));
  for (const name of names) ok(call(sim, name, { kind: "deposit", amount }));
  sim.blocks(2);
  const coin = new Map(names.map((name) => [name, Object.values(plasma(sim).chain.coins).find((c) => c.owner === name)!.utxoPos]));
  return { sim, coin };
}

function mind(id: string, role: Role, difficulty: Difficulty, secretKey: string): BotMind {
  return { id, role, difficulty, secretKey, rng: seedRng(`mind-${id}`), checked: {}, lastPostMs: 0, batchesPosted: 0, lastProveMs: 0, batchesProved: 0, memory: {} };
}

describe("Plasma views: what each player may see", () => {
  it("a wallet of many coins lists the 24 biggest still in play and counts the rest, while its value counts them all", () => {
    const sim = new Sim("plasma-many-coins");
    sim.player("op");
    sim.player("ann");
    ok(call(sim, "op", { kind: "becomeOperator" }));
    // 30 deposits of 0.01, 0.02, … 0.30 ETH: 30 coins.
    for (let i = 1; i <= 30; i++) ok(call(sim, "ann", { kind: "deposit", amount: eth(0.01 * i) }));
    sim.blocks(4);
    const wallets = new PlasmaWallets();
    wallets.begin(sim.world, plasma(sim));
    const view = wallets.wallet("ann");
    expect(view.coins).toHaveLength(24);
    expect(view.moreCoins).toBe(6);
    expect(Math.min(...view.coins.map((c) => c.amount))).toBe(eth(0.07));
    expect(view.onPlasma).toBe(Array.from({ length: 30 }, (_, i) => eth(0.01 * (i + 1))).reduce((a, b) => a + b, 0));
  });

  it("a withheld block's contents reach nobody but the operator; the victim sees the coin as theirs until the block is published, then as stolen", () => {
    const { sim, coin } = round(["alice", "bob"]);
    const alice = coin.get("alice")!;
    const pay = signPlasmaTx([coin.get("bob")!], [{ owner: "alice", amount: eth(0.4) }, { owner: "bob", amount: eth(0.6) }], [sim.keys.get("bob")!.secretKey]);
    ok(call(sim, "bob", { kind: "transfer", tx: pay }));
    ok(call(sim, "op", { kind: "commitBlock", withhold: true, steal: [alice] }));
    sim.blocks(1);
    const s = plasma(sim);
    const block = s.chain.withheldBlocks[0]!;
    const hidden = JSON.stringify(s.chain.blocks[block]!.txs);

    const world = plasmaPublicView(sim.world, s);
    expect(world.withheld).toEqual([block]);
    expect(world.blocks.find((b) => b.number === block)).toMatchObject({ published: false, txCount: null });
    expect(JSON.stringify(world)).not.toContain("0000000000");

    const wallets = new PlasmaWallets();
    wallets.begin(sim.world, s);
    const aliceWallet = wallets.wallet("alice");
    const bobWallet = wallets.wallet("bob");
    // Alice still sees (and can exit) her robbed coin; Bob's payment in the hidden block is invisible to both.
    expect(aliceWallet.coins.map((c) => [c.utxoPos, c.status])).toEqual([[alice, "plasma"]]);
    expect(bobWallet.coins.map((c) => c.status)).toEqual(["plasma"]);
    for (const view of [aliceWallet, bobWallet]) {
      const json = JSON.stringify(view);
      for (const tx of s.chain.blocks[block]!.txs) for (const sig of tx.sigs) expect(json).not.toContain(sig);
      expect(view.coins.every((c) => decodePosition(c.utxoPos).block !== block)).toBe(true);
      expect(view.operator).toBeUndefined();
    }
    expect(hidden.length).toBeGreaterThan(0);
    // The operator sees its forged coin, marked, with a proof that matches the committed root.
    const opWallet = wallets.wallet("op");
    expect(opWallet.coins).toEqual([expect.objectContaining({ amount: eth(1), status: "plasma", forged: true })]);
    expect(opWallet.operator!.withheld).toEqual([{ block, txCount: 2, stolen: eth(1) }]);

    ok(call(sim, "op", { kind: "publishBlock", block }));
    wallets.begin(sim.world, plasma(sim));
    expect(wallets.wallet("alice").coins.find((c) => c.utxoPos === alice)!.status).toBe("stolen");
    expect(wallets.wallet("alice").coins.some((c) => c.amount === eth(0.4) && c.status === "plasma")).toBe(true);
  });
});

describe("Plasma debrief: who lost what and why", () => {
  it("sorts honest owners' money by reason: paid in time, stuck in the mempool, left behind, stolen and never exited", () => {
    const { sim, coin } = round(["alice", "bob", "carol", "dave", "erin"]);
    sim.wait(30_000);
    ok(call(sim, "op", { kind: "commitBlock", withhold: true, steal: [coin.get("alice")!, coin.get("erin")!] }));
    sim.blocks(1);
    const s = plasma(sim);
    // Erin exits her robbed coin in time and is paid; Bob exits too; Carol offers nothing for gas: no base fee is that low.
    for (const name of ["erin", "bob"]) ok(call(sim, name, exitCallFor(s, name, coin.get(name)!), { tip: 5, maxFee: 100 }));
    ok(call(sim, "carol", exitCallFor(s, "carol", coin.get("carol")!), { tip: 0, maxFee: 0 }));
    sim.wait(200_000);
    const outcome = coinOutcome(sim.events);
    expect(outcome).toMatchObject({ stolenCoins: 2, stolenValue: eth(2), victims: ["alice", "erin"], recoveredByVictims: eth(1) });
    expect(outcome.losses).toEqual([
      { player: "alice", reason: "stolen", amount: eth(1), coins: 1 },
      { player: "carol", reason: "congestion", amount: eth(1), coins: 1 },
      { player: "dave", reason: "notExited", amount: eth(1), coins: 1 },
    ]);

    const debrief = { l1: { baseFeeStart: 10, baseFeeMax: 10 }, story: [], tradeOff: "" } as never;
    plasmaRound.extend(debrief, sim.events, sim.world.config);
    const d = debrief as { losses: { player: string; why: string }[]; story: string[]; tradeOff: string };
    expect(d.losses.map((l) => l.player)).toEqual(["alice", "carol", "dave"]);
    expect(d.losses[1]!.why).toMatch(/mempool/);
    expect(d.story.join(" ")).toMatch(/2 coins \(2\.0000 ETH\) of 2 players/);
    expect(d.tradeOff).toMatch(/did not get out in time/);
  });

  it("an exit of a coin spent in a published block costs −100; one spent in a withheld block only its bond", () => {
    expect(plasmaRound.score("exitChallenged", { owner: "a", challenger: "b", spendPublished: true })).toEqual([["b", 50], ["a", -100]]);
    expect(plasmaRound.score("exitChallenged", { owner: "a", challenger: "op", spendPublished: false })).toEqual([["op", 50]]);
    expect(plasmaRound.score("exitPaid", { owner: "op", forged: true, shortfall: 0 })).toEqual([["op", 100]]);
    expect(plasmaRound.score("exitPaid", { owner: "a", forged: false, shortfall: 5 })).toEqual([]);
  });
});

describe("Plasma bots", () => {
  it("a normal bot operator withholds one block at its time and steals the biggest coin; an easy one stays honest", () => {
    const plan = { blockIntervalMs: 3_000, withholdAtMs: 20_000 };
    for (const [difficulty, thefts] of [["normal", 1], ["easy", 0]] as const) {
      const { sim } = round(["alice", "bob"]);
      const op = mind("op", "operator", difficulty, sim.keys.get("op")!.secretKey);
      sim.wait(20_000 - sim.now);
      const moves = plasmaMoves(sim.world, op, ["op", "alice", "bob"], plan);
      const commits = moves.filter((m) => m.type === "plasma:commit");
      if (thefts === 0) expect(commits).toEqual([]);
      else expect(commits).toEqual([{ type: "plasma:commit", payload: expect.objectContaining({ withhold: true, steal: [expect.any(Number)] }) }]);
    }
  });

  it("once a block is withheld, a hard user bot exits every coin it can prove; it bumps the tip when the base fee outruns it", () => {
    const { sim, coin } = round(["alice", "bob"]);
    ok(call(sim, "op", { kind: "commitBlock", withhold: true, steal: [coin.get("bob")!] }));
    sim.blocks(1);
    const alice = mind("alice", "user", "hard", sim.keys.get("alice")!.secretKey);
    const moves = plasmaMoves(sim.world, alice, ["op", "alice", "bob"], { blockIntervalMs: 3_000, withholdAtMs: 0 });
    expect(moves).toEqual([{ type: "plasma:startExit", payload: expect.objectContaining({ utxoPos: coin.get("alice") }) }]);
    const payload = moves[0]!.payload as { utxoPos: number; tx: unknown; proof: string[]; tip: number };
    // Sent with a max fee below the base fee: no block will take it.
    ok(call(sim, "alice", { kind: "startExit", utxoPos: payload.utxoPos, tx: payload.tx, proof: payload.proof }, { tip: 1, maxFee: 1 }));
    const bump = plasmaMoves(sim.world, alice, ["op", "alice", "bob"], { blockIntervalMs: 3_000, withholdAtMs: 0 });
    expect(bump).toEqual([{ type: "plasma:startExit", payload: expect.objectContaining({ utxoPos: coin.get("alice"), tip: 4 }) }]);
    const bumped = bump[0]!.payload as { tx: unknown; proof: string[]; tip: number; maxFee: number };
    ok(call(sim, "alice", { kind: "startExit", utxoPos: coin.get("alice"), tx: bumped.tx, proof: bumped.proof }, { tip: bumped.tip, maxFee: bumped.maxFee }));
    expect(sim.world.l1.mempool.filter((tx) => tx.from === "alice")).toHaveLength(1);
    expect(rejection(call(sim, "alice", { kind: "startExit", utxoPos: coin.get("alice"), tx: bumped.tx, proof: bumped.proof }, { tip: 1 }))).toMatch(/offer more/);
  });
});

describe("Plasma operator's theft", () => {
  it("taking a coin whose payment waits in the pool drops (censors) that payment; no second block while one is on its way to L1", () => {
    const { sim, coin } = round(["alice", "bob"]);
    const alice = coin.get("alice")!;
    const pay = signPlasmaTx([alice], [{ owner: "bob", amount: eth(1) }], [sim.keys.get("alice")!.secretKey]);
    ok(call(sim, "alice", { kind: "transfer", tx: pay }));
    ok(call(sim, "op", { kind: "commitBlock", withhold: true, steal: [alice] }));
    const block = plasma(sim).chain.blocks[plasma(sim).chain.pendingBlock!]!;
    expect(block.txs).toHaveLength(1);
    expect(block.forgedTxIndexes).toEqual([0]);
    expect(plasma(sim).chain.pool).toEqual([]);
    expect(rejection(call(sim, "op", { kind: "commitBlock", withhold: true, steal: [coin.get("bob")!] }))).toMatch(/still waiting/);
    sim.blocks(1);
    expect(plasma(sim).chain.coins[alice]!.status).toBe("spent");
    expect(Object.values(plasma(sim).chain.coins).filter((c) => c.owner === "bob").map((c) => c.amount)).toEqual([eth(1)]);
  });
});
