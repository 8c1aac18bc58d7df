import { createPublicKey, verify } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { passesStrictEncodingRules } from "../../shared/crypto/ed25519-strict-rule.ts";
import type { Ed25519Verifier } from "../../shared/crypto/signature-verifier.ts";
import { ed25519Spki } from "../../shared/crypto/webcrypto-ed25519-verifier.ts";

/**
 * The server's Ed25519 backend: OpenSSL through node:crypto (~0.15 ms a signature on the 2-core
 * machine, against ~3.4 ms for @noble/curves), under the strict rule: the byte rules run first, then
 * OpenSSL's cofactorless verify. KeyObjects are built once per public key (a class has tens) and
 * kept, up to `keyCacheEntries`.
 */
export function nativeEd25519Verifier(keyCacheEntries = 8_192): Ed25519Verifier {
  const keys = new Map<string, KeyObject | null>();
  const keyFor = (publicKey: Uint8Array): KeyObject | null => {
    const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString("hex");
    let key = keys.get(id);
    if (key === undefined) {
      if (keys.size >= keyCacheEntries) keys.clear(); // a full reset is rare and only costs re-imports
      try {
        key = createPublicKey({ key: Buffer.from(ed25519Spki(publicKey)), format: "der", type: "spki" });
      } catch {
        key = null; // OpenSSL refused the key (not a curve point): every signature by it is invalid
      }
      keys.set(id, key);
    }
    return key;
  };
  return {
    name: "node-native",
    verify(publicKey, message, signature) {
      if (!passesStrictEncodingRules(publicKey, signature)) return false;
      const key = keyFor(publicKey);
      if (!key) return false;
      try {
        return verify(null, message, key, signature);
      } catch {
        return false;
      }
    },
  };
}
