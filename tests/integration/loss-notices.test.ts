import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../server/app.ts";
import { plasmaLosses } from "../../client/src/views/plasma/losses.ts";
import { sidechainLosses } from "../../client/src/views/sidechain/losses.ts";
import { signMessage } from "../../shared/crypto/sign.ts";
import { LOSS_REASON_TEXT } from "../../shared/engine/plasma/round.ts";
import type { PlasmaPublicView, PlasmaWalletView } from "../../shared/engine/plasma/views.ts";
import { heistMessage } from "../../shared/engine/sidechain/heist.ts";
import { SIDECHAIN_POINTS } from "../../shared/engine/sidechain/round.ts";
import { eth } from "../../shared/engine/units.ts";
import { createSession, debriefOf, freePort, idOf, joinAsHost, joinAsPlayer, leaveAll, myId, myWallet, startTestServer, waitFor, walletModule, worldModule } from "./helpers.ts";
import type { Peer, Session } from "./helpers.ts";
import { phoneSnapshot } from "./phone-view.ts";

let app: RunningApp;
let port: number;

beforeAll(async () => {
  port = await freePort();
  // Game time runs 6× faster than the wall clock.
  app = await startTestServer(port, { timeScale: 6 });
});
afterAll(async () => {
  await app.close();
});

/** A session with its students joined and each given a role; bots added; `rounds` planned. */
async function classOf<Name extends string>(names: Record<Name, string>, bots: { count: number; role: string; difficulty: string }[], round: { scenario: string; durationSec: number; params?: Record<string, number> }) {
  const session: Session = await createSession(port);
  const host = await joinAsHost(port, session);
  const peers = {} as Record<Name, Peer>;
  for (const name of Object.keys(names) as Name[]) peers[name] = await joinAsPlayer(port, session.code, name);
  const total = Object.keys(names).length + bots.reduce((sum, b) => sum + b.count, 0);
  for (const bot of bots) host.room.send("host:addBots", { token: session.hostToken, ...bot });
  await waitFor("everyone in", () => host.room.state.players.size === total);
  const roles = Object.entries(names) as [Name, string][];
  for (const [name, role] of roles) host.room.send("host:assign", { token: session.hostToken, playerId: idOf(host, name), role });
  await waitFor("roles", () => roles.every(([name, role]) => host.room.state.players.get(idOf(host, name))?.role === role));
  host.room.send("host:plan", { token: session.hostToken, rounds: [round] });
  host.room.send("host:start", { token: session.hostToken });
  await waitFor("round running", () => host.room.state.phase === "running");
  return { session, host, peers };
}

describe("a coin lost to a withheld Plasma block", () => {
  it("the victim's phone explains it once the block's data is out; the debrief lists it as stolen", async () => {
    const { session, host, peers } = await classOf({ Olga: "operator", Vic: "user" }, [{ count: 3, role: "user", difficulty: "easy" }], { scenario: "plasma", durationSec: 600, params: { exitPeriodSec: 30 } });
    const { Olga: olga, Vic: vic } = peers;
    const vicId = myId(vic);
    const wallet = (peer: Peer) => walletModule<PlasmaWalletView>(peer) ?? { coins: [], onPlasma: 0 };

    // Olga withholds her first block, and in it spends Vic's 2 ETH deposit coin to herself.
    const coin = await waitFor("Vic's deposit coin", () => wallet(vic).coins.find((c) => c.status === "plasma"), 30_000);
    await waitFor("Olga may take it", () => wallet(olga).operator?.candidates.some((c) => c.utxoPos === coin.utxoPos));
    olga.room.send("plasma:commit", { withhold: true, steal: [coin.utxoPos], tip: 5, maxFee: 100, seq: 1 });
    const block = await waitFor("the withheld block", () => worldModule<PlasmaPublicView>(vic)?.withheld[0], 30_000);
    // While the data is hidden nobody can know what the block holds: the phone shows the alert, not a loss.
    expect(wallet(vic).coins.find((c) => c.utxoPos === coin.utxoPos)!.status).toBe("plasma");
    expect(plasmaLosses(phoneSnapshot(vic), vicId)).toEqual([]);

    // Once the data is out, Vic's phone says who took what, what it will cost, and what to do now.
    olga.room.send("plasma:publish", { block, seq: 2 });
    await waitFor("Vic sees the theft", () => wallet(vic).coins.find((c) => c.utxoPos === coin.utxoPos)?.status === "stolen", 30_000);
    expect(plasmaLosses(phoneSnapshot(vic), vicId)).toEqual([{
      id: `stolen-${coin.utxoPos}`,
      what: "The operator Olga put a spend of your coin of 2.0000 ETH into a block, without your signature, and hid the block's data.",
      cost: "2.0000 ETH is lost unless your exit of the coin reaches L1 before the exit period ends.",
      couldHave: "Exit it now (\"Exit it anyway\" in your coins): nobody can challenge the exit of a coin you never spent. Next time, exit as soon as a block's data is withheld.",
    }]);
    expect(plasmaLosses(phoneSnapshot(olga), myId(olga))).toEqual([]);
    expect([olga, vic].flatMap((p) => p.errors)).toEqual([]);

    // Vic never exits: the debrief counts the coin as his, stolen.
    host.room.send("host:endRound", { token: session.hostToken });
    await waitFor("final", () => host.room.state.phase === "final", 30_000);
    const debrief = debriefOf(host);
    expect(debrief.plasma).toMatchObject({ stolenCoins: 1, victims: [vicId] });
    expect(debrief.losses).toContainEqual({ player: vicId, amount: eth(2), why: `${LOSS_REASON_TEXT.stolen} (1 coin)` });
    await leaveAll([olga, vic, host]);
  }, 120_000);
});

