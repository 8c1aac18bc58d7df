import type { SignedL2Tx } from "../../../shared/protocol/messages.ts";
import { parseJson, nameOf } from "../net/snapshot.ts";
import type { InboxSnap, Snapshot, TxEntry, WithdrawalEntry } from "../net/snapshot.ts";
import { h, setHidden, setText, syncList } from "../ui/dom.ts";
import { TX_STATUS_LABEL, txKindLabel, formatEth, formatFee, formatSeconds, parseEth } from "../ui/format.ts";
import { showError } from "../ui/messages.ts";
import { rollupLosses } from "./dispute.ts";
import { createL2Signer } from "./l2-signer.ts";
import { syncRecipients } from "./recipients.ts";
import { ethInput, field, panel, stat } from "./view.ts";
import type { PlayContext, View } from "./view.ts";

/**
 * The user's wallet: deposit from L1, pay and withdraw on L2 (signed here with the player's
 * own key), finalise withdrawals after the challenge window, force a censored transaction
 * through the L1 delayed inbox.
 */
export function createUserView(ctx: PlayContext): View {
  const { conn, me, key } = ctx;
  const l1 = h("strong", { class: "amount" }, "—");
  const l2 = h("strong", { class: "amount" }, "—");
  const fee = h("span", {}, "—");

  const signer = createL2Signer(me, key);
  // Signed transactions we sent, to force one through L1 if the sequencer censors it.
  const unmatched: SignedL2Tx[] = [];
  const signedById = new Map<string, SignedL2Tx>();
  const forced = new Set<string>();
  const includeAsked = new Set<number>();
  let latest: Snapshot | null = null;

  const sendL2 = (kind: "transfer" | "withdraw", to: string, amount: number): void => {
    if (!latest) return;
    const tx = signer.sign(kind, to, amount, latest.world.l2FeePerTx, latest.players[me]?.wallet?.l2Nonce ?? 0);
    unmatched.push(tx);
    conn.send("user:l2", { tx });
  };
  conn.onError((error) => {
    if (error.type === "user:l2") signer.forget();
  });

  // Deposit
  const depositAmount = ethInput("0.5", "deposit");
  const depositForm = h(
    "form",
    { class: "action-form", onsubmit: (e: Event) => {
      e.preventDefault();
      const amount = parseEth(depositAmount.value);
      if (amount === null) return showError("Type a deposit amount in ETH, more than 0.");
      conn.send("user:deposit", { amount });
    } },
    field("Deposit amount (ETH)", depositAmount, "From your L1 balance into the rollup bridge."),
    h("button", { type: "submit" }, "Deposit to L2"),
  );

  // Transfer
  const toSelect = h("select", { name: "to", required: true });
  const sendAmount = ethInput("0.05", "amount");
  const sendForm = h(
    "form",
    { class: "action-form", onsubmit: (e: Event) => {
      e.preventDefault();
      const amount = parseEth(sendAmount.value);
      if (amount === null) return showError("Type an amount in ETH, more than 0.");
      if (!toSelect.value) return showError("Pick who to pay.");
      sendL2("transfer", toSelect.value, amount);
    } },
    field("Pay to", toSelect),
    field("Amount (ETH)", sendAmount),
    h("button", { type: "submit" }, "Send on L2"),
  );

  // Withdraw
  const withdrawAmount = ethInput("0.1", "withdraw");
  const withdrawForm = h(
    "form",
    { class: "action-form", onsubmit: (e: Event) => {
      e.preventDefault();
      const amount = parseEth(withdrawAmount.value);
      if (amount === null) return showError("Type a withdrawal amount in ETH, more than 0.");
      sendL2("withdraw", me, amount);
    } },
    field("Withdraw amount (ETH)", withdrawAmount, "Back to L1: you can claim it once its batch is final."),
    h("button", { type: "submit" }, "Withdraw to L1"),
  );

  const withdrawalList = h("ul", { class: "rows", "aria-label": "Your withdrawals" });
  const withdrawalsEmpty = h("p", { class: "muted" }, "No withdrawals yet.");
  const inboxList = h("ul", { class: "rows", "aria-label": "Your transactions in the L1 delayed inbox" });
  const inboxPanel = panel("Forced through L1", h("p", { class: "muted" }, "The sequencer must include these; after the delay anyone may force them onto L1 without it, proposing their state root with the sequencer's bond (refunded once final)."), inboxList);
  const txList = h("ul", { class: "rows", "aria-label": "Your transactions" });
  const txEmpty = h("p", { class: "muted" }, "Nothing sent yet.");

  const el = h(
    "div",
    { class: "role-view user-view" },
    panel("Your wallet", h("div", { class: "stats" }, stat("On L1", l1), stat("On L2", l2), stat("L2 fee per transaction", fee))),
    panel("Pay someone on L2", sendForm),
    panel("Your transactions", txEmpty, txList),
    inboxPanel,
    panel("Withdraw", withdrawForm, withdrawalsEmpty, withdrawalList),
    panel("Deposit", depositForm),
  );

  const renderTx = (s: Snapshot, tx: TxEntry): HTMLElement => {
    const to = tx.to ? ` → ${nameOf(s, tx.to)}` : "";
    const amount = tx.amount ? ` ${formatEth(tx.amount)}` : "";
    const row = h(
      "li",
      { class: `row status-${tx.status}` },
      h("span", { class: "row-main" }, `${txKindLabel(tx.kind)}${amount}${to}`),
      h("span", { class: "badge" }, TX_STATUS_LABEL[tx.status] ?? tx.status),
      tx.reason ? h("span", { class: "row-detail" }, tx.reason) : null,
    );
    if (tx.status === "censored") {
      const signed = signedById.get(tx.id);
      if (forced.has(tx.id)) {
        row.appendChild(h("span", { class: "row-detail" }, "Sent through the L1 delayed inbox: see below."));
      } else if (signed) {
        row.appendChild(h("button", { type: "button", "data-fk": `force-${tx.id}`, onclick: () => {
          forced.add(tx.id);
          conn.send("user:force", { tx: signed });
        } }, "Force it through L1"));
      } else {
        row.appendChild(h("span", { class: "row-detail" }, "Sent from another tab: send it again to force it."));
      }
    }
    return row;
  };

  const renderWithdrawal = (w: WithdrawalEntry): HTMLElement => {
    const label = w.status === "ready" ? "ready to claim" : w.status === "initiated" ? "waiting for its batch to be final" : w.status === "finalized" ? "paid on L1 ✓" : w.status;
    return h(
      "li",
      { class: `row status-${w.status}` },
      h("span", { class: "row-main" }, `Withdraw ${formatEth(w.amount)}`),
      h("span", { class: "badge" }, label),
      w.status === "ready" ? h("button", { type: "button", "data-fk": `fin-${w.id}`, onclick: () => conn.send("user:finalize", { withdrawalId: w.id }) }, "Finalize on L1") : null,
    );
  };

  const renderInbox = (s: Snapshot, entry: InboxSnap): HTMLElement => {
    const waitLeft = entry.enqueuedAtMs + s.world.forcedInclusionDelayMs - s.world.nowMs;
    const row = h("li", { class: "row" }, h("span", { class: "row-main" }, `Inbox entry #${entry.id}`));
    if (entry.included) row.appendChild(h("span", { class: "badge" }, "included on L2 ✓"));
    else if (waitLeft > 0) row.appendChild(h("span", { class: "badge" }, `force possible in ${formatSeconds(waitLeft)}`));
    else if (includeAsked.has(entry.id)) row.appendChild(h("span", { class: "badge" }, "forcing…"));
    else {
      row.appendChild(h("button", { type: "button", "data-fk": `inc-${entry.id}`, onclick: () => {
        includeAsked.add(entry.id);
        conn.send("user:forceInclude", { entryId: entry.id });
      } }, "Force inclusion now (bonds its state root)"));
    }
    return row;
  };

  return {
    el,
    losses: (s) => rollupLosses(s, me),
    update(s) {
      latest = s;
      const wallet = s.players[me]?.wallet;
      setText(l1, formatEth(wallet?.l1Balance ?? 0));
      setText(l2, formatEth(wallet?.l2Balance ?? 0));
      setText(fee, formatFee(s.world.l2FeePerTx));
      signer.seen(wallet?.l2Nonce ?? 0);
      syncRecipients(toSelect, s, me);

      const txs = parseJson<TxEntry[]>(wallet?.txs, []);
      // Match the transactions the server has numbered to the ones we signed, oldest first.
      for (const tx of [...txs].reverse()) {
        if (signedById.has(tx.id) || (tx.kind !== "transfer" && tx.kind !== "withdraw")) continue;
        const index = unmatched.findIndex((u) => u.kind === tx.kind && u.to === tx.to && u.amount === tx.amount);
        if (index >= 0) signedById.set(tx.id, unmatched.splice(index, 1)[0]!);
      }
      setHidden(txEmpty, txs.length > 0);
      syncList(txList, txs, (t) => t.id, (t) => `${t.status}|${t.reason ?? ""}|${signedById.has(t.id)}|${forced.has(t.id)}|${nameOf(s, t.to)}`, (t) => renderTx(s, t));

      const withdrawals = parseJson<WithdrawalEntry[]>(wallet?.withdrawals, []);
      setHidden(withdrawalsEmpty, withdrawals.length > 0);
      syncList(withdrawalList, withdrawals, (w) => w.id, (w) => w.status, renderWithdrawal);

      const mine = s.world.inbox.filter((e) => e.from === me);
      setHidden(inboxPanel, mine.length === 0);
      syncList(inboxList, mine, (e) => String(e.id), (e) => {
        const left = e.enqueuedAtMs + s.world.forcedInclusionDelayMs - s.world.nowMs;
        return `${e.included}|${left > 0 ? Math.ceil(left / 1000) : 0}|${includeAsked.has(e.id)}`;
      }, (e) => renderInbox(s, e));
    },
  };
}
