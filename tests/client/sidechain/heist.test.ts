import { describe, expect, it } from "vitest";
import { keyPairFromSeed, signMessage } from "../../../shared/crypto/sign.ts";
import type { KeyPair } from "../../../shared/crypto/sign.ts";
import { sha256Bytes, utf8ToBytes } from "../../../shared/crypto/hash.ts";
import { makeConfig } from "../../../shared/engine/config.ts";
import { advance, applyAction } from "../../../shared/engine/engine.ts";
import type { EngineEvent } from "../../../shared/engine/events.ts";
import { withdrawalMessage } from "../../../shared/engine/sidechain/messages.ts";
import { SIDECHAIN_BRIDGE } from "../../../shared/engine/sidechain/params.ts";
import { sidechainOf } from "../../../shared/engine/sidechain/state.ts";
import { eth } from "../../../shared/engine/units.ts";
import { createWorld } from "../../../shared/engine/world.ts";
import type { World } from "../../../shared/engine/world.ts";
import { sidechain } from "../../../server/scenarios/sidechain.ts";
import type { RoundPlayer } from "../../../server/scenarios/scenario.ts";
import { canStartHeist, heistStanding, heistThreshold, signHeistAs } from "../../../client/src/views/sidechain/heist-terms.ts";
import type { HeistSnap, SideWorldSnap } from "../../../client/src/views/sidechain/side-snap.ts";
import { heistBanner, vaultVerdict } from "../../../client/src/projector/lanes/sidechain.ts";

const VALIDATORS = Array.from({ length: 9 }, (_, i) => `v${i + 1}`);
const USERS = ["ada", "bo", "cy"];

/**
 * A sidechain round as the server runs it (server/scenarios/sidechain.ts): nine validators on a
 * 5-of-9 bridge of the plan's design, three users who deposited, real keys. Messages go through
 * the scenario's `act` as a phone's would; `publicView` / `privateView` are what each browser sees.
 */
function round(bridgeDesign: 1 | 2) {
  const world = createWorld(`heist-terms-${bridgeDesign}`, makeConfig());
  const keys = new Map<string, KeyPair>();
  const players: RoundPlayer[] = [
    ...VALIDATORS.map((id): RoundPlayer => ({ id, role: "validator", bot: false, hard: false })),
    ...USERS.map((id): RoundPlayer => ({ id, role: "user", bot: false, hard: false })),
  ];
  for (const p of players) {
    const key = keyPairFromSeed(sha256Bytes(utf8ToBytes(`heist-terms:${p.id}`)));
    keys.set(p.id, key);
    applyAction(world, { type: "fund", account: p.id, amount: eth(10) }, 0);
    applyAction(world, { type: "registerKey", account: p.id, publicKey: key.publicKey }, 0);
  }
  const run = sidechain.start();
  const events: EngineEvent[] = [];
  const apply = (events_: EngineEvent[]) => {
    events.push(...events_);
    run.observe?.(world, events_);
  };
  for (const action of run.genesis(world, players, { bridgeThreshold: 5, bridgeSeats: 9, bridgeDesign })) apply(applyAction(world, action, 0));
  apply(advance(world, 30_000));
  /** What a player's browser sends, through the scenario as the room would; returns the engine's refusal, if any. */
  const send = (me: string, type: string, data: Record<string, unknown>): string | undefined => {
    const action = run.act(world, me, type as never, data);
    if (typeof action === "string") return action;
    if (action === null) return undefined;
    const out = applyAction(world, action, world.nowMs);
    apply(out);
    const rejected = out.find((e) => e.type === "rejected");
    return rejected && "reason" in rejected ? String(rejected.reason) : undefined;
  };
  const side = (): SideWorldSnap => JSON.parse(run.publicView(world)) as SideWorldSnap;
  const heistsOf = (me: string): HeistSnap[] => {
    const raw = run.privateView(world, me);
    return raw ? (JSON.parse(raw) as { heists: HeistSnap[] }).heists : [];
  };
  const seatOf = (me: string): number => {
    const raw = run.privateView(world, me);
    return raw ? (JSON.parse(raw) as { seat: number }).seat : -1;
  };
  const blocks = (n: number) => apply(advance(world, world.nowMs + n * world.config.blockTimeMs));
  return { world, keys, send, side, heistsOf, seatOf, blocks, events };
}

function escrow(world: World): number {
  return world.l1.balances[SIDECHAIN_BRIDGE] ?? 0;
}

