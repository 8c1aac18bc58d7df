import { describe, expect, it } from "vitest";
import { Sim, rejection } from "./harness.ts";
import { conservationViolation } from "../../shared/engine/conservation.ts";
import { eth } from "../../shared/engine/units.ts";
import type { EngineEvent } from "../../shared/engine/events.ts";
import { nextInt, seedRng } from "../../shared/engine/prng.ts";
import {
  CHALLENGE_REWARD_PERCENT,
  COMMIT_GAS,
  EXIT_BOND,
  EXIT_CHALLENGE_PERIOD_MS,
  EXITS_PROCESSED_PER_BLOCK,
  PLASMA,
  PLASMA_BONDS,
  PLASMA_ESCROW,
  START_EXIT_GAS,
} from "../../shared/engine/plasma/constants.ts";
import { challengeCallFor, exitCallFor } from "../../shared/engine/plasma/chain.ts";
import { decodePosition, encodePosition, signPlasmaTx } from "../../shared/engine/plasma/plasma-tx.ts";
import type { PlasmaOutput } from "../../shared/engine/plasma/plasma-tx.ts";
import { blockDataAvailable, coinsOf } from "../../shared/engine/plasma/state.ts";
import type { PlasmaState } from "../../shared/engine/plasma/state.ts";

function call(sim: Sim, by: string, body: unknown, fee: { tip?: number; maxFee?: number } = {}): EngineEvent[] {
  return sim.act({ type: "module", module: PLASMA, by, call: body, ...fee });
}

function ok(events: EngineEvent[]): void {
  expect(rejection(events)).toBeUndefined();
}

function plasma(sim: Sim): PlasmaState {
  return sim.world.modules[PLASMA] as PlasmaState;
}

function plasmaEvents(sim: Sim, name: string): Record<string, unknown>[] {
  return sim.events.flatMap((e) => (e.type === "module" && e.module === PLASMA && e.name === name ? [e.data] : []));
}

/** Deposits `amount` and returns the new coin's utxoPos once the deposit has landed. */
function deposit(sim: Sim, who: string, amount: number): number {
  ok(call(sim, who, { kind: "deposit", amount }));
  sim.blocks(1);
  const coin = coinsOf(plasma(sim), who).find((c) => plasmaEvents(sim, "deposited").some((d) => d.utxoPos === c.utxoPos && d.owner === who) && c.amount === amount);
  expect(coin).toBeDefined();
  return coin!.utxoPos;
}

/** The owner of `input` signs a spend of it into `outputs` and hands it to the operator. */
function transfer(sim: Sim, owner: string, input: number, outputs: PlasmaOutput[]): void {
  const tx = signPlasmaTx([input], outputs, [sim.keys.get(owner)!.secretKey]);
  ok(call(sim, owner, { kind: "transfer", tx }));
}

/** The operator makes a block and waits for its root to land on L1; returns the block number. */
function commit(sim: Sim, operator: string, options: { withhold?: boolean; steal?: number[] } = {}): number {
  ok(call(sim, operator, { kind: "commitBlock", ...options }));
  const number = plasma(sim).chain.pendingBlock!;
  sim.blocks(1);
  expect(plasma(sim).contract.roots[number]).toBeDefined();
  return number;
}

function startExit(sim: Sim, who: string, utxoPos: number, fee: { tip?: number; maxFee?: number } = {}): EngineEvent[] {
  const exitCall = exitCallFor(plasma(sim), who, utxoPos);
  expect(exitCall).not.toBeNull();
  return call(sim, who, exitCall, fee);
}

/** Waits block by block until no exit is queued (bounded). */
function drainExits(sim: Sim, maxBlocks = 200): void {
  for (let i = 0; i < maxBlocks && (plasma(sim).contract.queue.length > 0 || sim.world.l1.mempool.length > 0); i++) sim.blocks(1);
  expect(plasma(sim).contract.queue).toEqual([]);
}

