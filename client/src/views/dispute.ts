import { midpoint } from "../../../shared/engine/bisection.ts";
import type { DisputeSnap, Snapshot } from "../net/snapshot.ts";
import { nameOf } from "../net/snapshot.ts";
import { h } from "../ui/dom.ts";
import { formatSeconds } from "../ui/format.ts";

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
