import { describe, expect, it } from "vitest";
import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToNumberLE, numberToBytesLE } from "@noble/curves/utils.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { nativeEd25519Verifier } from "../../server/crypto/native-ed25519-verifier.ts";
import { passesStrictEncodingRules } from "../../shared/crypto/ed25519-strict-rule.ts";
import { bytesToHex, hexToBytes, utf8ToBytes } from "../../shared/crypto/hash.ts";
import { NOBLE_STRICT_VERIFIER } from "../../shared/crypto/noble-ed25519-verifier.ts";
import { webCryptoEd25519Verifier, webCryptoHasEd25519 } from "../../shared/crypto/webcrypto-ed25519-verifier.ts";
import { CCTV_VECTORS, SPECCHECK_VECTORS } from "./ed25519-edge-vectors.ts";

const Point = ed25519.Point;
const L = Point.Fn.ORDER;
const P = Point.Fp.ORDER;

/** One input to every verifier, with the strict rule's verdict when the test knows it. */
interface Vector {
  name: string;
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
  expected?: boolean;
}

const subtle = globalThis.crypto.subtle;
const native = nativeEd25519Verifier();
const webCrypto = webCryptoEd25519Verifier(subtle);

/** Every verifier's verdict on a vector, by name. */
async function verdicts(v: Vector): Promise<Record<string, boolean>> {
  return {
    "node-native": native.verify(v.publicKey, v.message, v.signature),
    "noble-strict": NOBLE_STRICT_VERIFIER.verify(v.publicKey, v.message, v.signature),
    webcrypto: await webCrypto(v.publicKey, v.message, v.signature),
  };
}

/** Asserts the verifiers agree on every vector (and on the expected verdict where given); returns the verdicts. */
async function expectAgreement(vectors: readonly Vector[]): Promise<boolean[]> {
  const agreed: boolean[] = [];
  for (const v of vectors) {
    const got = await verdicts(v);
    const first = got["node-native"]!;
    expect(got, `${v.name}: verifiers disagree`).toEqual({ "node-native": first, "noble-strict": first, webcrypto: first });
    if (v.expected !== undefined) expect(first, v.name).toBe(v.expected);
    agreed.push(first);
  }
  return agreed;
}

const hex = (h: string) => hexToBytes(h);
const le = (n: bigint) => numberToBytesLE(n, 32);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
/** A scalar from a label (deterministic test data, not randomness). */
const scalar = (label: string) => Point.Fn.create(bytesToNumberLE(sha512(utf8ToBytes(label))));
/** k = SHA-512(R ‖ A ‖ M) mod L, as RFC 8032 §5.1.7. */
const challenge = (r: Uint8Array, a: Uint8Array, m: Uint8Array) => Point.Fn.create(bytesToNumberLE(sha512(concat(r, a, m))));

