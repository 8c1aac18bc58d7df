import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchMaker } from "@colyseus/core";
import type { RunningApp } from "../../server/app.ts";
import { conservationViolation } from "../../shared/engine/conservation.ts";
import type { World } from "../../shared/engine/world.ts";
import type { Scenario } from "../../shared/protocol/messages.ts";
import { createSession, joinAsHost, joinAsPlayer, leaveAll, myId, startTestServer, testPort, waitFor } from "./helpers.ts";
import type { Peer, Session } from "./helpers.ts";

/**
 * Every message that carries an id, in every scenario, with the id replaced by a name
 * Object.prototype answers to. Each must be refused with a clear error and change nothing; money
 * stays conserved, Object.prototype stays as it was, and a player in another classroom on the same
 * server keeps being served.
 */

const PROTOTYPE_NAMES = [...Object.getOwnPropertyNames(Object.prototype), "prototype"];
const SIG = "ab".repeat(64);

/** Message templates: `x` is where the hostile id goes. Roles don't matter: ids are checked before roles. */
const TEMPLATES: Record<Scenario | "host", [type: string, build: (x: string) => Record<string, unknown>][]> = {
  optimistic: [
    ["user:l2", (x) => ({ tx: { kind: "transfer", to: x, amount: 1_000, fee: 0, nonce: 0, sig: SIG } })],
    ["user:force", (x) => ({ tx: { kind: "withdraw", to: x, amount: 1_000, fee: 0, nonce: 0, sig: SIG } })],
    ["user:finalize", (x) => ({ withdrawalId: x })],
    ["seq:include", (x) => ({ txIds: [x] })],
    ["seq:censor", (x) => ({ txId: x })],
    ["seq:post", (x) => ({ cheat: { kind: "steal", victim: x, amount: 1_000 } })],
  ],
  zk: [
    ["zk:send", (x) => ({ tx: { kind: "transfer", to: x, amount: 1_000, fee: 0, nonce: 0, sig: SIG } })],
    ["zk:claim", (x) => ({ withdrawalId: x })],
    ["zk:prove", (x) => ({ cheat: { kind: "steal", victim: x, amount: 1_000 } })],
  ],
  l1: [["l1:send", (x) => ({ to: x, amount: 1_000 })]],
  channels: [
    ["channels:open", (x) => ({ counterparty: x, deposit: 1_000 })],
    ["channels:fund", (x) => ({ channelId: x })],
    ["channels:cancel", (x) => ({ channelId: x })],
    ["channels:propose", (x) => ({ channelId: x, kind: "update", split: { seq: 1, balanceA: 1, balanceB: 1 }, sig: SIG })],
    ["channels:propose", (x) => ({ channelId: "ch-1", kind: "update", split: { seq: 1, balanceA: 1, balanceB: 1, htlcs: [{ id: 1, offerer: x, amount: 1_000, hash: "ab".repeat(32), expiryMs: 1 }] }, sig: SIG })],
    ["channels:route", (x) => ({ to: x, amount: 1_000, preimage: "ab".repeat(32) })],
    ["channels:claimHtlc", (x) => ({ channelId: x, htlcId: 1, preimage: "ab".repeat(32) })],
    ["channels:decline", (x) => ({ channelId: x, stateSeq: 1 })],
    ["channels:forceClose", (x) => ({ channelId: x, state: { seq: 1, balanceA: 1, balanceB: 1, sigA: SIG, sigB: SIG } })],
    ["channels:accept", (x) => ({ channelId: x, stateSeq: 1, sig: SIG })],
    ["channels:hireTower", (x) => ({ channelId: "ch-1", tower: x, fee: 0 })],
    ["channels:penalize", (x) => ({ channelId: x, state: { seq: 1, balanceA: 1, balanceB: 1, sigA: SIG, sigB: SIG } })],
  ],
  plasma: [
    ["plasma:transfer", (x) => ({ tx: { inputs: [1_000_000_000], outputs: [{ owner: x, amount: 1_000 }], sigs: [SIG] } })],
    ["plasma:startExit", (x) => ({ utxoPos: 1_000_000_000, tx: { inputs: [], outputs: [{ owner: x, amount: 1_000 }], sigs: [] }, proof: Array.from({ length: 16 }, () => "ab".repeat(32)) })],
  ],
  sidechain: [["sidechain:send", (x) => ({ to: x, amount: 1_000, nonce: 0, sig: SIG })]],
  host: [
    ["host:assign", (x) => ({ playerId: x, role: "user" })],
    ["host:kick", (x) => ({ playerId: x })],
  ],
};

/** Object.prototype's own properties and their values, to compare before and after. */
function prototypeSnapshot(): string {
  return Object.getOwnPropertyNames(Object.prototype).sort().map((name) => {
    const d = Object.getOwnPropertyDescriptor(Object.prototype, name)!;
    return `${name}=${typeof d.value}:${typeof d.value === "function" ? (d.value as { name: string }).name : String(d.value)}:${typeof d.get}`;
  }).join("|");
}

interface Classroom {
  session: Session;
  host: Peer;
  player: Peer;
}

function worldOf(code: string): World {
  const room = matchMaker.getLocalRoomById(code) as unknown as { rounds: { round: { world: World } | null } };
  return room.rounds.round!.world;
}

