import type { Action, DataAvailability, FeeChoice } from "../../shared/engine/actions.ts";
import type { OptimisticCall } from "../../shared/engine/optimistic/calls.ts";
import { nextL2Nonce } from "../../shared/engine/optimistic/rollup.ts";
import { OPTIMISTIC, rollupOf } from "../../shared/engine/optimistic/types.ts";
import { optimisticMoves } from "../../shared/bots/optimistic.ts";
import type { Role } from "../../shared/protocol/messages.ts";
import { STARTING_DEPOSIT, feeOf, withdrawsElsewhere } from "./common.ts";
import type { ScenarioDef } from "./scenario.ts";

/** Mempool rows the sequencer's phone lists (oldest first). */
const MEMPOOL_SHOWN = 40;

type L2TxFields = { kind: "transfer" | "withdraw"; to: string; amount: number; fee: number; nonce: number; sig: string };

/** The engine action of one of the rollup's calls, on behalf of `by`. */
function rollupCall(by: string, call: OptimisticCall, fee: FeeChoice = {}): Action {
  return { type: "module", module: OPTIMISTIC, by, call, ...fee };
}

/** The optimistic rollup: one sequencer, challengers, users; every message a call to the engine's "optimistic" module. */
export const optimistic: ScenarioDef = {
  lead: "sequencer",
  /** One sequencer (a bot when there is one: the steadiest), about one challenger in five (humans first), everyone else a user. */
  balance(players) {
    const humansFirst = [...players.filter((p) => !p.bot), ...players.filter((p) => p.bot)];
    const sequencer = players.find((p) => p.bot) ?? humansFirst[0];
    let challengersLeft = Math.max(1, Math.round(players.length / 5));
    const roles = new Map<string, Role>();
    for (const player of humansFirst) roles.set(player.id, player === sequencer ? "sequencer" : challengersLeft-- > 0 ? "challenger" : "user");
    return roles;
  },
  start() {
    // Each player's withdrawals, indexed once per projection pass (in publicView) instead of a scan per wallet.
    let withdrawalsOf = new Map<string, { id: string; amount: number; status: string }[]>();
    return {
      genesis(_world, players) {
        const sequencer = players.find((p) => p.role === "sequencer")!;
        return [rollupCall(sequencer.id, { kind: "setSequencer" }), ...players.map((p) => rollupCall(p.id, { kind: "deposit", amount: STARTING_DEPOSIT }))];
      },
      lateJoin: (_world, p) => [rollupCall(p.id, { kind: "deposit", amount: STARTING_DEPOSIT })],
      act(_world, me, type, d) {
        const fee = feeOf(d);
        const l2 = (tx: unknown) => ({ ...(tx as L2TxFields), id: "", from: me });
        switch (type) {
          case "user:deposit": return rollupCall(me, { kind: "deposit", amount: d.amount as number }, fee);
          case "user:l2": return withdrawsElsewhere(d.tx, me) ?? rollupCall(me, { kind: "l2Submit", tx: l2(d.tx) });
          case "user:finalize": return rollupCall(me, { kind: "finalizeWithdrawal", withdrawalId: d.withdrawalId as string }, fee);
          case "user:force": return withdrawsElsewhere(d.tx, me) ?? rollupCall(me, { kind: "forceSubmit", tx: l2(d.tx) }, fee);
          case "user:forceInclude": return rollupCall(me, { kind: "forceInclude", entryId: d.entryId as number }, fee);
          case "seq:include": return rollupCall(me, { kind: "sequence", ...(d.txIds ? { txIds: d.txIds as string[] } : {}) });
          case "seq:censor": return rollupCall(me, { kind: "censor", txId: d.txId as string });
          case "seq:post": return rollupCall(me, { kind: "postBatch", ...(d.cheat ? { cheat: d.cheat as never } : {}), ...(d.da ? { da: d.da as DataAvailability } : {}) }, fee);
          case "chal:challenge": return rollupCall(me, { kind: "challenge", batchId: d.batchId as number, root: d.root as string }, fee);
          case "dispute:move": return rollupCall(me, { kind: "disputeMove", disputeId: d.disputeId as number, root: d.root as string }, fee);
          case "dispute:prove": return rollupCall(me, { kind: "oneStepProof", disputeId: d.disputeId as number }, fee);
          default: return `unknown message ${type}`;
        }
      },
      publicView(world) {
        withdrawalsOf = new Map();
        for (const w of Object.values(rollupOf(world).withdrawals)) {
          const list = withdrawalsOf.get(w.to) ?? [];
          list.push({ id: w.id, amount: w.amount, status: w.status });
          withdrawalsOf.set(w.to, list);
        }
        return "";
      },
      /** The sequencer's: { mempool: [{ id, from, to, kind, amount, censored, submittedAtMs }] }, the oldest MEMPOOL_SHOWN; "" for everyone else. */
      privateView(world, playerId) {
        const rollup = rollupOf(world);
        if (playerId !== rollup.sequencer) return "";
        return JSON.stringify({ mempool: rollup.mempool.slice(0, MEMPOOL_SHOWN).map((p) => ({ id: p.tx.id, from: p.tx.from, to: p.tx.to, kind: p.tx.kind, amount: p.tx.amount, censored: p.censored, submittedAtMs: p.submittedAtMs })) });
      },
      // The sequencer's mempool follows every pass, however big the class.
      fresh: (world) => (rollupOf(world).sequencer ? [rollupOf(world).sequencer!] : []),
      wallet(world, playerId) {
        const withdrawals = JSON.stringify(withdrawalsOf.get(playerId) ?? []);
        return { l2Balance: rollupOf(world).head.accounts[playerId]?.balance ?? 0, l2Nonce: nextL2Nonce(world, playerId), withdrawals };
      },
      botMoves: (world, mind, players) => optimisticMoves(world, mind, players.map((p) => p.id)),
    };
  },
};
