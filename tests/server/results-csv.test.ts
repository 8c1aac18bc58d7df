import { describe, expect, it } from "vitest";
import { resultsCsv } from "../../server/store/results-csv.ts";

describe("results.csv", () => {
  it("a nickname that starts like a formula is exported as plain text, and quotes and commas stay in their cell", () => {
    const names = ["=1+2", "+SUM(A1:A9)", "-3", "@cmd", "\tTab", "Ada, \"the\" first", "Zoë"];
    const csv = resultsCsv(names.map((name, i) => ({ round: 0, playerId: `p${i + 1}`, name, role: "user", score: 10 - i })));
    const rows = csv.trim().split("\n");
    expect(rows[0]).toBe("round,player_id,name,role,score");
    expect(rows.slice(1, 8)).toEqual([
      "1,p1,'=1+2,user,10",
      "1,p2,'+SUM(A1:A9),user,9",
      "1,p3,'-3,user,8",
      "1,p4,'@cmd,user,7",
      "1,p5,'\tTab,user,6",
      '1,p6,"Ada, ""the"" first",user,5',
      "1,p7,Zoë,user,4",
    ]);
    // Every cell a spreadsheet would read as a formula starts with a quote instead.
    for (const row of rows) for (const cell of row.split(",")) expect(cell).not.toMatch(/^[=+@\t]/);
    // Numbers, negative scores included, stay numbers.
    expect(resultsCsv([{ round: 1, playerId: "p1", name: "Ada", role: "user", score: -50 }])).toContain("2,p1,Ada,user,-50");
  });
});
