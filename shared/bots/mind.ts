import type { ClientMessage, ClientMessageType, Difficulty, Role } from "../protocol/messages.ts";
import type { signL2Tx } from "../engine/l2-state.ts";
import { nextFloat } from "../engine/prng.ts";
import type { RngState } from "../engine/prng.ts";

/** A message a bot wants to send, exactly as a client would. */
export type BotMove = { [T in ClientMessageType]: { type: T; payload: ClientMessage<T> } }[ClientMessageType];

/** A bot's memory between turns: plain data, seeded, so bot play replays too. */
export interface BotMind {
  id: string;
  role: Role;
  difficulty: Difficulty;
  secretKey: string;
  rng: RngState;
  /** Batches this bot (as challenger) has already re-executed: batchId → honest. */
  checked: Record<number, boolean>;
  /** Game time of the sequencer's last batch post. */
  lastPostMs: number;
  batchesPosted: number;
  /** Game time of the prover's last batch, and how many it started (ZK rounds). */
  lastProveMs: number;
  batchesProved: number;
  /** Anything else a scenario's bot remembers during a round (plain JSON data; cleared at each round start). */
  memory: Record<string, unknown>;
}

/** How often a bot acts on a given turn, by difficulty. */
const ACTIVITY: Record<Difficulty, number> = { easy: 0.35, normal: 0.7, hard: 1 };

/** Whether the bot acts at all this turn (easy bots idle more). */
export function botActs(mind: BotMind): boolean {
  return nextFloat(mind.rng) <= ACTIVITY[mind.difficulty];
}

/** The wire form of a signed transaction: no id (the server assigns it), no from (the server knows who you are). */
export function unsigned(tx: ReturnType<typeof signL2Tx>): ClientMessage<"user:l2">["tx"] {
  return { kind: tx.kind as "transfer" | "withdraw", to: tx.to, amount: tx.amount, fee: tx.fee, nonce: tx.nonce, sig: tx.sig };
}

