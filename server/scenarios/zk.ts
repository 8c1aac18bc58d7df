import type { Action, FeeChoice } from "../../shared/engine/actions.ts";
import type { L2State } from "../../shared/engine/l2-state.ts";
import type { World } from "../../shared/engine/world.ts";
import { ZK_BRIDGE, ZK_MODULE } from "../../shared/engine/zk/constants.ts";
import { projectedState } from "../../shared/engine/zk/mempool.ts";
import type { ZkState } from "../../shared/engine/zk/types.ts";
import { zkMoves } from "../../shared/bots/zk.ts";
import { STARTING_DEPOSIT, feeOf, withdrawsElsewhere } from "./common.ts";
import { assignInOrder } from "./scenario.ts";
import type { ScenarioDef } from "./scenario.ts";

const BATCHES_SHOWN = 16;

function zkCall(me: string, call: Record<string, unknown>, fee: FeeChoice = {}): Action {
  return { type: "module", module: ZK_MODULE, by: me, call, ...fee };
}

/** The ZK rollup: about one prover in ten (bots first), everyone else a user. */
export const zk: ScenarioDef = {
  lead: "prover",
  balance: (players) => assignInOrder(players, [["prover", Math.max(1, Math.round(players.length / 10))]], "user", true),
  start() {
    // The L2 state once every pending transaction is in a batch, computed once per projection pass (in publicView).
    let projected: L2State | null = null;
    // Which shown batch holds each player's transactions (latest batch wins after a requeue), also per pass.
    let batchOf = new Map<string, Record<string, number>>();
    // Each player's withdrawals, indexed once per pass instead of a scan of all of them per wallet.
    let withdrawalsOf = new Map<string, { id: string; amount: number; status: string; batchId: number | null }[]>();
    return {
      genesis: (_world, players) => players.map((p) => zkCall(p.id, { kind: "deposit", amount: STARTING_DEPOSIT })),
      lateJoin: (_world, p) => [zkCall(p.id, { kind: "deposit", amount: STARTING_DEPOSIT })],
      act(_world, me, type, d) {
        const fee = feeOf(d);
        switch (type) {
          case "zk:deposit": return zkCall(me, { kind: "deposit", amount: d.amount }, fee);
          case "zk:send": return withdrawsElsewhere(d.tx, me) ?? zkCall(me, { kind: "send", tx: { ...(d.tx as object), id: "", from: me } });
          case "zk:claim": return zkCall(me, { kind: "claim", withdrawalId: d.withdrawalId }, fee);
          case "zk:prove": return zkCall(me, { kind: "prove", ...(d.maxTxs !== undefined ? { maxTxs: d.maxTxs } : {}), ...(d.cheat ? { cheat: d.cheat } : {}), ...(d.da ? { da: d.da } : {}) }, fee);
          case "zk:submitProof": return zkCall(me, { kind: "submitProof", batchId: d.batchId }, fee);
          default: return `unknown message ${type}`;
        }
      },
      /**
       * { pending, deposits, bridgeEscrow, verifiedRoot, batches: [{ id, prover, txCount, status, provingMs, da,
       * startedAtMs, provenAtMs, verifiedAtMs }] }. Clients work out proving progress from the game clock
       * (world.nowMs − startedAtMs) / provingMs, so this JSON changes only when a batch does, not every tick.
       */
      publicView(world) {
        const state = zkOf(world);
        projected = state ? projectedState(world, state) : null;
        withdrawalsOf = new Map();
        for (const w of Object.values(state?.withdrawals ?? {})) {
          const list = withdrawalsOf.get(w.to) ?? [];
          list.push({ id: w.id, amount: w.amount, status: w.status, batchId: w.batchId });
          withdrawalsOf.set(w.to, list);
        }
        batchOf = new Map();
        for (const b of (state?.batches ?? []).slice(-BATCHES_SHOWN)) {
          for (const tx of b.txs) {
            if (tx.kind !== "transfer" && tx.kind !== "withdraw") continue;
            const mine = batchOf.get(tx.from) ?? {};
            mine[tx.id] = b.id;
            batchOf.set(tx.from, mine);
          }
        }
        return JSON.stringify({
          pending: state?.pending.length ?? 0,
          deposits: state?.deposits.length ?? 0,
          bridgeEscrow: world.l1.balances[ZK_BRIDGE] ?? 0,
          verifiedRoot: state?.verifiedRoot ?? "",
          batches: (state?.batches ?? []).slice(-BATCHES_SHOWN).map((b) => ({
            id: b.id, prover: b.prover, txCount: b.txs.length, status: b.status,
            provingMs: b.provingMs, da: b.da,
            startedAtMs: b.startedAtMs, provenAtMs: b.provenAtMs ?? -1, verifiedAtMs: b.verifiedAtMs ?? -1,
          })),
        });
      },
      /** { batchOf: { txId: batchId } } for the player's transactions in the shown batches, "" if none. */
      privateView: (_world, playerId) => {
        const mine = batchOf.get(playerId);
        return mine ? JSON.stringify({ batchOf: mine }) : "";
      },
      wallet(world, playerId) {
        const account = projected?.accounts[playerId];
        return { l2Balance: account?.balance ?? 0, l2Nonce: account?.nonce ?? 0, withdrawals: JSON.stringify(withdrawalsOf.get(playerId) ?? []) };
      },
      botMoves: (world, mind, players) => zkMoves(world, mind, players.map((p) => p.id)),
    };
  },
};

function zkOf(world: World): ZkState | undefined {
  return world.modules[ZK_MODULE] as ZkState | undefined;
}
