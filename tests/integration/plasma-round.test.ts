import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../server/app.ts";
import { verifyMerkleProof } from "../../shared/crypto/merkle.ts";
import { plasmaDebrief } from "../../shared/engine/plasma/debrief.ts";
import { decodePosition, plasmaTxLeaf, signPlasmaTx } from "../../shared/engine/plasma/plasma-tx.ts";
import type { PlasmaState } from "../../shared/engine/plasma/state.ts";
import type { PlasmaCoinView, PlasmaPublicView, PlasmaWalletView } from "../../shared/engine/plasma/views.ts";
import { eth } from "../../shared/engine/units.ts";
import { createSession, debriefOf, expectReplayMatchesLive, idOf, joinAsHost, joinAsPlayer, leaveAll, moduleEvents, myId, myWallet, startTestServer, testPort, waitFor, walletModule, worldModule, storedRounds } from "./helpers.ts";
import type { Peer, Session } from "./helpers.ts";

const port = testPort(4300);
let app: RunningApp;

beforeAll(async () => {
  // Game time runs 6× faster than the wall clock: a 3 s L1 block takes half a second.
  app = await startTestServer(port, { timeScale: 6 });
});
afterAll(async () => {
  await app.close();
});

function world(peer: Peer): PlasmaPublicView | null {
  return worldModule<PlasmaPublicView>(peer);
}

function wallet(peer: Peer): PlasmaWalletView {
  return walletModule<PlasmaWalletView>(peer) ?? { coins: [], onPlasma: 0 };
}

/** The startExit message a client builds from its own wallet: the coin's transaction and Merkle proof. */
function exitOf(coin: PlasmaCoinView, fee: { tip?: number; maxFee?: number } = {}) {
  return { utxoPos: coin.utxoPos, tx: coin.tx, proof: coin.proof, ...fee };
}

const FORGED_SIG = "00".repeat(64);

