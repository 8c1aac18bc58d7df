import type { Action, FeeChoice } from "../../shared/engine/actions.ts";
import { COIN_MATURITY_MS, EXIT_CHALLENGE_PERIOD_MS, EXITS_PROCESSED_PER_BLOCK, PLASMA } from "../../shared/engine/plasma/constants.ts";
import { PlasmaWallets, plasmaOf, plasmaPublicView } from "../../shared/engine/plasma/views.ts";
import type { PlasmaWalletView } from "../../shared/engine/plasma/views.ts";
import { plasmaMoves } from "../../shared/bots/plasma.ts";
import type { PlasmaBotPlan } from "../../shared/bots/plasma.ts";
import { STARTING_DEPOSIT, feeOf } from "./common.ts";
import { assignInOrder } from "./scenario.ts";
import type { ScenarioDef } from "./scenario.ts";

/** Defaults in classroom seconds: a bot operator's block every 6 s, its theft 90 s into the round. */
const BLOCK_INTERVAL_SEC = 6;
const WITHHOLD_AT_SEC = 90;

function plasmaCall(me: string, call: Record<string, unknown>, fee: FeeChoice = {}): Action {
  return { type: "module", module: PLASMA, by: me, call, ...fee };
}

/** Plasma: one operator (a bot when there is one: it cheats on normal and hard), everyone else a user. */
export const plasma: ScenarioDef = {
  lead: "operator",
  balance: (players) => assignInOrder(players, [["operator", 1]], "user", true),
  start() {
    const wallets = new PlasmaWallets();
    // Wallets of this projection pass (publicView reads the chain once for all of them).
    let walletOf = new Map<string, PlasmaWalletView>();
    let plan: PlasmaBotPlan = { blockIntervalMs: BLOCK_INTERVAL_SEC * 1000, withholdAtMs: WITHHOLD_AT_SEC * 1000 };
    return {
      genesis(_world, players, params) {
        const operator = players.find((p) => p.role === "operator")!;
        const exitPeriodMs = Math.round((params.exitPeriodSec ?? EXIT_CHALLENGE_PERIOD_MS / 1000) * 1000);
        const maturityMs = params.exitPeriodSec === undefined ? COIN_MATURITY_MS : 2 * exitPeriodMs;
        plan = {
          blockIntervalMs: Math.round((params.blockIntervalSec ?? BLOCK_INTERVAL_SEC) * 1000),
          withholdAtMs: Math.round((params.withholdAtSec ?? WITHHOLD_AT_SEC) * 1000),
        };
        return [
          plasmaCall(operator.id, { kind: "configure", exitPeriodMs, maturityMs, exitsPerBlock: Math.round(params.exitsPerBlock ?? EXITS_PROCESSED_PER_BLOCK) }),
          plasmaCall(operator.id, { kind: "becomeOperator" }),
          ...players.filter((p) => p.role !== "operator").map((p) => plasmaCall(p.id, { kind: "deposit", amount: STARTING_DEPOSIT })),
        ];
      },
      lateJoin: (_world, p) => [plasmaCall(p.id, { kind: "deposit", amount: STARTING_DEPOSIT })],
      act(_world, me, type, d) {
        const fee = feeOf(d);
        switch (type) {
          case "plasma:deposit": return plasmaCall(me, { kind: "deposit", amount: d.amount }, fee);
          case "plasma:transfer": return plasmaCall(me, { kind: "transfer", tx: d.tx });
          case "plasma:commit": return plasmaCall(me, { kind: "commitBlock", withhold: d.withhold === true, steal: d.steal ?? [], ...(d.da ? { da: d.da } : {}) }, fee);
          case "plasma:publish": return plasmaCall(me, { kind: "publishBlock", block: d.block });
          case "plasma:startExit": return plasmaCall(me, { kind: "startExit", utxoPos: d.utxoPos, tx: d.tx, proof: d.proof }, fee);
          case "plasma:challenge":
            return plasmaCall(me, { kind: "challenge", exitUtxoPos: d.exitUtxoPos, block: d.block, txIndex: d.txIndex, inputIndex: d.inputIndex, tx: d.tx, proof: d.proof }, fee);
          default: return `unknown message ${type}`;
        }
      },
      /** PlasmaPublicView (shared/engine/plasma/views.ts): roots, published or withheld, the exit queue. */
      publicView(world) {
        const s = plasmaOf(world);
        walletOf = new Map();
        if (!s) return "";
        wallets.begin(world, s);
        return JSON.stringify(plasmaPublicView(world, s));
      },
      /** PlasmaWalletView: your coins with their transactions and Merkle proofs; the operator's pool and withheld blocks. */
      privateView(world, playerId) {
        if (!plasmaOf(world)) return "";
        return JSON.stringify(walletFor(playerId));
      },
      wallet(world, playerId) {
        if (!plasmaOf(world)) return { l2Balance: 0, l2Nonce: 0, withdrawals: "[]" };
        const view = walletFor(playerId);
        const exits = view.coins
          .filter((coin) => coin.status === "requested" || coin.status === "exiting" || coin.status === "paid" || coin.status === "challenged")
          .map((coin) => ({ id: String(coin.utxoPos), amount: coin.amount, status: coin.status }));
        return { l2Balance: view.onPlasma, l2Nonce: 0, withdrawals: JSON.stringify(exits) };
      },
      botMoves: (world, mind, players) => plasmaMoves(world, mind, players.map((p) => p.id), plan),
    };

    function walletFor(playerId: string): PlasmaWalletView {
      let view = walletOf.get(playerId);
      if (!view) {
        view = wallets.wallet(playerId);
        walletOf.set(playerId, view);
      }
      return view;
    }
  },
};