function setup(names: string[]): Sim {
  const sim = new Sim("plasma");
  sim.player("op");
  for (const name of names) sim.player(name);
  ok(call(sim, "op", { kind: "becomeOperator" }));
  return sim;
}

describe("Plasma MVP: deposits, blocks and exits with Merkle proofs", () => {
  it("a deposit becomes a coin; a commit puts only the root on L1 for a fixed, small gas", () => {
    const sim = setup(["alice", "bob", "carol", "dave"]);
    const a = deposit(sim, "alice", eth(1));
    const c = deposit(sim, "carol", eth(2));
    expect(sim.l1Balance(PLASMA_ESCROW)).toBe(eth(3));
    expect(decodePosition(a)).toEqual({ block: 1, txIndex: 0, outputIndex: 0 });
    transfer(sim, "alice", a, [{ owner: "bob", amount: eth(0.4) }, { owner: "alice", amount: eth(0.6) }]);
    transfer(sim, "carol", c, [{ owner: "dave", amount: eth(2) }]);
    const block = commit(sim, "op");
    expect(block).toBe(1000);
    const included = sim.eventsOf("l1.included").filter((e) => e.from === "op");
    expect(included.at(-1)!.gas).toBe(COMMIT_GAS);
    expect(plasma(sim).contract.roots[1000]!.root).toBe(plasma(sim).chain.blocks[1000]!.root);
    expect(coinsOf(plasma(sim), "bob").map((coin) => [coin.utxoPos, coin.amount])).toEqual([[encodePosition({ block: 1000, txIndex: 0, outputIndex: 0 }), eth(0.4)]]);
    expect(coinsOf(plasma(sim), "dave").map((coin) => coin.amount)).toEqual([eth(2)]);
    expect(blockDataAvailable(plasma(sim))).toBe(true);
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("refuses a transfer not signed by the coin's owner, a double spend and value out of nothing, changing nothing", () => {
    const sim = setup(["alice", "bob"]);
    const a = deposit(sim, "alice", eth(1));
    const before = JSON.stringify(sim.world);
    const forged = signPlasmaTx([a], [{ owner: "bob", amount: eth(1) }], [sim.keys.get("bob")!.secretKey]);
    expect(rejection(call(sim, "bob", { kind: "transfer", tx: forged }))).toMatch(/not signed by its owner/);
    const inflated = signPlasmaTx([a], [{ owner: "bob", amount: eth(2) }], [sim.keys.get("alice")!.secretKey]);
    expect(rejection(call(sim, "alice", { kind: "transfer", tx: inflated }))).toMatch(/must equal inputs/);
    expect(rejection(call(sim, "alice", { kind: "transfer", tx: { inputs: "x" } }))).toBeDefined();
    expect(rejection(call(sim, "alice", { kind: "nonsense" }))).toBeDefined();
    expect(JSON.stringify(sim.world)).toBe(before);
    transfer(sim, "alice", a, [{ owner: "bob", amount: eth(1) }]);
    const again = signPlasmaTx([a], [{ owner: "alice", amount: eth(1) }], [sim.keys.get("alice")!.secretKey]);
    expect(rejection(call(sim, "alice", { kind: "transfer", tx: again }))).toMatch(/already being spent/);
  });

  it("an exit with a valid Merkle proof pays out after the challenge period, not before", () => {
    const sim = setup(["alice", "bob", "carol", "dave"]);
    const a = deposit(sim, "alice", eth(1));
    const c = deposit(sim, "carol", eth(1));
    transfer(sim, "carol", c, [{ owner: "dave", amount: eth(1) }]);
    transfer(sim, "alice", a, [{ owner: "bob", amount: eth(1) }]);
    commit(sim, "op");
    const bobCoin = encodePosition({ block: 1000, txIndex: 1, outputIndex: 0 });
    expect(coinsOf(plasma(sim), "bob")[0]!.utxoPos).toBe(bobCoin);

    // A proof tampered with, or somebody else's coin, is refused before any gas is spent.
    const good = exitCallFor(plasma(sim), "bob", bobCoin)!;
    const tampered = { ...good, proof: good.proof.map((h, i) => (i === 0 ? "ab".repeat(32) : h)) };
    const before = JSON.stringify(sim.world);
    expect(rejection(call(sim, "bob", tampered))).toMatch(/Merkle proof/);
    expect(rejection(call(sim, "alice", good))).toMatch(/owner/);
    expect(JSON.stringify(sim.world)).toBe(before);

    const bobL1 = sim.l1Balance("bob");
    ok(call(sim, "bob", good));
    sim.blocks(1);
    const started = plasmaEvents(sim, "exitStarted")[0]!;
    expect(started).toMatchObject({ owner: "bob", utxoPos: bobCoin, amount: eth(1), bond: EXIT_BOND });
    const exitableAtMs = started.exitableAtMs as number;
    expect(exitableAtMs).toBeGreaterThanOrEqual(sim.now + EXIT_CHALLENGE_PERIOD_MS);
    const exitFee = sim.eventsOf("l1.included").at(-1)!.fee;
    expect(sim.eventsOf("l1.included").at(-1)!.gas).toBe(START_EXIT_GAS);
    expect(sim.l1Balance(PLASMA_BONDS)).toBe(EXIT_BOND);

    sim.wait(exitableAtMs - sim.now - 1);
    expect(plasmaEvents(sim, "exitPaid")).toEqual([]);
    sim.blocks(1);
    const paid = plasmaEvents(sim, "exitPaid");
    expect(paid).toHaveLength(1);
    expect(paid[0]).toMatchObject({ owner: "bob", amount: eth(1), paid: eth(1), shortfall: 0 });
    expect(sim.l1Balance("bob")).toBe(bobL1 - exitFee + eth(1));
    expect(sim.l1Balance(PLASMA_ESCROW)).toBe(eth(1));
    expect(plasma(sim).chain.coins[bobCoin]!.status).toBe("exited");
    // An exited coin can neither exit again nor be spent on the Plasma chain.
    expect(rejection(call(sim, "bob", good))).toMatch(/already has an exit/);
    const spend = signPlasmaTx([bobCoin], [{ owner: "alice", amount: eth(1) }], [sim.keys.get("bob")!.secretKey]);
    expect(rejection(call(sim, "bob", { kind: "transfer", tx: spend }))).toMatch(/not an unspent coin/);
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("an exit of a spent coin is challenged with the spending transaction's proof; the challenger takes part of the bond", () => {
    const sim = setup(["alice", "bob"]);
    const a = deposit(sim, "alice", eth(1));
    transfer(sim, "alice", a, [{ owner: "bob", amount: eth(1) }]);
    commit(sim, "op");
    // Alice tries to take back the coin she already paid to Bob.
    const aliceL1 = sim.l1Balance("alice");
    ok(startExit(sim, "alice", a));
    sim.blocks(1);
    expect(plasmaEvents(sim, "exitStarted")[0]).toMatchObject({ owner: "alice", utxoPos: a, coinSpent: true });
    const aliceGas = sim.eventsOf("l1.included").at(-1)!.fee;

    const challengeCall = challengeCallFor(plasma(sim), "bob", a)!;
    expect(challengeCall).toMatchObject({ block: 1000, txIndex: 0, inputIndex: 0 });
    const bobL1 = sim.l1Balance("bob");
    const burnedBefore = sim.world.l1.burned;
    ok(call(sim, "bob", challengeCall));
    sim.blocks(1);
    const challengeFee = sim.eventsOf("l1.included").at(-1)!.fee;
    const reward = (EXIT_BOND * CHALLENGE_REWARD_PERCENT) / 100;
    expect(plasmaEvents(sim, "exitChallenged")).toEqual([expect.objectContaining({ owner: "alice", challenger: "bob", utxoPos: a, reward, burned: EXIT_BOND - reward })]);
    expect(sim.l1Balance("bob")).toBe(bobL1 - challengeFee + reward);
    expect(sim.world.l1.burned).toBeGreaterThanOrEqual(burnedBefore + EXIT_BOND - reward);
    expect(plasma(sim).contract.queue).toEqual([]);

    sim.wait(120_000);
    expect(plasmaEvents(sim, "exitPaid")).toEqual([]);
    expect(sim.l1Balance("alice")).toBe(aliceL1 - aliceGas - EXIT_BOND);
    expect(sim.l1Balance(PLASMA_ESCROW)).toBe(eth(1));
    // A second challenge of the closed exit is refused.
    expect(rejection(call(sim, "bob", challengeCall))).toMatch(/no open exit/);
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("exits are paid oldest coin first: an immature older exit holds back a younger mature one, and at most the cap per block", () => {
    const sim = setup(["alice", "bob", "carol"]);
    const a = deposit(sim, "alice", eth(1));
    const b = deposit(sim, "bob", eth(1));
    const c = deposit(sim, "carol", eth(1));
    expect(a < b && b < c).toBe(true);
    sim.wait(60_000);
    // Youngest coin exits first, oldest last.
    ok(startExit(sim, "carol", c));
    sim.blocks(1);
    sim.wait(15_000);
    ok(startExit(sim, "bob", b));
    sim.blocks(1);
    sim.wait(3_000);
    ok(startExit(sim, "alice", a));
    sim.blocks(1);
    const started = plasmaEvents(sim, "exitStarted");
    const exitableOf = (who: string) => started.find((e) => e.owner === who)!.exitableAtMs as number;
    expect(exitableOf("carol")).toBeLessThan(exitableOf("alice"));
    drainExits(sim);
    const paidEvents = sim.events.filter((e) => e.type === "module" && e.module === PLASMA && e.name === "exitPaid");
    expect(paidEvents.map((e) => (e.type === "module" ? e.data.owner : ""))).toEqual(["alice", "bob", "carol"]);
    // Carol's exit was mature long before Alice's, yet waited behind the older coin.
    expect(paidEvents[2]!.t).toBeGreaterThanOrEqual(exitableOf("alice"));
    expect(plasmaEvents(sim, "exitPaid")[2]!.lateMs as number).toBeGreaterThan(0);
    const perBlock = new Map<number, number>();
    for (const e of paidEvents) perBlock.set(e.t, (perBlock.get(e.t) ?? 0) + 1);
    expect(Math.max(...perBlock.values())).toBe(EXITS_PROCESSED_PER_BLOCK);
    expect(sim.l1Balance(PLASMA_ESCROW)).toBe(0);
    expect(conservationViolation(sim.world)).toBeNull();
  });
});

describe("Plasma: data withholding and the mass exit", () => {
  it("a withheld block with a theft: clients see the data is missing, the victim exits in time and is paid before the operator's forged coin; a late user loses", () => {
    const sim = setup(["alice", "bob", "carol"]);
    const a = deposit(sim, "alice", eth(1));
    const b = deposit(sim, "bob", eth(1));
    const c = deposit(sim, "carol", eth(1));
    sim.wait(60_000);
    const block = commit(sim, "op", { withhold: true, steal: [a] });
    const state = plasma(sim);
    expect(blockDataAvailable(state)).toBe(false);
    expect(state.chain.withheldBlocks).toEqual([block]);
    expect(plasmaEvents(sim, "blockWithheld")).toEqual([expect.objectContaining({ block })]);
    const stolen = encodePosition({ block, txIndex: 0, outputIndex: 0 });
    expect(state.chain.coins[stolen]).toMatchObject({ owner: "op", amount: eth(1), forged: true });
    // Nobody but the operator can build a proof for anything in the withheld block.
    expect(exitCallFor(state, "bob", stolen)).toBeNull();
    expect(challengeCallFor(state, "alice", a)).toBeNull();

    // The operator exits its forged coin at once: the contract cannot tell it is invalid.
    ok(startExit(sim, "op", stolen, { tip: 5 }));
    sim.blocks(1);
    const opExit = plasmaEvents(sim, "exitStarted").find((e) => e.owner === "op")!;
    expect(opExit).toMatchObject({ utxoPos: stolen, amount: eth(1), forged: true });

    // Bob exits at once. Alice notices late, but before the operator's exit is paid.
    ok(startExit(sim, "bob", b));
    sim.blocks(1);
    sim.wait((opExit.exitableAtMs as number) - sim.now - 9_000);
    ok(startExit(sim, "alice", a));
    sim.blocks(1);
    const aliceExit = plasmaEvents(sim, "exitStarted").find((e) => e.owner === "alice")!;
    expect(aliceExit.exitableAtMs as number).toBeGreaterThan(opExit.exitableAtMs as number);

    // The operator cannot challenge Alice's exit with its forged spend: Alice never signed it.
    const forgedSpend = challengeCallFor(plasma(sim), "op", a)!;
    expect(forgedSpend).not.toBeNull();
    expect(rejection(call(sim, "op", forgedSpend))).toMatch(/not signed by the coin's owner/);

    sim.wait((opExit.exitableAtMs as number) - sim.now + 3_000);
    // Mature, but held behind Alice's older (immature) coin.
    expect(plasmaEvents(sim, "exitPaid").some((e) => e.owner === "op")).toBe(false);
    drainExits(sim);
    const paid = plasmaEvents(sim, "exitPaid");
    expect(paid.map((e) => e.owner)).toEqual(["bob", "alice", "op"]);
    expect(paid.find((e) => e.owner === "alice")).toMatchObject({ paid: eth(1), shortfall: 0 });
    // The forged exit was paid from Carol's money, who was not watching.
    expect(paid.find((e) => e.owner === "op")).toMatchObject({ paid: eth(1), forged: true });
    expect(sim.l1Balance(PLASMA_ESCROW)).toBe(0);

    ok(startExit(sim, "carol", c));
    drainExits(sim);
    expect(plasmaEvents(sim, "exitPaid").at(-1)).toMatchObject({ owner: "carol", amount: eth(1), paid: 0, shortfall: eth(1) });
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("a mass exit fills L1 blocks, raises the base fee and jams the exit queue; the forged coin, youngest, is paid nothing", () => {
    const users = Array.from({ length: 20 }, (_, i) => `user${String(i).padStart(2, "0")}`);
    const sim = setup(users);
    const coins = new Map<string, number>();
    for (const user of users) ok(call(sim, user, { kind: "deposit", amount: eth(1) }));
    sim.blocks(4);
    for (const user of users) coins.set(user, coinsOf(plasma(sim), user)[0]!.utxoPos);
    expect(sim.l1Balance(PLASMA_ESCROW)).toBe(eth(20));
    sim.wait(30_000);
    const block = commit(sim, "op", { withhold: true, steal: [coins.get("user00")!] });
    const stolen = encodePosition({ block, txIndex: 0, outputIndex: 0 });
    ok(startExit(sim, "op", stolen, { tip: 10 }));

    // Everyone sees block data is missing and rushes for the door at the same moment.
    expect(blockDataAvailable(plasma(sim))).toBe(false);
    const baseFeeBefore = sim.world.l1.baseFee;
    for (const user of users) ok(startExit(sim, user, coins.get(user)!));
    const heightBefore = sim.world.l1.height;
    drainExits(sim);

    const massBlocks = sim.eventsOf("l1.block").filter((e) => e.height > heightBefore);
    const fullBlocks = massBlocks.filter((e) => e.gasUsed >= 3 * START_EXIT_GAS);
    expect(fullBlocks.length).toBeGreaterThanOrEqual(6);
    const peakBaseFee = Math.max(...massBlocks.map((e) => e.baseFee));
    expect(peakBaseFee).toBeGreaterThan(baseFeeBefore);

    const queue = plasmaEvents(sim, "exitQueue");
    expect(Math.max(...queue.map((e) => e.exitTxsInMempool as number))).toBeGreaterThanOrEqual(15);
    expect(Math.max(...queue.map((e) => e.matureWaiting as number))).toBeGreaterThan(0);
    expect(Math.max(...queue.map((e) => e.processed as number))).toBe(EXITS_PROCESSED_PER_BLOCK);
    expect(Math.max(...queue.map((e) => e.baseFee as number))).toBeGreaterThan(baseFeeBefore);
    expect(queue.some((e) => (e.stuckOwners as string[]).length >= 10)).toBe(true);

    const paid = plasmaEvents(sim, "exitPaid");
    expect(paid).toHaveLength(21);
    // Older coins first: every honest deposit before the operator's forged coin.
    expect(paid.map((e) => e.utxoPos as number)).toEqual([...paid.map((e) => e.utxoPos as number)].sort((x, y) => x - y));
    expect(paid.at(-1)).toMatchObject({ owner: "op", paid: 0, shortfall: eth(1), forged: true });
    for (const user of users) expect(paid.find((e) => e.owner === user)).toMatchObject({ paid: eth(1), shortfall: 0 });
    expect(conservationViolation(sim.world)).toBeNull();
  });
});

describe("Plasma conservation", () => {
  it("holds through a seeded random mix of deposits, transfers, honest and thieving blocks, exits and challenges", () => {
    const users = ["u0", "u1", "u2", "u3", "u4"];
    const sim = setup(users);
    const rng = seedRng("plasma-fuzz");
    const pick = <T,>(list: readonly T[]): T => list[nextInt(rng, list.length)]!;
    for (let step = 0; step < 150; step++) {
      const s = plasma(sim);
      const who = pick(users);
      const move = nextInt(rng, 7);
      if (move === 0) {
        call(sim, who, { kind: "deposit", amount: eth(0.1) * (1 + nextInt(rng, 5)) });
      } else if (move === 1) {
        const coin = coinsOf(s, who)[0];
        if (coin) {
          const split = Math.floor(coin.amount / 2);
          call(sim, who, { kind: "transfer", tx: signPlasmaTx([coin.utxoPos], [{ owner: pick(users), amount: split }, { owner: who, amount: coin.amount - split }], [sim.keys.get(who)!.secretKey]) });
        }
      } else if (move === 2) {
        const victims = Object.values(s.chain.coins).filter((c) => c.status === "unspent" && c.owner !== "op");
        const thief = nextInt(rng, 4) === 0 && victims.length > 0;
        call(sim, "op", { kind: "commitBlock", withhold: thief, steal: thief ? [pick(victims).utxoPos] : [] });
      } else if (move === 3) {
        const owner = nextInt(rng, 3) === 0 ? "op" : who;
        const coin = Object.values(s.chain.coins).find((c) => c.owner === owner && !s.contract.exits[c.utxoPos]);
        const exitCall = coin ? exitCallFor(s, owner, coin.utxoPos) : null;
        if (exitCall) call(sim, owner, exitCall);
      } else if (move === 4) {
        const open = Object.values(s.contract.exits).filter((e) => e.status === "queued");
        const target = open.length > 0 ? pick(open) : undefined;
        const challengeCall = target ? challengeCallFor(s, who, target.utxoPos) : null;
        if (challengeCall) call(sim, who, challengeCall);
      } else {
        sim.blocks(1 + nextInt(rng, 3));
      }
      expect(conservationViolation(sim.world)).toBeNull();
    }
    sim.wait(200_000);
    expect(plasmaEvents(sim, "exitPaid").length).toBeGreaterThan(0);
    expect(conservationViolation(sim.world)).toBeNull();
  });
});
