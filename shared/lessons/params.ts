import type { ScenarioConfig } from "../engine/config.ts";
import { MAX_TO_SELF_DELAY_MS, MIN_TO_SELF_DELAY_MS } from "../engine/channels/rules.ts";
import { COIN_MATURITY_MS, EXIT_CHALLENGE_PERIOD_MS, EXITS_PROCESSED_PER_BLOCK } from "../engine/plasma/constants.ts";
import { BRIDGE_DESIGN_LABEL, DEFAULT_SIDECHAIN_CONFIG, MAX_BRIDGE_SEATS } from "../engine/sidechain/params.ts";
import type { BridgeDesign } from "../engine/sidechain/params.ts";
import { eth } from "../engine/units.ts";
import type { Scenario } from "../protocol/messages.ts";

/**
 * Every parameter a lesson plan may set, in one table: which rounds read it, what it means, its
 * words on every screen, its range, and — for the engine's own parameters — how it sets the
 * round's config. The server checks plans against it (server/round.ts configFor), the host
 * console and the lesson list describe plans with it (plans.ts), and each scenario's genesis
 * reads its own values. Values are classroom units: seconds, ETH, counts.
 */
export interface ParamSpec {
  /** The rounds that read it: "all" for the engine's parameters, which any round takes. */
  scenarios: "all" | readonly Scenario[];
  /** What it sets, for the docs and the host console. */
  meaning: string;
  /** The value in words ("challenge window 45 s"). */
  words(value: number): string;
  /** Inclusive range, and whether only whole numbers make sense. */
  min: number;
  max: number;
  whole?: boolean;
  /** An engine parameter sets the round's config; scenario parameters are read by the scenario's genesis instead. */
  apply?(config: ScenarioConfig, value: number): void;
}

const ms = (seconds: number): number => Math.round(seconds * 1000);
const plural = (v: number, one: string, many: string): string => `${v} ${v === 1 ? one : many}`;

/** Default sidechain and Plasma values, in the table's units, for the meanings below. */
const SIDE = DEFAULT_SIDECHAIN_CONFIG;

export const PLAN_PARAMS: Readonly<Record<string, ParamSpec>> = {
  // The engine's: any round (the L1 and the optimistic rollup's rules).
  blockTimeSec: { scenarios: "all", meaning: "seconds between L1 blocks (default 3; Ethereum: 12)", words: (v) => `L1 block every ${v} s`, min: 0.5, max: 60, apply: (c, v) => (c.blockTimeMs = ms(v)) },
  challengeWindowSec: { scenarios: "all", meaning: "the optimistic rollup's challenge window, s (default 60; mainnet: 7 days)", words: (v) => `challenge window ${v} s`, min: 5, max: 3_600, apply: (c, v) => (c.challengeWindowMs = ms(v)) },
  moveTimeoutSec: { scenarios: "all", meaning: "each side's time per bisection move, s (default 30: a student needs time to read; bots answer at once)", words: (v) => `${v} s per dispute move`, min: 2, max: 600, apply: (c, v) => (c.moveTimeoutMs = ms(v)) },
  forcedInclusionDelaySec: { scenarios: "all", meaning: "how long a transaction waits in the L1 delayed inbox before anyone may force it in, s (default 24; Arbitrum: ~24 h)", words: (v) => `forced inclusion after ${v} s`, min: 1, max: 3_600, apply: (c, v) => (c.forcedInclusionDelayMs = ms(v)) },
  transfersPerBlock: { scenarios: "all", meaning: "L1 transfers that fit one block, per 30 players (default 30)", words: (v) => `${v} transfers per L1 block`, min: 1, max: 1_000, whole: true, apply: (c, v) => (c.gasLimit = Math.round(v) * c.gas.transfer) },
  sequencerBondEth: { scenarios: "all", meaning: "bond behind every state-root claim, ETH (default 3.6: Arbitrum's 3,600 ÷ 1,000)", words: (v) => `sequencer bond ${v} ETH`, min: 0.001, max: 1_000, apply: (c, v) => (c.sequencerBond = eth(v)) },
  challengerBondEth: { scenarios: "all", meaning: "a challenger's bond, ETH (default 0.555)", words: (v) => `challenger bond ${v} ETH`, min: 0.001, max: 1_000, apply: (c, v) => (c.challengerBond = eth(v)) },
  // State channels.
  disputeWindowSec: { scenarios: ["channels"], meaning: "the dispute window of a unilateral close (to_self_delay), s (default 24)", words: (v) => `dispute window ${v} s`, min: MIN_TO_SELF_DELAY_MS / 1000, max: MAX_TO_SELF_DELAY_MS / 1000 },
  // Plasma.
  exitPeriodSec: {
    scenarios: ["plasma"],
    meaning: `Plasma challenge period, s: an exit waits this long and coins twice this after their block (default ${EXIT_CHALLENGE_PERIOD_MS / 1000}, maturity ${COIN_MATURITY_MS / 1000})`,
    words: (v) => `exit challenge period ${v} s`, min: 1, max: 43_200,
  },
  exitsPerBlock: { scenarios: ["plasma"], meaning: `exits the root chain pays per L1 block (default ${EXITS_PROCESSED_PER_BLOCK})`, words: (v) => `${plural(v, "exit", "exits")} paid per L1 block`, min: 1, max: 100, whole: true },
  withholdAtSec: { scenarios: ["plasma"], meaning: "when a bot operator (normal or hard) withholds a block and steals, s into the round (default 90)", words: (v) => `operator bot cheats at ${v} s`, min: 1, max: 3_600 },
  // Plasma's operator and the sidechain's validators: blocks of their own chain.
  blockIntervalSec: { scenarios: ["plasma", "sidechain"], meaning: `seconds between Layer 2 blocks: a Plasma bot operator's commits (default 6), sidechain blocks (default ${SIDE.blockIntervalMs / 1000})`, words: (v) => `a Layer 2 block every ${v} s`, min: 0.5, max: 600 },
  // Sidechain.
  bridgeThreshold: { scenarios: ["sidechain"], meaning: `signatures the bridge needs, m (default ${SIDE.bridgeThreshold}; Ronin: 5 of 9)`, words: (v) => `bridge needs ${v} signatures`, min: 1, max: MAX_BRIDGE_SEATS, whole: true },
  bridgeSeats: { scenarios: ["sidechain"], meaning: `keys on the bridge, n (default ${SIDE.bridgeSeats}); bot validators fill empty seats`, words: (v) => `${v} bridge keys`, min: 1, max: MAX_BRIDGE_SEATS, whole: true },
  checkpointIntervalSec: { scenarios: ["sidechain"], meaning: `seconds between checkpoints to L1 (default ${SIDE.checkpointIntervalMs / 1000}; Polygon: ~30 min)`, words: (v) => `checkpoint every ${v} s`, min: 1, max: 600 },
  stolenKeys: { scenarios: ["sidechain"], meaning: "validator keys an attacker has stolen, as Ronin's attacker held 5 of 9: bot validators (added if missing) that take bridge seats first and sign the attacker's heist (default 0: no attacker)", words: (v) => `attacker holds ${plural(v, "stolen key", "stolen keys")}`, min: 0, max: MAX_BRIDGE_SEATS, whole: true },
  bridgeDesign: {
    scenarios: ["sidechain"],
    meaning: "the bridge: 1 = Ronin-style m-of-n multisig (pays any release m keys sign), 2 = Polygon PoS-style checkpoint + burn proof (a withdrawal proves its burn against a checkpoint > 2/3 of the stake signed) (default 1)",
    words: (v) => `bridge: ${BRIDGE_DESIGN_LABEL[bridgeDesignOf({ bridgeDesign: v })]}`, min: 1, max: 2, whole: true,
  },
};

