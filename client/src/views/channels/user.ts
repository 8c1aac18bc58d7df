import { signChannelState } from "../../../../shared/engine/channels/message.ts";
import { CHANNEL_POINTS } from "../../../../shared/engine/channels/round.ts";
import { nameOf } from "../../net/snapshot.ts";
import type { Snapshot } from "../../net/snapshot.ts";
import { h, setHidden, setText, syncList } from "../../ui/dom.ts";
import { formatEth, formatSeconds, parseEth } from "../../ui/format.ts";
import { showError } from "../../ui/messages.ts";
import { ethInput, field, panel, stat } from "../view.ts";
import type { LossNotice, PlayContext, View } from "../view.ts";
import { balanceBar, windowBar } from "./bars.ts";
import { channelEnds, isHtlcStep, myModule, wireState } from "./channels-snap.ts";
import { createRoutingPanel, htlcWords } from "./routing.ts";
import type { MyChannelSnap, SplitSnap, UserModuleSnap } from "./channels-snap.ts";
import "./channels.css";
import { studentsFirst } from "../../ui/ranking.ts";

const ACK_NOTICE: Record<string, string> = {
  "channels:propose": "Signed by you and sent: waiting for your partner's signature.",
  "channels:accept": "Countersigned: the new state holds both signatures.",
  "channels:decline": "Declined: nothing changed.",
  "channels:open": "Channel opening: your deposit goes to L1 in the next block.",
  "channels:fund": "Your deposit goes to L1 in the next block.",
  "channels:cancel": "Cancelling on L1: your deposit comes back in the next block.",
  "channels:forceClose": "Published on L1: your share waits out the dispute window.",
  "channels:penalize": "Penalty sent to L1: if it lands inside the window, the whole channel is yours.",
  "channels:hireTower": "Watchtower hired: it holds a copy of every state you sign from now on.",
  "channels:offline": "Your node is offline: you cannot answer anything until it is back.",
  "channels:route": "Payment sent to the hub: your node offers the first HTLC now.",
};

/** A channel's status in words (never colour alone). */
function statusWords(c: MyChannelSnap, me: string, s: Snapshot): string {
  // A cheat decided how it closed: say that, not "✓ closed on L1".
  if (c.ending?.gotAway) return c.ending.cheater === me ? "✗ closed with your old state: not caught" : `✗ ${nameOf(s, c.partner)} cheated you`;
  if (c.ending?.penalizedBy) return c.ending.cheater === me ? "⚖ you were caught cheating" : `⚖ ${nameOf(s, c.partner)} was punished`;
  if (c.status === "funding") return c.toFund ? "◔ waiting for your deposit" : `◔ waiting for ${nameOf(s, c.partner)}'s deposit`;
  if (c.status === "open") return "● open: pay instantly";
  if (c.status === "closing") return c.close?.by === me ? "◔ you closed it: your share waits" : `◔ ${nameOf(s, c.partner)} closed it`;
  const outcome: Record<string, string> = { cooperative: "✓ closed together", settled: "✓ closed on L1", penalized: "⚖ closed by a penalty", cancelled: "✗ cancelled" };
  return outcome[c.outcome ?? ""] ?? "closed";
}

/**
 * A channel peer's screen: each channel as a balance bar (you | partner) with a Pay button;
 * incoming states to countersign (signed here, with your own key); the dispute window when a
 * channel closes, with a loud alert and a Penalize button when your partner publishes an old state.
 */
