import { nameOf } from "../../net/snapshot.ts";
import type { Snapshot } from "../../net/snapshot.ts";
import { SIDECHAIN_POINTS } from "../../../../shared/engine/sidechain/round.ts";
import { formatEth } from "../../ui/format.ts";
import type { LossNotice } from "../view.ts";
import { sideWorld } from "./side-snap.ts";
import { heistStanding, heistThreshold, stakeBehind } from "./heist-terms.ts";

/** The names of a heist's signers, in a sentence. */
function names(s: Snapshot, ids: readonly string[]): string {
  const list = ids.map((id) => nameOf(s, id));
  return list.length <= 1 ? (list[0] ?? "nobody") : `${list.slice(0, -1).join(", ")} and ${list.at(-1)}`;
}

/**
 * What a sidechain round cost you: your bridged tokens lost their backing when stolen keys
 * drained the vault (m of n bridge keys against the multisig, more than 2/3 of the stake against
 * the checkpoint bridge), or (a key that signed the heist) the alarm that named you.
 */
export function sidechainLosses(s: Snapshot, me: string): LossNotice[] {
  const side = sideWorld(s);
  const losses: LossNotice[] = [];
  const held = s.players[me]?.wallet?.l2Balance ?? 0;
  side.attempts.forEach((heist, i) => {
    if (heist.outcome !== "drained") return;
    const backed = side.supply > 0 ? Math.min(1, side.escrow / side.supply) : 1;
    if (!heist.signers.includes(me) && held > 0) {
      losses.push({
        id: `drained-${i}`,
        what: side.design === "checkpoint"
          ? `The keys of ${names(s, heist.signers)} (${heistStanding(side, heist.signatures, stakeBehind(side, heist.signers)).held}) signed a checkpoint over a block the sidechain never had, and its forged burn paid ${formatEth(heist.amount)}: the bridge vault on L1 was drained.`
          : `The keys of ${names(s, heist.signers)} (${heist.signatures} of the bridge's ${side.n} keys) signed a release of ${formatEth(heist.amount)} nobody burned for: the bridge vault on L1 was drained.`,
        cost: `Your ${formatEth(held)} of sidechain tokens are now backed by only ${(backed * 100).toFixed(0)} % of their value in ETH (${formatEth(held * backed)}).`,
        couldHave: `Withdrawn to L1 before the heist, or kept your money where L1 checks the state: keys holding ${heistThreshold(side)} can take everything the vault holds.`,
      });
    }
    const caught = side.alarms.find((a) => a.verdict === "right" && a.atMs >= heist.atMs);
    if (heist.signers.includes(me) && caught) {
      losses.push({
        id: `caught-${i}`,
        what: `${nameOf(s, caught.by)} raised the alarm on the heist you signed: your signature is on L1 for everyone to see.`,
        cost: `${SIDECHAIN_POINTS.heistCaught} points: a heist scores its keys nothing, and yours is named on L1.`,
        couldHave: `Refused to sign: a theft needs ${heistThreshold(side)}, and one honest refusal can be the one it lacks.`,
      });
    }
  });
  return losses;
}
