import { describe, expect, it } from "vitest";
import { keyPairFromSeed } from "../../shared/crypto/sign.ts";
import { sha256Bytes, utf8ToBytes } from "../../shared/crypto/hash.ts";
import { makeConfig } from "../../shared/engine/config.ts";
import { advance, applyAction } from "../../shared/engine/engine.ts";
import { eth } from "../../shared/engine/units.ts";
import { createWorld } from "../../shared/engine/world.ts";
import { channels } from "../../server/scenarios/channels.ts";
import type { RoundPlayer } from "../../server/scenarios/scenario.ts";

/** A class of `count` users, funded and keyed, with the channels genesis opened and one L1 block mined. */
function openedClass(count: number) {
  const world = createWorld("channels-views", makeConfig());
  const players: RoundPlayer[] = Array.from({ length: count }, (_, i) => ({ id: `p${i + 1}`, role: "user", bot: false, hard: false }));
  for (const p of players) {
    applyAction(world, { type: "fund", account: p.id, amount: eth(10) }, 0);
    applyAction(world, { type: "registerKey", account: p.id, publicKey: keyPairFromSeed(sha256Bytes(utf8ToBytes(p.id))).publicKey }, 0);
  }
  const run = channels.start();
  for (const action of run.genesis(world, players, {})) applyAction(world, action, 0);
  // Enough blocks for every open transaction to land, whatever the gas limit.
  advance(world, 60_000);
  return { world, run, players };
}

describe("channels round views", () => {
  it("every student of a large class sees their own channel and balance, however many channels the public list shows", () => {
    const { world, run, players } = openedClass(120);
    const shown = JSON.parse(run.publicView(world)) as { channels: unknown[] };
    // The public list is capped, so most channels are not in it…
    expect(shown.channels.length).toBeLessThan(players.length / 2);
    for (const p of players) {
      // …but each player's wallet and private view still hold their own channel.
      expect(run.wallet(world, p.id).l2Balance).toBe(eth(1));
      const own = JSON.parse(run.privateView(world, p.id)) as { channels: { status: string }[] };
      expect(own.channels.filter((c) => c.status === "open")).toHaveLength(1);
    }
  });
});
