import { nameOf, parseJson } from "../../net/snapshot.ts";
import type { Snapshot, TxEntry } from "../../net/snapshot.ts";
import { h, setHidden, setText, syncList } from "../../ui/dom.ts";
import { TX_STATUS_LABEL, formatEth, formatFee, parseEth, txKindLabel } from "../../ui/format.ts";
import { showError } from "../../ui/messages.ts";
import { createL2Signer } from "../l2-signer.ts";
import { syncRecipients } from "../recipients.ts";
import { ethInput, field, panel, stat } from "../view.ts";
import type { PlayContext, View } from "../view.ts";
import { optimisticContrast, optimisticWindowMs, provingBar, refreshProgress, tenths, zkBatchOf, zkWorld } from "./zk-snap.ts";
import type { ZkBatchSnap, ZkWithdrawalSnap } from "./zk-snap.ts";
import "./zk.css";

const ACK_TEXT: Record<string, string> = {
  "zk:deposit": "Deposit sent to L1: you can spend it on the ZK rollup once a block includes it.",
  "zk:send": "Signed and queued: final as soon as a prover's batch verifies on L1.",
  "zk:claim": "Claim sent to L1: the bridge pays you in the next block.",
};

/**
 * A ZK-rollup user: deposit, pay and withdraw (signed here with the player's own key), and
 * claim a withdrawal the moment its batch's proof verifies — no challenge window to wait out.
 */
