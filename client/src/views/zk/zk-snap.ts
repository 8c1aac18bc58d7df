import { parseJson } from "../../net/snapshot.ts";
import type { Snapshot } from "../../net/snapshot.ts";
import { planChallengeWindowMs } from "../../../../shared/lessons/plans.ts";
import type { RoundPlan } from "../../../../shared/protocol/messages.ts";
import { h, setText } from "../../ui/dom.ts";
import { formatSeconds } from "../../ui/format.ts";

/** One batch in `world.module` during a ZK round (server/scenarios/zk.ts publicView). Times in game ms, -1 for "not yet". */
export interface ZkBatchSnap {
  id: number;
  prover: string;
  txCount: number;
  /** proving | proven | submitted | verified | rejected | abandoned */
  status: string;
  /** How long proving this batch takes, game ms. */
  provingMs: number;
  /** Where its state diff goes on L1: in a blob or as calldata (the prover's choice). */
  da?: "blob" | "calldata";
  /** Proving progress, 0–100 (100 once proven): worked out by zkWorld from the game clock. */
  progress: number;
  startedAtMs: number;
  provenAtMs: number;
  verifiedAtMs: number;
}

/** `world.module` in a ZK round. */
export interface ZkWorldSnap {
  pending: number;
  deposits: number;
  bridgeEscrow: number;
  verifiedRoot: string;
  batches: ZkBatchSnap[];
}

/** A ZK withdrawal in the wallet (pending → ready the moment its batch verifies → paid). */
export interface ZkWithdrawalSnap {
  id: string;
  amount: number;
  /** pending | ready | paid */
  status: string;
  batchId: number;
}

const EMPTY: ZkWorldSnap = { pending: 0, deposits: 0, bridgeEscrow: 0, verifiedRoot: "", batches: [] };

/** The ZK rollup's public picture, empty outside a ZK round. */
export function zkWorld(s: Snapshot): ZkWorldSnap {
  const world = { ...EMPTY, ...parseJson<Partial<ZkWorldSnap>>(s.world.module, {}) };
  for (const b of world.batches) {
    b.progress = b.status === "proving" ? Math.min(100, Math.floor((100 * (s.world.nowMs - b.startedAtMs)) / Math.max(1, b.provingMs))) : 100;
  }
  return world;
}

/** Which shown batch holds each of your transactions (your `wallet.module`). */
export function zkBatchOf(s: Snapshot, me: string): Record<string, number> {
  return parseJson<{ batchOf?: Record<string, number> }>(s.players[me]?.wallet?.module, {}).batchOf ?? {};
}

/** A batch's status in words (with a glyph: never colour alone). */
export const ZK_BATCH_STATUS: Record<string, string> = {
  proving: "proving…",
  proven: "proof ready",
  submitted: "proof sent to L1's verifier",
  verified: "✓ verified: final",
  rejected: "✗ rejected by L1's verifier",
  abandoned: "↩ dropped: built on a rejected batch",
};

/** The challenge window an optimistic round of this lesson has (the plan's, not this ZK round's own config), ms. */
export function optimisticWindowMs(s: Snapshot): number {
  return planChallengeWindowMs(parseJson<RoundPlan[]>(s.plan, []), s.roundIndex);
}

/** A ready withdrawal's contrast with an optimistic rollup (the user's claim row), with the lesson's own challenge window. */
export function optimisticContrast(s: Snapshot): string {
  return `An optimistic rollup would now make you wait out its challenge window too: ${formatSeconds(optimisticWindowMs(s))} in this lesson, 7 days on Ethereum.`;
}

/** The projector lane's contrast line, with the same window. */
export function optimisticContrastLine(s: Snapshot): string {
  return `An optimistic rollup would still wait out its ${formatSeconds(optimisticWindowMs(s))} challenge window (7 days on Ethereum).`;
}

/** Seconds with one decimal, for finality times: "9.2 s". */
export function tenths(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}

/**
 * A labelled proving progress bar (a real <progress>, the percentage beside it for the eye).
 * `refreshProgress` moves it in place, so rows re-render (and live regions speak) only when a status changes.
 */
export function provingBar(batch: ZkBatchSnap): HTMLElement {
  return h("span", { class: "zk-progress", "data-progress-batch": batch.id },
    h("progress", { max: "100", value: String(batch.progress), "aria-label": `Batch #${batch.id} proving progress` }),
    h("span", { "aria-hidden": "true" }, `${batch.progress} %`));
}

/** Moves every proving bar under `root` to its batch's current progress. */
export function refreshProgress(root: HTMLElement, batches: ReadonlyMap<number, ZkBatchSnap>): void {
  for (const bar of root.querySelectorAll<HTMLElement>("[data-progress-batch]")) {
    const batch = batches.get(Number(bar.dataset.progressBatch));
    const progress = bar.querySelector("progress");
    const label = bar.querySelector("span");
    if (!batch || !progress || !label) continue;
    if (progress.value !== batch.progress) progress.value = batch.progress;
    setText(label, `${batch.progress} %`);
  }
}
