import type { RoundPlan } from "../../shared/protocol/messages.ts";

/** A ready-made lesson plan the host can pick. */
export interface LessonPlan {
  id: string;
  label: string;
  description: string;
  rounds: RoundPlan[];
}

/** Presets for the host console. Durations in seconds of game clock; params as in docs/protocol.md. */
export const LESSON_PLANS: readonly LessonPlan[] = [
  {
    id: "quick",
    label: "Quick optimistic round (3 min)",
    description: "One 3-minute round with the classroom defaults: an L1 block every 3 s, a 60 s challenge window.",
    rounds: [{ scenario: "optimistic", durationSec: 180 }],
  },
  {
    id: "two-rounds",
    label: "Two rounds",
    description: "Two 3-minute rounds: the second with a 30 s challenge window, so withdrawals are faster but challengers must be quicker.",
    rounds: [
      { scenario: "optimistic", durationSec: 180 },
      { scenario: "optimistic", durationSec: 180, params: { challengeWindowSec: 30 } },
    ],
  },
  {
    id: "demo",
    label: "Fast demo (90 s, 30 s challenge window)",
    description: "One short round for a demo: a 30 s challenge window and 15 s per dispute move.",
    rounds: [{ scenario: "optimistic", durationSec: 90, params: { challengeWindowSec: 30, moveTimeoutSec: 15 } }],
  },
  {
    id: "congested",
    label: "Congested L1 (4 min)",
    description: "Blocks fit only 10 transfers: watch the base fee climb and what it does to L1 vs L2 costs.",
    rounds: [{ scenario: "optimistic", durationSec: 240, params: { transfersPerBlock: 10 } }],
  },
];

/** One planned round in words: "3:00 · challenge window 30 s". */
export function describeRound(round: { durationSec: number; params?: Record<string, number> }): string {
  const minutes = Math.floor(round.durationSec / 60);
  const seconds = String(round.durationSec % 60).padStart(2, "0");
  const params = Object.entries(round.params ?? {}).map(([name, value]) => {
    const words: Record<string, string> = {
      challengeWindowSec: `challenge window ${value} s`,
      moveTimeoutSec: `${value} s per dispute move`,
      blockTimeSec: `L1 block every ${value} s`,
      forcedInclusionDelaySec: `forced inclusion after ${value} s`,
      transfersPerBlock: `${value} transfers per block`,
      sequencerBondEth: `sequencer bond ${value} ETH`,
      challengerBondEth: `challenger bond ${value} ETH`,
    };
    return words[name] ?? `${name} ${value}`;
  });
  return [`${minutes}:${seconds}`, ...params].join(" · ");
}
