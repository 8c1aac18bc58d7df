import { assignInOrder } from "./scenario.ts";
import type { ScenarioDef } from "./scenario.ts";

/** plasma rounds (to be built: roles, messages, views, bots). */
export const plasma: ScenarioDef = {
  params: {},
  lead: null,
  balance: (players) => assignInOrder(players, [], "user", false),
  start: () => ({
    genesis: () => [],
    act: (_world, _me, type) => `unknown message ${type}`,
    publicView: () => "",
    privateView: () => "",
    wallet: () => ({ l2Balance: 0, l2Nonce: 0, withdrawals: "[]" }),
    botMoves: () => [],
  }),
};
