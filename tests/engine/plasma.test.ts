import { describe, expect, it } from "vitest";
import { gweiCeil, gweiOf, weiOf } from "../../shared/engine/base-fee.ts";
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
import { challengeCallFor, exitCallFor, knownCoins } from "../../shared/engine/plasma/chain.ts";
import { replay } from "../../shared/engine/replay.ts";
import { decodePosition, encodePosition, signPlasmaTx } from "../../shared/engine/plasma/plasma-tx.ts";
import type { PlasmaOutput } from "../../shared/engine/plasma/plasma-tx.ts";
import { blockDataAvailable, coinsOf } from "../../shared/engine/plasma/state.ts";
import type { PlasmaState } from "../../shared/engine/plasma/state.ts";
import { plasmaDebrief } from "../../shared/engine/plasma/debrief.ts";
import { computeDebrief } from "../../shared/engine/debrief.ts";
import { blobFee } from "../../shared/engine/blob-fee.ts";
import { calldataGas } from "../../shared/engine/calldata.ts";
import { encodeBlockData } from "../../shared/engine/plasma/plasma-tx.ts";
import { eth as ethWords } from "../../shared/engine/words.ts";

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
function commit(sim: Sim, operator: string, options: { withhold?: boolean; steal?: number[]; da?: "blob" | "calldata" } = {}): number {
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

  it("exits of coins of the same age are paid by position (block, tx, output), not in the order they started, at most the cap per block", () => {
    const sim = setup(["alice", "bob", "carol"]);
    // Three deposits land in the same L1 block: deposit blocks 1, 2, 3, all equally fresh.
    for (const who of ["alice", "bob", "carol"]) ok(call(sim, who, { kind: "deposit", amount: eth(1) }));
    sim.blocks(1);
    const [a, b, c] = ["alice", "bob", "carol"].map((who) => coinsOf(plasma(sim), who)[0]!.utxoPos) as [number, number, number];
    expect([a, b, c].map((pos) => decodePosition(pos).block)).toEqual([1, 2, 3]);
    // Youngest coin exits first, oldest last; all mature together (fresh coins wait out the "2 weeks").
    ok(startExit(sim, "carol", c));
    sim.blocks(1);
    ok(startExit(sim, "bob", b));
    sim.blocks(1);
    ok(startExit(sim, "alice", a));
    sim.blocks(1);
    const started = plasmaEvents(sim, "exitStarted");
    expect(started.map((e) => e.owner)).toEqual(["carol", "bob", "alice"]);
    expect(new Set(started.map((e) => e.exitableAtMs)).size).toBe(1);
    expect(plasma(sim).contract.queue).toEqual([a, b, c]);
    drainExits(sim);
    const paidEvents = sim.events.filter((e) => e.type === "module" && e.module === PLASMA && e.name === "exitPaid");
    expect(paidEvents.map((e) => (e.type === "module" ? e.data.owner : ""))).toEqual(["alice", "bob", "carol"]);
    // The cap: two exits in the first block, the third in the next.
    expect(paidEvents.map((e) => e.t - paidEvents[0]!.t)).toEqual([0, 0, sim.world.config.blockTimeMs]);
    expect(EXITS_PROCESSED_PER_BLOCK).toBe(2);
    // Carol waited on the contract's per-block limit while L1 had room: that is not an L1 jam.
    const debrief = plasmaDebrief(sim.events);
    expect(debrief.jammedBlocks).toBe(0);
    expect(debrief.queueLimitedBlocks).toBeGreaterThanOrEqual(1);
    expect(sim.l1Balance(PLASMA_ESCROW)).toBe(0);
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("a coin older than one challenge period counts as that old: an ancient coin exiting late does not jump the queue", () => {
    // Alice's coin is far older than Dave's, but she starts her exit more than a period after Dave's block.
    const sim2 = setup(["alice", "dave"]);
    const a2 = deposit(sim2, "alice", eth(1));
    sim2.wait(40_000);
    const d2 = deposit(sim2, "dave", eth(1));
    ok(startExit(sim2, "dave", d2));
    sim2.wait(EXIT_CHALLENGE_PERIOD_MS + 6_000);
    ok(startExit(sim2, "alice", a2));
    sim2.blocks(1);
    expect(plasma(sim2).contract.queue).toEqual([d2, a2]);
    drainExits(sim2);
    expect(plasmaEvents(sim2, "exitPaid").map((e) => e.owner)).toEqual(["dave", "alice"]);

    // Started within a period of Dave's block, the same ancient coin ranks ahead of Dave's.
    const sim3 = setup(["alice", "dave"]);
    const a3 = deposit(sim3, "alice", eth(1));
    sim3.wait(40_000);
    const d3 = deposit(sim3, "dave", eth(1));
    ok(startExit(sim3, "dave", d3));
    sim3.wait(EXIT_CHALLENGE_PERIOD_MS - 12_000);
    ok(startExit(sim3, "alice", a3));
    sim3.blocks(1);
    expect(plasma(sim3).contract.queue).toEqual([a3, d3]);
    drainExits(sim3);
    expect(plasmaEvents(sim3, "exitPaid").map((e) => e.owner)).toEqual(["alice", "dave"]);
    expect(conservationViolation(sim3.world)).toBeNull();
    expect(conservationViolation(sim2.world)).toBeNull();
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
    // Alice's client, reading only published data, still sees her coin and exits it; the chain says it is gone.
    expect(knownCoins(state, "alice")).toEqual([a]);
    expect(coinsOf(state, "alice")).toEqual([]);
    // Nobody but the operator can build a proof for anything in the withheld block.
    expect(exitCallFor(state, "bob", stolen)).toBeNull();
    expect(challengeCallFor(state, "alice", a)).toBeNull();

    // The operator exits its forged coin at once: the contract cannot tell it is invalid.
    ok(startExit(sim, "op", stolen, { tip: 5 }));
    sim.blocks(1);
    const opExit = plasmaEvents(sim, "exitStarted").find((e) => e.owner === "op")!;
    expect(opExit).toMatchObject({ utxoPos: stolen, amount: eth(1), forged: true });

    // Bob exits at once. Alice notices later, still within one challenge period of the bad block.
    ok(startExit(sim, "bob", b));
    sim.blocks(1);
    const committedAt = plasma(sim).contract.roots[block]!.committedAtMs;
    sim.wait(committedAt + EXIT_CHALLENGE_PERIOD_MS - 6_000 - sim.now);
    ok(startExit(sim, "alice", a));
    sim.blocks(1);

    // The operator cannot challenge Alice's exit with its forged spend: Alice never signed it.
    const forgedSpend = challengeCallFor(plasma(sim), "op", a)!;
    expect(forgedSpend).not.toBeNull();
    expect(rejection(call(sim, "op", forgedSpend))).toMatch(/not signed by the coin's owner/);
    expect(challengeCallFor(plasma(sim), "op", a, sim.world.l1.publicKeys)).toBeNull();

    // Carol's coin is as old as Alice's, but she starts after the period: her coin now counts as
    // younger than the operator's forged one, even though the operator has not been paid yet.
    sim.wait(9_000);
    expect(plasmaEvents(sim, "exitPaid").some((e) => e.owner === "op")).toBe(false);
    ok(startExit(sim, "carol", c));
    sim.blocks(1);
    expect(plasma(sim).contract.queue.filter((pos) => pos !== b)).toEqual([a, stolen, c]);

    drainExits(sim);
    const paid = plasmaEvents(sim, "exitPaid");
    expect(paid.map((e) => e.owner)).toEqual(["bob", "alice", "op", "carol"]);
    expect(paid.find((e) => e.owner === "alice")).toMatchObject({ paid: eth(1), shortfall: 0 });
    // The forged exit is paid with Carol's money; Carol finds the escrow empty.
    expect(paid.find((e) => e.owner === "op")).toMatchObject({ paid: eth(1), forged: true });
    expect(paid.find((e) => e.owner === "carol")).toMatchObject({ amount: eth(1), paid: 0, shortfall: eth(1) });
    expect(sim.l1Balance(PLASMA_ESCROW)).toBe(0);

    const debrief = plasmaDebrief(sim.events);
    expect(debrief).toMatchObject({
      deposited: eth(3),
      blocksWithheld: 1,
      theftAttempted: eth(1),
      exitsStarted: 4,
      exitsPaid: 4,
      paidToForgedExits: eth(1),
      shortfall: eth(1),
      exitsStuck: [],
    });
    expect(debrief.l1Txs).toBe(3 + 1 + 4); // deposits, the commit, the exits (the refused challenge never reached L1)
    expect(debrief.l1Fees).toBeGreaterThan(0);
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("a mass exit fills L1 blocks and raises the base fee; owners priced out of the jam start too late and the forged coin is paid with their money", () => {
    const users = Array.from({ length: 20 }, (_, i) => `user${String(i).padStart(2, "0")}`);
    const thrifty = ["c0", "c1", "c2", "c3"];
    const sim = setup([...users, ...thrifty]);
    for (const who of [...thrifty, ...users]) ok(call(sim, who, { kind: "deposit", amount: eth(1) }));
    sim.blocks(4);
    // Each owner remembers their own coin (the chain will not show a stolen one as theirs).
    const coins = new Map([...thrifty, ...users].map((who) => [who, coinsOf(plasma(sim), who)[0]!.utxoPos]));
    expect(sim.l1Balance(PLASMA_ESCROW)).toBe(eth(24));
    sim.wait(30_000);
    const block = commit(sim, "op", { withhold: true, steal: [coins.get("user00")!] });
    const committedAt = plasma(sim).contract.roots[block]!.committedAtMs;
    const stolen = encodePosition({ block, txIndex: 0, outputIndex: 0 });
    ok(startExit(sim, "op", stolen, { tip: 10 }));

    // Everyone sees the block data is missing and rushes for the door at the same moment;
    // the thrifty ones cap their fee at 1 gwei per gas above today's base fee.
    expect(blockDataAvailable(plasma(sim))).toBe(false);
    const baseFeeBefore = sim.world.l1.baseFeeWei;
    const cap = gweiCeil(baseFeeBefore) + 1;
    for (const who of users) ok(startExit(sim, who, coins.get(who)!));
    for (const who of thrifty) ok(startExit(sim, who, coins.get(who)!, { maxFee: cap, tip: 1 }));
    const heightBefore = sim.world.l1.height;
    sim.blocks(6);
    const midJam = plasmaDebrief(sim.events);
    expect(midJam.exitsStuck.filter((e) => e.where === "mempool").map((e) => e.owner).sort()).toEqual(expect.arrayContaining(thrifty));
    expect(midJam.valueStuck).toBeGreaterThanOrEqual(eth(4));
    drainExits(sim);

    const massBlocks = sim.eventsOf("l1.block").filter((e) => e.height > heightBefore);
    expect(massBlocks.filter((e) => e.gasUsed >= 3 * START_EXIT_GAS).length).toBeGreaterThanOrEqual(7);
    const peakBaseFee = Math.max(...massBlocks.map((e) => e.baseFeeWei));
    expect(peakBaseFee).toBeGreaterThan(weiOf(cap));
    expect(peakBaseFee).toBeGreaterThan(baseFeeBefore);

    const queue = plasmaEvents(sim, "exitQueue");
    expect(Math.max(...queue.map((e) => e.exitTxsInMempool as number))).toBeGreaterThanOrEqual(20);
    expect(Math.max(...queue.map((e) => e.exitTxsPricedOut as number))).toBe(thrifty.length);
    expect(Math.max(...queue.map((e) => e.matureWaiting as number))).toBeGreaterThan(0);
    expect(Math.max(...queue.map((e) => e.processed as number))).toBe(EXITS_PROCESSED_PER_BLOCK);
    expect(queue.some((e) => (e.stuckOwners as string[]).length >= 20)).toBe(true);

    // Whoever got an exit in within one period of the bad block ranks ahead of the forged coin.
    const started = plasmaEvents(sim, "exitStarted");
    const inTime = started.filter((e) => e.owner !== "op" && (e.ageAtMs as number) <= committedAt).map((e) => e.owner);
    const tooLate = started.filter((e) => (e.ageAtMs as number) > committedAt).map((e) => e.owner);
    expect(tooLate.length).toBeGreaterThan(0);
    expect(tooLate.every((who) => thrifty.includes(who as string))).toBe(true);
    expect(inTime).toEqual(expect.arrayContaining(users));
    const paid = plasmaEvents(sim, "exitPaid");
    expect(paid).toHaveLength(25);
    const opIndex = paid.findIndex((e) => e.owner === "op");
    expect(paid[opIndex]).toMatchObject({ paid: eth(1), forged: true });
    expect(paid.slice(opIndex + 1).map((e) => e.owner)).toEqual(tooLate);
    for (const e of paid.slice(0, opIndex)) expect(e).toMatchObject({ paid: eth(1), shortfall: 0 });
    expect(paid.at(-1)).toMatchObject({ paid: 0, shortfall: eth(1) });

    const debrief = plasmaDebrief(sim.events);
    expect(debrief).toMatchObject({ exitsStarted: 25, exitsPaid: 25, paidToForgedExits: eth(1), shortfall: eth(1), exitsStuck: [], valueStuck: 0 });
    expect(debrief.peakBaseFeeDuringJam).toBe(gweiOf(peakBaseFee));
    expect(debrief.peakBaseFeeDuringJam!).toBeGreaterThan(debrief.baseFeeBeforeJam!);
    expect(debrief.jammedBlocks).toBeGreaterThanOrEqual(8);
    expect(conservationViolation(sim.world)).toBeNull();
  });
});

describe("Plasma operator's commits and replay", () => {
  it("a commit dropped from L1 gives its transactions back to the pool; the operator commits them again", () => {
    const sim = setup(["alice", "bob"]);
    const a = deposit(sim, "alice", eth(1));
    transfer(sim, "alice", a, [{ owner: "bob", amount: eth(1) }]);
    ok(call(sim, "op", { kind: "commitBlock" }, { tip: 1 }));
    expect(plasma(sim).chain.pendingBlock).toBe(1000);
    expect(rejection(call(sim, "op", { kind: "commitBlock" }))).toMatch(/still waiting/);
    // The operator empties its L1 account with a better-tipping transfer: the commit can no longer pay its gas.
    const opBalance = sim.l1Balance("op");
    ok(sim.act({ type: "l1Transfer", from: "op", to: "bob", amount: opBalance - 21_000 * 30, tip: 5, maxFee: 30 }));
    sim.blocks(1);
    expect(sim.eventsOf("l1.dropped").map((e) => e.from)).toEqual(["op"]);
    expect(plasmaEvents(sim, "commitLost")).toEqual([expect.objectContaining({ block: 1000, txCount: 1 })]);
    expect(plasma(sim).chain.pendingBlock).toBeNull();
    expect(plasma(sim).chain.pool).toHaveLength(1);
    expect(plasma(sim).contract.roots[1000]).toBeUndefined();
    ok(sim.act({ type: "l1Transfer", from: "bob", to: "op", amount: eth(1) }));
    sim.blocks(1);
    expect(commit(sim, "op")).toBe(1000);
    expect(coinsOf(plasma(sim), "bob").map((c) => c.amount)).toEqual([eth(1)]);
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("a round with a theft, exits and a challenge replays from its log to the same world", () => {
    const sim = setup(["alice", "bob", "carol"]);
    const a = deposit(sim, "alice", eth(1));
    const b = deposit(sim, "bob", eth(2));
    transfer(sim, "alice", a, [{ owner: "carol", amount: eth(1) }]);
    commit(sim, "op");
    commit(sim, "op", { withhold: true, steal: [b] });
    ok(startExit(sim, "alice", a));
    sim.blocks(1);
    ok(call(sim, "carol", challengeCallFor(plasma(sim), "carol", a)));
    ok(startExit(sim, "bob", b));
    sim.wait(90_000);
    const again = replay("plasma", sim.world.config, sim.log, sim.now);
    expect(JSON.stringify(again.world)).toBe(JSON.stringify(sim.world));
    expect(plasmaDebrief(again.events)).toEqual(plasmaDebrief(sim.events));
    expect(plasmaDebrief(sim.events)).toMatchObject({ exitsChallenged: 1, exitsPaid: 1, theftAttempted: eth(2) });
  });
});

describe("Plasma with blobs: the operator chooses where a block's commitment goes", () => {
  /** Alice and bob each hold a deposit; two payments wait in the operator's pool. */
  function twoPayments() {
    const sim = setup(["alice", "bob", "carol"]);
    const a = deposit(sim, "alice", eth(1));
    const b = deposit(sim, "bob", eth(2));
    transfer(sim, "alice", a, [{ owner: "carol", amount: eth(0.25) }, { owner: "alice", amount: eth(0.75) }]);
    transfer(sim, "bob", b, [{ owner: "carol", amount: eth(2) }]);
    return { sim, a, b };
  }

  it("a block whose data goes in a blob cannot be withheld: withholding it is refused, it is public on L1 the moment it lands, and there is nothing to publish later", () => {
    const { sim, b } = twoPayments();
    const before = JSON.stringify(sim.world);
    expect(rejection(call(sim, "op", { kind: "commitBlock", da: "blob", withhold: true }))).toMatch(/in a blob .* cannot be withheld/);
    expect(rejection(call(sim, "op", { kind: "commitBlock", da: "blob", withhold: true, steal: [b] }))).toMatch(/cannot be withheld/);
    expect(rejection(call(sim, "op", { kind: "commitBlock", da: "disk" }))).toMatch(/da must be/);
    expect(JSON.stringify(sim.world)).toBe(before);
    const number = commit(sim, "op", { da: "blob" });
    const block = plasma(sim).chain.blocks[number]!;
    expect(block).toMatchObject({ da: "blob", blobs: 1, published: true, status: "committed" });
    expect(plasma(sim).chain.withheldBlocks).toEqual([]);
    expect(blockDataAvailable(plasma(sim))).toBe(true);
    expect(plasmaEvents(sim, "blockWithheld")).toEqual([]);
    expect(plasmaEvents(sim, "blockCommitted").at(-1)).toMatchObject({ block: number, da: "blob", blobs: 1, dataAvailable: true });
    // Anyone, not only the operator, reads the block from L1: carol can prove her new coins and exit them.
    const carolCoins = knownCoins(plasma(sim), "carol");
    expect(carolCoins).toHaveLength(2);
    expect(exitCallFor(plasma(sim), "carol", carolCoins[0]!)).not.toBeNull();
    expect(rejection(call(sim, "op", { kind: "publishBlock", block: number }))).toMatch(/already public/);
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("a blob commit pays the same commit gas plus its blobs in blob gas, burned; money is conserved; the debrief shows the data's cost both ways", () => {
    const { sim } = twoPayments();
    const rootOnly = commit(sim, "op", { da: "calldata" });
    const alice = coinsOf(plasma(sim), "alice")[0]!;
    transfer(sim, "alice", alice.utxoPos, [{ owner: "bob", amount: alice.amount }]);
    const burnedBefore = sim.world.l1.burned;
    const blobBlock = commit(sim, "op", { da: "blob" });
    const commits = plasmaEvents(sim, "blockCommitted");
    const [calldataCommit, blobCommit] = commits.map((data) => ({ data, included: sim.eventsOf("l1.included").find((e) => e.txId === data.l1TxId)! }));
    // Root alone: the commit's gas, no blob, and no byte of the block's data on L1.
    expect(calldataCommit!.included).toMatchObject({ gas: COMMIT_GAS, ok: true });
    expect(calldataCommit!.included.blobs).toBeUndefined();
    expect(calldataCommit!.data).toMatchObject({ block: rootOnly, da: "calldata", blobs: 0, dataFee: 0, l1Fee: calldataCommit!.included.fee });
    // In a blob: the same gas, plus one blob at that block's blob base fee, all of it burned.
    const block = sim.eventsOf("l1.block").find((e) => e.height === blobCommit!.included.height)!;
    expect(block.blobGasUsed).toBe(131_072);
    expect(blobCommit!.included).toMatchObject({ gas: COMMIT_GAS, blobs: 1, blobFee: blobFee(1, block.blobBaseFeeWei), ok: true });
    expect(blobCommit!.included.fee).toBe(blobCommit!.included.burned + blobCommit!.included.tip);
    expect(sim.world.l1.burned - burnedBefore).toBeGreaterThanOrEqual(blobCommit!.included.burned);
    expect(blobCommit!.data).toMatchObject({ block: blobBlock, da: "blob", blobs: 1, dataFee: blobCommit!.included.blobFee, dataFeeAsBlobs: blobCommit!.included.blobFee, l1Fee: blobCommit!.included.fee });
    // The other way: the block's transactions as calldata (EIP-2028) at the commit's own gas price cost far more than the blob.
    const data = encodeBlockData(plasma(sim).chain.blocks[blobBlock]!.txs);
    expect(blobCommit!.data.dataBytes).toBe(data.length);
    expect(blobCommit!.data.dataFeeAsCalldata as number).toBeGreaterThanOrEqual(Math.floor((calldataGas(data, sim.world.config.gas) * block.baseFeeWei) / 1e9));
    expect(blobCommit!.data.dataFeeAsCalldata as number).toBeGreaterThan(100 * (blobCommit!.data.dataFeeAsBlobs as number));
    expect(conservationViolation(sim.world)).toBeNull();

    const debrief = computeDebrief(sim.events, sim.world.config, sim.now, "plasma");
    const sum = (key: string) => commits.reduce((total, c) => total + (c[key] as number), 0);
    const both = { blobs: 1, paid: blobCommit!.included.blobFee!, asCalldata: sum("dataFeeAsCalldata"), asBlobs: sum("dataFeeAsBlobs") };
    expect(debrief.plasma).toMatchObject({ blocksCommitted: 2, rootOnlyCommits: 1, blobCommits: 1, committedTxs: 3, commitFees: sum("l1Fee"), data: both });
    expect(debrief.cost).toMatchObject({ l1Fees: sum("l1Fee"), txs: 3, data: both });
    const story = debrief.story.join(" ");
    expect(story).toContain("1 commit also carried the block's transactions in 1 EIP-4844 blob beside the root");
    expect(story).toContain(`putting all of it on L1 would have cost ${ethWords(both.asBlobs)} in blobs or ${ethWords(both.asCalldata)} as calldata`);
    expect(story).toMatch(/blobs [\d,]+× cheaper/);
    expect(debrief.figures).toContainEqual(["Block data: paid / as calldata / as blobs", `${ethWords(both.paid)} / ${ethWords(both.asCalldata)} / ${ethWords(both.asBlobs)}`]);
    expect(debrief.figures).toContainEqual(["Commits: root only / with the block's data in a blob", "1 / 1"]);
    // Replays from the log to the same world and the same debrief.
    const again = replay("plasma", sim.world.config, sim.log, sim.now);
    expect(JSON.stringify(again.world)).toBe(JSON.stringify(sim.world));
    expect(plasmaDebrief(again.events)).toEqual(plasmaDebrief(sim.events));
  });

  it("after an honest blob block, a withheld root-only block still hides its theft: only roots alone can be withheld", () => {
    const { sim } = twoPayments();
    commit(sim, "op", { da: "blob" });
    const carol = coinsOf(plasma(sim), "carol").map((c) => c.utxoPos);
    const hidden = commit(sim, "op", { da: "calldata", withhold: true, steal: [carol[0]!] });
    expect(plasma(sim).chain.withheldBlocks).toEqual([hidden]);
    expect(blockDataAvailable(plasma(sim))).toBe(false);
    expect(plasmaEvents(sim, "blockCommitted").map((e) => e.da)).toEqual(["blob", "calldata"]);
    expect(plasmaEvents(sim, "theft").at(-1)).toMatchObject({ block: hidden, coins: [carol[0]], withheld: true });
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
    // The mix really exercised every path.
    const d = plasmaDebrief(sim.events);
    expect(d.offChainTxs).toBeGreaterThan(0);
    expect(d.blocksWithheld).toBeGreaterThan(0);
    expect(d.theftAttempted).toBeGreaterThan(0);
    expect(d.exitsChallenged).toBeGreaterThan(0);
    expect(d.exitsPaid).toBeGreaterThan(0);
    expect(d.paidOut).toBe(d.deposited - sim.l1Balance(PLASMA_ESCROW));
    expect(conservationViolation(sim.world)).toBeNull();
  });
});

describe("Plasma contract parameters and exit fee bumps", () => {
  it("configure sets the challenge period, coin maturity and exits per block before deployment only", () => {
    const sim = new Sim("plasma");
    sim.player("op");
    sim.player("alice");
    ok(call(sim, "op", { kind: "configure", exitPeriodMs: 10_000, maturityMs: 20_000, exitsPerBlock: 1 }));
    expect(plasma(sim).contract).toMatchObject({ exitPeriodMs: 10_000, maturityMs: 20_000, exitsPerBlock: 1 });
    expect(rejection(call(sim, "op", { kind: "configure", exitPeriodMs: 10, maturityMs: 20_000, exitsPerBlock: 1 }))).toMatch(/periods/);
    ok(call(sim, "op", { kind: "becomeOperator" }));
    const before = JSON.stringify(sim.world);
    expect(rejection(call(sim, "alice", { kind: "configure", exitPeriodMs: 90_000, maturityMs: 90_000, exitsPerBlock: 5 }))).toMatch(/already deployed/);
    expect(JSON.stringify(sim.world)).toBe(before);
    const a = deposit(sim, "alice", eth(1));
    ok(startExit(sim, "alice", a));
    sim.blocks(1);
    const started = sim.events.find((e) => e.type === "module" && e.name === "exitStarted")!;
    const deposited = sim.events.find((e) => e.type === "module" && e.name === "deposited")!;
    // Plasma MVP's max(start + period, coin's block + maturity), with this contract's own numbers.
    expect(started.type === "module" && started.data.exitableAtMs).toBe(Math.max(started.t + 10_000, deposited.t + 20_000));
    drainExits(sim);
    expect(plasmaEvents(sim, "exitPaid")).toHaveLength(1);
  });

  it("a second exit of the same coin replaces the waiting one only with a higher tip", () => {
    const sim = setup(["alice"]);
    const a = deposit(sim, "alice", eth(1));
    ok(startExit(sim, "alice", a, { tip: 2, maxFee: 12 }));
    const before = JSON.stringify(sim.world);
    expect(rejection(startExit(sim, "alice", a, { tip: 2, maxFee: 40 }))).toMatch(/offer more/);
    expect(JSON.stringify(sim.world)).toBe(before);
    ok(startExit(sim, "alice", a, { tip: 5, maxFee: 40 }));
    expect(sim.world.l1.mempool.filter((tx) => tx.from === "alice")).toHaveLength(1);
    expect(sim.eventsOf("l1.dropped").map((e) => e.reason)).toEqual(["replaced by a higher tip"]);
    sim.blocks(1);
    expect(plasmaEvents(sim, "exitStarted")).toHaveLength(1);
    const d = plasmaDebrief(sim.events);
    // The replaced request is not counted as stuck in the mempool: only the started exit waits, in the queue.
    expect(d).toMatchObject({ exitsRequested: 2, exitsStarted: 1, exitsStuck: [{ owner: "alice", utxoPos: a, where: "queue" }] });
    expect(conservationViolation(sim.world)).toBeNull();
  });

  it("a committed block's event says which coins it created and spent, forged ones marked", () => {
    const sim = setup(["alice", "bob"]);
    const a = deposit(sim, "alice", eth(1));
    const b = deposit(sim, "bob", eth(1));
    transfer(sim, "alice", a, [{ owner: "bob", amount: eth(1) }]);
    commit(sim, "op", { withhold: true, steal: [b] });
    const committed = plasmaEvents(sim, "blockCommitted")[0]!;
    expect(committed.spent).toEqual([[a, false], [b, true]]);
    expect(committed.created).toEqual([
      [encodePosition({ block: 1000, txIndex: 0, outputIndex: 0 }), "bob", eth(1), false],
      [encodePosition({ block: 1000, txIndex: 1, outputIndex: 0 }), "op", eth(1), true],
    ]);
  });
});