describe("a Plasma round", () => {
  let session: Session;
  let host: Peer;
  const students: Peer[] = [];

  afterAll(async () => {
    await leaveAll([...students, host]);
  });

  it("deposit, pay, exit with a proof from the wallet, a challenged double-exit, a withheld block and a mass exit; debrief matches a replay", async () => {
    session = await createSession(port);
    host = await joinAsHost(port, session);
    students.push(...(await Promise.all(["Ada", "Bo"].map((name) => joinAsPlayer(port, session.code, name)))));
    const [ada, bo] = students as [Peer, Peer];
    await waitFor("2 players", () => host.room.state.players.size === 2);

    // A hard bot operator (it withholds a block and steals 70 s in) and eight bot users to fill the class.
    host.room.send("host:plan", {
      token: session.hostToken,
      rounds: [{ scenario: "plasma", durationSec: 150, params: { exitPeriodSec: 10, blockIntervalSec: 3, withholdAtSec: 70, exitsPerBlock: 1 } }],
    });
    host.room.send("host:addBots", { token: session.hostToken, count: 1, difficulty: "hard" });
    await waitFor("the bot operator", () => [...host.room.state.players.values()].some((p) => p.bot && p.role === "operator"));
    host.room.send("host:addBots", { token: session.hostToken, count: 4, role: "user", difficulty: "normal" });
    host.room.send("host:addBots", { token: session.hostToken, count: 4, role: "user", difficulty: "easy" });
    await waitFor("11 players", () => host.room.state.players.size === 11);
    host.room.send("host:autoBalance", { token: session.hostToken });
    await waitFor("roles balanced", () => [...host.room.state.players.values()].filter((p) => p.role === "operator").length === 1 && ada.room.state.players.get(myId(ada))?.role === "user");
    expect([...host.room.state.players.values()].find((p) => p.role === "operator")!.bot).toBe(true);

    // Every state any player is sent is scanned, all round long, for what a withheld block would leak.
    const seenSigs = new Set<string>();
    const seenWalletCoins = new Set<number>();
    let forgedSigSeen = false;
    const watch = setInterval(() => {
      for (const peer of students) {
        const json = JSON.stringify(peer.room.state.toJSON());
        if (json.includes(FORGED_SIG)) forgedSigSeen = true;
        for (const sig of json.match(/[0-9a-f]{128}/g) ?? []) seenSigs.add(sig);
        for (const coin of wallet(peer).coins) seenWalletCoins.add(coin.utxoPos);
      }
    }, 50);

    host.room.send("host:start", { token: session.hostToken });
    await waitFor("round running", () => host.room.state.phase === "running");
    expect(host.room.state.scenario).toBe("plasma");
    expect(host.errors).toEqual([]);
    const adaId = myId(ada);
    const boId = myId(bo);

    // Genesis: each user's 2 ETH deposit became a coin on the Plasma chain, provable against its root on L1.
    const deposit = await waitFor("Ada's deposit coin", () => wallet(ada).coins.find((c) => c.status === "plasma"), 30_000);
    expect(deposit.amount).toBe(eth(2));
    expect(wallet(ada).onPlasma).toBe(eth(2));
    expect(world(ada)!.exitPeriodMs).toBe(10_000);
    expect(world(ada)!.exitsPerBlock).toBe(1);

    // The edge refuses another role's message, malformed input, and an exit whose proof does not match the root.
    ada.room.send("plasma:commit", { seq: 900 });
    ada.room.send("plasma:transfer", { tx: { inputs: [1], outputs: [], sigs: [] }, seq: 901 });
    ada.room.send("plasma:startExit", { ...exitOf(deposit), proof: deposit.proof.map((h, i) => (i === 0 ? "ab".repeat(32) : h)), seq: 902 });
    ada.room.send("user:deposit", { amount: eth(1), seq: 903 });
    await waitFor("four refusals", () => ada.errors.length >= 4);
    expect(ada.errors.map((e) => [e.seq, e.code])).toEqual([[900, "wrong_role"], [901, "invalid_payload"], [902, "rejected"], [903, "wrong_phase"]]);
    expect(ada.errors[2]!.message).toMatch(/Merkle proof/);
    ada.errors.length = 0;

    // Ada pays Bo 0.5 ETH: she signs the spend of her coin in her own client.
    const pay = signPlasmaTx([deposit.utxoPos], [{ owner: boId, amount: eth(0.5) }, { owner: adaId, amount: eth(1.5) }], [ada.key.secretKey]);
    ada.room.send("plasma:transfer", { tx: pay, seq: 1 });
    await waitFor("transfer acked", () => ada.acks.some((a) => a.seq === 1));
    await waitFor("the deposit coin shows as being spent", () => wallet(ada).coins.find((c) => c.utxoPos === deposit.utxoPos)?.status === "spending");
    const change = await waitFor("Ada's change coin in a published block", () => wallet(ada).coins.find((c) => c.amount === eth(1.5) && c.status === "plasma"), 30_000);
    const boCoin = await waitFor("Bo's coin", () => wallet(bo).coins.find((c) => c.amount === eth(0.5)));
    expect(wallet(ada).coins.find((c) => c.utxoPos === deposit.utxoPos)!.status).toBe("spent");
    // The proof in the wallet checks against the root the operator committed to L1.
    const block = decodePosition(change.utxoPos).block;
    const root = world(ada)!.blocks.find((b) => b.number === block)!.root;
    expect(verifyMerkleProof(root, decodePosition(change.utxoPos).txIndex, plasmaTxLeaf(change.tx), change.proof)).toBe(true);

    // A valid exit, built from Ada's wallet: it waits out the challenge period, then pays 1.5 ETH on L1.
    const before = myWallet(ada).l1Balance;
    ada.room.send("plasma:startExit", { ...exitOf(change, { tip: 20, maxFee: 200 }), seq: 2 });
    await waitFor("exit acked", () => ada.acks.some((a) => a.seq === 2));
    const exiting = await waitFor("Ada's exit queued", () => wallet(ada).coins.find((c) => c.utxoPos === change.utxoPos && c.status === "exiting"), 30_000);
    const queued = world(ada)!.queue.find((e) => e.utxoPos === change.utxoPos)!;
    expect(queued.owner).toBe(adaId);
    expect(exiting.exitableAtMs! - queued.startedAtMs).toBeGreaterThanOrEqual(10_000);
    const paid = await waitFor("Ada's exit paid", () => wallet(ada).coins.find((c) => c.utxoPos === change.utxoPos && c.status === "paid"), 60_000);
    expect(paid.paid).toBe(eth(1.5));
    expect(myWallet(ada).l1Balance).toBeGreaterThan(before + eth(1.4));

    // Ada tries to exit the deposit coin she already paid to Bo. Bo's own coin was made by the
    // transaction that spent it: with its proof from his wallet he challenges (bots watch too).
    const spent = wallet(ada).coins.find((c) => c.utxoPos === deposit.utxoPos)!;
    ada.room.send("plasma:startExit", { ...exitOf(spent, { tip: 20, maxFee: 200 }), seq: 3 });
    await waitFor("double-exit acked", () => ada.acks.some((a) => a.seq === 3));
    await waitFor("the double-exit in the public queue", () => world(bo)!.queue.some((e) => e.utxoPos === deposit.utxoPos), 30_000);
    const mine = wallet(bo).coins.find((c) => c.utxoPos === boCoin.utxoPos)!;
    const inputIndex = mine.tx.inputs.indexOf(deposit.utxoPos);
    expect(inputIndex).toBe(0);
    const spendAt = decodePosition(mine.utxoPos);
    bo.room.send("plasma:challenge", { exitUtxoPos: deposit.utxoPos, block: spendAt.block, txIndex: spendAt.txIndex, inputIndex, tx: mine.tx, proof: mine.proof, tip: 30, maxFee: 300, seq: 4 });
    await waitFor("the double-exit challenged", () => wallet(ada).coins.find((c) => c.utxoPos === deposit.utxoPos)?.status === "challenged", 30_000);

    // 70 s in, the hard bot operator withholds a block: everyone sees a root without data.
    const withheld = await waitFor("a withheld block", () => world(ada)?.withheld[0], 60_000);
    const shown = world(ada)!.blocks.find((b) => b.number === withheld)!;
    expect(shown).toMatchObject({ published: false, txCount: null });
    // Ada exits everything she can still prove, with a good tip: a mass exit is starting.
    for (const coin of wallet(ada).coins.filter((c) => c.status === "plasma")) ada.room.send("plasma:startExit", exitOf(coin, { tip: 15, maxFee: 400 }));
    await waitFor("bot users exit too", () => (world(host)?.queued ?? 0) + (world(host)?.exitTxsWaiting ?? 0) >= 4, 60_000);

    await waitFor("the round's end", () => host.room.state.phase === "final", 120_000);
    clearInterval(watch);
    expect(host.errors).toEqual([]);
    const debrief = debriefOf(host);
    expect(debrief.scenario).toBe("plasma");
    const p = debrief.plasma!;
    expect(p.blocksWithheld).toBe(1);
    expect(p.withheldBlockNumbers).toEqual([withheld]);
    expect(p.stolenCoins).toBe(3);
    expect(p.exitsChallenged).toBeGreaterThanOrEqual(1);
    expect(p.exitsPaid).toBeGreaterThanOrEqual(2);
    expect(p.exitsRequested).toBeGreaterThanOrEqual(8);
    expect(p.peakBaseFeeDuringJam!).toBeGreaterThan(p.baseFeeBeforeJam!);
    expect(p.exitPeriodMs).toBe(10_000);
    expect(debrief.tradeOff).toMatch(/block roots/);
    expect(debrief.story.join(" ")).toMatch(/withheld the data of block #\d+/);
    expect(debrief.figures!.length).toBeGreaterThanOrEqual(5);

    // The stored round replays to the same world and the same debrief; money is conserved.
    const replayed = expectReplayMatchesLive((await storedRounds(app, session.code))[0]!, "plasma", host, debrief);
    expect(plasmaDebrief(replayed.events)).toEqual(p);
    const events = moduleEvents(replayed.events, "plasma");
    const challenged = events.find((e) => e.name === "exitChallenged" && e.data.utxoPos === deposit.utxoPos)!;
    expect(challenged.data.owner).toBe(adaId);

    // Nothing of the withheld block reached any player before (or without) its publication:
    // not its transactions' signatures, not the operator's forged signature, not a coin it made.
    const state = replayed.world.modules.plasma as PlasmaState;
    const hidden = state.chain.blocks[withheld]!;
    expect(hidden.published).toBe(false);
    expect(hidden.forgedTxIndexes.length).toBe(3);
    expect(forgedSigSeen).toBe(false);
    for (const tx of hidden.txs) for (const sig of tx.sigs) expect(seenSigs.has(sig)).toBe(false);
    for (const coin of seenWalletCoins) expect(decodePosition(coin).block).not.toBe(withheld);
    // The mass exit started only after the block was withheld, and the rush jammed L1.
    const withheldAt = events.find((e) => e.name === "blockWithheld")!.t;
    const rushed = events.filter((e) => e.name === "exitRequested" && e.t >= withheldAt);
    expect(new Set(rushed.map((e) => e.data.owner)).size).toBeGreaterThanOrEqual(5);
    console.log(`plasma round: ${debrief.figures!.map(([k, v]) => `${k}: ${v}`).join(" · ")}`);
  }, 180_000);
});

describe("a Plasma round with a human operator", () => {
  it("the operator commits, withholds a block stealing a coin, and publishes it later: the data reaches players only then", async () => {
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    const [otto, uma] = await Promise.all(["Otto", "Uma"].map((name) => joinAsPlayer(port, session.code, name))) as [Peer, Peer];
    await waitFor("2 players", () => host.room.state.players.size === 2);
    host.room.send("host:assign", { token: session.hostToken, playerId: idOf(host, "Otto"), role: "operator" });
    host.room.send("host:assign", { token: session.hostToken, playerId: idOf(host, "Uma"), role: "user" });
    host.room.send("host:addBots", { token: session.hostToken, count: 3, role: "user", difficulty: "easy" });
    host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario: "plasma", durationSec: 120, params: { exitPeriodSec: 10 } }] });
    await waitFor("5 players", () => host.room.state.players.size === 5);
    await waitFor("Otto is the operator", () => otto.room.state.players.get(myId(otto))?.role === "operator");
    host.room.send("host:start", { token: session.hostToken });
    await waitFor("round running", () => host.room.state.phase === "running");
    expect([...host.room.state.players.values()].filter((p) => p.role === "operator").map((p) => p.name)).toEqual(["Otto"]);

    // A user may not make blocks; the operator sees the coins it could take.
    const umaCoin = await waitFor("Uma's deposit coin", () => wallet(uma).coins.find((c) => c.status === "plasma"), 30_000);
    uma.room.send("plasma:commit", { withhold: true, steal: [umaCoin.utxoPos], seq: 1 });
    await waitFor("refused", () => uma.errors.some((e) => e.seq === 1 && e.code === "wrong_role"));
    const candidates = await waitFor("candidates", () => wallet(otto).operator?.candidates.length === 4 && wallet(otto).operator!.candidates);
    expect(candidates.map((c) => c.amount)).toEqual([eth(2), eth(2), eth(2), eth(2)]);

    // Otto withholds his first block and takes Uma's coin in it.
    otto.room.send("plasma:commit", { withhold: true, steal: [umaCoin.utxoPos], tip: 5, maxFee: 100, seq: 2 });
    await waitFor("commit acked", () => otto.acks.some((a) => a.seq === 2));
    const block = await waitFor("the withheld block", () => world(uma)?.withheld[0], 20_000);
    expect(world(uma)!.blocks.find((b) => b.number === block)).toMatchObject({ published: false, txCount: null });
    expect(wallet(otto).operator!.withheld).toEqual([{ block, txCount: 1, stolen: eth(2) }]);
    const forged = wallet(otto).coins.find((c) => c.forged)!;
    expect(decodePosition(forged.utxoPos).block).toBe(block);
    // Uma still sees her coin as hers; nothing of the block is in her state.
    expect(wallet(uma).coins.find((c) => c.utxoPos === umaCoin.utxoPos)!.status).toBe("plasma");
    expect(JSON.stringify(uma.room.state.toJSON())).not.toContain(FORGED_SIG);

    // Otto publishes: now Uma's wallet shows the theft, and her exit of the coin is still possible (nobody can challenge it).
    otto.room.send("plasma:publish", { block, seq: 3 });
    await waitFor("publish acked", () => otto.acks.some((a) => a.seq === 3));
    await waitFor("Uma sees the theft", () => wallet(uma).coins.find((c) => c.utxoPos === umaCoin.utxoPos)?.status === "stolen", 20_000);
    expect(world(uma)!.withheld).toEqual([]);
    expect(world(uma)!.blocks.find((b) => b.number === block)).toMatchObject({ published: true, txCount: 1 });
    const stolen = wallet(uma).coins.find((c) => c.utxoPos === umaCoin.utxoPos)!;
    uma.room.send("plasma:startExit", { ...exitOf(stolen, { tip: 10, maxFee: 200 }), seq: 4 });
    await waitFor("Uma's exit queued", () => wallet(uma).coins.find((c) => c.utxoPos === umaCoin.utxoPos)?.status === "exiting", 30_000);

    host.room.send("host:endRound", { token: session.hostToken });
    await waitFor("final", () => host.room.state.phase === "final", 30_000);
    const debrief = debriefOf(host);
    expect(debrief.plasma).toMatchObject({ blocksWithheld: 1, stolenCoins: 1, victims: [myId(uma)] });
    expectReplayMatchesLive((await storedRounds(app, session.code))[0]!, "plasma", host, debrief);
    await leaveAll([otto, uma, host]);
  }, 120_000);
});