/** The heist invitations a validator's private view carries. */
interface HeistInvite {
  id: number;
  organizer: string;
  amount: number;
  nonce: number;
  status: string;
  signatures: number;
  signed: boolean;
  attempts: number;
}

/** world.module of a sidechain round, the fields this test reads. */
interface SideView {
  escrow: number;
  supply: number;
  attempts: { outcome: "refused" | "drained"; amount: number; signatures: number; signers: string[] }[];
  alarms: { by: string; verdict: string }[];
}

describe("a bridge heist", () => {
  it("everyone holding sidechain tokens is told the vault was drained and by whom; a signer is told once the alarm names them", async () => {
    // Four corrupt (hard) bot validators hold 4 of the 5 keys the bridge needs; Val holds a fifth.
    const { session, host, peers } = await classOf(
      { Vic: "user", Val: "validator", Aud: "auditor" },
      [{ count: 4, role: "validator", difficulty: "hard" }, { count: 2, role: "user", difficulty: "normal" }],
      { scenario: "sidechain", durationSec: 900, params: { bridgeThreshold: 5, bridgeSeats: 9 } },
    );
    const { Vic: vic, Val: val, Aud: aud } = peers;
    const [vicId, valId] = [myId(vic), myId(val)];
    const view = (peer: Peer) => worldModule<SideView>(peer);
    await waitFor("Vic's deposit minted on the sidechain", () => myWallet(vic).l2Balance >= eth(2), 30_000);

    // The bots' own 4-key release reverts; they invite Val, who signs; the fifth key drains the vault.
    const invite = await waitFor("Val is invited to a heist", () => (walletModule<{ heists: HeistInvite[] }>(val)?.heists ?? []).find((h) => !h.signed), 60_000);
    await waitFor("the 4-key release reverts", () => view(host)?.attempts.some((a) => a.outcome === "refused"), 60_000);
    const heist = walletModule<{ heists: HeistInvite[] }>(val)!.heists.find((h) => h.id === invite.id)!;
    val.room.send("sidechain:heistSign", { id: heist.id, sig: signMessage(val.key.secretKey, heistMessage(heist)), seq: 1 });
    await waitFor("the bridge is drained", () => view(vic)?.attempts.some((a) => a.outcome === "drained"), 60_000);
    const index = view(vic)!.attempts.findIndex((a) => a.outcome === "drained");
    const drained = view(vic)!.attempts[index]!;
    expect(drained.signers).toContain(valId);

    // Vic signed nothing and held tokens: the notice names the signers and what his tokens are worth now.
    const vicPhone = phoneSnapshot(vic);
    const side = view(vic)!;
    const held = myWallet(vic).l2Balance;
    const backed = Math.min(1, side.escrow / side.supply);
    const [notice, ...more] = sidechainLosses(vicPhone, vicId);
    expect(more).toEqual([]);
    expect(notice).toMatchObject({ id: `drained-${index}` });
    expect(notice!.what).toMatch(/^The keys of .+ \(5 of the bridge's 9 keys\) signed a release of \d+\.\d{4} ETH nobody burned for: the bridge vault on L1 was drained\.$/);
    for (const signer of drained.signers) expect(notice!.what).toContain(vicPhone.players[signer]!.name);
    expect(notice!.cost).toBe(`Your ${(held / 1e9).toFixed(4)} ETH of sidechain tokens are now backed by only ${(backed * 100).toFixed(0)} % of their value in ETH (${((held * backed) / 1e9).toFixed(4)} ETH).`);
    expect(backed).toBeLessThan(1);
    expect(notice!.couldHave).toMatch(/^Withdrawn to L1 before the heist/);
    // Val, a signer, lost nothing to the heist, and nobody has named him yet.
    expect(sidechainLosses(phoneSnapshot(val), valId)).toEqual([]);

    // Aud compares vault and supply and raises the alarm: now Val's phone says what signing cost him.
    aud.room.send("sidechain:alarm", { seq: 1 });
    await waitFor("the alarm is right", () => view(val)?.alarms.some((a) => a.by === myId(aud) && a.verdict === "right"), 30_000);
    expect(sidechainLosses(phoneSnapshot(val), valId)).toEqual([{
      id: `caught-${index}`,
      what: "Aud raised the alarm on the heist you signed: your signature is on L1 for everyone to see.",
      cost: expect.stringMatching(new RegExp(`^${SIDECHAIN_POINTS.heistCaught} points\\b`)),
      couldHave: expect.stringMatching(/^Refused to sign: a theft needs 5 of 9 bridge keys\b/),
    }]);
    expect([vic, val, aud].flatMap((p) => p.errors)).toEqual([]);
    host.room.send("host:endRound", { token: session.hostToken });
    await waitFor("final", () => host.room.state.phase === "final", 30_000);
    await leaveAll([vic, val, aud, host]);
  }, 240_000);
});
