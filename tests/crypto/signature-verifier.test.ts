import { afterEach, describe, expect, it } from "vitest";
import { nativeEd25519Verifier } from "../../server/crypto/native-ed25519-verifier.ts";
import { NOBLE_STRICT_VERIFIER } from "../../shared/crypto/noble-ed25519-verifier.ts";
import { keyPairFromSeed, signMessage, verifySignature } from "../../shared/crypto/sign.ts";
import { checkSignature, setSignatureVerifier, signatureVerifier, verdictCacheStats, warmVerdicts } from "../../shared/crypto/signature-verifier.ts";
import type { Ed25519Verifier } from "../../shared/crypto/signature-verifier.ts";
import { VerdictCache } from "../../shared/crypto/verdict-cache.ts";
import { webCryptoEd25519Verifier } from "../../shared/crypto/webcrypto-ed25519-verifier.ts";
import { sha256Bytes, utf8ToBytes } from "../../shared/crypto/hash.ts";

const alice = keyPairFromSeed(sha256Bytes(utf8ToBytes("verifier-test:alice")));
const bob = keyPairFromSeed(sha256Bytes(utf8ToBytes("verifier-test:bob")));

/** A backend that counts how often it is asked. */
function counting(inner: Ed25519Verifier): Ed25519Verifier & { calls: number } {
  const counter = {
    name: `counting ${inner.name}`,
    calls: 0,
    verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) {
      counter.calls++;
      return inner.verify(publicKey, message, signature);
    },
  };
  return counter;
}

afterEach(() => setSignatureVerifier(NOBLE_STRICT_VERIFIER));

describe("the engine's signature verifier (registry + verdict cache)", () => {
  it("defaults to noble-strict, so the engine works with nothing installed", () => {
    expect(signatureVerifier().name).toBe("noble-strict");
    const sig = signMessage(alice.secretKey, "pay bob 5");
    expect(verifySignature(alice.publicKey, "pay bob 5", sig)).toBe(true);
    expect(verifySignature(bob.publicKey, "pay bob 5", sig)).toBe(false);
  });

  it("checks each distinct (key, message, signature) once: later checks of the same transaction are lookups", () => {
    const backend = counting(nativeEd25519Verifier());
    setSignatureVerifier(backend);
    const sig = signMessage(alice.secretKey, "l2:transfer:alice:bob:5:0");
    for (let i = 0; i < 3; i++) expect(verifySignature(alice.publicKey, "l2:transfer:alice:bob:5:0", sig)).toBe(true); // submit, sequence, batch
    for (let i = 0; i < 3; i++) expect(verifySignature(alice.publicKey, "l2:transfer:alice:bob:6:0", sig)).toBe(false); // a forged amount, also once
    expect(backend.calls).toBe(2);
    expect(verdictCacheStats()).toMatchObject({ verifier: "counting node-native", hits: 4, misses: 2, size: 2 });
  });

  it("refuses malformed hex without asking the backend", () => {
    const backend = counting(NOBLE_STRICT_VERIFIER);
    setSignatureVerifier(backend);
    const sig = signMessage(alice.secretKey, "m");
    expect(verifySignature(alice.publicKey, "m", sig.slice(2))).toBe(false); // 63 bytes
    expect(verifySignature(alice.publicKey, "m", `${sig}00`)).toBe(false); // 65 bytes
    expect(verifySignature(alice.publicKey, "m", "zz".repeat(64))).toBe(false);
    expect(verifySignature(alice.publicKey.slice(2), "m", sig)).toBe(false);
    expect(verifySignature("", "m", sig)).toBe(false);
    expect(backend.calls).toBe(0);
    // Upper-case hex is the same bytes: valid, as before.
    expect(verifySignature(alice.publicKey.toUpperCase(), "m", sig.toUpperCase())).toBe(true);
  });

  it("a key + signature + message split differently never reuses another check's verdict", () => {
    setSignatureVerifier(nativeEd25519Verifier());
    const sig = signMessage(alice.secretKey, "ab");
    expect(checkSignature({ publicKey: alice.publicKey, message: "ab", signature: sig })).toBe(true);
    // Moving characters between the fields gives malformed hex, never the cached "true".
    expect(checkSignature({ publicKey: alice.publicKey, message: "b", signature: `${sig}a` })).toBe(false);
    expect(checkSignature({ publicKey: alice.publicKey + sig.slice(0, 2), message: "ab", signature: sig.slice(2) })).toBe(false);
  });

  it("installing a backend empties the cache (its verdicts are recomputed, equal by the equivalence tests)", () => {
    setSignatureVerifier(nativeEd25519Verifier());
    const sig = signMessage(bob.secretKey, "x");
    expect(verifySignature(bob.publicKey, "x", sig)).toBe(true);
    const backend = counting(NOBLE_STRICT_VERIFIER);
    setSignatureVerifier(backend);
    expect(verifySignature(bob.publicKey, "x", sig)).toBe(true);
    expect(backend.calls).toBe(1);
  });

  it("warmVerdicts fills the cache from WebCrypto, so the engine's synchronous checks that follow cost no curve math", async () => {
    const backend = counting(NOBLE_STRICT_VERIFIER);
    setSignatureVerifier(backend);
    const checks = Array.from({ length: 20 }, (_, i) => {
      const message = `tx ${i}`;
      const signer = i % 2 ? alice : bob;
      // Every fourth is signed by the wrong key: WebCrypto's "false" is cached too.
      const signature = signMessage((i % 4 === 3 ? bob : signer).secretKey, message);
      return { publicKey: signer.publicKey, message, signature, valid: i % 4 !== 3 };
    });
    await warmVerdicts(checks, webCryptoEd25519Verifier(globalThis.crypto.subtle));
    for (const check of checks) expect(checkSignature(check), check.message).toBe(check.valid);
    expect(backend.calls).toBe(0);
  });
});

describe("VerdictCache", () => {
  it("keeps the most recently used entries up to its capacity", () => {
    const cache = new VerdictCache(3);
    cache.set("a", true);
    cache.set("b", false);
    cache.set("c", true);
    expect(cache.get("a")).toBe(true); // a is now the most recent
    cache.set("d", true); // evicts b, the least recently used
    expect(cache.has("b")).toBe(false);
    expect([cache.has("a"), cache.has("c"), cache.has("d")]).toEqual([true, true, true]);
    expect(cache.size).toBe(3);
    expect(cache.get("b")).toBeUndefined();
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 1, misses: 1 });
  });
});
