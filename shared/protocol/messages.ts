import { z } from "zod";
import { CHANNELS_MESSAGES, CHANNELS_MESSAGE_ROLES } from "./channels.ts";
import { accountId, dataAvailability, fee, hex128, hex64, hostToken, objectId, positiveGwei, signedL2Tx } from "./fields.ts";
import { L1_MESSAGES, L1_MESSAGE_ROLES } from "./l1.ts";
import { PLASMA_MESSAGES, PLASMA_MESSAGE_ROLES } from "./plasma.ts";
import { SIDECHAIN_MESSAGES, SIDECHAIN_MESSAGE_ROLES } from "./sidechain.ts";
import { ZK_MESSAGES, ZK_MESSAGE_ROLES } from "./zk.ts";

export { signedL2Tx } from "./fields.ts";
export type { SignedL2Tx } from "./fields.ts";

/** Bumped whenever a message or the synced state changes shape. */
export const PROTOCOL_VERSION = 3;

/**
 * Roles a player can hold. Sequencer and challenger play optimistic rounds, prover ZK rounds,
 * watchtower channel rounds, operator Plasma rounds, validator and auditor sidechain rounds;
 * everyone else is a user.
 */
export const ROLES = ["user", "sequencer", "challenger", "prover", "watchtower", "operator", "validator", "auditor"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_SUMMARY: Record<Role, string> = {
  user: "You move money: deposit from L1, pay others on the Layer 2 for pennies, and get your money back out — before anyone can cheat you.",
  sequencer: "You order everyone's L2 transactions and post them to L1 in batches, with a bond. You may cheat — if nobody catches you.",
  challenger: "You re-execute every batch. When a root is wrong, open a dispute and win the bisection game before the window closes.",
  prover: "You batch everyone's ZK-rollup transactions and pay for proving each batch; L1 accepts it only if the proof verifies. A false proof never does.",
  watchtower: "You guard other players' channels while they are offline: if someone closes with an old state, you publish the newer one inside the window and earn a fee.",
  operator: "You run the Plasma chain: you put transactions in blocks and commit only each block's Merkle root to L1. You may hide a block and steal — if users don't exit in time.",
  validator: "You stake ETH to run the sidechain: sign its blocks and checkpoints, and hold a key of the bridge multisig. Enough of you together could drain the bridge.",
  auditor: "You watch the sidechain bridge: compare the ETH locked on L1 with the tokens on the sidechain, and raise the alarm when they stop matching.",
};

export const SCENARIOS = ["optimistic", "zk", "l1", "channels", "plasma", "sidechain"] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** What each scenario is called in the host console, the projector and the debrief. */
export const SCENARIO_LABEL: Record<Scenario, string> = {
  optimistic: "Optimistic rollup",
  zk: "ZK rollup",
  l1: "L1 rush hour",
  channels: "State channels",
  plasma: "Plasma",
  sidechain: "Sidechain + bridge",
};

/** The roles each scenario uses (the first is its default); a player holding another role plays that round as a user. */
export const SCENARIO_ROLES: Record<Scenario, readonly Role[]> = {
  optimistic: ["user", "sequencer", "challenger"],
  zk: ["user", "prover"],
  l1: ["user"],
  channels: ["user", "watchtower"],
  plasma: ["user", "operator"],
  sidechain: ["user", "validator", "auditor"],
};

/** What a user does in each scenario: the one role every scenario has, and the one sentence a student reads first. */
export const USER_SUMMARY: Record<Scenario, string> = {
  optimistic: "You use an optimistic rollup: deposit from L1, pay others for pennies, withdraw after the challenge window — and force your way in if the sequencer censors you.",
  zk: "You use a ZK rollup: deposit, pay others for pennies, withdraw — and claim on L1 as soon as your batch's proof verifies.",
  l1: "You pay classmates on L1 itself. Blocks have room for only so many transfers: tip more to get in sooner, or wait while the base fee climbs.",
  channels: "You share a payment channel with a partner: pay each other instantly by signing balance updates — and punish them if they close with an old state.",
  plasma: "You hold coins on a Plasma chain. Pay others cheaply, but watch the operator: if a block's data goes missing, exit to L1 before your coins are stolen.",
  sidechain: "You use a fast, cheap sidechain: deposit through the bridge, pay others, withdraw with the validators' signatures — and trust the bridge's keys.",
};

/** The sentence that explains `role` in `scenario` (users get the scenario's own). */
export function roleSummary(scenario: string, role: Role): string {
  return role === "user" && scenario in USER_SUMMARY ? USER_SUMMARY[scenario as Scenario] : ROLE_SUMMARY[role];
}

export const DIFFICULTIES = ["easy", "normal", "hard"] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export const roundPlan = z.strictObject({
  scenario: z.enum(SCENARIOS),
  durationSec: z.number().int().min(30).max(3600),
  /** Scenario parameters in seconds and ETH, e.g. { challengeWindowSec: 60 }. */
  params: z.record(z.string().max(40), z.number()).optional(),
});
export type RoundPlan = z.infer<typeof roundPlan>;

/** Every client → server message: its name and the schema its payload must pass. */
export const CLIENT_MESSAGES = {
  // host console (token required)
  "host:plan": z.strictObject({ ...hostToken, rounds: z.array(roundPlan).min(1).max(12) }),
  "host:assign": z.strictObject({ ...hostToken, playerId: accountId, role: z.enum(ROLES) }),
  "host:autoBalance": z.strictObject({ ...hostToken }),
  "host:start": z.strictObject({ ...hostToken }),
  "host:pause": z.strictObject({ ...hostToken }),
  "host:resume": z.strictObject({ ...hostToken }),
  "host:extend": z.strictObject({ ...hostToken, seconds: z.number().int().min(5).max(600) }),
  "host:skip": z.strictObject({ ...hostToken }),
  "host:endRound": z.strictObject({ ...hostToken }),
  "host:kick": z.strictObject({ ...hostToken, playerId: accountId }),
  "host:lock": z.strictObject({ ...hostToken, locked: z.boolean() }),
  "host:addBots": z.strictObject({ ...hostToken, count: z.number().int().min(1).max(300), role: z.enum(ROLES).optional(), difficulty: z.enum(DIFFICULTIES).default("normal") }),
  "host:endSession": z.strictObject({ ...hostToken }),
  // every player
  "player:key": z.strictObject({ publicKey: hex64 }),
  // optimistic rollup: user
  "user:deposit": z.strictObject({ amount: positiveGwei, ...fee }),
  "user:l2": z.strictObject({ tx: signedL2Tx }),
  "user:finalize": z.strictObject({ withdrawalId: objectId, ...fee }),
  "user:force": z.strictObject({ tx: signedL2Tx, ...fee }),
  "user:forceInclude": z.strictObject({ entryId: z.number().int().nonnegative(), ...fee }),
  // optimistic rollup: sequencer
  "seq:include": z.strictObject({ txIds: z.array(objectId).max(500).optional() }),
  "seq:censor": z.strictObject({ txId: objectId }),
  "seq:post": z.strictObject({
    cheat: z.discriminatedUnion("kind", [
      z.strictObject({ kind: z.literal("mint"), amount: positiveGwei }),
      z.strictObject({ kind: z.literal("steal"), victim: accountId, amount: positiveGwei }),
    ]).optional(),
    da: dataAvailability.optional(),
    ...fee,
  }),
  // optimistic rollup: challenger (and the sequencer defending)
  "chal:challenge": z.strictObject({ batchId: z.number().int().nonnegative(), root: hex64, ...fee }),
  "dispute:move": z.strictObject({ disputeId: z.number().int().nonnegative(), root: hex64, ...fee }),
  "dispute:prove": z.strictObject({ disputeId: z.number().int().nonnegative(), ...fee }),
  // the other scenarios, each prefixed with its own name ("zk:", "l1:", "channels:", …)
  ...ZK_MESSAGES,
  ...L1_MESSAGES,
  ...CHANNELS_MESSAGES,
  ...PLASMA_MESSAGES,
  ...SIDECHAIN_MESSAGES,
} as const;

export type ClientMessageType = keyof typeof CLIENT_MESSAGES;
export type ClientMessage<T extends ClientMessageType> = z.input<(typeof CLIENT_MESSAGES)[T]>;

/** Which role may send which player message; host messages are checked by token instead. */
export const MESSAGE_ROLES: Partial<Record<ClientMessageType, readonly Role[]>> = {
  "user:deposit": ["user", "sequencer", "challenger"],
  "user:l2": ["user"],
  "user:finalize": ["user"],
  "user:force": ["user"],
  "user:forceInclude": ["user", "challenger"],
  "seq:include": ["sequencer"],
  "seq:censor": ["sequencer"],
  "seq:post": ["sequencer"],
  "chal:challenge": ["challenger"],
  "dispute:move": ["challenger", "sequencer"],
  "dispute:prove": ["challenger", "sequencer"],
  ...ZK_MESSAGE_ROLES,
  ...L1_MESSAGE_ROLES,
  ...CHANNELS_MESSAGE_ROLES,
  ...PLASMA_MESSAGE_ROLES,
  ...SIDECHAIN_MESSAGE_ROLES,
};

/** The scenario a player message belongs to: its prefix when that names a scenario, else the optimistic rollup. */
export function scenarioOfMessage(type: string): Scenario | null {
  const prefix = type.slice(0, type.indexOf(":"));
  if (prefix === "host" || prefix === "player") return null;
  return (SCENARIOS as readonly string[]).includes(prefix) ? (prefix as Scenario) : "optimistic";
}

/** Request/response: a challenger fetches a batch's data to re-execute it locally; any client asks for the scenario views whole. */
export const REQUESTS = {
  "batch:data": z.strictObject({ batchId: z.number().int().nonnegative() }),
  "views:resync": z.strictObject({}),
} as const;

/** Server → client events. */
export const SERVER_EVENTS = {
  error: "error",
  ack: "ack",
  notice: "notice",
  debrief: "debrief",
  final: "final",
  kicked: "kicked",
} as const;

/** Machine-readable reasons in error events. */
export const ERROR_CODES = {
  invalidPayload: "invalid_payload",
  unknownMessage: "unknown_message",
  notHost: "not_host",
  wrongRole: "wrong_role",
  wrongPhase: "wrong_phase",
  rejected: "rejected",
  rateLimited: "rate_limited",
  internal: "internal",
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export interface ErrorEvent {
  code: ErrorCode;
  message: string;
  /** The message type that caused it. */
  type: string;
  /** Echo of the client's sequence number, if it sent one. */
  seq?: number;
}

export interface AckEvent {
  type: string;
  seq?: number;
}

/** Close code when the host kicks a player (4000–4010 are Colyseus's own). */
export const CLOSE_KICKED = 4100;
/** Close code when the session ends. */
export const CLOSE_SESSION_ENDED = 4101;
/** Close code for a client that kept flooding the room after being told to slow down. */
export const CLOSE_FLOODING = 4102;
/** Close code when the session closes itself: nobody was left in it, or it never started. */
export const CLOSE_SESSION_EXPIRED = 4103;

export const NAME_MAX_LENGTH = 20;

/**
 * The text a student's browser signs to take its own seat back after the reconnection window
 * (ed25519, with the key it registered in that game): a nickname alone proves nothing.
 */
export function rejoinMessage(code: string, name: string): string {
  return `l2arena:rejoin:${code}:${name}`;
}

/**
 * Options a client joins the classroom room with: a student's name (with the public key their
 * browser keeps for this game and, to take an existing seat back, a signed rejoinMessage), the
 * host's token, or the projector.
 */
export const joinOptions = z.union([
  // `bot`: a headless player (npm run bots) says so, and is seated as a bot: marked on every screen, never ranked with students.
  z.strictObject({ name: z.string().max(200), publicKey: hex64.optional(), proof: hex128.optional(), bot: z.literal(true).optional() }),
  z.strictObject({ hostToken: z.string().min(10).max(100) }),
  z.strictObject({ projector: z.literal(true) }),
]);
export type JoinOptions = z.infer<typeof joinOptions>;

/** A nickname trimmed and checked, or the reason it is refused. */
export function cleanName(raw: string): { name: string } | { reason: string } {
  const name = raw.normalize("NFC").replace(/\s+/g, " ").trim();
  if (name.length === 0) return { reason: "Please type a nickname." };
  if (name.length > NAME_MAX_LENGTH) return { reason: `Nicknames can be at most ${NAME_MAX_LENGTH} characters.` };
  if (/[\p{Cc}\p{Cf}<>]/u.test(name)) return { reason: "Nicknames cannot contain control characters or < >." };
  return { name };
}
