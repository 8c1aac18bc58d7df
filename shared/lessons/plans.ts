import { SCENARIO_LABEL } from "../protocol/messages.ts";
import { DEFAULT_CONFIG } from "../engine/config.ts";
import { paramInWords } from "./params.ts";
import type { RoundPlan, Scenario } from "../protocol/messages.ts";

/** A ready-made lesson plan the host picks, then may edit before starting. */
export interface LessonPlan {
  id: string;
  label: string;
  /** What the class will learn, in one or two sentences. */
  description: string;
  rounds: RoundPlan[];
}

/** Minutes in seconds, so plans read as minutes. */
const min = (minutes: number): number => Math.round(minutes * 60);

/** The fast demo's one round: its label and description are written from these values. */
const DEMO_ROUND = { scenario: "optimistic", durationSec: 90, params: { challengeWindowSec: 30, moveTimeoutSec: 25 } } as const satisfies RoundPlan;

/**
 * Presets for the host console. Durations in seconds of game clock; params in classroom units
 * (seconds, ETH), each one in the table of ./params.ts.
 */
export const LESSON_PLANS: readonly LessonPlan[] = [
  {
    id: "l1-rush-hour",
    label: "L1 rush hour (4 min)",
    description: "Everyone pays everyone on L1 itself, and a block fits only 8 transfers: the class watches EIP-1559 push the base fee up and learns why Layer 2s exist.",
    rounds: [{ scenario: "l1", durationSec: min(4), params: { transfersPerBlock: 8 } }],
  },
  {
    id: "optimistic-vs-zk",
    label: "Optimistic vs ZK (2 × 4 min)",
    description: "The same 4 minutes twice: first an optimistic rollup (withdrawals wait out a challenge window, challengers must watch), then a ZK rollup (provers pay for proofs, withdrawals are final at once). The two debriefs compare side by side.",
    rounds: [
      { scenario: "optimistic", durationSec: min(4), params: { challengeWindowSec: 45 } },
      { scenario: "zk", durationSec: min(4) },
    ],
  },
  {
    id: "lightning-duel",
    label: "Lightning duel (5 min)",
    description: "Pairs open state channels and pay each other off-chain for free; someone will close with an old state, and the victim (or a watchtower) has a 30 s dispute window to answer. The class learns why you must watch your channel (or pay a watchtower) inside the dispute window.",
    rounds: [{ scenario: "channels", durationSec: min(5), params: { disputeWindowSec: 30 } }],
  },
  {
    id: "plasma-mass-exit",
    label: "Plasma mass exit (5 min)",
    description: "The Plasma operator only commits block roots to L1 — then, 90 s in, hides a block and steals. Everyone rushes to exit with Merkle proofs at once; the root chain pays one exit per L1 block, L1 jams and not everyone gets out. The class learns what data availability is for.",
    rounds: [{ scenario: "plasma", durationSec: min(5), params: { withholdAtSec: 90, exitsPerBlock: 1 } }],
  },
  {
    id: "bridge-heist",
    label: "Bridge heist: Ronin vs Polygon (2 × 4 min)",
    description: "A fast, cheap sidechain with its own validators, and an attacker who has stolen 5 of the 9 validator keys — as Ronin's did in March 2022. First the bridge is Ronin's 5-of-9 multisig: 5 keys are enough to drain it, and auditors must notice. Then the same sidechain with Polygon PoS's bridge, where a withdrawal proves its burn against a checkpoint signed by more than 2/3 of the stake: the same 5 keys are not enough. The two debriefs compare the designs.",
    rounds: [
      { scenario: "sidechain", durationSec: min(4), params: { bridgeThreshold: 5, bridgeSeats: 9, stolenKeys: 5, bridgeDesign: 1 } },
      { scenario: "sidechain", durationSec: min(4), params: { bridgeThreshold: 5, bridgeSeats: 9, stolenKeys: 5, bridgeDesign: 2 } },
    ],
  },
  {
    id: "full-tour",
    label: "Full tour (6 × 4 min, a 45-minute lesson)",
    description: "L1, then each way of scaling it: optimistic rollup, ZK rollup, state channels, Plasma and a sidechain, 4 minutes each with a short debrief between. The risk rosettes of the six debriefs show what each one trades away.",
    rounds: [
      { scenario: "l1", durationSec: min(4), params: { transfersPerBlock: 10 } },
      { scenario: "optimistic", durationSec: min(4), params: { challengeWindowSec: 45 } },
      { scenario: "zk", durationSec: min(4) },
      { scenario: "channels", durationSec: min(4) },
      { scenario: "plasma", durationSec: min(4) },
      { scenario: "sidechain", durationSec: min(4), params: { stolenKeys: 5 } },
    ],
  },
  {
    id: "quick",
    label: "Quick optimistic round (3 min)",
    description: "One 3-minute optimistic rollup round with the classroom defaults: an L1 block every 3 s, a 60 s challenge window.",
    rounds: [{ scenario: "optimistic", durationSec: min(3) }],
  },
  {
    id: "two-rounds",
    label: "Two optimistic rounds",
    description: "Two 3-minute rounds: the second with a 30 s challenge window, so withdrawals are faster but challengers must be quicker.",
    rounds: [
      { scenario: "optimistic", durationSec: min(3) },
      { scenario: "optimistic", durationSec: min(3), params: { challengeWindowSec: 30 } },
    ],
  },
  {
    id: "demo",
    label: `Fast demo (${DEMO_ROUND.durationSec} s, ${DEMO_ROUND.params.challengeWindowSec} s challenge window)`,
    // The words come from the round's own parameters, so the two cannot drift apart.
    description: `One short optimistic round for a demo: a ${DEMO_ROUND.params.challengeWindowSec} s challenge window and ${DEMO_ROUND.params.moveTimeoutSec} s per dispute move.`,
    rounds: [DEMO_ROUND],
  },
  {
    id: "congested",
    label: "Congested L1 under a rollup (4 min)",
    description: "An optimistic rollup on an L1 whose blocks fit only 10 transfers: watch the base fee climb and what it does to L1 vs L2 costs.",
    rounds: [{ scenario: "optimistic", durationSec: min(4), params: { transfersPerBlock: 10 } }],
  },
];

