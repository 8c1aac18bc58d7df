import { midpoint } from "../../../shared/engine/optimistic/bisection.ts";
import type { BatchData } from "../net/connection.ts";
import type { BatchSnap, DisputeSnap, Snapshot } from "../net/snapshot.ts";
import { h, setHidden, setText, syncList } from "../ui/dom.ts";
import { formatEth, formatSeconds, shortHash } from "../ui/format.ts";
import { showError } from "../ui/messages.ts";
import { verifyBatchAsync } from "../verify/verifier.ts";
import type { Verdict } from "../verify/verifier.ts";
import { batchStatusText, bisectionBar, correctingDispute, disputeEnding, disputeRange, moveClock, moveKey, rollupLosses, turnLabel, yourMoveClock } from "./dispute.ts";
import { panel, stat } from "./view.ts";
import type { PlayContext, View } from "./view.ts";

/**
 * The challenger: fetches every batch the sequencer posts, re-executes it here with the shared
 * engine, and when the claimed root is wrong, challenges and plays the bisection game.
 */
export function createChallengerView(ctx: PlayContext): View {
  const { conn, me } = ctx;
  const verdicts = new Map<number, Verdict>();
  const challenged = new Set<number>();
  const sentMoves = new Set<string>();
  const l1 = h("strong", { class: "amount" }, "—");
  const checkedCount = h("strong", { class: "amount" }, "0");
  const fraudCount = h("strong", { class: "amount" }, "0");

  const checking = new Set<number>();
  // The batch's signatures are checked with WebCrypto first where the browser has it (same verdicts
  // as noble, natively, off the main thread's curve math); the verdict shows at the next update.
  const check = (data: BatchData): void => {
    if (verdicts.has(data.batchId) || checking.has(data.batchId)) return;
    checking.add(data.batchId);
    void verifyBatchAsync(data)
      .then((verdict) => verdicts.set(data.batchId, verdict), (error: unknown) => console.error(`re-executing batch ${data.batchId} failed`, error))
      .finally(() => checking.delete(data.batchId));
  };
  conn.onBatchData(check);
  conn.onError((error) => {
    if (error.type === "chal:challenge") challenged.clear();
    if (error.type === "dispute:move" || error.type === "dispute:prove") sentMoves.clear();
  });

  const batchList = h("ul", { class: "rows", "aria-label": "Batches posted by the sequencer" });
  const batchEmpty = h("p", { class: "muted" }, "No batches yet: the sequencer posts one every few seconds.");
  const disputeList = h("div", { class: "disputes" });
  const disputePanel = panel("Your disputes", disputeList);

  const el = h(
    "div",
    { class: "role-view challenger-view" },
    disputePanel,
    panel("Your checks", h("div", { class: "stats" }, stat("Batches re-executed", checkedCount), stat("Frauds found", fraudCount), stat("Your L1 balance (bonds)", l1))),
    panel("Batches", h("p", { class: "muted" }, "Each batch is re-executed here, in your browser, from its posted data."), batchEmpty, batchList),
  );

  const verdictText = (s: Snapshot, b: BatchSnap): { text: string; cls: string } => {
    const verdict = verdicts.get(b.id);
    // The claim you re-executed was forged, and a won dispute has put the honest one in its place.
    if (verdict?.fraud && correctingDispute(s, b)) return { text: "FRAUD caught ✓ the honest root replaced the forged claim", cls: "verdict-honest" };
    if (verdict) {
      if (!verdict.fraud) return { text: "honest ✓", cls: "verdict-honest" };
      return { text: `FRAUD ✗ root mismatch${verdict.firstBadStep !== null ? ` from step ${verdict.firstBadStep}` : ""}`, cls: "verdict-fraud" };
    }
    if (conn.batchUnavailable(b.id)) return { text: "already final: not re-executed", cls: "verdict-none" };
    return { text: "re-executing…", cls: "verdict-none" };
  };

  // Someone else's dispute on the batch is no reason to wait: it may be an accomplice stalling.
  const canChallenge = (s: Snapshot, b: BatchSnap): boolean =>
    verdicts.get(b.id)?.fraud === true && b.status === "posted" && s.world.nowMs < b.windowEndsMs && !challenged.has(b.id) &&
    !s.world.disputes.some((d) => d.batchId === b.id && d.challenger === me && d.status === "open");

  const renderBatch = (s: Snapshot, b: BatchSnap): HTMLElement => {
    const verdict = verdictText(s, b);
    const window = b.status === "posted" ? ` · ${formatSeconds(b.windowEndsMs - s.world.nowMs)} left to challenge` : "";
    const row = h(
      "li",
      { class: `row status-${b.status}`, "data-batch": String(b.id) },
      h("span", { class: "row-main" }, `Batch #${b.id} · ${b.txCount} tx · root ${shortHash(b.claimedRoot)}`),
      h("span", { class: b.fraudFinal ? "badge badge-bad" : "badge" }, `${batchStatusText(s, b)}${b.disputed ? " · disputed ⚔" : ""}${window}`),
      h("span", { class: `verdict ${verdict.cls}` }, verdict.text),
    );
    if (canChallenge(s, b)) {
      row.appendChild(h("button", { type: "button", class: "danger", "data-fk": `chal-${b.id}`, onclick: () => {
        const root = verdicts.get(b.id)?.honestRoots.at(-1);
        if (!root) return;
        challenged.add(b.id);
        conn.send("chal:challenge", { batchId: b.id, root });
      } }, `Challenge batch #${b.id}`));
    } else if (challenged.has(b.id) && b.status === "posted" && !s.world.disputes.some((d) => d.batchId === b.id && d.challenger === me)) {
      row.appendChild(h("span", { class: "row-detail" }, "Challenge sent: it opens when L1 includes it."));
    }
    return row;
  };

  const renderDispute = (s: Snapshot, d: DisputeSnap): HTMLElement => {
    const verdict = verdicts.get(d.batchId);
    const mid = midpoint(d);
    const sent = sentMoves.has(moveKey(d));
    const outcome = d.status === "challenger-won" ? "You won: the sequencer's claim is replaced by the honest one (the batch's transactions stay) and its bond slashed ✓"
      : d.status === "defender-won" ? "You lost this dispute ✗" : null;
    const box = h("article", { class: "dispute" },
      h("h3", {}, `Dispute #${d.id} on batch #${d.batchId}`),
      h("p", {}, `${disputeRange(d)} · ${turnLabel(s, d, me)}${d.status === "open" ? ` · ${moveClock(s, d)}` : ""}`),
      yourMoveClock(s, d, me),
      bisectionBar(d),
      outcome ? h("p", { class: d.status === "challenger-won" ? "verdict verdict-honest" : "verdict verdict-fraud" }, outcome) : null,
      d.status === "open" ? null : h("p", { class: "dispute-ending" }, disputeEnding(s, d)));
    if (d.status !== "open") return box;
    if (!verdict) {
      box.appendChild(h("p", { class: "muted" }, "Re-executing the batch…"));
      return box;
    }
    if (d.turn === "challenger") {
      const mine = verdict.honestRoots[mid] ?? "";
      const agrees = d.defenderMidRoot === mine;
      box.appendChild(h("p", {}, `At step ${mid} the sequencer claims ${shortHash(d.defenderMidRoot)}; you compute ${shortHash(mine)}: `,
        h("strong", {}, agrees ? "agree ✓ (the lie is later)" : "disagree ✗ (the lie is earlier)")));
      box.appendChild(h("button", { type: "button", "data-fk": `move-${d.id}`, disabled: sent, onclick: () => {
        if (!mine) return showError("Your trace has no root at that step.");
        sentMoves.add(moveKey(d));
        conn.send("dispute:move", { disputeId: d.id, root: mine });
      } }, sent ? "Move sent: waiting for L1…" : `Send my root at step ${mid}`));
    } else if (d.turn === "proof") {
      box.appendChild(h("p", {}, `Down to step ${d.lo} → ${d.hi}: L1 re-executes that one transaction.`));
      box.appendChild(h("button", { type: "button", "data-fk": `prove-${d.id}`, disabled: sent, onclick: () => {
        sentMoves.add(moveKey(d));
        conn.send("dispute:prove", { disputeId: d.id });
      } }, sent ? "Proof sent: waiting for L1…" : `Prove step ${d.lo} on L1`));
    } else {
      box.appendChild(h("p", { class: "muted" }, `Waiting for the sequencer to commit its root at step ${mid}.`));
    }
    return box;
  };

  return {
    el,
    update(s) {
      const wallet = s.players[me]?.wallet;
      setText(l1, formatEth(wallet?.l1Balance ?? 0));
      for (const b of s.world.batches) {
        if ((b.status === "submitted" || b.status === "posted") && !verdicts.has(b.id)) {
          const data = conn.requestBatch(b.id);
          if (data) check(data);
        }
      }
      setText(checkedCount, String(verdicts.size));
      setText(fraudCount, String([...verdicts.values()].filter((v) => v.fraud).length));
      const batches = [...s.world.batches].reverse();
      setHidden(batchEmpty, batches.length > 0);
      syncList(batchList, batches, (b) => String(b.id), (b) => {
        const left = b.status === "posted" ? Math.ceil((b.windowEndsMs - s.world.nowMs) / 1000) : 0;
        return `${b.status}|${b.fraudFinal ?? false}|${b.disputed}|${left}|${verdictText(s, b).text}|${canChallenge(s, b)}|${challenged.has(b.id)}`;
      }, (b) => renderBatch(s, b));
      const disputes = s.world.disputes.filter((d) => d.challenger === me).reverse();
      setHidden(disputePanel, disputes.length === 0);
      syncList(disputeList, disputes, (d) => String(d.id),
        (d) => `${moveKey(d)}|${d.endedBy ?? ""}|${d.defenderMidRoot}|${Math.ceil((d.deadlineMs - s.world.nowMs) / 1000)}|${verdicts.has(d.batchId)}|${sentMoves.has(moveKey(d))}`,
        (d) => renderDispute(s, d));
    },
    losses: (s) => rollupLosses(s, me),
  };
}