describe("ids named after Object.prototype properties", () => {
  const port = testPort(6100);
  let app: RunningApp;
  const classrooms = new Map<Scenario, Classroom>();
  let neighbour: Classroom;

  beforeAll(async () => {
    app = await startTestServer(port, { tickMs: 50, botTurnMs: 200 }, { messagesPerSec: 10_000, messageBurst: 10_000, floodKickDrops: 1_000_000 });
    const open = async (scenario: Scenario, name: string): Promise<Classroom> => {
      const session = await createSession(port);
      const host = await joinAsHost(port, session);
      const player = await joinAsPlayer(port, session.code, name);
      host.room.send("host:addBots", { token: session.hostToken, count: 3 });
      host.room.send("host:plan", { token: session.hostToken, rounds: [{ scenario, durationSec: 600 }] });
      host.room.send("host:start", { token: session.hostToken });
      await waitFor(`${scenario} round running`, () => host.room.state.phase === "running");
      return { session, host, player };
    };
    for (const scenario of ["optimistic", "zk", "l1", "channels", "plasma", "sidechain"] as const) classrooms.set(scenario, await open(scenario, `Kid ${scenario}`));
    neighbour = await open("l1", "Neighbour");
  });

  afterAll(async () => {
    await leaveAll([...classrooms.values(), neighbour].flatMap((c) => (c ? [c.host, c.player] : [])));
    await app?.close();
  });

  it("are refused at the edge with a clear error, in every scenario and every message that carries one; money is conserved and the neighbour is still served", async () => {
    const before = prototypeSnapshot();
    const cases = Object.entries(TEMPLATES).flatMap(([scenario, templates]) => templates.map(([type, build]) => ({ scenario, type, build })));
    let neighbourSeq = 1_000;
    let tried = 0;
    // Every message that carries an id, with every name: the whole domain, not a sample of it.
    for (const { scenario, type, build } of cases) {
      for (const hostile of PROTOTYPE_NAMES) {
        const classroom = classrooms.get((scenario === "host" ? "optimistic" : scenario) as Scenario)!;
        const sender = scenario === "host" ? classroom.host : classroom.player;
        const seq = sender.errors.length + sender.acks.length + 10_000;
        const body = { ...build(hostile), ...(scenario === "host" ? { token: classroom.session.hostToken } : {}), seq };
        sender.room.send(type, body);
        const answer = await waitFor(`answer to ${type}`, () => sender.errors.find((e) => e.seq === seq) ?? sender.acks.find((a) => a.seq === seq));
        expect(answer, `${type} with ${hostile}`).toMatchObject({ code: "invalid_payload" });
        expect((answer as unknown as { message: string }).message).toMatch(/must be (a player id|an id)/);
        expect(prototypeSnapshot()).toBe(before);
        expect(conservationViolation(worldOf(classroom.session.code))).toBeNull();
        // The classroom next door is served as usual.
        const mine = ++neighbourSeq;
        const other = [...neighbour.host.room.state.players.keys()].find((id) => id !== myId(neighbour.player))!;
        neighbour.player.room.send("l1:send", { to: other, amount: 1_000, seq: mine });
        await waitFor("neighbour acked", () => neighbour.player.acks.some((a) => a.seq === mine));
        tried += 1;
      }
    }
    expect(tried).toBe(cases.length * PROTOTYPE_NAMES.length);
    // And every classroom is still up: its round still running, its host still served.
    for (const classroom of classrooms.values()) expect(classroom.host.room.state.phase).toBe("running");
  });

  it("well-formed ids of nobody are refused by name; withdrawals go only to yourself", async () => {
    const { player, host } = classrooms.get("optimistic")!;
    player.room.send("user:l2", { tx: { kind: "transfer", to: "p9999", amount: 1_000, fee: 0, nonce: 0, sig: SIG }, seq: 1 });
    const stranger = await waitFor("refusal", () => player.errors.find((e) => e.seq === 1));
    expect(stranger).toMatchObject({ code: "rejected", message: "There is no player p9999 in this game." });
    const someoneElse = [...host.room.state.players.keys()].find((id) => id !== myId(player))!;
    player.room.send("user:l2", { tx: { kind: "withdraw", to: someoneElse, amount: 1_000, fee: 0, nonce: 0, sig: SIG }, seq: 2 });
    const withdrawal = await waitFor("refusal", () => player.errors.find((e) => e.seq === 2));
    expect(withdrawal).toMatchObject({ code: "rejected" });
    expect(withdrawal.message).toMatch(/to yourself/);
    // The same on the ZK rollup.
    const zk = classrooms.get("zk")!;
    const zkOther = [...zk.host.room.state.players.keys()].find((id) => id !== myId(zk.player))!;
    zk.player.room.send("zk:send", { tx: { kind: "withdraw", to: zkOther, amount: 1_000, fee: 0, nonce: 0, sig: SIG }, seq: 3 });
    const zkWithdrawal = await waitFor("refusal", () => zk.player.errors.find((e) => e.seq === 3));
    expect(zkWithdrawal).toMatchObject({ code: "rejected" });
    expect(zkWithdrawal.message).toMatch(/to yourself/);
  });
});
