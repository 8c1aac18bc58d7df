import { keyPairFromSeed } from "../../../shared/crypto/sign.ts";
import type { KeyPair } from "../../../shared/crypto/sign.ts";
import { bytesToHex, hexToBytes } from "../../../shared/crypto/hash.ts";

/**
 * What a tab remembers across reloads (sessionStorage: per tab, gone when it closes):
 * the player's signing key per game, reconnection tokens, the host's token.
 */

function read(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch {
    // Private mode or storage full: the game still works, only reloads forget.
  }
}

function readLasting(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeLasting(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private mode: the key lives as long as the tab.
  }
}

/**
 * This browser's ed25519 key for a game, created on first use and kept (localStorage) so a student
 * who closes the tab or comes back after the reconnection window proves the seat is theirs. The
 * secret never leaves the browser.
 */
export function playerKey(code: string): KeyPair {
  const stored = readLasting(`l2arena:key:${code}`) ?? read(`l2arena:key:${code}`);
  if (stored && /^[0-9a-f]{64}$/.test(stored)) return keyPairFromSeed(hexToBytes(stored));
  const seed = crypto.getRandomValues(new Uint8Array(32));
  writeLasting(`l2arena:key:${code}`, bytesToHex(seed));
  write(`l2arena:key:${code}`, bytesToHex(seed));
  return keyPairFromSeed(seed);
}

/** The nickname this browser last joined a game with (to offer it again). */
export function lastNickname(code: string): string | null {
  return readLasting(`l2arena:name:${code}`);
}

export function saveNickname(code: string, name: string): void {
  writeLasting(`l2arena:name:${code}`, name);
}

/** The token that lets a reloaded tab take its seat back (kept 30 s by the server). */
export function reconnectionToken(code: string): string | null {
  return read(`l2arena:reconnect:${code}`);
}

export function saveReconnectionToken(code: string, token: string | null): void {
  write(`l2arena:reconnect:${code}`, token);
}

export interface HostSession {
  code: string;
  hostToken: string;
}

/** The game this tab hosts, if any. */
export function hostSession(): HostSession | null {
  const stored = read("l2arena:host");
  if (!stored) return null;
  try {
    const parsed = JSON.parse(stored) as Partial<HostSession>;
    return typeof parsed.code === "string" && typeof parsed.hostToken === "string" ? { code: parsed.code, hostToken: parsed.hostToken } : null;
  } catch {
    return null;
  }
}

export function saveHostSession(session: HostSession | null): void {
  write("l2arena:host", session ? JSON.stringify(session) : null);
}
