import { DEFAULT_CONFIG } from "../../../../shared/engine/config.ts";
import { signMessage } from "../../../../shared/crypto/sign.ts";
import { burnMessage, transferMessage } from "../../../../shared/engine/sidechain/messages.ts";
import { parseJson } from "../../net/snapshot.ts";
import type { Snapshot } from "../../net/snapshot.ts";
import { h, setHidden, setText, syncList } from "../../ui/dom.ts";
import { formatEth, formatFee, formatSeconds, parseEth } from "../../ui/format.ts";
import { showError } from "../../ui/messages.ts";
import { syncRecipients } from "../recipients.ts";
import { ethInput, field, panel, stat } from "../view.ts";
import type { PlayContext, View } from "../view.ts";
import { backingInWords, sideWorld, signatureBar } from "./side-snap.ts";
import type { SideWithdrawalSnap } from "./side-snap.ts";
import { sidechainLosses } from "./losses.ts";
import "./sidechain.css";

const ACK_TEXT: Record<string, string> = {
  "sidechain:deposit": "Deposit sent to L1: the bridge locks it and the sidechain mints it in its next block.",
  "sidechain:send": "Signed and sent: in the next sidechain block, about a second from now.",
  "sidechain:withdraw": "Burn sent: once its block commits, the bridge's validators sign your withdrawal.",
  "sidechain:release": "Release sent to L1 with the validators' signatures: paid in the next L1 block.",
};

/**
 * A sidechain user: deposit through the bridge, pay others (signed here with your own key) and
 * withdraw: burn, watch the validators' signatures come in ("3 of 5"), then release on L1.
 * Beside it, the two numbers that say whether the bridge can still pay everyone back.
 */
