/**
 * The one Ed25519 verdict rule every verifier of L2 Arena applies (server: node:crypto, browser:
 * WebCrypto or @noble/curves), so a replay or a challenger's re-execution reaches the verdict the
 * server reached, byte for byte.
 *
 * Ed25519 implementations agree on honest signatures but not on crafted edge cases: non-canonical
 * encodings of S, R or A, small-order points, and points with a small-order component (ZIP-215 and
 * @noble/curves' default accept what OpenSSL rejects; OpenSSL, BoringSSL, NSS and libsodium differ
 * among themselves on small-order and non-canonical keys). Our rule is RFC 8032 §5.1.7 made strict,
 * the rule libsodium applies:
 *
 *  1. the key is 32 bytes and the signature 64 (R ‖ S);
 *  2. S < L (the group order), so a signature has one encoding;
 *  3. A and R are canonical encodings (y < p) and neither is one of the eight small-order points
 *     (checked here on the bytes: their y, sign bit aside, is one of five values);
 *  4. the cofactorless equation holds: [S]B = R + [k]A with k = SHA-512(R ‖ A ‖ M) mod L, i.e. the
 *     encoding of [S]B − [k]A equals the bytes of R.
 *
 * Checks 1–3 are here, on bytes, and run before any backend; check 4 is what every backend's own
 * verify computes (OpenSSL, BoringSSL and NSS are cofactorless; for noble we compute it ourselves,
 * since noble's verify is cofactored). With 1–3 done first, the backends no longer disagree: they
 * only ever see canonical, non-small-order points, where the cofactorless equation has one answer.
 * tests/crypto/ed25519-verifiers.test.ts runs every verifier over RFC 8032 and edge-case vectors.
 */

/** Ed25519 public key length (bytes). */
export const PUBLIC_KEY_BYTES = 32;
/** Ed25519 signature length (bytes): R (32) then S (32, little-endian). */
export const SIGNATURE_BYTES = 64;

/** L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
const ORDER_L = Uint8Array.from([
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
]);

/**
 * The y coordinates (little-endian, sign bit clear) of the eight small-order points: 0 (the two
 * points of order 4), 1 (the identity), p − 1 (order 2), and ±y₈ (the four of order 8). A point
 * whose y is one of these is small-order whatever its sign bit says (or not on the curve at all).
 */
const SMALL_ORDER_Y = [
  "0000000000000000000000000000000000000000000000000000000000000000",
  "0100000000000000000000000000000000000000000000000000000000000000",
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
].map((hex) => Uint8Array.from(hex.match(/../g)!, (byte) => parseInt(byte, 16)));

/** True when the 32 bytes at `offset` encode y < p = 2^255 − 19 (the sign bit aside). */
function isCanonicalY(bytes: Uint8Array, offset: number): boolean {
  // y ≥ p only when y's bytes are ed..ff ff ff .. 7f (high to low: 7f, then 30 × ff, then ≥ ed).
  if ((bytes[offset + 31]! & 0x7f) !== 0x7f) return true;
  for (let i = 30; i >= 1; i--) if (bytes[offset + i] !== 0xff) return true;
  return bytes[offset]! < 0xed;
}

/** True when the point at `offset` has the y of a small-order point. */
function hasSmallOrderY(bytes: Uint8Array, offset: number): boolean {
  return SMALL_ORDER_Y.some((y) => {
    for (let i = 0; i < 31; i++) if (bytes[offset + i] !== y[i]) return false;
    return (bytes[offset + 31]! & 0x7f) === y[31];
  });
}

/** True when the 32-byte point at `offset` is canonical and not small-order (rule 3). */
function isAcceptablePoint(bytes: Uint8Array, offset: number): boolean {
  return isCanonicalY(bytes, offset) && !hasSmallOrderY(bytes, offset);
}

/** True when S (signature bytes 32..63, little-endian) is below L (rule 2). */
function isCanonicalS(signature: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    const s = signature[32 + i]!;
    const l = ORDER_L[i]!;
    if (s !== l) return s < l;
  }
  return false; // S = L
}

/**
 * Rules 1–3 on the bytes: true when a signature may go on to the verification equation, false when
 * the strict rule refuses it whatever the equation says. Cheap (byte comparisons, no curve math).
 */
export function passesStrictEncodingRules(publicKey: Uint8Array, signature: Uint8Array): boolean {
  return (
    publicKey.length === PUBLIC_KEY_BYTES &&
    signature.length === SIGNATURE_BYTES &&
    isCanonicalS(signature) &&
    isAcceptablePoint(publicKey, 0) &&
    isAcceptablePoint(signature, 0)
  );
}
