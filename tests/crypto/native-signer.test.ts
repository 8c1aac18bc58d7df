import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ed25519 } from "@noble/curves/ed25519.js";
import { nativeEd25519Signer } from "../../server/crypto/native-ed25519-signer.ts";

describe("the server bots' native Ed25519 signer", () => {
  it("makes exactly noble's bytes for any seed and message (Ed25519 is deterministic)", () => {
    const native = nativeEd25519Signer();
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), (seed, message) => {
      expect(Buffer.from(native(seed, message)).toString("hex")).toBe(Buffer.from(ed25519.sign(message, seed)).toString("hex"));
    }), { seed: 42, numRuns: 300 });
  });
});
