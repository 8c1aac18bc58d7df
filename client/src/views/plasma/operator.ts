import type { PlasmaOperatorView } from "../../../../shared/engine/plasma/views.ts";
import { coinBlockLabel } from "../../../../shared/engine/plasma/views.ts";
import { COMMIT_GAS } from "../../../../shared/engine/plasma/constants.ts";
import { nameOf } from "../../net/snapshot.ts";
import type { Snapshot } from "../../net/snapshot.ts";
import { h, setDisabled, setHidden, setText, syncList } from "../../ui/dom.ts";
import { formatEth } from "../../ui/format.ts";
import { showError } from "../../ui/messages.ts";
import { panel, stat } from "../view.ts";
import type { PlayContext, View } from "../view.ts";
import { blockName, createChainStrip, createCoinList, createExitQueue, createTipChoice, plasmaWallet, plasmaWorld } from "./coins.ts";
import { PLASMA_ACK_TEXT } from "./user.ts";
import "./plasma.css";

/**
 * The Plasma operator: the transfers waiting for a block, Commit block (its root alone, or its
 * data in a blob beside the root, which can then never be withheld), and the temptation — withhold the next block's data and slip in spends of other people's
 * coins. Withheld blocks can be published later; forged coins are exited like any other.
 */
export function createPlasmaOperatorView(ctx: PlayContext): View {
  const { conn, me } = ctx;
  const poolCount = h("strong", { class: "amount" }, "—");
  const escrow = h("strong", { class: "amount" }, "—");
  const baseFee = h("strong", { class: "amount" }, "—");
  const tips = createTipChoice();
  const coins = createCoinList(conn, tips);
  const queue = createExitQueue(conn, me);
  const chain = createChainStrip();
  let latest: Snapshot | null = null;


  const fee = () => ({ tip: 5, maxFee: 3 * (latest?.world.baseFee ?? 10) + 5 });
  const poolList = h("ul", { class: "rows", "aria-label": "Transfers waiting for your next block" });
  const poolEmpty = h("p", { class: "muted" }, "No transfers waiting.");
  const pending = h("p", { class: "muted", "aria-live": "polite" });
  const commit = h("button", { type: "button", class: "big", onclick: () => conn.send("plasma:commit", { da: "calldata", ...fee() }) }, "Commit block (root only)");
  // EIP-4844: the block's transactions in blobs beside its root. Readable from L1 by everyone, so never withheld.
  const commitBlob = h("button", { type: "button", class: "secondary", onclick: () => conn.send("plasma:commit", { da: "blob", ...fee() }) }, "Commit block with its data in a blob");
  const commitHelp = h("p", { class: "muted" },
    `Root only (Plasma MVP): ${COMMIT_GAS.toLocaleString("en")} gas whatever the block holds, and the data stays with you — you could withhold it. ` +
    "In a blob: the same commit plus the block's transactions in an EIP-4844 blob (blob gas, its own fee market): everyone can read them from L1 for about 18 days, so that block can never be withheld. The debrief shows what the data cost both ways.");

  // The temptation: pick coins to take; they move to you in a block whose data nobody sees.
  const chosen = new Set<number>();
  const candidates = h("ul", { class: "rows", "aria-label": "Coins you could take" });
  const steal = h("button", { type: "button", class: "danger", onclick: () => {
    if (chosen.size === 0) return showError("Tick at least one coin to take.");
    conn.send("plasma:commit", { withhold: true, steal: [...chosen], ...fee() });
    chosen.clear();
  } }, "Withhold next block and steal");
  const cheat = h("details", { class: "cheat" },
    h("summary", {}, "Cheat (users are watching for missing data)"),
    h("p", {}, "Your next block moves the ticked coins to you with forged spends (a payment waiting with one of them is dropped). You commit only its root and keep its data — a block in a blob could not hide anything: nobody can prove anything about it — but everyone can see it is missing, and they will rush to exit."),
    candidates, steal);

  const withheldList = h("ul", { class: "rows", "aria-label": "Your withheld blocks" });
  const withheldPanel = panel("Withheld blocks", h("p", { class: "muted" }, "Only you have their data. Publishing lets everyone check them (and challenge with them)."), withheldList);

  const el = h("div", { class: "role-view plasma-operator-view" },
    panel("Your Plasma chain",
      h("div", { class: "stats" }, stat("Transfers waiting", poolCount), stat("Contract escrow", escrow), stat("L1 base fee (gwei/gas)", baseFee)),
      pending, commitHelp, h("div", { class: "button-row" }, commit, commitBlob), poolEmpty, poolList),
    cheat,
    withheldPanel,
    panel("Your coins", tips.field("Tip for your exits"), coins.el),
    queue.el,
    chain.el,
  );

  const renderPool = (s: Snapshot, tx: PlasmaOperatorView["pool"][number]): HTMLElement =>
    h("li", { class: "row" },
      h("span", { class: "row-main" }, `${nameOf(s, tx.from)} pays ${tx.recipients.map((r) => nameOf(s, r)).join(", ") || "themself"} ${formatEth(tx.amount)}`),
      h("span", { class: "badge" }, `${tx.inputs.length} coin${tx.inputs.length === 1 ? "" : "s"} in`));

  const renderCandidate = (s: Snapshot, coin: PlasmaOperatorView["candidates"][number]): HTMLElement => {
    const box = h("input", { type: "checkbox", id: `steal-${coin.utxoPos}`, "data-fk": `steal-${coin.utxoPos}`, checked: chosen.has(coin.utxoPos), onchange: (e: Event) => {
      if ((e.target as HTMLInputElement).checked) chosen.add(coin.utxoPos);
      else chosen.delete(coin.utxoPos);
    } });
    return h("li", { class: "row check" }, box, h("label", { for: box.id }, `${nameOf(s, coin.owner)}'s ${formatEth(coin.amount)} (${coinBlockLabel(coin.utxoPos)})`));
  };

  return {
    acks: PLASMA_ACK_TEXT,
    el,
    dispose() {
    },
    update(s) {
      latest = s;
      const world = plasmaWorld(s);
      const wallet = plasmaWallet(s, me);
      const op = wallet.operator ?? { pool: [], candidates: [], withheld: [] };
      setText(poolCount, String(world?.pool ?? 0));
      setText(escrow, formatEth(world?.escrow ?? 0, 2));
      setText(baseFee, String(s.world.baseFee));
      const pendingBlock = world?.blocks.find((b) => b.status === "pending");
      setText(pending, pendingBlock ? `${blockName(pendingBlock.number)}'s root is waiting for an L1 block.` : "");
      setDisabled(commit, !!pendingBlock || (world?.pool ?? 0) === 0);
      setDisabled(commitBlob, !!pendingBlock || (world?.pool ?? 0) === 0);
      setDisabled(steal, !!pendingBlock);
      setHidden(poolEmpty, op.pool.length > 0);
      syncList(poolList, op.pool, (tx) => tx.inputs.join(","), (tx) => `${nameOf(s, tx.from)}|${tx.recipients.map((r) => nameOf(s, r)).join(",")}`, (tx) => renderPool(s, tx));
      for (const pos of chosen) if (!op.candidates.some((c) => c.utxoPos === pos)) chosen.delete(pos);
      syncList(candidates, op.candidates, (c) => String(c.utxoPos), (c) => `${c.owner}|${chosen.has(c.utxoPos)}`, (c) => renderCandidate(s, c));
      setHidden(withheldPanel, op.withheld.length === 0);
      syncList(withheldList, op.withheld, (b) => String(b.block), (b) => `${b.txCount}`, (b) =>
        h("li", { class: "row" },
          h("span", { class: "row-main" }, `${blockName(b.block)}: ${b.txCount} tx, ${formatEth(b.stolen)} taken`),
          h("button", { type: "button", class: "secondary", "data-fk": `publish-${b.block}`, onclick: () => conn.send("plasma:publish", { block: b.block }) }, "Publish its data")));
      coins.update(s, world, wallet);
      queue.update(s, world, wallet);
      chain.update(world);
    },
  };
}
