import { describe, expect, it } from "vitest";
import { keyPairFromSeed } from "../../shared/crypto/sign.ts";
import { sha256Bytes, utf8ToBytes } from "../../shared/crypto/hash.ts";
import { makeConfig } from "../../shared/engine/config.ts";
import { advance, applyAction } from "../../shared/engine/engine.ts";
import { eth } from "../../shared/engine/units.ts";
import { createWorld } from "../../shared/engine/world.ts";
import { channels } from "../../server/scenarios/channels.ts";
import { scaleBlockSpace } from "../../server/round.ts";
import type { RoundPlayer } from "../../server/scenarios/scenario.ts";

/** A class of `count` users, funded and keyed, with the channels genesis opened and one L1 block mined. */
function openedClass(count: number) {
  // Block space as the server gives a class this size (scaleBlockSpace): the hub's opens are many.
  const config = makeConfig();
  scaleBlockSpace(config, count);
  const world = createWorld("channels-views", config);
  const players: RoundPlayer[] = Array.from({ length: count }, (_, i) => ({ id: `p${i + 1}`, role: "user", bot: false, hard: false }));
  for (const p of players) {
    applyAction(world, { type: "fund", account: p.id, amount: eth(10) }, 0);
    applyAction(world, { type: "registerKey", account: p.id, publicKey: keyPairFromSeed(sha256Bytes(utf8ToBytes(p.id))).publicKey }, 0);
  }
  const run = channels.start();
  for (const action of run.genesis(world, players, {})) applyAction(world, action, 0);
  // Enough blocks for every open transaction to land (the hub's 119 opens and the 59 pairs' take 7 blocks).
  advance(world, 60_000);
  return { world, run, players };
}

describe("channels round views", () => {
  it("every student of a large class sees their own channels and balance, however many channels the public list shows", () => {
    const { world, run, players } = openedClass(120);
    const shown = JSON.parse(run.publicView(world)) as { hub: string; channels: unknown[] };
    // The public list is capped, so most channels are not in it…
    expect(shown.channels.length).toBeLessThan(players.length / 2);
    // p1 is the hub (no bots in this class): 1 ETH | 1 ETH with a partner, 0.5 | 0.5 with the hub; p120, the odd one out, has only the hub.
    expect(shown.hub).toBe("p1");
    for (const p of players.slice(1)) {
      // …but each player's wallet and private view still hold their own channels.
      const alone = p.id === "p120";
      expect(run.wallet(world, p.id).l2Balance).toBe(alone ? eth(0.5) : eth(1.5));
      const own = JSON.parse(run.privateView(world, p.id)) as { channels: { status: string }[] };
      expect(own.channels.filter((c) => c.status === "open")).toHaveLength(alone ? 1 : 2);
    }
    // The hub's wallet counts all 119 of its channels, though its phone lists the 24 newest.
    expect(run.wallet(world, "p1").l2Balance).toBe(119 * eth(0.5));
    expect((JSON.parse(run.privateView(world, "p1")) as { channels: unknown[] }).channels).toHaveLength(24);
  });
});
