import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToHex, hexToBytes, utf8ToBytes } from "./hash.ts";
import { checkSignature } from "./signature-verifier.ts";

/** A key pair as hex strings. The secret never leaves the player's browser or bot. */
export interface KeyPair {
  secretKey: string;
  publicKey: string;
}

/** A key pair from 32 bytes of seed (the browser passes crypto.getRandomValues output). */
export function keyPairFromSeed(seed: Uint8Array): KeyPair {
  const publicKey = ed25519.getPublicKey(seed);
  return { secretKey: bytesToHex(seed), publicKey: bytesToHex(publicKey) };
}

/** Signs `message` with a 32-byte Ed25519 seed; deterministic (RFC 8032), so every backend gives the same bytes. */
export type Ed25519Sign = (seed: Uint8Array, message: Uint8Array) => Uint8Array;

// Set once at start: the server's bots sign with node:crypto (server/crypto/native-ed25519-signer.ts),
// everyone else with noble. Ed25519 signing is deterministic, so the backend changes speed, never bytes.
let signer: Ed25519Sign = (seed, message) => ed25519.sign(message, seed);

/** Installs the Ed25519 signing backend. */
export function setSigner(sign: Ed25519Sign): void {
  signer = sign;
}

/** ed25519 signature of a UTF-8 message, as hex. */
export function signMessage(secretKeyHex: string, message: string): string {
  return bytesToHex(signer(hexToBytes(secretKeyHex), utf8ToBytes(message)));
}

/**
 * True when `signatureHex` is a valid ed25519 signature of `message` by `publicKeyHex` under the
 * strict rule (ed25519-strict-rule.ts); false on any malformed input. Checked by the installed
 * backend (signature-verifier.ts: node:crypto on the server), each distinct check once.
 */
export function verifySignature(publicKeyHex: string, message: string, signatureHex: string): boolean {
  return checkSignature({ publicKey: publicKeyHex, message, signature: signatureHex });
}
