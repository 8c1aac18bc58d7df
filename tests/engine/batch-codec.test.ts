import { describe, expect, it } from "vitest";
import { compressBatch, decodeBatch, decompressBatch, encodeBatch } from "../../shared/engine/batch-codec.ts";
import { signL2Tx } from "../../shared/engine/l2-state.ts";
import type { L2Tx } from "../../shared/engine/l2-state.ts";
import { testKey } from "./harness.ts";

describe("batch encoding", () => {
  const key = testKey("alice");
  const txs: L2Tx[] = Array.from({ length: 40 }, (_, i) => ({
    ...signL2Tx(key.secretKey, { kind: i % 5 === 0 ? "withdraw" : "transfer", from: "alice", to: `p${i % 4}`, amount: 1000 + i, fee: 2000, nonce: i }),
    id: `l2-${i}`,
  }));
  txs.push({ id: "dep-0", kind: "deposit", from: "contract:bridge", to: "bob", amount: 5, fee: 0, nonce: 0, sig: "", depositIndex: 0 });

  it("round-trips every field through bytes and compression", () => {
    const raw = encodeBatch(txs);
    expect(decodeBatch(decompressBatch(compressBatch(raw)))).toEqual(txs);
  });
  it("compression shrinks a realistic batch", () => {
    const raw = encodeBatch(txs);
    expect(compressBatch(raw).length).toBeLessThan(raw.length);
  });
});
