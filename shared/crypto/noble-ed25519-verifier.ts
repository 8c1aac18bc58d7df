import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToNumberLE, equalBytes } from "@noble/curves/utils.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { passesStrictEncodingRules } from "./ed25519-strict-rule.ts";
import type { Ed25519Verifier } from "./signature-verifier.ts";

const Point = ed25519.Point;

/**
 * The strict rule (ed25519-strict-rule.ts) in pure JavaScript, for browsers without WebCrypto
 * Ed25519 and for the engine's default. noble's own `ed25519.verify` checks the cofactored
 * equation ([8][S]B = [8]R + [8][k]A), which accepts signatures whose R or A carries a small-order
 * component that OpenSSL rejects, even with `zip215: false`; so the cofactorless equation is
 * computed here from noble's point arithmetic, as RFC 8032 §5.1.7 and OpenSSL do.
 */
function verifyStrict(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (!passesStrictEncodingRules(publicKey, signature)) return false;
  try {
    const r = signature.subarray(0, 32);
    const A = Point.fromBytes(publicKey); // strict decoding (zip215 = false): throws if not on the curve
    const s = bytesToNumberLE(signature.subarray(32, 64)); // < L, checked above
    const digest = new Uint8Array(64 + message.length);
    digest.set(r, 0);
    digest.set(publicKey, 32);
    digest.set(message, 64);
    const k = Point.Fn.create(bytesToNumberLE(sha512(digest)));
    // [S]B − [k]A must be R itself, compared as canonical bytes (R is canonical, rule 3).
    return equalBytes(Point.BASE.multiplyUnsafe(s).subtract(A.multiplyUnsafe(k)).toBytes(), r);
  } catch {
    return false; // A or R is not a point on the curve
  }
}

/** Pure-JavaScript Ed25519 verification under the strict rule (@noble/curves point arithmetic). */
export const NOBLE_STRICT_VERIFIER: Ed25519Verifier = { name: "noble-strict", verify: verifyStrict };