describe("a heist signed the way the validator screen signs it", () => {
  for (const [design, signers] of [[1, 5], [2, 7]] as const) {
    it(`verifies in the engine under bridgeDesign ${design} and drains the vault with ${signers} of 9 equal stakes`, () => {
      const r = round(design);
      const organizer = VALIDATORS[0]!;
      expect(canStartHeist(r.side(), r.seatOf(organizer), organizer)).toBe(true);
      const before = escrow(r.world);
      expect(before).toBe(USERS.length * eth(2));
      expect(r.send(organizer, "sidechain:heistPropose", { amount: eth(4) })).toBeUndefined();
      for (const v of VALIDATORS.slice(0, signers)) {
        // Exactly what the browser has: the public picture and the invitation in its own private view.
        const heist = r.heistsOf(v).find((h) => !h.signed)!;
        expect(heist, `${v} sees the heist`).toBeDefined();
        expect(r.send(v, "sidechain:heistSign", { id: heist.id, sig: signHeistAs(r.keys.get(v)!.secretKey, heist, r.side()) })).toBeUndefined();
      }
      const heist = r.heistsOf(organizer)[0]!;
      expect(heist.signatures).toBe(signers);
      expect(heistStanding(r.side(), heist.signatures, heist.signedStake ?? 0).enough).toBe(true);
      expect(r.send(organizer, "sidechain:heistRelease", { id: heist.id })).toBeUndefined();
      r.blocks(2);
      expect(sidechainOf(r.world)!.heists[heist.id]!.status).toBe("drained");
      expect(escrow(r.world)).toBe(before - eth(4));
    });
  }

  it("under the checkpoint bridge, the multisig's withdrawal message (what the screen used to sign) does not verify; one key short of 2/3 is not enough", () => {
    const r = round(2);
    expect(r.send("v1", "sidechain:heistPropose", { amount: eth(4) })).toBeUndefined();
    const heist = r.heistsOf("v2")[0]!;
    const old = signMessage(r.keys.get("v2")!.secretKey, withdrawalMessage(heist.organizer, heist.amount, heist.nonce));
    expect(r.send("v2", "sidechain:heistSign", { id: heist.id, sig: old })).toMatch(/does not verify/);
    for (const v of VALIDATORS.slice(0, 6)) expect(r.send(v, "sidechain:heistSign", { id: heist.id, sig: signHeistAs(r.keys.get(v)!.secretKey, heist, r.side()) })).toBeUndefined();
    const six = r.heistsOf("v1")[0]!;
    // 6 of 9 equal stakes is exactly 2/3: not more than 2/3.
    expect(heistStanding(r.side(), six.signatures, six.signedStake ?? 0)).toMatchObject({ enough: false, held: "6 keys, 67 % of the stake" });
  });

  it("words the threshold by design", () => {
    expect(heistThreshold(round(1).side())).toBe("5 of 9 bridge keys");
    expect(heistThreshold(round(2).side())).toBe("more than 2/3 of the stake");
  });
});

describe("the projector's sidechain lane", () => {
  it("its HEIST total equals the vault's SHORT figure, after two heists by different organizers", () => {
    const r = round(1);
    const drain = (organizer: string, amount: number) => {
      expect(r.send(organizer, "sidechain:heistPropose", { amount })).toBeUndefined();
      const id = r.heistsOf(organizer).find((h) => h.organizer === organizer)!.id;
      for (const v of VALIDATORS.slice(0, 5)) {
        const heist = r.heistsOf(v).find((h) => h.id === id)!;
        if (!heist.signed) expect(r.send(v, "sidechain:heistSign", { id, sig: signHeistAs(r.keys.get(v)!.secretKey, heist, r.side()) })).toBeUndefined();
      }
      expect(r.send(organizer, "sidechain:heistRelease", { id })).toBeUndefined();
      r.blocks(2);
    };
    drain("v1", eth(2.5));
    const figure = (text: string) => /([\d.]+) ETH/.exec(text)?.[1];
    expect(figure(heistBanner(r.side(), null))).toBe("2.50");
    expect(figure(vaultVerdict(r.side()))).toBe(figure(heistBanner(r.side(), null)));
    drain("v2", eth(1.25));
    const side = r.side();
    expect(side.attempts.filter((a) => a.outcome === "drained")).toHaveLength(2);
    // The banner is the total, not the last heist's 1.25 ETH, and the vault says the same.
    expect(heistBanner(side, null)).toContain("3.75 ETH in all");
    expect(vaultVerdict(side)).toBe("✗ SHORT 3.75 ETH");
  });
});
