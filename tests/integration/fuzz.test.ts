import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import type { RunningApp } from "../../server/app.ts";
import { CLIENT_MESSAGES } from "../../shared/protocol/messages.ts";
import { createSession, joinAsHost, joinAsPlayer, snapshot, startTestServer, testPort, waitFor } from "./helpers.ts";

const port = testPort(3400);
let app: RunningApp;

beforeAll(async () => {
  // A generous rate limit here: this file checks validation, not throttling.
  app = await startTestServer(port, {}, { messagesPerSec: 10_000, messageBurst: 10_000, floodKickDrops: 1_000_000 });
});
afterAll(async () => {
  await app.close();
});

/** Junk of every shape: wrong types, huge numbers, nested garbage, prototype tricks, near-valid objects. */
const junk = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.record({ amount: fc.oneof(fc.double(), fc.integer({ min: -1e12, max: -1 }), fc.constant(Number.MAX_VALUE), fc.string()) }),
  fc.record({ tx: fc.record({ kind: fc.string(), to: fc.string(), amount: fc.double(), fee: fc.integer(), nonce: fc.integer(), sig: fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), maxLength: 130 }) }) }),
  fc.record({ token: fc.string(), rounds: fc.array(fc.anything(), { maxLength: 3 }) }),
  fc.record({ batchId: fc.integer(), root: fc.string({ maxLength: 70 }) }),
  fc.constantFrom(null, "", 0, [], { __proto__: { polluted: true } }, { constructor: { prototype: { x: 1 } } }),
);

describe("fuzzing every message type", () => {
  it("hundreds of malformed payloads: each gets an error, nothing changes, the server stays up", async () => {
    const session = await createSession(port);
    const host = await joinAsHost(port, session);
    const player = await joinAsPlayer(port, session.code, "Fuzzy");
    await waitFor("key acked", () => player.acks.length === 1);
    await waitFor("host sees the player", () => host.room.state.players.size === 1);
    const types = Object.keys(CLIENT_MESSAGES);
    const payloads = fc.sample(fc.tuple(fc.constantFrom(...types, "no:such:type", "batch:data"), junk), { numRuns: 600, seed: 7 });
    const before = snapshot(host);
    let expectedErrors = 0;
    for (const [type, payload] of payloads) {
      // A message whose junk happens to be valid would legitimately succeed; count only invalid ones.
      const schema = (CLIENT_MESSAGES as Record<string, { safeParse(v: unknown): { success: boolean } }>)[type];
      if (schema?.safeParse(payload).success) continue;
      expectedErrors++;
      player.room.send(type, payload);
    }
    await waitFor(`${expectedErrors} error events`, () => player.errors.length >= expectedErrors, 30_000);
    expect(player.errors.length).toBe(expectedErrors);
    expect(player.acks.length).toBe(1);
    const codes = new Set(player.errors.map((e) => e.code));
    expect([...codes].every((c) => ["invalid_payload", "unknown_message", "not_host", "rejected", "wrong_role", "wrong_phase"].includes(c))).toBe(true);
    expect(snapshot(host)).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Still serving: a new player can join and the health check answers.
    const late = await joinAsPlayer(port, session.code, "Late");
    expect((await fetch(`http://localhost:${port}/healthz`)).status).toBe(200);
    await Promise.all([host, player, late].map((p) => p.room.leave()));
  }, 60_000);
});