export function createZkUserView(ctx: PlayContext): View {
  const { conn, me, key } = ctx;
  const signer = createL2Signer(me, key);
  const l1 = h("strong", { class: "amount" }, "—");
  const l2 = h("strong", { class: "amount" }, "—");
  const fee = h("strong", { class: "amount" }, "—");
  const claimed = new Set<string>();
  let latest: Snapshot | null = null;

  const sendZk = (kind: "transfer" | "withdraw", to: string, amount: number): void => {
    if (!latest) return;
    const tx = signer.sign(kind, to, amount, latest.world.l2FeePerTx, latest.players[me]?.wallet?.l2Nonce ?? 0);
    conn.send("zk:send", { tx });
  };
  const offError = conn.onError((error) => {
    if (error.type === "zk:send") signer.forget();
    if (error.type === "zk:claim") claimed.clear();
  });

  const toSelect = h("select", { name: "to", required: true });
  const sendAmount = ethInput("0.05", "amount");
  const sendForm = h("form", { class: "action-form", onsubmit: (e: Event) => {
    e.preventDefault();
    const amount = parseEth(sendAmount.value);
    if (amount === null) return showError("Type an amount in ETH, more than 0.");
    if (!toSelect.value) return showError("Pick who to pay.");
    sendZk("transfer", toSelect.value, amount);
  } }, field("Pay to", toSelect), field("Amount (ETH)", sendAmount), h("button", { type: "submit" }, "Send on the ZK rollup"));

  const withdrawAmount = ethInput("0.1", "withdraw");
  const withdrawForm = h("form", { class: "action-form", onsubmit: (e: Event) => {
    e.preventDefault();
    const amount = parseEth(withdrawAmount.value);
    if (amount === null) return showError("Type a withdrawal amount in ETH, more than 0.");
    sendZk("withdraw", me, amount);
  } }, field("Withdraw amount (ETH)", withdrawAmount, "Back to L1: claimable the moment its batch's proof verifies."), h("button", { type: "submit" }, "Withdraw to L1"));

  const depositAmount = ethInput("0.5", "deposit");
  const depositForm = h("form", { class: "action-form", onsubmit: (e: Event) => {
    e.preventDefault();
    const amount = parseEth(depositAmount.value);
    if (amount === null) return showError("Type a deposit amount in ETH, more than 0.");
    conn.send("zk:deposit", { amount });
  } }, field("Deposit amount (ETH)", depositAmount, "From your L1 balance into the ZK rollup's bridge."), h("button", { type: "submit" }, "Deposit to the ZK rollup"));

  const txList = h("ul", { class: "rows", "aria-label": "Your transactions" });
  const txEmpty = h("p", { class: "muted" }, "Nothing sent yet.");
  const withdrawalList = h("ul", { class: "rows", "aria-live": "polite", "aria-label": "Your withdrawals" });
  const withdrawalsEmpty = h("p", { class: "muted" }, "No withdrawals yet.");

  const el = h("div", { class: "role-view zk-user-view" },
    panel("Your wallet",
      h("div", { class: "stats" }, stat("On L1", l1), stat("On the ZK rollup", l2), stat("ZK fee per transaction", fee)),
      h("p", { class: "zk-rule" }, "✓ Final as soon as L1 verifies your batch's proof. No challenge window.")),
    panel("Pay someone on the ZK rollup", sendForm),
    panel("Your transactions", txEmpty, txList),
    panel("Withdraw", withdrawForm, withdrawalsEmpty, withdrawalList),
    panel("Deposit", depositForm),
  );

  /** A ZK transaction's status with its batch: waiting, proving n %, on its way to L1, final in x s. */
  const zkStatus = (tx: TxEntry, batch: ZkBatchSnap | undefined): string => {
    if (tx.status === "final") return batch && batch.verifiedAtMs >= 0 ? `final ✓ in ${tenths(batch.verifiedAtMs - tx.atMs)}` : "final ✓";
    if (tx.status === "pending") return "waiting for a prover";
    if (!batch) return TX_STATUS_LABEL[tx.status] ?? tx.status;
    return batch.status === "proving" ? `batch #${batch.id} proving` : `batch #${batch.id}: proof on its way to L1`;
  };

  const renderTx = (s: Snapshot, tx: TxEntry, batch: ZkBatchSnap | undefined): HTMLElement => {
    const zk = tx.kind.startsWith("ZK ");
    const to = tx.to && tx.kind === "ZK transfer" ? ` → ${nameOf(s, tx.to)}` : "";
    const amount = tx.amount ? ` ${formatEth(tx.amount)}` : "";
    return h("li", { class: `row status-${tx.status}` },
      h("span", { class: "row-main" }, `${txKindLabel(tx.kind)}${amount}${to}`),
      h("span", { class: "badge" }, zk ? zkStatus(tx, batch) : TX_STATUS_LABEL[tx.status] ?? tx.status),
      zk && tx.status === "proving" && batch?.status === "proving" ? provingBar(batch) : null,
      tx.reason ? h("span", { class: "row-detail" }, tx.reason) : null);
  };

  const renderWithdrawal = (s: Snapshot, w: ZkWithdrawalSnap, batch: ZkBatchSnap | undefined, askedAtMs: number | undefined): HTMLElement => {
    const row = h("li", { class: `row status-${w.status}` }, h("span", { class: "row-main" }, `Withdraw ${formatEth(w.amount)}`));
    if (w.status === "paid") {
      row.appendChild(h("span", { class: "badge" }, "paid on L1 ✓"));
      return row;
    }
    if (w.status === "pending") {
      row.appendChild(h("span", { class: "badge" }, batch?.status === "proving" ? `batch #${batch.id} proving` : w.batchId < 0 ? "waiting for a prover" : "waiting for its batch's proof"));
      if (batch?.status === "proving") row.appendChild(provingBar(batch));
      return row;
    }
    // Ready: its batch verified. The contrast with an optimistic rollup, in this round's numbers.
    const waited = batch && batch.verifiedAtMs >= 0
      ? `Claimable ${askedAtMs !== undefined ? `${tenths(batch.verifiedAtMs - askedAtMs)} after you asked, ` : ""}${tenths(batch.verifiedAtMs - batch.startedAtMs)} after its batch started proving. `
      : "";
    const sent = claimed.has(w.id);
    row.append(
      h("span", { class: "badge" }, "✓ ready to claim"),
      h("button", { type: "button", "data-fk": `claim-${w.id}`, disabled: sent, onclick: () => {
        claimed.add(w.id);
        conn.send("zk:claim", { withdrawalId: w.id });
      } }, sent ? "Claim sent: waiting for L1…" : "Claim on L1 now"),
      h("span", { class: "row-detail" }, `${waited}${optimisticContrast(s)}`));
    return row;
  };

  return {
    acks: ACK_TEXT,
    el,
    update(s) {
      latest = s;
      const wallet = s.players[me]?.wallet;
      const world = zkWorld(s);
      const batches = new Map(world.batches.map((b) => [b.id, b]));
      const batchOf = zkBatchOf(s, me);
      setText(l1, formatEth(wallet?.l1Balance ?? 0));
      setText(l2, formatEth(wallet?.l2Balance ?? 0));
      setText(fee, formatFee(s.world.l2FeePerTx));
      signer.seen(wallet?.l2Nonce ?? 0);
      syncRecipients(toSelect, s, me);

      const txs = parseJson<TxEntry[]>(wallet?.txs, []);
      const batchOfTx = (id: string) => {
        const batchId = batchOf[id];
        return batchId === undefined ? undefined : batches.get(batchId);
      };
      setHidden(txEmpty, txs.length > 0);
      syncList(txList, txs, (t) => t.id, (t) => {
        const b = batchOfTx(t.id);
        return `${t.status}|${t.reason ?? ""}|${nameOf(s, t.to)}|${b ? `${b.id}:${b.status}:${b.verifiedAtMs}` : ""}`;
      }, (t) => renderTx(s, t, batchOfTx(t.id)));

      const askedAt = new Map(txs.map((t) => [t.id, t.atMs]));
      const known = parseJson<ZkWithdrawalSnap[]>(wallet?.withdrawals, []);
      // A withdrawal exists on the rollup once a prover batches it; until then it is a waiting transaction.
      const unbatched = txs.filter((t) => t.kind === "ZK withdraw" && t.status === "pending" && !known.some((w) => w.id === t.id))
        .map((t): ZkWithdrawalSnap => ({ id: t.id, amount: t.amount, status: "pending", batchId: -1 }));
      const withdrawals = [...unbatched, ...known.slice().reverse()];
      setHidden(withdrawalsEmpty, withdrawals.length > 0);
      syncList(withdrawalList, withdrawals, (w) => w.id, (w) => {
        const b = batches.get(w.batchId);
        return `${w.status}|${claimed.has(w.id)}|${b ? `${b.status}:${b.verifiedAtMs}` : ""}|${optimisticWindowMs(s)}`;
      }, (w) => renderWithdrawal(s, w, batches.get(w.batchId), askedAt.get(w.id)));
      refreshProgress(el, batches);
    },
    dispose() {
      offError();
    },
  };
}
