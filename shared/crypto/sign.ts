import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToHex, hexToBytes, utf8ToBytes } from "./hash.ts";

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

/** ed25519 signature of a UTF-8 message, as hex. */
export function signMessage(secretKeyHex: string, message: string): string {
  return bytesToHex(ed25519.sign(utf8ToBytes(message), hexToBytes(secretKeyHex)));
}

/** True when `signatureHex` is a valid ed25519 signature of `message` by `publicKeyHex`; false on any malformed input. */
export function verifySignature(publicKeyHex: string, message: string, signatureHex: string): boolean {
  try {
    return ed25519.verify(hexToBytes(signatureHex), utf8ToBytes(message), hexToBytes(publicKeyHex));
  } catch {
    return false;
  }
}
