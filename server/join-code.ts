import { customAlphabet } from "nanoid";
import type { Presence } from "@colyseus/core";

/** No 0/O, 1/I/L, 2/Z, 5/S, 8/B: codes read aloud and typed on phones without mistakes. */
export const JOIN_CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY";
export const JOIN_CODE_LENGTH = 6;
const CODES_KEY = "l2arena:codes";

const generate = customAlphabet(JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH);

/** Normalises what a person typed: trims, upper-cases; null if it cannot be a code. */
export function normaliseCode(input: string): string | null {
  const code = input.trim().toUpperCase();
  if (code.length !== JOIN_CODE_LENGTH) return null;
  for (const char of code) if (!JOIN_CODE_ALPHABET.includes(char)) return null;
  return code;
}

/**
 * Claims a fresh code in presence (shared by every process with Redis presence),
 * so two live sessions never share one.
 */
export async function claimCode(presence: Presence): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const code = generate();
    if ((await presence.hincrby(CODES_KEY, code, 1)) === 1) return code;
  }
  throw new Error("could not find a free join code");
}

/** True while `code` is claimed by a session (a room may only be created for a claimed code). */
export async function isClaimed(presence: Presence, code: string): Promise<boolean> {
  return (await presence.hget(CODES_KEY, code)) !== null;
}

/** Claims `code` again for a session restored after a restart (it may still be claimed in a shared presence). */
export async function reclaimCode(presence: Presence, code: string): Promise<void> {
  await presence.hset(CODES_KEY, code, "1");
}

/** Frees a code when its session ends. */
export async function releaseCode(presence: Presence, code: string): Promise<void> {
  await presence.hdel(CODES_KEY, code);
}
