import { describe, expect, it } from "vitest";
import { SparseMerkleTree, leafHash, merkleRootOf, verifyMerkleProof } from "../../shared/crypto/merkle.ts";
import { keyPairFromSeed, signMessage, verifySignature } from "../../shared/crypto/sign.ts";
import { sha256Hex } from "../../shared/crypto/hash.ts";

describe("Merkle trees", () => {
  it("proves membership and rejects a tampered leaf or path", () => {
    const tree = new SparseMerkleTree();
    const leaves = ["alice:5", "bob:7", "carol:9"].map(leafHash);
    leaves.forEach((leaf, slot) => tree.set(slot, leaf));
    const root = tree.root();
    const proof = tree.proof(1);
    expect(verifyMerkleProof(root, 1, leaves[1]!, proof)).toBe(true);
    expect(verifyMerkleProof(root, 1, leafHash("bob:8"), proof)).toBe(false);
    expect(verifyMerkleProof(root, 2, leaves[1]!, proof)).toBe(false);
    const badPath = [...proof];
    badPath[3] = "00".repeat(32);
    expect(verifyMerkleProof(root, 1, leaves[1]!, badPath)).toBe(false);
  });
  it("the root depends on every leaf and on order", () => {
    const a = merkleRootOf(["x", "y"].map(leafHash));
    expect(merkleRootOf(["y", "x"].map(leafHash))).not.toBe(a);
    expect(merkleRootOf(["x", "y"].map(leafHash))).toBe(a);
  });
  it("SHA-256 matches the standard test vector", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("ed25519 signatures", () => {
  it("verifies the signer and rejects another key or message", () => {
    const alice = keyPairFromSeed(new Uint8Array(32).fill(1));
    const bob = keyPairFromSeed(new Uint8Array(32).fill(2));
    const sig = signMessage(alice.secretKey, "pay bob 5");
    expect(verifySignature(alice.publicKey, "pay bob 5", sig)).toBe(true);
    expect(verifySignature(bob.publicKey, "pay bob 5", sig)).toBe(false);
    expect(verifySignature(alice.publicKey, "pay bob 6", sig)).toBe(false);
    expect(verifySignature(alice.publicKey, "pay bob 5", "zz")).toBe(false);
  });
});
