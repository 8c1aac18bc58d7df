import { describe, expect, it } from "vitest";
import { POINTS, scoreEvent } from "../../shared/engine/debrief.ts";
import type { EngineEvent } from "../../shared/engine/events.ts";
import { RoundScore } from "../../shared/engine/round-score.ts";

/** Sums what a fresh RoundScore gives each player for `events`, in order. */
function totals(events: EngineEvent[]): Record<string, number> {
  const score = new RoundScore();
  const out: Record<string, number> = {};
  for (const event of events) for (const [player, points] of score.apply(event, scoreEvent(event, () => "seq"))) out[player] = (out[player] ?? 0) + points;
  return out;
}

const soft = (from: string, i: number): EngineEvent => ({ t: i, type: "l2.softConfirmed", txId: `t${i}`, kind: "transfer", from, fee: 2000, latencyMs: 100, forced: false });
const block = (height: number): EngineEvent => ({ t: height * 1000, type: "l1.block", height, gasUsed: 0, gasLimit: 1, baseFeeWei: 1e10, nextBaseFeeWei: 1e10, txCount: 0, burned: 0, tips: 0, blobGasUsed: 0, blobBaseFeeWei: 1, nextBlobBaseFeeWei: 1 });
const sent = (txId: string, from: string): EngineEvent => ({ t: 0, type: "l1.submitted", txId, kind: "transfer", from });
const included = (txId: string, from: string, height: number, tipPerGas: number): EngineEvent => ({
  t: height * 1000, type: "l1.included", txId, kind: "transfer", from, height, gas: 21_000, fee: 21_000 * (10 + tipPerGas), burned: 21_000 * 10, tip: 21_000 * tipPerGas, waitMs: 1000, ok: true,
});

describe("round scoring: understanding over volume", () => {
  it("routine points stop at the cap: 200 confirmed transactions score no more than 10", () => {
    const spammer = totals(Array.from({ length: 200 }, (_, i) => soft("bot", i)));
    const careful = totals(Array.from({ length: 10 }, (_, i) => soft("ada", i)));
    expect(careful.ada).toBe(10 * POINTS.softConfirmed);
    expect(spammer.bot).toBe(POINTS.routineCap);
    expect(careful.ada).toBe(spammer.bot);
  });

  it("catching a fraud is never capped, even after the routine cap is reached", () => {
    const events: EngineEvent[] = [
      ...Array.from({ length: 30 }, (_, i) => soft("ada", i)),
      { t: 99, type: "dispute.resolved", disputeId: 1, batchId: 2, winner: "ada", loser: "seq", winnerSide: "challenger", reason: "one-step-proof", slashed: 1, reward: 1, burned: 0, step: 3, fraudulent: true },
    ];
    const scores = totals(events);
    expect(scores.ada).toBe(POINTS.routineCap + POINTS.disputeWon);
    expect(scores.seq).toBe(POINTS.disputeLost + POINTS.fraudCaught);
  });

  it("an L1 transfer that makes the next block without overpaying earns the fee bonus; a queue-jumping tip or a late block does not", () => {
    const scores = totals([
      block(1),
      sent("fair", "ada"), sent("jump", "ben"), sent("late", "cy"),
      included("fair", "ada", 2, 3), included("jump", "ben", 2, 25), block(2),
      block(3), included("late", "cy", 4, 1), block(4),
    ]);
    expect(scores.ada).toBe(POINTS.l1TransferIncluded + POINTS.feeChosenWell);
    expect(scores.ben).toBe(POINTS.l1TransferIncluded);
    expect(scores.cy).toBe(POINTS.l1TransferIncluded);
  });

  it("the fee bonus counts a few times a round, not once per transfer sent", () => {
    const events: EngineEvent[] = [block(1)];
    for (let i = 0; i < 8; i++) events.push(sent(`t${i}`, "bot"), included(`t${i}`, "bot", i + 2, 1), block(i + 2));
    expect(totals(events).bot).toBe(8 * POINTS.l1TransferIncluded + POINTS.feeBonusesPerRound * POINTS.feeChosenWell);
  });
});
