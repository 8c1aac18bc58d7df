import { l1Moves } from "../../shared/bots/l1.ts";
import { feeOf } from "./common.ts";
import { assignInOrder } from "./scenario.ts";
import type { ScenarioDef } from "./scenario.ts";

/** "L1 rush hour": no Layer 2 at all; everyone pays everyone on L1 and the blocks fill up. */
export const l1: ScenarioDef = {
  params: {},
  lead: null,
  balance: (players) => assignInOrder(players, [], "user", false),
  start: () => ({
    genesis: () => [],
    act(_world, me, type, d) {
      if (type !== "l1:send") return `unknown message ${type}`;
      if (d.to === me) return "Pick someone else to pay.";
      return { type: "l1Transfer", from: me, to: d.to as string, amount: d.amount as number, ...feeOf(d) };
    },
    publicView: () => "",
    privateView: () => "",
    wallet: () => ({ l2Balance: 0, l2Nonce: 0, withdrawals: "[]" }),
    botMoves: (world, mind, players) => l1Moves(world, mind, players.map((p) => p.id)),
  }),
};
