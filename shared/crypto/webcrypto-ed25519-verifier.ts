import { passesStrictEncodingRules } from "./ed25519-strict-rule.ts";
import { bytesToHex, hexToBytes } from "./hash.ts";
import type { Ed25519VerifyAsync } from "./signature-verifier.ts";

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows (RFC 8410). */
export const ED25519_SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

/** The 44-byte SPKI DER of a raw 32-byte Ed25519 public key. */
export function ed25519Spki(publicKey: Uint8Array): Uint8Array<ArrayBuffer> {
  const der = new Uint8Array(ED25519_SPKI_PREFIX.length + publicKey.length);
  der.set(ED25519_SPKI_PREFIX, 0);
  der.set(publicKey, ED25519_SPKI_PREFIX.length);
  return der;
}

/** A copy backed by its own ArrayBuffer, as WebCrypto's BufferSource typing wants. */
function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(bytes);
}

/**
 * Ed25519 verification with WebCrypto (browsers: Chrome 137+, Firefox 129+, Safari 17+; Node), under
 * the strict rule: the byte rules run first, then `subtle.verify`, which is cofactorless in every
 * engine we know (BoringSSL, NSS/HACL*, OpenSSL). `subtle` is passed in: shared/ reaches for no
 * platform object itself. Keys are imported as SPKI, the one public-key format every engine imports.
 * Imported keys are kept per public key (hex), up to `keyCacheEntries`.
 */
export function webCryptoEd25519Verifier(subtle: SubtleCrypto, keyCacheEntries = 4_096): Ed25519VerifyAsync {
  const keys = new Map<string, Promise<CryptoKey>>();
  const keyFor = (publicKey: Uint8Array): Promise<CryptoKey> => {
    const id = bytesToHex(publicKey);
    let key = keys.get(id);
    if (!key) {
      if (keys.size >= keyCacheEntries) keys.clear(); // rare (a class has tens of keys); simpler than LRU
      key = subtle.importKey("spki", ed25519Spki(publicKey), { name: "Ed25519" }, false, ["verify"]);
      keys.set(id, key);
      key.catch(() => keys.delete(id));
    }
    return key;
  };
  return async (publicKey, message, signature) => {
    if (!passesStrictEncodingRules(publicKey, signature)) return false;
    try {
      return await subtle.verify({ name: "Ed25519" }, await keyFor(publicKey), own(signature), own(message));
    } catch {
      return false; // the engine could not import the key (not a curve point)
    }
  };
}

/** True when this WebCrypto verifies Ed25519 (older browsers throw NotSupportedError). */
export async function webCryptoHasEd25519(subtle: SubtleCrypto | undefined): Promise<boolean> {
  if (!subtle) return false;
  try {
    // RFC 8032 §7.1 TEST 1 (empty message): the answer must be true, not merely "no exception".
    const key = await subtle.importKey("spki", ed25519Spki(hexToBytes("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")), { name: "Ed25519" }, false, ["verify"]);
    const sig = own(hexToBytes("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"));
    return await subtle.verify({ name: "Ed25519" }, key, sig, new Uint8Array(0));
  } catch {
    return false;
  }
}
