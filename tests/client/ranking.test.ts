import { describe, expect, it } from "vitest";
import type { PlayerSnap } from "../../client/src/net/snapshot.ts";
import { byName, hiddenWords, lobbyChips, rank, studentsFirst } from "../../client/src/ui/ranking.ts";

const player = (id: string, name: string, bot: boolean, score = 0): PlayerSnap => ({ id, name, bot, score, role: "user", connected: true });

describe("ranking: students first, bots apart, names in natural order", () => {
  it("sorts names as people read them: Bot 4 before Bot 10, case ignored", () => {
    const names = ["Bot 10", "bot 4", "Ada", "Bot 2"].map((name) => ({ name })).sort(byName).map((p) => p.name);
    expect(names).toEqual(["Ada", "Bot 2", "bot 4", "Bot 10"]);
  });

  it("ranks students by score and keeps every bot off the students' board, however high it scored", () => {
    const players = Object.fromEntries([
      player("b1", "Bot 1", true, 900), player("p2", "Ben", false, 40), player("p3", "Ada", false, 40), player("p4", "Cy", false, 150),
    ].map((p) => [p.id, p]));
    const { students, bots } = rank(players);
    expect(students.map((p) => p.name)).toEqual(["Cy", "Ada", "Ben"]);
    expect(bots.map((p) => p.name)).toEqual(["Bot 1"]);
  });

  it("a lecture hall's lobby shows students first, bots while there is room, and counts the rest", () => {
    const players = [...Array.from({ length: 30 }, (_, i) => player(`b${i + 10}`, `Bot ${i + 10}`, true)), player("p1", "Zoe", false), player("p2", "Ada", false)];
    const chips = lobbyChips(players, 24);
    expect(chips.shown.slice(0, 3).map((p) => p.name)).toEqual(["Ada", "Zoe", "Bot 10"]);
    expect(chips.shown).toHaveLength(24);
    expect(hiddenWords(chips)).toBe("+ 8 more bots");
    expect(hiddenWords(lobbyChips(studentsFirst([player("p1", "A", false), player("p2", "B", false)]), 1))).toBe("+ 1 more student");
    expect(hiddenWords(lobbyChips(players, 40))).toBe("");
  });
});
