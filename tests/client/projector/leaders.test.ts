import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PlayerSnap } from "../../../client/src/net/snapshot.ts";
import { leaders } from "../../../client/src/projector/leaders.ts";
import { rank } from "../../../client/src/ui/ranking.ts";

const player = (id: string, name: string, bot: boolean, score: number): PlayerSnap => ({ id, name, bot, score, role: "user", connected: true });

describe("the projector's leaderboard: the top students in one pass", () => {
  it("names the same students, in the same order, as ranking everyone (fast-check, seed 7)", () => {
    // Few distinct names and scores, so ties by score and by name (natural order, case ignored) are common.
    const someone = fc.record({ name: fc.constantFrom("Ada", "ada", "Ben", "Bot 2", "Bot 10", "Cy", "Zoe"), bot: fc.boolean(), score: fc.integer({ min: -20, max: 40 }) });
    fc.assert(
      fc.property(fc.array(someone, { maxLength: 60 }), fc.integer({ min: 0, max: 12 }), (people, n) => {
        const players = Object.fromEntries(people.map((p, i) => [`x${i}`, player(`x${i}`, p.name, p.bot, p.score)]));
        const expected = rank(players);
        const got = leaders(players, n);
        // Same names and scores in the same order (equal by both, two players are interchangeable).
        expect(got.top.map((p) => [p.name.toLowerCase(), p.score])).toEqual(expected.students.slice(0, n).map((p) => [p.name.toLowerCase(), p.score]));
        expect(got.students).toBe(expected.students.length);
        expect(got.bots).toBe(expected.bots.length);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it("keeps bots off the board and counts a lecture hall instead of listing it", () => {
    const players: Record<string, PlayerSnap> = {};
    for (let i = 0; i < 1_990; i++) players[`b${i}`] = player(`b${i}`, `Bot ${i}`, true, 1_000 + i);
    for (let i = 0; i < 10; i++) players[`p${i}`] = player(`p${i}`, `Student ${i}`, false, i * 10);
    const board = leaders(players, 3);
    expect(board.top.map((p) => p.name)).toEqual(["Student 9", "Student 8", "Student 7"]);
    expect(board).toMatchObject({ students: 10, bots: 1_990 });
  });
});
