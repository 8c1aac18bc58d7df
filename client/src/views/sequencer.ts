import { midpoint } from "../../../shared/engine/optimistic/bisection.ts";
import { nameOf, parseJson } from "../net/snapshot.ts";
import type { BatchSnap, DisputeSnap, PendingTxSnap, Snapshot } from "../net/snapshot.ts";
import { h, setDisabled, setHidden, setText, syncList } from "../ui/dom.ts";
import { formatEth, formatSeconds, parseEth } from "../ui/format.ts";
import { showError } from "../ui/messages.ts";
import { batchStatusText, bisectionBar, disputeEnding, disputeRange, moveClock, moveKey, rollupLosses, turnLabel, yourMoveClock } from "./dispute.ts";
import { ethInput, field, panel, stat } from "./view.ts";
import type { PlayContext, View } from "./view.ts";
import { studentsFirst } from "../ui/ranking.ts";

/**
 * The sequencer: orders the mempool (include, or censor), posts batches to L1 with a bond —
 * honestly or with a forged transaction — and defends its batches in disputes.
 */
export function createSequencerView(ctx: PlayContext): View {
  const { conn, me } = ctx;
  const softCount = h("strong", { class: "amount" }, "0");
  const mempoolCount = h("strong", { class: "amount" }, "0");
  const l1 = h("strong", { class: "amount" }, "—");
  const l2 = h("strong", { class: "amount" }, "—");
  const sentMoves = new Set<string>();
  conn.onError((error) => {
    if (error.type === "dispute:move" || error.type === "dispute:prove") sentMoves.clear();
  });

  const includeAll = h("button", { type: "button", onclick: () => conn.send("seq:include", {}) }, "Include all (not censored)");
  const mempoolList = h("ul", { class: "rows", "aria-label": "Mempool" });
  const mempoolEmpty = h("p", { class: "muted" }, "The mempool is empty.");

  const postHonest = h("button", { type: "button", onclick: () => conn.send("seq:post", {}) }, "Post batch to L1 (in a blob)");
  // Calldata is how rollups posted before EIP-4844 (March 2024): the debrief compares what each way cost.
  const postCalldata = h("button", { type: "button", class: "secondary", onclick: () => conn.send("seq:post", { da: "calldata" }) }, "Post as calldata (the pre-2024 way)");
  const mintAmount = ethInput("5", "mint");
  const mintForm = h("form", { class: "action-form", onsubmit: (e: Event) => {
    e.preventDefault();
    const amount = parseEth(mintAmount.value);
    if (amount === null) return showError("Type how much ETH to mint, more than 0.");
    conn.send("seq:post", { cheat: { kind: "mint", amount } });
  } }, field("Mint out of thin air (ETH)", mintAmount), h("button", { type: "submit", class: "danger" }, "Post batch + mint"));
  const victim = h("select", { name: "victim" });
  const stealAmount = ethInput("1", "steal");
  const stealForm = h("form", { class: "action-form", onsubmit: (e: Event) => {
    e.preventDefault();
    const amount = parseEth(stealAmount.value);
    if (amount === null) return showError("Type how much ETH to steal, more than 0.");
    if (!victim.value) return showError("Pick a victim.");
    conn.send("seq:post", { cheat: { kind: "steal", victim: victim.value, amount } });
  } }, field("Steal from", victim), field("Amount (ETH)", stealAmount), h("button", { type: "submit", class: "danger" }, "Post batch + steal"));

  const batchList = h("ul", { class: "rows", "aria-label": "Your batches" });
  const disputeList = h("div", { class: "disputes" });
  const disputePanel = panel("Disputes against you", disputeList);

  const el = h(
    "div",
    { class: "role-view sequencer-view" },
    disputePanel,
    panel("Your rollup", h("div", { class: "stats" }, stat("Soft-confirmed, not yet posted", softCount), stat("Waiting in mempool", mempoolCount), stat("Your L1 balance", l1), stat("Your L2 balance", l2))),
    panel("Mempool", h("div", { class: "button-row" }, includeAll), mempoolEmpty, mempoolList),
    panel("Post a batch", h("p", { class: "muted" }, "Posting locks a bond on L1 until the challenge window closes. A blob (EIP-4844) has its own fee market and holds ~127 KB; calldata pays 16 gas a byte."), h("div", { class: "button-row" }, postHonest, postCalldata),
      h("details", { class: "cheat" }, h("summary", {}, "Cheat (challengers are watching)"), mintForm, stealForm)),
    panel("Your batches", batchList),
  );

  const renderPending = (s: Snapshot, p: PendingTxSnap): HTMLElement =>
    h(
      "li",
      { class: `row${p.censored ? " status-censored" : ""}` },
      h("span", { class: "row-main" }, `${p.kind} ${formatEth(p.amount)} · ${nameOf(s, p.from)}${p.kind === "transfer" ? ` → ${nameOf(s, p.to)}` : ""}`),
      p.censored ? h("span", { class: "badge" }, "censored ⊘") : null,
      h("span", { class: "button-row" },
        h("button", { type: "button", "data-fk": `inc-${p.id}`, onclick: () => conn.send("seq:include", { txIds: [p.id] }) }, "Include"),
        p.censored ? null : h("button", { type: "button", class: "secondary", "data-fk": `cen-${p.id}`, onclick: () => conn.send("seq:censor", { txId: p.id }) }, "Censor")),
    );

  const renderBatch = (s: Snapshot, b: BatchSnap): HTMLElement => {
    const window = b.status === "posted" ? ` · ${formatSeconds(b.windowEndsMs - s.world.nowMs)} left in window` : "";
    return h("li", { class: `row status-${b.status}` }, h("span", { class: "row-main" }, `Batch #${b.id} · ${b.txCount} tx`),
      h("span", { class: b.fraudFinal ? "badge badge-bad" : "badge" }, `${batchStatusText(s, b)}${b.disputed ? " · disputed ⚔" : ""}${window}`));
  };

  const renderDispute = (s: Snapshot, d: DisputeSnap): HTMLElement => {
    const data = conn.requestBatch(d.batchId);
    const mid = midpoint(d);
    const sent = sentMoves.has(moveKey(d));
    const box = h("article", { class: "dispute" },
      h("h3", {}, `Dispute #${d.id} on batch #${d.batchId}`),
      h("p", {}, [disputeRange(d), turnLabel(s, d, me), moveClock(s, d)].filter(Boolean).join(" · ")),
      yourMoveClock(s, d, me),
      bisectionBar(d));
    if (d.status !== "open") box.appendChild(h("p", { class: "dispute-ending" }, disputeEnding(s, d)));
    if (d.status === "challenger-won") box.appendChild(h("p", { class: "verdict verdict-fraud" }, "You lost this dispute: your claim is replaced by the honest one (the batch's transactions stay) and your bond slashed ✗"));
    if (d.status === "defender-won") box.appendChild(h("p", { class: "verdict verdict-honest" }, "You won this dispute: the challenger's bond is slashed ✓"));
    if (d.status !== "open") return box;
    if (d.turn === "defender") {
      if (!data) box.appendChild(h("p", { class: "muted" }, "Loading your batch's trace…"));
      else {
        box.appendChild(h("button", { type: "button", "data-fk": `move-${d.id}`, disabled: sent, onclick: () => {
          const root = data.claimedRoots[mid];
          if (!root) return showError("Your trace has no root at that step.");
          sentMoves.add(moveKey(d));
          conn.send("dispute:move", { disputeId: d.id, root });
        } }, sent ? "Move sent: waiting for L1…" : `Commit your root at step ${mid}`));
      }
    } else if (d.turn === "proof") {
      box.appendChild(h("button", { type: "button", "data-fk": `prove-${d.id}`, disabled: sent, onclick: () => {
        sentMoves.add(moveKey(d));
        conn.send("dispute:prove", { disputeId: d.id });
      } }, sent ? "Proof sent: waiting for L1…" : `Submit the one-step proof (step ${d.lo})`));
    } else {
      box.appendChild(h("p", { class: "muted" }, "Waiting for the challenger's move."));
    }
    return box;
  };

  return {
    el,
    update(s) {
      const wallet = s.players[me]?.wallet;
      setText(softCount, String(s.world.softCount));
      const mempool = parseJson<{ mempool?: PendingTxSnap[] }>(s.players[me]?.wallet?.module, {}).mempool ?? [];
      setText(mempoolCount, String(s.world.l2MempoolSize));
      setText(l1, formatEth(wallet?.l1Balance ?? 0));
      setText(l2, formatEth(wallet?.l2Balance ?? 0));
      setHidden(mempoolEmpty, mempool.length > 0);
      setDisabled(includeAll, mempool.every((p) => p.censored));
      setDisabled(postHonest, s.world.softCount === 0);
      syncList(mempoolList, mempool, (p) => p.id, (p) => `${p.censored}`, (p) => renderPending(s, p));
      const victims = studentsFirst(Object.values(s.players).filter((p) => p.id !== me));
      syncList(victim, victims, (p) => p.id, (p) => p.name, (p) => h("option", { value: p.id }, p.name));
      const mine = s.world.batches.filter((b) => b.poster === me).reverse();
      syncList(batchList, mine, (b) => String(b.id), (b) => `${b.status}|${batchStatusText(s, b)}|${b.disputed}|${b.status === "posted" ? Math.ceil((b.windowEndsMs - s.world.nowMs) / 1000) : 0}`, (b) => renderBatch(s, b));
      const disputes = s.world.disputes.filter((d) => d.defender === me).reverse();
      setHidden(disputePanel, disputes.length === 0);
      syncList(disputeList, disputes, (d) => String(d.id),
        (d) => `${moveKey(d)}|${d.endedBy ?? ""}|${Math.ceil((d.deadlineMs - s.world.nowMs) / 1000)}|${conn.batch(d.batchId) ? 1 : 0}|${sentMoves.has(moveKey(d))}`,
        (d) => renderDispute(s, d));
    },
    losses: (s) => rollupLosses(s, me),
  };
}
