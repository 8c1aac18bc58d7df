import { describe, expect, it } from "vitest";
import { keyPairFromSeed } from "../../../shared/crypto/sign.ts";
import { sha256Bytes, utf8ToBytes } from "../../../shared/crypto/hash.ts";
import { makeConfig } from "../../../shared/engine/config.ts";
import { advance, applyAction } from "../../../shared/engine/engine.ts";
import { EXIT_ORDER_WORDS } from "../../../shared/engine/plasma/views.ts";
import type { PlasmaCoinView, PlasmaPublicView, PlasmaWalletView } from "../../../shared/engine/plasma/views.ts";
import { eth } from "../../../shared/engine/units.ts";
import { createWorld } from "../../../shared/engine/world.ts";
import { plasma } from "../../../server/scenarios/plasma.ts";
import type { RoundPlayer } from "../../../server/scenarios/scenario.ts";
import { normalise } from "../../../client/src/net/snapshot.ts";
import { exitCountdownText } from "../../../client/src/views/plasma/coins.ts";
import { plasmaLosses } from "../../../client/src/views/plasma/losses.ts";

const USERS = ["ada", "bo", "cy", "dee", "eve"];

/** A Plasma round as the server runs it: an operator and five users with a coin each from genesis, a 30 s challenge period, one exit paid per L1 block. */
function round() {
  const world = createWorld("exit-order", makeConfig());
  const players: RoundPlayer[] = [
    { id: "op", role: "operator", bot: false, hard: false },
    ...USERS.map((id): RoundPlayer => ({ id, role: "user", bot: false, hard: false })),
  ];
  for (const p of players) {
    applyAction(world, { type: "fund", account: p.id, amount: eth(10) }, 0);
    applyAction(world, { type: "registerKey", account: p.id, publicKey: keyPairFromSeed(sha256Bytes(utf8ToBytes(p.id))).publicKey }, 0);
  }
  const run = plasma.start();
  for (const action of run.genesis(world, players, { exitPeriodSec: 30, exitsPerBlock: 1 })) applyAction(world, action, 0);
  const send = (me: string, type: string, data: Record<string, unknown>) => {
    const action = run.act(world, me, type as never, data);
    expect(typeof action, String(action)).toBe("object");
    expect(applyAction(world, action as never, world.nowMs).find((e) => e.type === "rejected")).toBeUndefined();
  };
  // The room projects the public picture first: wallets of that pass are read from it.
  const views = (me: string): { world: PlasmaPublicView; coins: PlasmaCoinView[] } => {
    const module = run.publicView(world);
    return { world: JSON.parse(module) as PlasmaPublicView, coins: (JSON.parse(run.privateView(world, me)) as PlasmaWalletView).coins };
  };
  const exit = (me: string, coin: PlasmaCoinView) => send(me, "plasma:startExit", { utxoPos: coin.utxoPos, tx: coin.tx, proof: coin.proof, tip: 5 });
  return { world, send, views, exit, to: (ms: number) => advance(world, ms) };
}

describe("the Plasma screens name the exit order the queue really has", () => {
  it("an old coin that exits late ranks behind younger coins that exited first; its countdown says priority order, not oldest first", () => {
    const r = round();
    r.to(40_000);
    // Four coins 40 s younger than Ada's, exited at once: they mature together and leave one per block.
    for (const user of USERS.slice(1)) r.send(user, "plasma:deposit", { amount: eth(1) });
    r.to(45_000);
    const young = USERS.slice(1).map((user) => r.views(user).coins.find((c) => c.amount === eth(1))!);
    for (const [i, coin] of young.entries()) r.exit(USERS[i + 1]!, coin);
    r.to(75_000);
    const old = r.views("ada").coins[0]!;
    expect(young.every((coin) => old.utxoPos < coin.utxoPos && old.committedAtMs < coin.committedAtMs)).toBe(true);
    r.exit("ada", old);
    // Block by block until Ada's challenge period is over while exits still wait ahead of her.
    let seen: { coin: PlasmaCoinView; world: PlasmaPublicView } | null = null;
    for (let t = 78_000; t < 200_000 && !seen; t += r.world.config.blockTimeMs) {
      r.to(t);
      const { world, coins } = r.views("ada");
      const coin = coins.find((c) => c.utxoPos === old.utxoPos)!;
      if (coin.status === "exiting" && (coin.place ?? 0) >= 2 && (coin.exitableAtMs ?? Infinity) <= r.world.nowMs) seen = { coin, world };
    }
    expect(seen, "Ada's matured exit waits behind younger coins").not.toBeNull();
    const { coin, world } = seen!;
    // The contract's priority: Ada's coin counts as no older than 30 s before her exit started, so younger coins rank ahead.
    expect(world.queue.at(-1)!.utxoPos).toBe(old.utxoPos);
    expect(world.queue.slice(0, -1).every((e) => e.utxoPos > old.utxoPos)).toBe(true);
    const text = exitCountdownText(coin, r.world.nowMs, world);
    expect(text).toContain(`Challenge period over · #${coin.place} in the queue`);
    expect(text).toContain(EXIT_ORDER_WORDS);
    expect(text).not.toMatch(/oldest/);
  });

  it("an exit paid short is explained with the same order", () => {
    const coin = { utxoPos: 1_000_000_000_000, amount: eth(1), committedAtMs: 0, status: "paid", tx: { inputs: [], outputs: [], sigs: [] }, proof: [], paid: eth(0.25) };
    const s = normalise({ world: { module: "{}" }, players: { ada: { id: "ada", name: "Ada", wallet: { module: JSON.stringify({ coins: [coin], onPlasma: 0 }) } } } });
    const [loss] = plasmaLosses(s, "ada");
    expect(loss!.cost).toContain("0.7500 ETH lost");
    expect(loss!.couldHave).toContain(EXIT_ORDER_WORDS);
    expect(loss!.couldHave).not.toMatch(/oldest/);
  });
});
