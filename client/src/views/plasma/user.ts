import { signPlasmaTx } from "../../../../shared/engine/plasma/plasma-tx.ts";
import { coinBlockLabel } from "../../../../shared/engine/plasma/views.ts";
import type { PlasmaCoinView } from "../../../../shared/engine/plasma/views.ts";
import type { Snapshot } from "../../net/snapshot.ts";
import { h, prefersReducedMotion, setDisabled, setHidden, setText, syncList } from "../../ui/dom.ts";
import { formatEth, formatSeconds, parseEth } from "../../ui/format.ts";
import { showError } from "../../ui/messages.ts";
import { syncRecipients } from "../recipients.ts";
import { ethInput, field, panel, stat } from "../view.ts";
import type { PlayContext, View } from "../view.ts";
import { blockName, createChainStrip, createCoinList, createExitQueue, createTipChoice, plasmaWallet, plasmaWorld, sendExit } from "./coins.ts";
import { plasmaLosses } from "./losses.ts";
import "./plasma.css";

/** Coins with their own Exit button in the alert. */
const ALERT_COINS = 5;
/** Between the exits "Exit all" sends, ms. */
const EXIT_SPACING_MS = 150;

export const PLASMA_ACK_TEXT: Record<string, string> = {
  "plasma:deposit": "Deposit sent to L1: it becomes a coin on the Plasma chain once a block includes it.",
  "plasma:transfer": "Signed and handed to the operator: it counts once the operator's next block root is on L1.",
  "plasma:startExit": "Exit sent to L1 with your coin's Merkle proof and a bond.",
  "plasma:challenge": "Challenge sent to L1 with the spending transaction's proof.",
  "plasma:commit": "Block made: its root (and, in a blob, its data) is on its way to L1.",
  "plasma:publish": "Block data published: everyone can check it now.",
};

/**
 * Picks the coins to pay `amount` with: the smallest single coin that covers it, else the two
 * biggest (a Plasma transaction spends at most two). Null when they do not cover it.
 */
export function pickCoins(coins: readonly PlasmaCoinView[], amount: number): PlasmaCoinView[] | null {
  const spendable = coins.filter((c) => c.status === "plasma").sort((a, b) => a.amount - b.amount);
  const one = spendable.find((c) => c.amount >= amount);
  if (one) return [one];
  const two = spendable.slice(-2);
  return two.length === 2 && two[0]!.amount + two[1]!.amount >= amount ? two : null;
}

/**
 * A Plasma user: coins held on the operator's chain, payments signed here, and the way out —
 * an exit to L1 built from the coin's own transaction and Merkle proof. When a block's data is
 * withheld, a big alert says so, with the deadline to rank ahead of the operator's coins.
 */
