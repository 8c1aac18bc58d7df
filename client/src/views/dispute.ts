import { midpoint } from "../../../shared/engine/optimistic/bisection.ts";
import type { BatchSnap, DisputeSnap, Snapshot } from "../net/snapshot.ts";
import { nameOf } from "../net/snapshot.ts";
import { h } from "../ui/dom.ts";
import { BATCH_STATUS_LABEL, formatEth, formatSeconds } from "../ui/format.ts";
import type { LossNotice } from "./view.ts";

/** Whose move it is, in words ("your move" when it is `me`'s). */
export function turnLabel(s: Snapshot, d: DisputeSnap, me: string): string {
  if (d.status !== "open") return d.status === "challenger-won" ? "challenger won" : d.status === "defender-won" ? "sequencer won" : "called off";
  if (d.turn === "proof") return "down to one step: L1 checks it";
  const mover = d.turn === "challenger" ? d.challenger : d.defender;
  if (mover === me) return "your move";
  return d.turn === "challenger" ? `${nameOf(s, d.challenger)} (challenger) to move` : `${nameOf(s, d.defender)} (sequencer) to move`;
}

/**
 * The bisection range as a bar: the whole trace [0, steps], the part still disputed [lo, hi]
 * highlighted, and the midpoint both sides must commit a root at next.
 */
export function bisectionBar(d: DisputeSnap): HTMLElement {
  const steps = Math.max(1, d.steps);
  const left = (100 * d.lo) / steps;
  const width = Math.max(1.5, (100 * (d.hi - d.lo)) / steps);
  const mid = midpoint(d);
  const bar = h(
    "div",
    { class: "bisection", role: "img", "aria-label": `Disputed steps ${d.lo} to ${d.hi} of ${d.steps}; next commitment at step ${mid}` },
    h("div", { class: "bisection-range", style: `left:${left}%;width:${width}%` }),
  );
  if (d.status === "open" && d.turn !== "proof") bar.appendChild(h("div", { class: "bisection-mid", style: `left:${(100 * mid) / steps}%` }));
  return h("div", { class: "bisection-wrap" }, bar, h("div", { class: "bisection-scale" }, h("span", {}, "step 0"), h("span", {}, `step ${d.steps}`)));
}

/** Move clock: time left for the party to move (deadlineMs vs world.nowMs). */
export function moveClock(s: Snapshot, d: DisputeSnap): string {
  return d.status === "open" ? `${formatSeconds(d.deadlineMs - s.world.nowMs)} left to move` : "";
}

/** A key that changes whenever the dispute moves on, so a sent move is not sent twice. */
export function moveKey(d: DisputeSnap): string {
  return `${d.id}:${d.lo}:${d.hi}:${d.turn}:${d.status}`;
}

/** The dispute a challenger won on this batch: its forged claim was replaced by the honest one. */
export function correctingDispute(s: Snapshot, b: BatchSnap): DisputeSnap | undefined {
  return s.world.disputes.find((d) => d.batchId === b.id && d.status === "challenger-won");
}

/** A batch's status in words; a claim replaced by a dispute, or a fraud that went final, says so (both are public on L1). */
export function batchStatusText(s: Snapshot, b: BatchSnap): string {
  const corrected = correctingDispute(s, b);
  if (corrected) return `${BATCH_STATUS_LABEL[b.status] ?? b.status} · forged claim replaced by dispute #${corrected.id} ✓`;
  if (b.fraudFinal) return b.stolenFrom ? `final — FRAUD went through ✗ (${formatEth(b.stolen ?? 0)} stolen from ${nameOf(s, b.stolenFrom)})` : `final — FRAUD went through ✗ (${formatEth(b.stolen ?? 0)} minted)`;
  return BATCH_STATUS_LABEL[b.status] ?? b.status;
}

/** Where an ended dispute stopped, instead of "still disputed". */
export function disputeRange(d: DisputeSnap): string {
  return d.status === "open" ? `Steps ${d.lo}–${d.hi} of ${d.steps} still disputed` : `Ended at steps ${d.lo}–${d.hi} of ${d.steps}`;
}