export function createSidechainUserView(ctx: PlayContext): View {
  const { conn, me, key } = ctx;
  const l1 = h("strong", { class: "amount" }, "—");
  const l2 = h("strong", { class: "amount" }, "—");
  const sideFee = h("strong", { class: "amount" }, "—");
  const l1Fee = h("strong", { class: "amount" }, "—");
  const escrow = h("strong", { class: "amount" }, "—");
  const supply = h("strong", { class: "amount" }, "—");
  const backing = h("p", { class: "side-backing", "aria-live": "polite" });
  const released = new Set<number>();
  let latest: Snapshot | null = null;
  // Nonces: the wallet's next nonce counts pending transactions; count on locally between a send and the next patch.
  let localNonce: number | null = null;
  let seenNonce = -1;

  const nextNonce = (): number => {
    const nonce = Math.max(latest?.players[me]?.wallet?.l2Nonce ?? 0, localNonce ?? 0);
    localNonce = nonce + 1;
    return nonce;
  };
  const offError = conn.onError((error) => {
    if (error.type === "sidechain:send" || error.type === "sidechain:withdraw") localNonce = null;
    if (error.type === "sidechain:release") released.clear();
  });

  const toSelect = h("select", { name: "to", required: true });
  const sendAmount = ethInput("0.05", "amount");
  const sendForm = h("form", { class: "action-form", onsubmit: (e: Event) => {
    e.preventDefault();
    const amount = parseEth(sendAmount.value);
    if (amount === null) return showError("Type an amount in ETH, more than 0.");
    if (!toSelect.value || !latest) return showError("Pick who to pay.");
    const fee = sideWorld(latest).txFee;
    const nonce = nextNonce();
    conn.send("sidechain:send", { to: toSelect.value, amount, nonce, sig: signMessage(key.secretKey, transferMessage(me, toSelect.value, amount, fee, nonce)) });
  } }, field("Pay to", toSelect), field("Amount (ETH)", sendAmount), h("button", { type: "submit" }, "Send on the sidechain"));

  const withdrawAmount = ethInput("0.1", "withdraw");
  const withdrawForm = h("form", { class: "action-form", onsubmit: (e: Event) => {
    e.preventDefault();
    const amount = parseEth(withdrawAmount.value);
    if (amount === null || !latest) return showError("Type a withdrawal amount in ETH, more than 0.");
    const fee = sideWorld(latest).txFee;
    const nonce = nextNonce();
    conn.send("sidechain:withdraw", { amount, nonce, sig: signMessage(key.secretKey, burnMessage(me, amount, fee, nonce)) });
  } }, field("Withdraw amount (ETH)", withdrawAmount, "Burned on the sidechain; the bridge pays it on L1 once enough validators sign."), h("button", { type: "submit" }, "Withdraw to L1"));

  const depositAmount = ethInput("0.5", "deposit");
  const depositForm = h("form", { class: "action-form", onsubmit: (e: Event) => {
    e.preventDefault();
    const amount = parseEth(depositAmount.value);
    if (amount === null) return showError("Type a deposit amount in ETH, more than 0.");
    conn.send("sidechain:deposit", { amount });
  } }, field("Deposit amount (ETH)", depositAmount, "Locked in the bridge on L1, minted to you on the sidechain."), h("button", { type: "submit" }, "Deposit through the bridge"));

  const withdrawalList = h("ul", { class: "rows", "aria-live": "polite", "aria-label": "Your withdrawals" });
  const withdrawalsEmpty = h("p", { class: "muted" }, "No withdrawals yet.");

  const el = h("div", { class: "role-view side-user-view" },
    panel("Your wallet",
      h("div", { class: "stats" }, stat("On L1", l1), stat("On the sidechain", l2), stat("Sidechain fee per transaction", sideFee), stat("An L1 transfer now costs", l1Fee)),
      h("p", { class: "side-rule" }, "⚡ A new sidechain block every second, for a tiny fee — because you trust its validators.")),
    panel("Pay someone on the sidechain", sendForm),
    panel("Withdraw", withdrawForm, withdrawalsEmpty, withdrawalList),
    panel("Is the bridge still good for your tokens?",
      h("div", { class: "side-pair" }, stat("ETH locked in the bridge on L1", escrow), stat("Tokens on the sidechain", supply)),
      backing),
    panel("Deposit", depositForm),
  );

  const renderWithdrawal = (w: SideWithdrawalSnap, m: number, nowMs: number, design: "multisig" | "checkpoint"): HTMLElement => {
    const row = h("li", { class: `row status-${w.status}` }, h("span", { class: "row-main" }, `Withdraw ${formatEth(w.amount)}`));
    if (w.status === "paid") {
      row.appendChild(h("span", { class: "badge" }, "✓ paid on L1"));
      return row;
    }
    if (design === "checkpoint") {
      // Polygon PoS: nobody signs a withdrawal; it proves its burn against a checkpoint once one covers it.
      if (!w.ready) {
        row.appendChild(h("span", { class: "row-detail" }, `Waiting ${formatSeconds(nowMs - w.burnedAtMs)} for a checkpoint on L1 to cover your burn.`));
        return row;
      }
      const proved = released.has(w.nonce);
      row.appendChild(h("button", { type: "button", "data-fk": `release-${w.nonce}`, disabled: proved, onclick: () => {
        released.add(w.nonce);
        conn.send("sidechain:release", { nonce: w.nonce });
      } }, proved ? "Burn proof sent: waiting for L1…" : "✓ Under a checkpoint: prove your burn on L1"));
      return row;
    }
    row.appendChild(signatureBar(w.signatures, m, `Signatures on your withdrawal of ${formatEth(w.amount)}`));
    if (w.signatures < m) {
      row.appendChild(h("span", { class: "row-detail" }, `Waiting ${formatSeconds(nowMs - w.burnedAtMs)} for the bridge's validators to sign.`));
      return row;
    }
    const sent = released.has(w.nonce);
    row.appendChild(h("button", { type: "button", "data-fk": `release-${w.nonce}`, disabled: sent, onclick: () => {
      released.add(w.nonce);
      conn.send("sidechain:release", { nonce: w.nonce });
    } }, sent ? "Release sent: waiting for L1…" : "✓ Enough signatures: release on L1"));
    return row;
  };

  return {
    acks: ACK_TEXT,
    el,
    losses: (s) => sidechainLosses(s, me),
    update(s) {
      latest = s;
      const wallet = s.players[me]?.wallet;
      const world = sideWorld(s);
      if ((wallet?.l2Nonce ?? 0) !== seenNonce) {
        seenNonce = wallet?.l2Nonce ?? 0;
        localNonce = null;
      }
      setText(l1, formatEth(wallet?.l1Balance ?? 0));
      setText(l2, formatEth(wallet?.l2Balance ?? 0));
      setText(sideFee, formatFee(world.txFee));
      setText(l1Fee, formatFee(DEFAULT_CONFIG.gas.transfer * (s.world.baseFee + 1)));
      setText(escrow, formatEth(world.escrow));
      setText(supply, formatEth(world.supply));
      const verdict = backingInWords(world.escrow, world.supply);
      setText(backing, verdict.text);
      backing.classList.toggle("side-short", !verdict.ok);
      syncRecipients(toSelect, s, me);
      const withdrawals = parseJson<SideWithdrawalSnap[]>(wallet?.withdrawals, []).slice().reverse();
      setHidden(withdrawalsEmpty, withdrawals.length > 0);
      syncList(withdrawalList, withdrawals, (w) => w.id, (w) => `${w.status}|${w.signatures}|${world.m}|${world.design}|${w.ready ?? false}|${released.has(w.nonce)}|${w.status === "burned" && w.signatures < world.m ? Math.floor((s.world.nowMs - w.burnedAtMs) / 1000) : ""}`,
        (w) => renderWithdrawal(w, world.m, s.world.nowMs, world.design));
    },
    dispose() {
      offError();
    },
  };
}
