import { signChannelState } from "../../../../shared/engine/channels/message.ts";
import { dutyMessage, dutySignProblem, dutySigns, routingFee } from "../../../../shared/engine/channels/routing.ts";
import type { Duty } from "../../../../shared/engine/channels/routing.ts";
import { nameOf } from "../../net/snapshot.ts";
import type { Snapshot } from "../../net/snapshot.ts";
import { h, setHidden, setText, syncList } from "../../ui/dom.ts";
import { formatEth, formatSeconds, parseEth } from "../../ui/format.ts";
import { showError } from "../../ui/messages.ts";
import { ethInput, field, panel } from "../view.ts";
import type { PlayContext } from "../view.ts";
import type { HtlcSnap, MyChannelSnap, RouteSnap, UserModuleSnap } from "./channels-snap.ts";

/** A duty still on screen this long after its message went out is sent again (the message or its answer was lost). */
const RESEND_AFTER_MS = 5_000;

const STATUS_WORDS: Record<RouteSnap["status"], string> = {
  sent: "◔ your node is offering the first HTLC",
  forwarding: "◔ the hub holds it",
  offered: "◔ the receiver holds the hub's HTLC",
  claimed: "◔ receiver paid; the hub claims its part",
  done: "✓ delivered",
  bounced: "✗ came back from the receiver",
  failed: "✗ failed: the money went back to the payer",
};

/** 32 random bytes as hex: the payment's secret (keysend: the payer picks it, the receiver learns it from the onion). */
function newPreimage(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A pending HTLC in one of your channels, in words. */
export function htlcWords(c: MyChannelSnap, me: string, htlc: HtlcSnap, s: Snapshot): string {
  const left = htlc.expiryMs - s.world.nowMs;
  const when = left > 0 ? `expires in ${formatSeconds(left)}` : "expired: it goes back to whoever offered it";
  return htlc.offerer === me
    ? `🔒 ${formatEth(htlc.amount)} of yours locked for ${nameOf(s, c.partner)} until it shows the secret (${when})`
    : `🔒 ${formatEth(htlc.amount)} from ${nameOf(s, c.partner)} locked for you until you show the secret (${when})`;
}

/**
 * Lightning through a hub on a student's phone: a form to pay anyone through the hub, the state of
 * your routed payments, and your node at work — it forwards, fulfils, fails and countersigns HTLC
 * steps by itself (as real Lightning nodes do), signing each with your key after checking that it
 * takes nothing from you but an HTLC you offer.
 */
export function createRoutingPanel(ctx: PlayContext): { el: HTMLElement; update(s: Snapshot, m: UserModuleSnap): void } {
  const { conn, me, key } = ctx;
  const sent = new Map<string, number>();
  const receiver = h("select", { name: "receiver", required: true });
  const amount = ethInput("0.1", "routeAmount");
  const feeNote = h("p", { class: "hint" });
  const showFee = () => {
    const value = parseEth(amount.value);
    setText(feeNote, value === null ? "" : `The hub keeps ${formatEth(routingFee(value))} (0.0005 ETH + 1 %): ${formatEth(value + routingFee(value))} leaves your channel with it.`);
  };
  amount.addEventListener("input", showFee);
  showFee();
  const form = h("form", { class: "action-form", onsubmit: (e: Event) => {
    e.preventDefault();
    const value = parseEth(amount.value);
    if (value === null) return showError("Type an amount in ETH, more than 0.");
    if (!receiver.value) return showError("Pick who to pay.");
    conn.send("channels:route", { to: receiver.value, amount: value, preimage: newPreimage() });
  } },
  field("Pay", receiver, "Anyone with a channel to the hub: you need no channel with them."),
  field("Amount (ETH)", amount),
  feeNote,
  h("button", { type: "submit", class: "big" }, "Pay through the hub"));
  const hubNote = h("p", { class: "ch-rule" });
  const routes = h("ul", { class: "ch-routes" });
  const el = panel("Pay anyone through the hub", hubNote, form, routes);

  /** Your node's turn: sign and send each duty once (again if it is still there after a while). */
  const runNode = (s: Snapshot, m: UserModuleSnap): void => {
    if (m.offlineUntilMs > s.world.nowMs) return;
    const now = Date.now();
    for (const duty of m.duties) {
      const id = dutyKey(duty);
      if (now - (sent.get(id) ?? -Infinity) < RESEND_AFTER_MS) continue;
      let sig = "";
      if (dutySigns(duty)) {
        const latest = m.channels.find((c) => c.id === duty.channelId)?.latest;
        const problem = latest ? dutySignProblem(duty, me, latest) : null;
        if (problem) {
          sent.set(id, now);
          showError(`Your node refused to sign: ${problem}.`);
          continue;
        }
        sig = signChannelState(key.secretKey, { id: duty.channelId, a: duty.a, b: duty.b }, "update", duty.state);
      }
      const message = dutyMessage(duty, sig);
      sent.set(id, now);
      conn.send(message.type, message.payload as never);
    }
  };

  return {
    el,
    update(s, m) {
      setHidden(el, m.hub === null);
      if (m.hub === null) return;
      runNode(s, m);
      const isHub = m.hub === me;
      setHidden(form, isHub);
      setText(hubNote, isHub
        ? "You are the hub: everyone has a channel with you, and your node forwards their payments by itself for a fee (0.0005 ETH + 1 %). Stay online: a payment you forwarded must be claimed back before the payer's HTLC expires."
        : `${nameOf(s, m.hub)} is the hub: your payment travels as an HTLC to it and another from it to the receiver, both locked by one secret. The receiver's HTLC expires first, so the hub can always claim back what it paid.`);
      syncList(receiver, m.reachable, (id) => id, (id) => nameOf(s, id), (id) => h("option", { value: id }, nameOf(s, id)));
      syncList(routes, m.routes, (r) => r.hash, (r) => r.status, (r) => h("li", {},
        `${r.payer === me ? `You → ${nameOf(s, r.receiver)}` : r.receiver === me ? `${nameOf(s, r.payer)} → you` : `${nameOf(s, r.payer)} → ${nameOf(s, r.receiver)} (fee ${formatEth(r.fee)})`}: ${formatEth(r.amount)} · ${STATUS_WORDS[r.status]}`));
    },
  };
}

function dutyKey(duty: Duty): string {
  return JSON.stringify([duty.kind, duty.channelId, duty.hash, "state" in duty ? duty.state.seq : null, "htlcId" in duty ? duty.htlcId : null]);
}
