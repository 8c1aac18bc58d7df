import { afterAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../server/app.ts";
import { signL2Tx } from "../../shared/engine/l2-state.ts";
import { eth } from "../../shared/engine/units.ts";
import { createSession, freePort, joinAsHost, joinAsPlayer, leaveAll, myId, myWallet, startTestServer, waitFor, walletModule } from "./helpers.ts";
import type { Peer } from "./helpers.ts";

/** The L2 mempool's rows go to the sequencer alone; everyone else sees how many there are. */
describe("the sequencer's mempool", () => {
  let app: RunningApp | null = null;
  const peers: Peer[] = [];
  afterAll(async () => {
    await leaveAll(peers);
    await app?.close();
  });

  it("lists the waiting transactions on the sequencer's phone only, and counts them for everyone", async () => {
    const port = await freePort();
    app = await startTestServer(port);
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    const sam = await joinAsPlayer(port, session.code, "Sam");
    const uma = await joinAsPlayer(port, session.code, "Uma");
    const vic = await joinAsPlayer(port, session.code, "Vic");
    peers.push(host, sam, uma, vic);
    const send = (type: string, body: Record<string, unknown> = {}) => host.room.send(type, { token: session.hostToken, ...body });
    send("host:assign", { playerId: myId(sam), role: "sequencer" });
    send("host:assign", { playerId: myId(uma), role: "user" });
    send("host:assign", { playerId: myId(vic), role: "user" });
    send("host:plan", { rounds: [{ scenario: "optimistic", durationSec: 300 }] });
    send("host:start");
    await waitFor("Uma funded on L2", () => (uma.views.you?.l2Balance ?? 0) >= eth(1) || null, 30_000);
    const tx = signL2Tx(uma.key.secretKey, { kind: "transfer", from: myId(uma), to: myId(vic), amount: eth(0.1), fee: host.room.state.world.l2FeePerTx, nonce: myWallet(uma).l2Nonce });
    uma.room.send("user:l2", { tx: { kind: "transfer", to: myId(vic), amount: tx.amount, fee: tx.fee, nonce: tx.nonce, sig: tx.sig }, seq: 1 });
    await waitFor("accepted", () => uma.acks.some((a) => a.seq === 1));
    type Rows = { mempool: { id: string; from: string; to: string; amount: number; censored: boolean }[] };
    const rows = await waitFor("on the sequencer's phone", () => walletModule<Rows>(sam)?.mempool.find((p) => p.from === myId(uma)));
    expect(rows).toMatchObject({ to: myId(vic), amount: eth(0.1), censored: false });
    await waitFor("counted for everyone", () => host.room.state.world.l2MempoolSize === 1 || null);
    // Nobody else gets the rows.
    expect(walletModule(uma)).toBeNull();
    expect(walletModule(vic)).toBeNull();
    expect(JSON.stringify(host.room.state.world)).not.toContain(rows.id);
    const softBefore = host.room.state.world.softCount as number;
    sam.room.send("seq:include", { txIds: [rows.id], seq: 2 });
    await waitFor("included", () => sam.acks.some((a) => a.seq === 2));
    await waitFor("out of the mempool", () => (host.room.state.world.l2MempoolSize === 0 && walletModule<Rows>(sam)?.mempool.length === 0) || null);
    expect(host.room.state.world.softCount).toBe(softBefore + 1);
  });
});
