import { nameOf } from "../../net/snapshot.ts";
import type { Snapshot } from "../../net/snapshot.ts";
import { formatEth } from "../../ui/format.ts";
import type { LossNotice } from "../view.ts";
import { plasmaWallet, plasmaWorld } from "./coins.ts";
import { EXIT_ORDER_WORDS } from "../../../../shared/engine/plasma/views.ts";

/**
 * What a Plasma round is costing you, coin by coin: a coin the operator stole in a withheld block
 * (still savable: exit it), an exit cancelled by a challenge (its bond lost), an exit paid short.
 */
export function plasmaLosses(s: Snapshot, me: string): LossNotice[] {
  const wallet = plasmaWallet(s, me);
  const operator = nameOf(s, plasmaWorld(s)?.operator ?? "") || "the operator";
  return wallet.coins.flatMap((coin): LossNotice[] => {
    const amount = formatEth(coin.amount);
    switch (coin.status) {
      case "stolen":
        return [{
          id: `stolen-${coin.utxoPos}`,
          what: `The operator ${operator} put a spend of your coin of ${amount} into a block, without your signature, and hid the block's data.`,
          cost: `${amount} is lost unless your exit of the coin reaches L1 before the exit period ends.`,
          couldHave: "Exit it now (\"Exit it anyway\" in your coins): nobody can challenge the exit of a coin you never spent. Next time, exit as soon as a block's data is withheld.",
        }];
      case "challenged":
        return [{
          id: `challenged-${coin.utxoPos}`,
          what: `Someone proved your coin of ${amount} was already spent, and cancelled your exit of it.`,
          cost: "Your exit bond is lost.",
          couldHave: "Exit only coins you still hold: a coin you paid away belongs to whoever you paid.",
        }];
      case "paid":
        if ((coin.paid ?? coin.amount) >= coin.amount) return [];
        return [{
          id: `short-${coin.utxoPos}`,
          what: `The Plasma contract ran out of ETH before paying your exit in full.`,
          cost: `You got ${formatEth(coin.paid ?? 0)} for a coin of ${amount}: ${formatEth(coin.amount - (coin.paid ?? 0))} lost.`,
          couldHave: `Exited sooner: exits are paid ${EXIT_ORDER_WORDS}. Yours started too late to rank ahead of the operator's forged coins, which drained the escrow first.`,
        }];
      default:
        return [];
    }
  });
}