/** Why a dispute ended, in one sentence anyone can follow: who won, and whether L1 decided or a clock ran out. */
export function disputeEnding(s: Snapshot, d: DisputeSnap): string {
  const sequencer = nameOf(s, d.defender);
  const challenger = nameOf(s, d.challenger);
  const step = `step ${d.lo} → ${d.hi}`;
  if (d.status === "void") return "Called off: this batch's claim was already replaced by an earlier dispute (or its post was dropped), so both bonds are refunded.";
  if (d.status === "challenger-won") {
    if (d.endedBy !== "timeout") return `L1 re-executed ${step} itself: the sequencer's root was wrong. ${challenger} (challenger) wins.`;
    return d.turn === "proof"
      ? `Nobody submitted the one-step proof before the clock ran out: the sequencer ${sequencer} loses by default.`
      : `The sequencer ${sequencer} did not commit its root at step ${midpoint(d)} before its clock ran out: ${challenger} (challenger) wins by default.`;
  }
  if (d.status === "defender-won") {
    if (d.endedBy !== "timeout") return `L1 re-executed ${step} itself: the sequencer's root was right, so the challenge was wrong. ${sequencer} (sequencer) wins.`;
    return `${challenger} (challenger) did not send a root at step ${midpoint(d)} before the clock ran out: the sequencer wins by default, whatever the batch holds.`;
  }
  return "";
}

/**
 * What an optimistic round cost `me`, explained: money stolen by a fraud nobody challenged, a
 * dispute lost (a challenger's bond, a cheating sequencer's bond).
 */
export function rollupLosses(s: Snapshot, me: string): LossNotice[] {
  const losses: LossNotice[] = [];
  const moveSeconds = Math.round(s.world.moveTimeoutMs / 1000);
  for (const b of s.world.batches) {
    if (!b.fraudFinal || b.stolenFrom !== me) continue;
    losses.push({
      id: `stolen-${b.id}`,
      what: `The sequencer ${nameOf(s, b.poster)} slipped a forged transfer of your money into batch #${b.id}, and nobody challenged it in time.`,
      cost: `${formatEth(b.stolen ?? 0)} of your L2 ETH is gone: the batch is final on L1.`,
      couldHave: "Nothing alone, as a user: safety needs one honest challenger re-executing every batch within the window. Play challenger, or withdraw before trusting a sequencer with more.",
    });
  }
  for (const d of s.world.disputes) {
    if (d.challenger === me && d.status === "defender-won") {
      losses.push({
        id: `dispute-${d.id}`,
        what: d.endedBy === "timeout"
          ? `Your clock ran out in dispute #${d.id} on batch #${d.batchId}: the sequencer ${nameOf(s, d.defender)} won by default.`
          : `L1 re-executed step ${d.lo} → ${d.hi} of batch #${d.batchId}: the sequencer's root was right, so your challenge was wrong.`,
        cost: "Your challenger bond went to the sequencer and the burn, and you lost 50 points.",
        couldHave: d.endedBy === "timeout"
          ? `Sent your root at each step before the clock ran out (${moveSeconds} s a move): the honest challenger wins every step it answers.`
          : "Challenged only a batch your own re-execution marks FRAUD ✗.",
      });
    }
    if (d.defender === me && d.status === "challenger-won") {
      losses.push({
        id: `dispute-${d.id}`,
        what: d.endedBy === "timeout"
          ? `You did not defend batch #${d.batchId} in time: ${nameOf(s, d.challenger)} won dispute #${d.id} by default.`
          : `${nameOf(s, d.challenger)} proved batch #${d.batchId} wrong: L1 re-executed step ${d.lo} → ${d.hi} and your root did not match.`,
        cost: "Your sequencer bond was slashed and you lost 150 points (the dispute and the fraud caught).",
        couldHave: "Posted honest batches: any challenger re-executes every batch, and one is enough to catch a forgery.",
      });
    }
  }
  return losses;
}

/**
 * When it is `me`'s move: a loud line and a bar of the time left, so nobody loses a dispute they
 * were winning only because they did not see the clock. Nothing otherwise.
 */
export function yourMoveClock(s: Snapshot, d: DisputeSnap, me: string): HTMLElement | null {
  if (d.status !== "open") return null;
  const mover = d.turn === "challenger" ? d.challenger : d.turn === "defender" ? d.defender : null;
  const proof = d.turn === "proof" && (d.challenger === me || d.defender === me);
  if (mover !== me && !proof) return null;
  const left = Math.max(0, d.deadlineMs - s.world.nowMs);
  const total = Math.max(1, s.world.moveTimeoutMs);
  return h("div", { class: `your-move${left < 8_000 ? " urgent" : ""}` },
    h("p", {}, h("strong", {}, proof ? "Your move: send the one-step proof" : "Your move"), ` — ${formatSeconds(left)} left, or you lose this dispute`),
    h("progress", { max: String(total), value: String(Math.min(total, left)), "aria-label": `Time left for your move: ${formatSeconds(left)}` }));
}
