import { hashPair, sha256Bytes, utf8ToBytes, bytesToHex, hexToBytes } from "./hash.ts";

/** Depth of every state tree: 2^16 leaves, enough for a 2,000-player event with room to spare. */
export const TREE_DEPTH = 16;

const ZERO_LEAF = new Uint8Array(32);

/** ZERO_HASHES[level] is the root of an empty subtree of height `level`. */
const ZERO_HASHES: Uint8Array[] = (() => {
  const zeros: Uint8Array[] = [ZERO_LEAF];
  for (let level = 1; level <= TREE_DEPTH; level++) {
    const below = zeros[level - 1]!;
    zeros.push(hashPair(below, below));
  }
  return zeros;
})();

/** Hash of a leaf's canonical text (domain-separated from inner nodes by a prefix). */
export function leafHash(text: string): Uint8Array {
  return sha256Bytes(utf8ToBytes(`leaf:${text}`));
}

/**
 * A fixed-depth sparse Merkle tree over leaf slots 0..2^TREE_DEPTH-1.
 * Updating one leaf re-hashes TREE_DEPTH nodes, so a per-transaction state root is cheap.
 * It is a computation helper, not state: rebuild it from plain data when needed.
 */
export class SparseMerkleTree {
  /** levels[h] maps node index at height h to its hash; absent nodes are ZERO_HASHES[h]. */
  private readonly levels: Map<number, Uint8Array>[];

  constructor(levels?: Map<number, Uint8Array>[]) {
    this.levels = levels ?? Array.from({ length: TREE_DEPTH + 1 }, () => new Map());
  }

  /** An independent copy that shares the (immutable) node hashes. */
  clone(): SparseMerkleTree {
    return new SparseMerkleTree(this.levels.map((level) => new Map(level)));
  }

  private node(height: number, index: number): Uint8Array {
    return this.levels[height]!.get(index) ?? ZERO_HASHES[height]!;
  }

  /** Sets leaf `slot` and re-hashes its path to the root. */
  set(slot: number, leaf: Uint8Array): void {
    let index = slot;
    this.levels[0]!.set(index, leaf);
    for (let height = 1; height <= TREE_DEPTH; height++) {
      const left = this.node(height - 1, index & ~1);
      const right = this.node(height - 1, index | 1);
      index >>= 1;
      this.levels[height]!.set(index, hashPair(left, right));
    }
  }

  root(): string {
    return bytesToHex(this.node(TREE_DEPTH, 0));
  }

  /** Sibling hashes from the leaf up: what a verifier needs besides the leaf itself. */
  proof(slot: number): string[] {
    const siblings: string[] = [];
    let index = slot;
    for (let height = 0; height < TREE_DEPTH; height++) {
      siblings.push(bytesToHex(this.node(height, index ^ 1)));
      index >>= 1;
    }
    return siblings;
  }
}

/** Checks that `leaf` sits at `slot` under `root`, given its sibling path. */
export function verifyMerkleProof(root: string, slot: number, leaf: Uint8Array, siblings: readonly string[]): boolean {
  if (siblings.length !== TREE_DEPTH) return false;
  let hash = leaf;
  let index = slot;
  for (const siblingHex of siblings) {
    const sibling = hexToBytes(siblingHex);
    hash = index & 1 ? hashPair(sibling, hash) : hashPair(hash, sibling);
    index >>= 1;
  }
  return bytesToHex(hash) === root;
}

/** Merkle root of an ordered list of leaves (a block of transactions, say), padded with zero leaves. */
export function merkleRootOf(leaves: readonly Uint8Array[]): string {
  const tree = new SparseMerkleTree();
  leaves.forEach((leaf, slot) => tree.set(slot, leaf));
  return tree.root();
}
