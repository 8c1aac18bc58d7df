import { createPrivateKey, sign } from "node:crypto";
import type { KeyObject } from "node:crypto";
import type { Ed25519Sign } from "../../shared/crypto/sign.ts";

/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/**
 * The server bots' Ed25519 signer: OpenSSL through node:crypto instead of @noble/curves. Ed25519
 * signatures are deterministic (RFC 8032), so the bytes are exactly the ones noble or a browser
 * would make — only cheaper. KeyObjects are built once per key (one per bot) and kept, up to
 * `keyCacheEntries`.
 */
export function nativeEd25519Signer(keyCacheEntries = 4_096): Ed25519Sign {
  const keys = new Map<string, KeyObject>();
  return (seed, message) => {
    const id = Buffer.from(seed.buffer, seed.byteOffset, seed.byteLength).toString("hex");
    let key = keys.get(id);
    if (!key) {
      if (keys.size >= keyCacheEntries) keys.clear();
      key = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, Buffer.from(seed)]), format: "der", type: "pkcs8" });
      keys.set(id, key);
    }
    return new Uint8Array(sign(null, Buffer.from(message), key));
  };
}