// RFC 8032 §7.1: TEST 1, 2, 3 and SHA(abc), each signed again from its secret key below.
const RFC8032 = [
  { name: "RFC 8032 TEST 1", secret: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", message: "", signature: "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b" },
  { name: "RFC 8032 TEST 2", secret: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", message: "72", signature: "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00" },
  { name: "RFC 8032 TEST 3", secret: "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7", publicKey: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", message: "af82", signature: "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a" },
  {
    name: "RFC 8032 TEST SHA(abc)",
    secret: "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
    publicKey: "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
    message: "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    signature: "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704",
  },
];

const rfcVectors: Vector[] = RFC8032.map((t) => ({ name: t.name, publicKey: hex(t.publicKey), message: hex(t.message), signature: hex(t.signature), expected: true }));
const alice = RFC8032[1]!;
const aliceKey = hex(alice.publicKey);
const aliceSig = hex(alice.signature);
const aliceMsg = hex(alice.message);

/** The signature with S replaced (R kept). */
const withS = (sig: Uint8Array, s: Uint8Array) => concat(sig.subarray(0, 32), s);
/** The bytes with one bit flipped. */
const flip = (bytes: Uint8Array, byte: number, bit: number) => {
  const out = Uint8Array.from(bytes);
  out[byte]! ^= 1 << bit;
  return out;
};

/** The eight small-order points, as multiples of an order-8 point. */
const T8 = Point.fromBytes(hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"));
const torsion = Array.from({ length: 8 }, (_, i) => (i === 0 ? Point.ZERO : T8.multiplyUnsafe(BigInt(i))));

/** Edge cases built here: malleated S, non-canonical and small-order A and R, bad lengths, wrong message or key. */
function builtVectors(): Vector[] {
  const s = bytesToNumberLE(aliceSig.subarray(32));
  const vectors: Vector[] = [
    { name: "wrong message", publicKey: aliceKey, message: hex("73"), signature: aliceSig, expected: false },
    { name: "empty message for a signed byte", publicKey: aliceKey, message: new Uint8Array(0), signature: aliceSig, expected: false },
    { name: "another key", publicKey: hex(RFC8032[0]!.publicKey), message: aliceMsg, signature: aliceSig, expected: false },
    { name: "S + L (non-canonical S, ZIP-215 accepts)", publicKey: aliceKey, message: aliceMsg, signature: withS(aliceSig, le(s + L)), expected: false },
    { name: "S + 2L", publicKey: aliceKey, message: aliceMsg, signature: withS(aliceSig, le(s + 2n * L)), expected: false },
    { name: "S = L", publicKey: aliceKey, message: aliceMsg, signature: withS(aliceSig, le(L)), expected: false },
    { name: "S = L − 1", publicKey: aliceKey, message: aliceMsg, signature: withS(aliceSig, le(L - 1n)), expected: false },
    { name: "S = 2²⁵⁶ − 1", publicKey: aliceKey, message: aliceMsg, signature: withS(aliceSig, new Uint8Array(32).fill(0xff)), expected: false },
    { name: "S = 0", publicKey: aliceKey, message: aliceMsg, signature: withS(aliceSig, new Uint8Array(32)), expected: false },
    { name: "signature 63 bytes", publicKey: aliceKey, message: aliceMsg, signature: aliceSig.subarray(0, 63), expected: false },
    { name: "signature 65 bytes", publicKey: aliceKey, message: aliceMsg, signature: concat(aliceSig, new Uint8Array(1)), expected: false },
    { name: "signature empty", publicKey: aliceKey, message: aliceMsg, signature: new Uint8Array(0), expected: false },
    { name: "key 31 bytes", publicKey: aliceKey.subarray(0, 31), message: aliceMsg, signature: aliceSig, expected: false },
    { name: "key 33 bytes", publicKey: concat(aliceKey, new Uint8Array(1)), message: aliceMsg, signature: aliceSig, expected: false },
    { name: "key empty", publicKey: new Uint8Array(0), message: aliceMsg, signature: aliceSig, expected: false },
    { name: "key all zero bytes", publicKey: new Uint8Array(32), message: aliceMsg, signature: aliceSig, expected: false },
    { name: "key y = p (non-canonical)", publicKey: le(P), message: aliceMsg, signature: aliceSig, expected: false },
    { name: "key all 0xff", publicKey: new Uint8Array(32).fill(0xff), message: aliceMsg, signature: aliceSig, expected: false },
    { name: "R all 0xff", publicKey: aliceKey, message: aliceMsg, signature: concat(new Uint8Array(32).fill(0xff), aliceSig.subarray(32)), expected: false },
  ];
  for (let bit = 0; bit < 8; bit++) {
    vectors.push({ name: `R byte 0 bit ${bit} flipped`, publicKey: aliceKey, message: aliceMsg, signature: flip(aliceSig, 0, bit), expected: false });
    vectors.push({ name: `S byte 0 bit ${bit} flipped`, publicKey: aliceKey, message: aliceMsg, signature: flip(aliceSig, 32, bit), expected: false });
    vectors.push({ name: `A byte 31 bit ${bit} flipped`, publicKey: flip(aliceKey, 31, bit), message: aliceMsg, signature: aliceSig, expected: false });
  }
  // Every small-order point as A and as R, with its sign bit both ways: what "signatures" a
  // small-order key admits (S = 0, R = a small-order point) verify under ZIP-215, never here.
  for (const [i, t] of torsion.entries()) {
    for (const signBit of [0, 0x80]) {
      const encoded = t.toBytes();
      encoded[31] = (encoded[31]! & 0x7f) | signBit;
      vectors.push({ name: `A = [${i}]T8 (sign ${signBit ? 1 : 0}), R = A, S = 0`, publicKey: encoded, message: aliceMsg, signature: concat(encoded, new Uint8Array(32)), expected: false });
      vectors.push({ name: `R = [${i}]T8 (sign ${signBit ? 1 : 0}) under a real key`, publicKey: aliceKey, message: aliceMsg, signature: concat(encoded, aliceSig.subarray(32)), expected: false });
    }
  }
  // Non-canonical encodings y + p of the points with y < 19 (the only ones that have one).
  for (let y = 0n; y < 19n; y++) {
    const encoded = le(y + P);
    vectors.push({ name: `A encoded as y + p (y = ${y})`, publicKey: encoded, message: aliceMsg, signature: aliceSig, expected: false });
    vectors.push({ name: `R encoded as y + p (y = ${y})`, publicKey: aliceKey, message: aliceMsg, signature: concat(encoded, aliceSig.subarray(32)), expected: false });
  }
  return vectors;
}

/**
 * Keys with a small-order component, A = [a]B + [t]T8, signed honestly with R = [r]B + [u]T8: the
 * cofactorless equation holds exactly when u + k·t ≡ 0 (mod 8) (the small-order parts cancel),
 * while a cofactored verifier (noble's default) accepts them all. Deterministic search over messages.
 */
function mixedOrderVectors(): Vector[] {
  const vectors: Vector[] = [];
  for (let t = 1; t < 8; t++) {
    const a = scalar(`mixed key ${t}`);
    const A = Point.BASE.multiply(a).add(torsion[t]!).toBytes();
    for (const wantCancel of [true, false]) {
      for (let attempt = 0; attempt < 200; attempt++) {
        const message = utf8ToBytes(`mixed ${t} ${attempt}`);
        const r = scalar(`nonce ${t} ${attempt}`);
        const u = (t * 3 + attempt) % 8;
        const R = Point.BASE.multiply(r).add(torsion[u]!).toBytes();
        const k = challenge(R, A, message);
        const cancels = (BigInt(u) + k * BigInt(t)) % 8n === 0n;
        if (cancels !== wantCancel) continue;
        const S = le(Point.Fn.create(r + k * a));
        vectors.push({ name: `mixed-order A (t = ${t}), R (u = ${u}), ${cancels ? "parts cancel" : "residue left"}`, publicKey: A, message, signature: concat(R, S), expected: cancels });
        break;
      }
    }
  }
  return vectors;
}

/** A small deterministic generator for the mutation test (xorshift32; test data only). */
function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

describe("Ed25519 verifiers give one verdict (strict rule: RFC 8032 cofactorless, canonical S/R/A, no small-order A or R)", () => {
  it("this Node has WebCrypto Ed25519, so the WebCrypto verifier is under test", async () => {
    expect(await webCryptoHasEd25519(subtle)).toBe(true);
  });

  it("RFC 8032 §7.1 vectors: noble signs them byte for byte, and every verifier accepts them", async () => {
    for (const t of RFC8032) {
      expect(bytesToHex(ed25519.getPublicKey(hex(t.secret))), t.name).toBe(t.publicKey);
      expect(bytesToHex(ed25519.sign(hex(t.message), hex(t.secret))), t.name).toBe(t.signature);
    }
    expect(await expectAgreement(rfcVectors)).toEqual([true, true, true, true]);
  });

  it("malleated S, bad lengths, wrong message or key, flipped bits, small-order and non-canonical A and R: all refused by all", async () => {
    const vectors = builtVectors();
    expect(vectors.length).toBeGreaterThan(100);
    await expectAgreement(vectors);
  });

  it("the small-order table of the byte rules is exactly the eight torsion points", () => {
    for (const t of torsion) {
      expect(t.isSmallOrder()).toBe(true);
      expect(passesStrictEncodingRules(t.toBytes(), concat(aliceKey, aliceSig.subarray(32)))).toBe(false);
      expect(passesStrictEncodingRules(aliceKey, concat(t.toBytes(), aliceSig.subarray(32)))).toBe(false);
    }
    expect(new Set(torsion.map((t) => bytesToHex(t.toBytes()))).size).toBe(8);
    // And a prime-order key passes them: the table refuses nothing else.
    expect(passesStrictEncodingRules(aliceKey, aliceSig)).toBe(true);
  });

  it("keys and nonces with small-order components: accepted exactly when those parts cancel, by all", async () => {
    const vectors = mixedOrderVectors();
    expect(vectors).toHaveLength(14);
    const agreed = await expectAgreement(vectors);
    expect(agreed.filter(Boolean)).toHaveLength(7);
    // A cofactored verifier (noble's default, ZIP-215) accepts every one of them: the rule matters.
    for (const v of vectors) expect(ed25519.verify(v.signature, v.message, v.publicKey), v.name).toBe(true);
  });

  it("published edge-case vectors (ed25519-speccheck, C2SP CCTV): all agree; only the three whose small-order parts cancel verify", async () => {
    const published = [...SPECCHECK_VECTORS, ...CCTV_VECTORS].map((v) => ({ name: `${v.source}: ${v.about}`, publicKey: hex(v.publicKey), message: hex(v.message), signature: hex(v.signature) }));
    const agreed = await expectAgreement(published);
    expect(published.filter((_, i) => agreed[i]).map((v) => v.name.split(":")[0])).toEqual(["speccheck 7", "cctv 7", "cctv 29"]);
  });

  it("noble's own verify, even with zip215: false, is not this rule (it checks the cofactored equation): why noble-strict computes it", () => {
    const differs = [...SPECCHECK_VECTORS, ...CCTV_VECTORS].filter((v) => {
      const [k, m, s] = [hex(v.publicKey), hex(v.message), hex(v.signature)];
      return ed25519.verify(s, m, k, { zip215: false }) !== NOBLE_STRICT_VERIFIER.verify(k, m, s);
    });
    expect(differs.map((v) => v.source)).toEqual(["speccheck 4", "speccheck 5", "speccheck 6", "speccheck 8", "cctv 4", "cctv 5", "cctv 6", "cctv 26", "cctv 27", "cctv 28"]);
  });

  it("600 seeded mutations of valid signatures (one to three bytes of key, R, S or message changed): all agree", async () => {
    const next = xorshift(20_250_610);
    const valid = [...rfcVectors, ...mixedOrderVectors().filter((v) => v.expected)];
    const vectors: Vector[] = [];
    for (let i = 0; i < 600; i++) {
      const base = valid[next() % valid.length]!;
      const parts = [Uint8Array.from(base.publicKey), Uint8Array.from(base.signature), Uint8Array.from(base.message)];
      for (let edits = 1 + (next() % 3); edits > 0; edits--) {
        const part = parts[next() % (parts[2]!.length > 0 ? 3 : 2)]!;
        const at = next() % part.length;
        // Half the edits are single-bit flips (near misses), half whole-byte replacements; the top byte
        // of a point sometimes becomes 0x7f/0xff to reach y ≥ p and sign-bit cases.
        part[at] = next() % 2 ? part[at]! ^ (1 << (next() % 8)) : at === 31 && next() % 2 ? 0x7f | (next() % 2 ? 0x80 : 0) : next() % 256;
      }
      vectors.push({ name: `mutation ${i}`, publicKey: parts[0]!, signature: parts[1]!, message: parts[2]! });
    }
    const agreed = await expectAgreement(vectors);
    // Some mutations leave the signature valid (an edit that rewrote a byte with its own value).
    expect(agreed.filter((v) => !v).length).toBeGreaterThan(500);
  });
});