export function createChannelsUserView(ctx: PlayContext): View {
  const { conn, me, key } = ctx;
  const inChannels = h("strong", { class: "amount" }, "—");
  const onL1 = h("strong", { class: "amount" }, "—");
  const nodeState = h("strong", { class: "amount" }, "—");
  const alert = h("div", { class: "ch-alert", role: "alert", hidden: true });
  const list = h("div", { class: "ch-list", "aria-live": "polite" });
  const empty = h("p", { class: "muted" }, "No channel yet: open one below, or wait for the first L1 block.");
  /** What you typed per channel, so a re-render never loses it. */
  const amounts = new Map<string, string>();
  const fees = new Map<string, string>();
  /** Channels whose "Tempted?" box is open: a re-render (the partner went offline, a block) keeps it open. */
  const temptedOpen = new Set<string>();


  const sign = (c: MyChannelSnap, kind: "update" | "close", split: SplitSnap) =>
    signChannelState(key.secretKey, channelEnds(me, c), kind, split);

  const pay = (c: MyChannelSnap, amount: number): void => {
    if (amount > c.mine) return showError(`You have ${formatEth(c.mine)} in this channel: you cannot pay ${formatEth(amount)}.`);
    const fromA = c.side === "a";
    // Pending HTLCs stay as they are in a payment's state.
    const { sigA: _a, sigB: _b, ...pending } = wireState(c.latest);
    const split = { ...pending, seq: c.seq + 1, balanceA: c.latest.balanceA + (fromA ? -amount : amount), balanceB: c.latest.balanceB + (fromA ? amount : -amount) };
    conn.send("channels:propose", { channelId: c.id, kind: "update", split, sig: sign(c, "update", split) });
  };

  const proposeClose = (c: MyChannelSnap): void => {
    const split = { seq: c.latest.seq, balanceA: c.latest.balanceA, balanceB: c.latest.balanceB };
    conn.send("channels:propose", { channelId: c.id, kind: "close", split, sig: sign(c, "close", split) });
  };

  const countersign = (c: MyChannelSnap): void => {
    const p = c.incoming!;
    const myNew = c.side === "a" ? p.balanceA : p.balanceB;
    const theirNew = c.side === "a" ? p.balanceB : p.balanceA;
    // Check before signing: a payment must only move money to you; a close must pay out the latest split.
    if (p.kind === "update" && (myNew < c.mine || theirNew > c.theirs || p.seq !== c.seq + 1)) return showError("That state does not pay you: refusing to sign it.");
    if (p.kind === "close" && (p.balanceA !== c.latest.balanceA || p.balanceB !== c.latest.balanceB)) return showError("That close does not pay out the latest split: refusing to sign it.");
    conn.send("channels:accept", { channelId: c.id, stateSeq: p.seq, sig: sign(c, p.kind, { seq: p.seq, balanceA: p.balanceA, balanceB: p.balanceB, ...(p.htlcs?.length ? { htlcs: p.htlcs } : {}) }) });
  };

  // Open a channel with anyone.
  const partnerSelect = h("select", { name: "partner", required: true });
  const deposit = ethInput("1", "deposit");
  const theirDeposit = ethInput("0", "theirDeposit");
  theirDeposit.min = "0";
  theirDeposit.required = false;
  const openForm = h("form", { class: "action-form", onsubmit: (e: Event) => {
    e.preventDefault();
    const amount = parseEth(deposit.value);
    if (amount === null) return showError("Type your deposit in ETH, more than 0.");
    if (!partnerSelect.value) return showError("Pick who to open a channel with.");
    const theirs = theirDeposit.value.trim() && Number(theirDeposit.value) > 0 ? parseEth(theirDeposit.value) : 0;
    if (theirs === null) return showError("Their deposit must be an amount in ETH, or 0.");
    conn.send("channels:open", { counterparty: partnerSelect.value, deposit: amount, theirDeposit: theirs });
  } },
  field("Open a channel with", partnerSelect),
  field("Your deposit (ETH)", deposit, "Locked on L1 until the channel closes."),
  field("Their deposit (ETH)", theirDeposit, "0: they start with nothing and can only receive."),
  h("button", { type: "submit" }, "Open channel on L1"));

  const offlineButton = h("button", { type: "button", class: "secondary", onclick: () => conn.send("channels:offline", {}) }, "Go offline for 30 s");
  const offlineNote = h("p", { class: "hint" });

  const routing = createRoutingPanel(ctx);
  const el = h("div", { class: "role-view channels-user-view" },
    alert,
    panel("Your payment channels",
      h("div", { class: "stats" }, stat("Yours in channels", inChannels), stat("On L1", onL1), stat("Your node", nodeState)),
      h("p", { class: "ch-rule" }, "Pay your partner off-chain: you both sign each new split, with a higher state number. Free and instant. Nothing touches L1 until someone closes."),
      empty, list),
    routing.el,
    panel("Your node", offlineNote, offlineButton),
    panel("Open another channel", openForm),
  );

  const towerForm = (c: MyChannelSnap, s: Snapshot, towers: string[]): HTMLElement => {
    const select = h("select", { name: "tower", "data-fk": `tower-${c.id}` }, ...towers.map((t) => h("option", { value: t }, nameOf(s, t))));
    const fee = ethInput(fees.get(c.id) ?? "0.1", "fee");
    fee.dataset.fk = `fee-${c.id}`;
    fee.addEventListener("input", () => fees.set(c.id, fee.value));
    return h("form", { class: "action-form ch-tower-form", onsubmit: (e: Event) => {
      e.preventDefault();
      const amount = parseEth(fee.value);
      if (amount === null) return showError("Type the watchtower's fee in ETH, more than 0.");
      conn.send("channels:hireTower", { channelId: c.id, tower: select.value, fee: amount });
    } },
    field("Hire a watchtower", select, "It answers a cheat for you while you are offline."),
    field("Its fee (ETH)", fee, "Paid only out of a penalty it wins."),
    h("button", { type: "submit", class: "secondary", "data-fk": `hire-${c.id}` }, "Hire"));
  };

  const renderChannel = (c: MyChannelSnap, s: Snapshot, m: UserModuleSnap): HTMLElement => {
    const partner = nameOf(s, c.partner);
    const offline = m.offlineUntilMs > s.world.nowMs;
    const card = h("article", { class: `ch-card ch-${c.status}`, "aria-label": `Channel with ${partner}` },
      h("header", { class: "ch-head" },
        h("h3", {}, `With ${partner}${c.partnerOffline ? " (offline)" : ""}`),
        h("span", { class: "badge" }, statusWords(c, me, s))),
      balanceBar("You", c.mine, partner, c.theirs),
      h("p", { class: "ch-meta" }, c.status === "funding"
        ? `Not open yet: ${c.side === "a" ? "you" : partner} locked ${formatEth(c.capacity - (c.side === "a" ? c.theirs : c.mine))}; ${c.toFund ? `your ${formatEth(c.toFund)} is awaited` : `${partner}'s deposit is awaited`}.`
        : `State #${c.seq} · ${c.payments} payment${c.payments === 1 ? "" : "s"} · ${formatEth(c.capacity)} locked on L1`));

    if (c.status === "funding" && c.toFund) {
      card.append(h("button", { type: "button", class: "big", "data-fk": `fund-${c.id}`, onclick: () => conn.send("channels:fund", { channelId: c.id }) }, `Lock my ${formatEth(c.toFund)} on L1`));
    } else if (c.status === "funding" && c.side === "a") {
      card.append(h("button", { type: "button", class: "secondary", "data-fk": `cancel-${c.id}`, onclick: () => conn.send("channels:cancel", { channelId: c.id }) }, "Cancel and take my deposit back"));
    }

    if (c.status === "closing" && c.close) {
      const left = c.close.windowEndsMs - s.world.nowMs;
      const cheatOnMe = c.close.by !== me && c.close.stale;
      card.append(windowBar(left, m.windowMs, c.close.settled ? "window over" : `${formatSeconds(left)} left in the dispute window`));
      if (cheatOnMe && left > 0 && !c.close.settled && offline) {
        card.append(h("p", { class: "ch-cheat" }, `⚠ ${partner} published old state #${c.close.seq} while your node is offline. ${c.tower ? `Your watchtower ${nameOf(s, c.tower.tower)} can answer for you.` : "Nobody guards you: you cannot answer until you are back online."}`));
      } else if (cheatOnMe && left > 0 && !c.close.settled) {
        card.append(
          h("p", { class: "ch-cheat" }, `⚠ ${partner} published old state #${c.close.seq}; you both signed #${c.close.latestSeq}. Punish now: the whole channel becomes yours.`),
          h("button", { type: "button", class: "big danger", "data-fk": `pen-${c.id}`, onclick: () => conn.send("channels:penalize", { channelId: c.id, state: wireState(c.latest) }) }, `Penalize ${partner} — ${formatSeconds(left)} left`),
        );
      } else if (c.close.by === me) {
        card.append(h("p", { class: "ch-meta" }, c.close.stale ? `You published old state #${c.close.seq}. If ${partner} answers before the window ends, you lose everything in this channel.` : "Your share is paid when the window ends."));
      } else {
        card.append(h("p", { class: "ch-meta" }, `${partner} published state #${c.close.seq}, the latest: nothing to punish.`));
      }
    }

    if (c.ending) card.append(h("p", { class: c.ending.cheater === me || c.ending.gotAway ? "ch-cheat" : "ch-meta" }, endingWords(c, s)));
    for (const htlc of c.latest.htlcs ?? []) card.append(h("p", { class: "ch-meta" }, htlcWords(c, me, htlc, s)));

    if (c.status !== "open") return card;

    if (c.incoming && isHtlcStep(c, c.incoming)) {
      // Your node answers HTLC steps by itself (routing.ts), as a Lightning node does.
      card.append(h("p", { class: "ch-waiting" }, `◔ ${partner}'s node sent an HTLC step (state #${c.incoming.seq}): your node is countersigning it…`));
    } else if (c.incoming) {
      const p = c.incoming;
      const what = p.kind === "close" ? `${partner} asks to close together: you get ${formatEth(c.mine)} at once.` : `${partner} pays you ${formatEth(p.amount)} (state #${p.seq}). Sign to accept.`;
      card.append(h("div", { class: "ch-request" },
        h("p", {}, what),
        h("div", { class: "button-row" },
          h("button", { type: "button", class: "big", "data-fk": `acc-${c.id}`, onclick: () => countersign(c) }, p.kind === "close" ? "Sign and close" : "Sign and accept"),
          h("button", { type: "button", class: "secondary", "data-fk": `dec-${c.id}`, onclick: () => conn.send("channels:decline", { channelId: c.id, stateSeq: p.seq }) }, "Decline"))));
    } else if (c.outgoing) {
      card.append(h("p", { class: "ch-waiting" }, c.outgoing.kind === "close" ? `◔ Waiting for ${partner} to sign the close…` : `◔ Waiting for ${partner} to sign your payment of ${formatEth(c.outgoing.amount)} (state #${c.outgoing.seq})…`));
    }

    const amount = ethInput(amounts.get(c.id) ?? "0.1", "amount");
    amount.dataset.fk = `amt-${c.id}`;
    amount.addEventListener("input", () => amounts.set(c.id, amount.value));
    card.append(h("form", { class: "action-form ch-pay", onsubmit: (e: Event) => {
      e.preventDefault();
      const value = parseEth(amount.value);
      if (value === null) return showError("Type an amount in ETH, more than 0.");
      pay(c, value);
    } },
    field("Amount (ETH)", amount),
    h("button", { type: "submit", class: "big", "data-fk": `pay-${c.id}`, disabled: c.incoming !== null || c.partnerOffline || offline }, `Pay ${partner}`)));
    if (c.incoming || c.partnerOffline) card.append(h("p", { class: "hint" }, c.partnerOffline ? `${partner}'s node is offline: nobody can countersign a payment now.` : `Answer ${partner}'s request first: a channel takes one new state at a time.`));

    card.append(c.tower
      ? h("p", { class: "ch-meta" }, `Guarded by watchtower ${nameOf(s, c.tower.tower)} (fee ${formatEth(c.tower.fee)} if it catches a cheat).`)
      : m.towers.length ? towerForm(c, s, m.towers) : h("p", { class: "ch-meta" }, "No watchtower in this round: stay online to guard your channel."));

    const closing = h("div", { class: "button-row ch-close" },
      h("button", { type: "button", class: "secondary", "data-fk": `coop-${c.id}`, disabled: c.partnerOffline, onclick: () => proposeClose(c) }, "Close together"),
      h("button", { type: "button", class: "secondary", "data-fk": `force-${c.id}`, onclick: () => conn.send("channels:forceClose", { channelId: c.id, state: wireState(c.latest) }) }, "Force close on L1"));
    card.append(closing);
    if (c.oldBest) {
      const old = c.oldBest;
      const gets = c.side === "a" ? old.balanceA : old.balanceB;
      const tempted = (e: Event) => ((e.currentTarget as HTMLDetailsElement).open ? temptedOpen.add(c.id) : temptedOpen.delete(c.id));
      card.append(h("details", { class: "cheat", open: temptedOpen.has(c.id), ontoggle: tempted },
        h("summary", {}, `Tempted? Your node still holds state #${old.seq}`),
        h("p", {}, `It pays you ${formatEth(gets)} instead of ${formatEth(c.mine)}. Publishing it is cheating: if ${partner} (or their watchtower) answers within ${formatSeconds(m.windowMs)}, you lose your whole share.`),
        h("button", { type: "button", class: "danger", "data-fk": `old-${c.id}`, onclick: () => conn.send("channels:forceClose", { channelId: c.id, state: wireState(old) }) }, `Close with old state #${old.seq}`)));
    }
    return card;
  };

  /** What a cheat at closing really paid out: the bar above shows the latest split both signed, not what L1 settled. */
  const endingWords = (c: MyChannelSnap, s: Snapshot): string => {
    const partner = nameOf(s, c.partner);
    const e = c.ending!;
    if (e.gotAway) {
      return e.cheater === me
        ? `You closed with old state #${c.close?.seq ?? "?"} and ${partner} did not answer in time: you took ${formatEth(e.gotAway)} that was ${partner}'s.`
        : `${partner} closed with old state #${c.close?.seq ?? "?"} (you both had signed #${c.close?.latestSeq ?? c.seq}) and nobody answered in time: L1 paid you ${formatEth(Math.max(0, c.mine - e.gotAway))} instead of ${formatEth(c.mine)}.`;
    }
    const by = e.byWatchtower ? `the watchtower ${nameOf(s, e.penalizedBy ?? "")}` : e.penalizedBy === me ? "you" : nameOf(s, e.penalizedBy ?? "");
    return e.cheater === me
      ? `You closed with an old state and ${by} answered in time: you lost your whole share, ${formatEth(e.cheaterLost ?? 0)}.`
      : `${partner} closed with an old state and ${by} answered in time: the whole channel is yours (${partner} lost ${formatEth(e.cheaterLost ?? 0)}).`;
  };

  /** Every loss this round's channels cost you: robbed by an unanswered old state, or caught cheating. */
  const losses = (s: Snapshot): LossNotice[] => {
    const m = myModule<UserModuleSnap>(s, me, "user");
    if (!m) return [];
    return m.channels.flatMap((c): LossNotice[] => {
      const e = c.ending;
      const partner = nameOf(s, c.partner);
      if (e?.gotAway && e.cheater !== me) {
        return [{
          id: `robbed-${c.id}`,
          what: `${partner} closed your channel with an old state (#${c.close?.seq ?? "?"}; you both had signed #${c.close?.latestSeq ?? c.seq}), and nobody answered before the dispute window ended.`,
          cost: `You received ${formatEth(Math.max(0, c.mine - e.gotAway))} instead of ${formatEth(c.mine)}: ${formatEth(e.gotAway)} lost, and ${-CHANNEL_POINTS.robbed} points.`,
          couldHave: `Pressed "Penalize" within the ${formatSeconds(m.windowMs)} window (the whole channel would have been yours), or hired a watchtower to answer while you were away.`,
        }];
      }
      if (e?.penalizedBy && e.cheater === me) {
        return [{
          id: `caught-${c.id}`,
          what: `You closed your channel with ${partner} using an old state, and ${e.byWatchtower ? `${partner}'s watchtower ${nameOf(s, e.penalizedBy)}` : partner} published the newer one in time.`,
          cost: `You lost your whole share of the channel (${formatEth(e.cheaterLost ?? 0)}) and ${-CHANNEL_POINTS.cheaterPunished} points.`,
          couldHave: "Closed with the latest state you both signed (together: paid at once). An old state only pays when nobody is watching.",
        }];
      }
      return [];
    });
  };

  /** The loudest thing on screen: a partner published an old state and the window is still open. */
  const showAlert = (s: Snapshot, m: UserModuleSnap): void => {
    const cheat = m.channels.find((c) => c.status === "closing" && c.close && c.close.by !== me && c.close.stale && !c.close.settled && c.close.windowEndsMs > s.world.nowMs);
    setHidden(alert, !cheat);
    const left = formatSeconds((cheat?.close?.windowEndsMs ?? 0) - s.world.nowMs);
    if (cheat && m.offlineUntilMs > s.world.nowMs) setText(alert, `⚠ Cheating! ${nameOf(s, cheat.partner)} closed with an old state while you are offline — ${cheat.tower ? "your watchtower can answer" : "nobody guards you"} (${left} left)`);
    else if (cheat) setText(alert, `⚠ Cheating! ${nameOf(s, cheat.partner)} closed with an old state. Punish now — ${left} left`);
  };

  return {
    acks: ACK_NOTICE,
    el,
    losses,
    update(s) {
      const m = myModule<UserModuleSnap>(s, me, "user");
      setText(onL1, formatEth(s.players[me]?.wallet?.l1Balance ?? 0));
      setText(inChannels, formatEth(s.players[me]?.wallet?.l2Balance ?? 0));
      const offlineLeft = (m?.offlineUntilMs ?? 0) - s.world.nowMs;
      setText(nodeState, offlineLeft > 0 ? `○ offline ${formatSeconds(offlineLeft)}` : "● online");
      setText(offlineNote, offlineLeft > 0
        ? `Offline for ${formatSeconds(offlineLeft)} more: you cannot sign, pay or punish. Only a watchtower you hired can answer a cheat now.`
        : "Real nodes go offline (phone off, no network). While yours is offline you cannot answer a cheat: that is what watchtowers are for.");
      offlineButton.disabled = offlineLeft > 0;
      const others = studentsFirst(Object.values(s.players).filter((p) => p.id !== me && p.role !== "watchtower"));
      syncList(partnerSelect, others, (p) => p.id, (p) => p.name, (p) => h("option", { value: p.id }, p.bot ? `${p.name} (bot)` : p.name));
      if (!m) return;
      showAlert(s, m);
      routing.update(s, m);
      setHidden(empty, m.channels.length > 0);
      syncList(list, m.channels, (c) => c.id, (c) => {
        const left = c.close ? Math.ceil((c.close.windowEndsMs - s.world.nowMs) / 1000) : 0;
        const htlcs = (c.latest.htlcs ?? []).map((x) => [x.id, Math.ceil((x.expiryMs - s.world.nowMs) / 1000)]);
        return JSON.stringify([c.status, c.seq, c.mine, c.incoming?.seq, c.outgoing?.seq, c.close, left, c.tower, c.oldBest?.seq, c.partnerOffline, c.toFund, m.towers.length, nameOf(s, c.partner), offlineLeft > 0, c.ending, htlcs]);
      }, (c) => renderChannel(c, s, m));
    },
    dispose() {
    },
  };
}