/**
 * The challenge window (ms) an optimistic rollup has in this lesson, for screens of another round
 * that compare with it (a ZK round's "no challenge window"): the optimistic round nearest before
 * round `index`, else the first after it, else the engine's default. Never the current round's
 * own config, which a ZK round does not set.
 */
export function planChallengeWindowMs(rounds: readonly RoundPlan[], index: number): number {
  const windowOf = (round: RoundPlan) => {
    const sec = round.params?.challengeWindowSec;
    return typeof sec === "number" ? Math.round(sec * 1000) : DEFAULT_CONFIG.challengeWindowMs;
  };
  const optimistic = rounds.map((round, i) => ({ round, i })).filter(({ round }) => round.scenario === "optimistic");
  const before = optimistic.filter(({ i }) => i <= index).at(-1);
  const chosen = before ?? optimistic[0];
  return chosen ? windowOf(chosen.round) : DEFAULT_CONFIG.challengeWindowMs;
}

/** A duration in seconds as m:ss ("4:00", "1:30"). */
export function formatDuration(durationSec: number): string {
  return `${Math.floor(durationSec / 60)}:${String(durationSec % 60).padStart(2, "0")}`;
}

/**
 * A duration typed by the host: "4:30", "4 min", "90" or "90 s" → seconds; null when it is not one.
 * A bare number is seconds.
 */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase();
  const clock = /^(\d{1,3}):([0-5]\d)$/.exec(t);
  if (clock) return Number(clock[1]) * 60 + Number(clock[2]);
  const minutes = /^(\d{1,3}(?:\.\d+)?)\s*(?:m|min|mins|minutes?)$/.exec(t);
  if (minutes) return Math.round(Number(minutes[1]) * 60);
  const secs = /^(\d{1,5})\s*(?:s|sec|secs|seconds?)?$/.exec(t);
  return secs ? Number(secs[1]) : null;
}

/** One planned round's settings in words: "4:00 · challenge window 45 s · maxThings 3". */
export function describeParams(round: { durationSec: number; params?: Record<string, number> }): string {
  const params = Object.entries(round.params ?? {}).map(([name, value]) => paramInWords(name, value));
  return [formatDuration(round.durationSec), ...params].join(" · ");
}

/** One planned round in words, scenario first: "Optimistic rollup · 4:00 · challenge window 45 s". */
export function describeRound(round: { scenario: string; durationSec: number; params?: Record<string, number> }): string {
  return `${SCENARIO_LABEL[round.scenario as Scenario] ?? round.scenario} · ${describeParams(round)}`;
}
