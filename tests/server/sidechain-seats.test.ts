import { describe, expect, it } from "vitest";
import { keyPairFromSeed } from "../../shared/crypto/sign.ts";
import { sha256Bytes, utf8ToBytes } from "../../shared/crypto/hash.ts";
import { makeConfig } from "../../shared/engine/config.ts";
import { advance, applyAction } from "../../shared/engine/engine.ts";
import { sidechainOf } from "../../shared/engine/sidechain/state.ts";
import { eth } from "../../shared/engine/units.ts";
import { createWorld } from "../../shared/engine/world.ts";
import { sidechain } from "../../server/scenarios/sidechain.ts";
import type { RoundPlayer } from "../../server/scenarios/scenario.ts";

describe("sidechain round genesis", () => {
  it("the plan's corrupt bots hold bridge seats even when more students than seats are validators (the Bridge heist lesson)", () => {
    const world = createWorld("sidechain-seats", makeConfig());
    // Students joined first: 9 human validators, then the room added 5 hard bots for stolenKeys: 5.
    const humans: RoundPlayer[] = Array.from({ length: 9 }, (_, i) => ({ id: `p${i + 1}`, role: "validator", bot: false, hard: false }));
    const corrupt: RoundPlayer[] = Array.from({ length: 5 }, (_, i) => ({ id: `b${i + 10}`, role: "validator", bot: true, hard: true }));
    const players = [...humans, ...corrupt];
    for (const p of players) {
      applyAction(world, { type: "fund", account: p.id, amount: eth(10) }, 0);
      applyAction(world, { type: "registerKey", account: p.id, publicKey: keyPairFromSeed(sha256Bytes(utf8ToBytes(p.id))).publicKey }, 0);
    }
    const run = sidechain.start();
    const params = { bridgeThreshold: 5, bridgeSeats: 9, stolenKeys: 5 };
    expect(sidechain.hardLeads?.(params)).toBe(5);
    for (const action of run.genesis(world, players, params)) applyAction(world, action, 0);
    advance(world, 60_000);
    const signers = sidechainOf(world)!.bridgeSigners;
    expect(signers).toHaveLength(9);
    // All five corrupt bots hold keys: together they are m, so the bridge can be drained.
    expect(corrupt.every((b) => signers.includes(b.id))).toBe(true);
  });
});
