import { hexToBytes, utf8ToBytes } from "./hash.ts";
import { NOBLE_STRICT_VERIFIER } from "./noble-ed25519-verifier.ts";
import { VerdictCache } from "./verdict-cache.ts";

/**
 * Verifies an Ed25519 signature of raw bytes under the strict rule (ed25519-strict-rule.ts).
 * Must be pure (the same verdict for the same bytes, every time, on every machine) and never throw.
 */
export type Ed25519Verify = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

/** The asynchronous form (WebCrypto's subtle.verify); same rule, same verdicts. */
export type Ed25519VerifyAsync = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => Promise<boolean>;

/** A named synchronous backend. */
export interface Ed25519Verifier {
  readonly name: string;
  readonly verify: Ed25519Verify;
}

/** One signature check as the engine sees it: hex key, UTF-8 message, hex signature. */
export interface SignatureCheck {
  publicKey: string;
  message: string;
  signature: string;
}

/**
 * Verdicts remembered, server-wide. An L2 transaction's signature is checked when submitted, when
 * sequenced and when its batch is traced (and by bots re-executing batches): the first check pays,
 * the others are a lookup. 32,768 entries of ~300 bytes (key hex + signature hex + message) keep
 * about 10 MB, enough for the ~10 s between a transaction's submission and its batch at 2,000
 * transactions a second.
 */
const DEFAULT_CACHE_ENTRIES = 32_768;

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const HEX_SIGNATURE = /^[0-9a-fA-F]{128}$/;

// The engine's verifier: set once at start (server: node:crypto; browser: noble unless told
// otherwise). Every backend gives the same verdicts (tests/crypto/ed25519-verifiers.test.ts), so
// which one is installed changes speed, never an outcome, and the engine stays deterministic.
let current: Ed25519Verifier = NOBLE_STRICT_VERIFIER;
let cache = new VerdictCache(DEFAULT_CACHE_ENTRIES);

/** Installs the backend the engine's signature checks use, and empties the verdict cache. */
export function setSignatureVerifier(verifier: Ed25519Verifier, options: { cacheEntries?: number } = {}): void {
  current = verifier;
  cache = new VerdictCache(options.cacheEntries ?? DEFAULT_CACHE_ENTRIES);
}

/** The installed backend. */
export function signatureVerifier(): Ed25519Verifier {
  return current;
}

/** Cache key, or null when the hex is malformed (refused without a lookup). Fixed-width hex first: unambiguous. */
function cacheKey(check: SignatureCheck): string | null {
  if (!HEX_KEY.test(check.publicKey) || !HEX_SIGNATURE.test(check.signature)) return null;
  return check.publicKey + check.signature + check.message;
}

/**
 * True when `signature` (hex) is a valid Ed25519 signature of the UTF-8 `message` by `publicKey`
 * (hex) under the strict rule; false on any malformed input. Each distinct check runs once while
 * its verdict stays in the cache.
 */
export function checkSignature(check: SignatureCheck): boolean {
  const key = cacheKey(check);
  if (key === null) return false;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const verdict = current.verify(hexToBytes(check.publicKey), utf8ToBytes(check.message), hexToBytes(check.signature));
  cache.set(key, verdict);
  return verdict;
}

/**
 * Computes the verdicts of `checks` with an asynchronous backend (WebCrypto) and caches them, so the
 * engine's synchronous checks that follow are lookups. A challenger's browser calls it on a batch
 * before re-executing it.
 */
export async function warmVerdicts(checks: readonly SignatureCheck[], verifyAsync: Ed25519VerifyAsync): Promise<void> {
  await Promise.all(
    checks.map(async (check) => {
      const key = cacheKey(check);
      if (key === null || cache.has(key)) return;
      const verdict = await verifyAsync(hexToBytes(check.publicKey), utf8ToBytes(check.message), hexToBytes(check.signature));
      cache.set(key, verdict);
    }),
  );
}

/** How the verdict cache is doing (for benchmarks and metrics). */
export function verdictCacheStats(): { verifier: string; hits: number; misses: number; size: number; capacity: number } {
  return { verifier: current.name, hits: cache.hits, misses: cache.misses, size: cache.size, capacity: cache.capacity };
}
