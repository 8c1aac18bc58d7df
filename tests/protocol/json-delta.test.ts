import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { applyDelta, diff } from "../../shared/protocol/json-delta.ts";
import type { Json } from "../../shared/protocol/json-delta.ts";

/** JSON documents with ids in lists (like the views' rows) and hostile keys among the ordinary ones. */
const key = fc.oneof(fc.constantFrom("id", "amount", "status", "__proto__", "constructor", "toString", "rows"), fc.string({ maxLength: 4 }));
const jsonArb: fc.Arbitrary<Json> = fc.letrec<{ json: Json }>((tie) => ({
  json: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -1_000, max: 1_000_000_000 }),
    fc.string({ maxLength: 6 }),
    fc.array(tie("json"), { maxLength: 5 }),
    fc.dictionary(key, tie("json"), { maxKeys: 5 }),
    fc.array(fc.record({ id: fc.integer({ min: 1, max: 30 }), v: tie("json") }), { maxLength: 6 }),
  ),
})).json;

/** A newest-first list gaining rows at the front, losing some at the back, some rows edited. */
const shiftingList = fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 }))
  .map(([length, added, dropped, edited]) => {
    const prev = Array.from({ length }, (_, i) => ({ id: `tx-${100 - i}`, status: "pending", amount: i }));
    const next = [...Array.from({ length: added }, (_, i) => ({ id: `tx-${200 - i}`, status: "pending", amount: 50 + i })), ...prev.slice(0, Math.max(0, length - dropped)).map((row, i) => (i < edited ? { ...row, status: "final" } : row))];
    return { prev: prev as Json, next: next as Json };
  });

describe("JSON deltas", () => {
  it("turn any document into any other (fast-check, seed 42)", () => {
    fc.assert(fc.property(jsonArb, jsonArb, (prev, next) => {
      const ops = diff(prev, next);
      expect(applyDelta(prev, ops)).toEqual(next);
      // The old document is untouched.
      expect(JSON.stringify(applyDelta(prev, []))).toBe(JSON.stringify(prev));
    }), { seed: 42, numRuns: 2_000 });
  });

  it("send nothing for an unchanged document and little for a small change", () => {
    const wallet = { l1Balance: 10, txs: [{ id: "tx-3", status: "soft" }, { id: "tx-2", status: "final" }], module: { coins: [1, 2, 3] } };
    expect(diff(wallet, JSON.parse(JSON.stringify(wallet)) as Json)).toEqual([]);
    expect(diff(wallet, { ...wallet, l1Balance: 11 })).toEqual([{ p: ["l1Balance"], s: 11 }]);
  });

  it("a newest-first list that gains rows at the front sends the new rows once, not every shifted row", () => {
    fc.assert(fc.property(shiftingList, ({ prev, next }) => {
      const ops = diff(prev, next);
      expect(applyDelta(prev, ops)).toEqual(next);
      const sent = JSON.stringify(ops).length;
      expect(sent).toBeLessThanOrEqual(JSON.stringify(next).length + 40);
    }), { seed: 42, numRuns: 500 });
    const prev = Array.from({ length: 12 }, (_, i) => ({ id: `tx-${100 - i}`, status: "final", amount: 1_000_000 + i }));
    const next = [{ id: "tx-101", status: "pending", amount: 5 }, ...prev.slice(0, 11)];
    expect(diff(prev, next)).toEqual([{ p: [], u: [next[0]] }, { p: [], t: 12 }]);
  });

  it("keys named after Object.prototype stay plain keys", () => {
    const next = JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}') as Json;
    const applied = applyDelta({}, diff({}, next));
    expect(applied).toEqual(next);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