/** Whether `name` is a parameter `scenario` rounds read (an engine one, or the scenario's own). */
export function paramAppliesTo(name: string, scenario: Scenario): boolean {
  const spec = Object.hasOwn(PLAN_PARAMS, name) ? PLAN_PARAMS[name] : undefined;
  return spec !== undefined && (spec.scenarios === "all" || spec.scenarios.includes(scenario));
}

/** The parameters `scenario` rounds read, engine ones first. */
export function paramsOf(scenario: Scenario): string[] {
  return Object.keys(PLAN_PARAMS).filter((name) => paramAppliesTo(name, scenario));
}

/**
 * Why a plan's parameters cannot run in a `scenario` round, naming the first wrong one, or null.
 * Cross-parameter rules (m ≤ n, stolen keys ≤ n) are checked here too, so the table is all a plan meets.
 */
export function checkPlanParams(scenario: Scenario, params: Readonly<Record<string, number>>): string | null {
  for (const [name, value] of Object.entries(params)) {
    if (!paramAppliesTo(name, scenario)) return `unknown parameter "${name}" for a ${scenario} round (known: ${paramsOf(scenario).join(", ")})`;
    const spec = PLAN_PARAMS[name]!;
    if (!Number.isFinite(value) || value < spec.min || value > spec.max || (spec.whole && !Number.isInteger(value))) {
      return `${name} must be ${spec.whole ? "a whole number " : ""}from ${spec.min.toLocaleString("en-US")} to ${spec.max.toLocaleString("en-US")}: ${spec.meaning}`;
    }
  }
  if (scenario === "sidechain") {
    const n = params.bridgeSeats ?? SIDE.bridgeSeats;
    if ((params.bridgeThreshold ?? Math.min(SIDE.bridgeThreshold, n)) > n) return `bridgeThreshold must be from 1 to bridgeSeats (${n})`;
    if ((params.stolenKeys ?? 0) > n) return `stolenKeys must be from 0 to bridgeSeats (${n})`;
  }
  return null;
}

/** One parameter's value in words, or "name value" for a name the table does not know. */
export function paramInWords(name: string, value: number): string {
  const spec = Object.hasOwn(PLAN_PARAMS, name) ? PLAN_PARAMS[name] : undefined;
  return spec ? spec.words(value) : `${name} ${value}`;
}

/** The sidechain round's bridge design from the plan's `bridgeDesign` (1 Ronin-style multisig, 2 Polygon PoS-style checkpoint). */
export function bridgeDesignOf(params: Readonly<Record<string, number>>): BridgeDesign {
  return params.bridgeDesign === 2 ? "checkpoint" : "multisig";
}
