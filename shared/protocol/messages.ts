import { z } from "zod";

/** Bumped whenever a message or the synced state changes shape. */
export const PROTOCOL_VERSION = 2;

/** Roles a player can hold: sequencer and challenger play optimistic rounds, prover plays ZK rounds. */
export const ROLES = ["user", "sequencer", "challenger", "prover"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_SUMMARY: Record<Role, string> = {
  user: "You move money: deposit from L1, pay on L2 for pennies, withdraw back — and force your way in if the sequencer censors you.",
  sequencer: "You order everyone's L2 transactions and post them to L1 in batches, with a bond. You may cheat — if nobody catches you.",
  challenger: "You re-execute every batch. When a root is wrong, open a dispute and win the bisection game before the window closes.",
  prover: "You batch everyone's ZK-rollup transactions and pay for proving each batch; L1 accepts it only if the proof verifies. A false proof never does.",
};

/** The roles each scenario uses; a player holding another role plays that round as a user. */
export const SCENARIO_ROLES: Record<"optimistic" | "zk", readonly Role[]> = {
  optimistic: ["user", "sequencer", "challenger"],
  zk: ["user", "prover"],
};

export const SCENARIOS = ["optimistic", "zk"] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const DIFFICULTIES = ["easy", "normal", "hard"] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

const gwei = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const positiveGwei = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex characters");
const hex128 = z.string().regex(/^[0-9a-f]{128}$/, "must be 128 lowercase hex characters");
const id = z.string().min(1).max(64);
const fee = { tip: gwei.max(1_000_000).optional(), maxFee: gwei.max(10_000_000).optional() };
const hostToken = { token: z.string().min(10).max(100) };

/** A signed L2 transaction as a client sends it (the server assigns the id). */
export const signedL2Tx = z.strictObject({
  kind: z.enum(["transfer", "withdraw"]),
  to: id,
  amount: positiveGwei,
  fee: gwei,
  nonce: z.number().int().nonnegative(),
  sig: hex128,
});
export type SignedL2Tx = z.infer<typeof signedL2Tx>;

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
  "host:assign": z.strictObject({ ...hostToken, playerId: id, role: z.enum(ROLES) }),
  "host:autoBalance": z.strictObject({ ...hostToken }),
  "host:start": z.strictObject({ ...hostToken }),
  "host:pause": z.strictObject({ ...hostToken }),
  "host:resume": z.strictObject({ ...hostToken }),
  "host:extend": z.strictObject({ ...hostToken, seconds: z.number().int().min(5).max(600) }),
  "host:skip": z.strictObject({ ...hostToken }),
  "host:endRound": z.strictObject({ ...hostToken }),
  "host:kick": z.strictObject({ ...hostToken, playerId: id }),
  "host:lock": z.strictObject({ ...hostToken, locked: z.boolean() }),
  "host:addBots": z.strictObject({ ...hostToken, count: z.number().int().min(1).max(300), role: z.enum(ROLES).optional(), difficulty: z.enum(DIFFICULTIES).default("normal") }),
  "host:endSession": z.strictObject({ ...hostToken }),
  // every player
  "player:key": z.strictObject({ publicKey: hex64 }),
  // user
  "user:deposit": z.strictObject({ amount: positiveGwei, ...fee }),
  "user:l2": z.strictObject({ tx: signedL2Tx }),
  "user:finalize": z.strictObject({ withdrawalId: id, ...fee }),
  "user:force": z.strictObject({ tx: signedL2Tx, ...fee }),
  "user:forceInclude": z.strictObject({ entryId: z.number().int().nonnegative(), ...fee }),
  // sequencer
  "seq:include": z.strictObject({ txIds: z.array(id).max(500).optional() }),
  "seq:censor": z.strictObject({ txId: id }),
  "seq:post": z.strictObject({
    cheat: z.discriminatedUnion("kind", [
      z.strictObject({ kind: z.literal("mint"), amount: positiveGwei }),
      z.strictObject({ kind: z.literal("steal"), victim: id, amount: positiveGwei }),
    ]).optional(),
    ...fee,
  }),
  // challenger (and the sequencer defending)
  "chal:challenge": z.strictObject({ batchId: z.number().int().nonnegative(), root: hex64, ...fee }),
  "dispute:move": z.strictObject({ disputeId: z.number().int().nonnegative(), root: hex64, ...fee }),
  "dispute:prove": z.strictObject({ disputeId: z.number().int().nonnegative(), ...fee }),
  // ZK rollup rounds: users deposit, send and claim; provers prove
  "zk:deposit": z.strictObject({ amount: positiveGwei, ...fee }),
  "zk:send": z.strictObject({ tx: signedL2Tx }),
  "zk:claim": z.strictObject({ withdrawalId: id, ...fee }),
  "zk:prove": z.strictObject({
    maxTxs: z.number().int().min(1).max(1_000).optional(),
    cheat: z.discriminatedUnion("kind", [
      z.strictObject({ kind: z.literal("mint"), amount: positiveGwei }),
      z.strictObject({ kind: z.literal("steal"), victim: id, amount: positiveGwei }),
      z.strictObject({ kind: z.literal("wrongRoot") }),
    ]).optional(),
    ...fee,
  }),
  "zk:submitProof": z.strictObject({ batchId: z.number().int().nonnegative(), ...fee }),
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
  "zk:deposit": ["user", "prover"],
  "zk:send": ["user"],
  "zk:claim": ["user"],
  "zk:prove": ["prover"],
  "zk:submitProof": ["prover"],
};

/** Request/response: a challenger fetches a batch's data to re-execute it locally. */
export const REQUESTS = {
  "batch:data": z.strictObject({ batchId: z.number().int().nonnegative() }),
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

export const NAME_MAX_LENGTH = 20;

/** Options a client joins the classroom room with: a student's name, the host's token, or the projector. */
export const joinOptions = z.union([
  z.strictObject({ name: z.string().max(200) }),
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