export function createPlasmaUserView(ctx: PlayContext): View {
  const { conn, me, key } = ctx;
  const l1 = h("strong", { class: "amount" }, "—");
  const onPlasma = h("strong", { class: "amount" }, "—");
  const baseFee = h("strong", { class: "amount" }, "—");
  const tips = createTipChoice();
  const coins = createCoinList(conn, tips);
  const queue = createExitQueue(conn, me);
  const chain = createChainStrip();
  let latest: Snapshot | null = null;


  // The alert: a block's data is missing. Exit everything you can still prove, before the deadline.
  const alertTitle = h("h2", { tabindex: "-1" });
  let alerted = false;
  const alertBody = h("p", {});
  const alertDeadline = h("p", { class: "plasma-deadline" });
  const exitAll = h("button", { type: "button", class: "danger big", onclick: () => {
    if (!latest) return;
    const open = plasmaWallet(latest, me).coins.filter((c) => c.status === "plasma" || c.status === "stolen");
    if (open.length === 0) return showError("You have no coin left to exit.");
    // Spaced out to stay under the server's 8 messages a second.
    open.forEach((coin, i) => window.setTimeout(() => sendExit(conn, coin, tips.fee(latest?.world.baseFee ?? 0)), i * EXIT_SPACING_MS));
  } }, "Exit all my coins now");
  const alertCoins = h("ul", { class: "plasma-alert-coins", "aria-label": "Coins you can still exit" });
  const alert = h("section", { class: "panel plasma-alert", role: "alert" }, alertTitle, alertBody, alertDeadline, tips.field("Exit tip"), alertCoins, exitAll);

  const toSelect = h("select", { name: "to", required: true });
  const sendAmount = ethInput("0.1", "amount");
  const sendForm = h("form", { class: "action-form", onsubmit: (e: Event) => {
    e.preventDefault();
    if (!latest) return;
    const amount = parseEth(sendAmount.value);
    if (amount === null) return showError("Type an amount in ETH, more than 0.");
    if (!toSelect.value) return showError("Pick who to pay.");
    const inputs = pickCoins(plasmaWallet(latest, me).coins, amount);
    if (!inputs) return showError("Your coins on Plasma do not cover that amount (a payment spends at most two coins).");
    const total = inputs.reduce((sum, c) => sum + c.amount, 0);
    const outputs = [{ owner: toSelect.value, amount }, ...(total > amount ? [{ owner: me, amount: total - amount }] : [])];
    const tx = signPlasmaTx(inputs.map((c) => c.utxoPos), outputs, inputs.map(() => key.secretKey));
    conn.send("plasma:transfer", { tx });
  } }, field("Pay to", toSelect), field("Amount (ETH)", sendAmount, "Signed in your browser; the operator puts it in its next block."), h("button", { type: "submit" }, "Send on Plasma"));

  const depositAmount = ethInput("0.5", "deposit");
  const depositForm = h("form", { class: "action-form", onsubmit: (e: Event) => {
    e.preventDefault();
    const amount = parseEth(depositAmount.value);
    if (amount === null) return showError("Type a deposit amount in ETH, more than 0.");
    conn.send("plasma:deposit", { amount });
  } }, field("Deposit amount (ETH)", depositAmount, "From L1 into the Plasma contract: a new coin."), h("button", { type: "submit" }, "Deposit to Plasma"));

  const el = h("div", { class: "role-view plasma-user-view" },
    alert,
    panel("Your wallet",
      h("div", { class: "stats" }, stat("On L1", l1), stat("On Plasma", onPlasma), stat("L1 base fee (gwei/gas)", baseFee)),
      h("p", { class: "plasma-rule" }, "Only block roots go to L1. To leave, you prove your coin with a Merkle proof — and wait out the challenge period.")),
    // Paying comes first on a phone (it used to sit below the fold); the coins and their exits follow.
    panel("Pay someone on Plasma", sendForm),
    panel("Your coins", tips.field("Tip for your exits"), coins.el),
    queue.el,
    chain.el,
    panel("Deposit", depositForm),
  );

  return {
    acks: PLASMA_ACK_TEXT,
    el,
    losses: (s) => plasmaLosses(s, me),
    dispose() {
    },
    update(s) {
      latest = s;
      const world = plasmaWorld(s);
      const wallet = plasmaWallet(s, me);
      setText(l1, formatEth(s.players[me]?.wallet?.l1Balance ?? 0));
      setText(onPlasma, formatEth(wallet.onPlasma));
      setText(baseFee, String(s.world.baseFee));
      const withheld = world?.withheld ?? [];
      setHidden(alert, withheld.length === 0);
      // The first time a block goes missing, bring the alert to the top of the screen: there is a deadline.
      if (withheld.length > 0 && !alerted) {
        alerted = true;
        alert.scrollIntoView({ block: "start", behavior: prefersReducedMotion() ? "auto" : "smooth" });
        alertTitle.focus({ preventScroll: true });
      }
      if (world && withheld.length > 0) {
        const first = world.blocks.find((b) => b.number === withheld[0]);
        setText(alertTitle, `⚠ ${blockName(withheld[0]!).replace("block", "Block")}'s data is being withheld — your coins may be stolen. Exit now!`);
        const open = wallet.coins.filter((c) => c.status === "plasma" || c.status === "stolen").length;
        setText(alertBody, open > 0
          ? `The operator committed its root to L1 but won't show what is in it: nobody can check it. You still have ${open} coin${open === 1 ? "" : "s"} you can prove — exit ${open === 1 ? "it" : "them"}.`
          : "The operator committed its root to L1 but won't show what is in it. All your provable coins are on their way out: watch the exit queue.");
        const left = first && first.committedAtMs >= 0 ? first.committedAtMs + world.exitPeriodMs - s.world.nowMs : 0;
        setText(alertDeadline, left > 0
          ? `Deadline: ${formatSeconds(left)} left to start an exit that ranks ahead of the operator's stolen coins.`
          : "Too late to rank ahead of the stolen coins — exit anyway, before the escrow runs dry.");
        setDisabled(exitAll, open === 0);
        // The biggest coins get a button of their own; "Exit all" takes the rest.
        const exitable = wallet.coins.filter((c) => c.status === "plasma" || c.status === "stolen").sort((a, b) => b.amount - a.amount).slice(0, ALERT_COINS);
        syncList(alertCoins, exitable, (c) => String(c.utxoPos), (c) => c.status, (c) =>
          h("li", {}, h("button", { type: "button", class: "danger", "data-fk": `alert-exit-${c.utxoPos}`, onclick: () => latest && sendExit(conn, c, tips.fee(latest.world.baseFee)) },
            `Exit ${formatEth(c.amount, 2)} (${coinBlockLabel(c.utxoPos)})`)));
      }
      syncRecipients(toSelect, s, me);
      coins.update(s, world, wallet);
      queue.update(s, world, wallet);
      chain.update(world);
    },
  };
}
