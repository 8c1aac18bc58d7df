import { describe, expect, it } from "vitest";
import { roleWarnings } from "../../client/src/screens/host/role-warnings.ts";
import type { RoleWarning } from "../../client/src/screens/host/role-warnings.ts";

/** A class: one entry per player, `role` as the host set it. */
const classOf = (...roles: string[]) => roles.map((role, i) => ({ role, bot: i % 2 === 1 }));
const problems = (warnings: RoleWarning[]) => warnings.filter((w) => w.level === "problem").map((w) => w.text);
const notes = (warnings: RoleWarning[]) => warnings.filter((w) => w.level === "note").map((w) => w.text);

describe("the host console's role-mix warnings", () => {
  it("two sequencers and no challenger in an optimistic round: two problems, each saying what to do", () => {
    const warnings = roleWarnings("optimistic", classOf("sequencer", "sequencer", "user", "user", "user"));
    expect(problems(warnings)).toEqual([
      "2 sequencers: only one can run the rollup; the others' screens will have nothing to do. Make the others users.",
      "No challenger: nobody will re-execute the sequencer's batches, so a cheat will go through. Make at least one student (or a bot) a challenger.",
    ]);
    expect(notes(warnings)).toEqual([]);
  });

  it("one sequencer and one challenger: nothing to warn about; no sequencer at all is only a note (a bot takes the seat)", () => {
    expect(roleWarnings("optimistic", classOf("sequencer", "challenger", "user"))).toEqual([]);
    const noSequencer = roleWarnings("optimistic", classOf("challenger", "user", "user"));
    expect(problems(noSequencer)).toEqual([]);
    expect(notes(noSequencer)).toEqual(["No sequencer: a bot will take the role when the round starts."]);
  });

  it("a challenger who is a bot counts: the warning is about the round, not about students", () => {
    const mix = [{ role: "sequencer", bot: false }, { role: "challenger", bot: true }, { role: "user", bot: false }];
    expect(roleWarnings("optimistic", mix)).toEqual([]);
  });

  it("the other scenarios' mixes: two operators, no auditor, too few users or too many towers for channels", () => {
    expect(problems(roleWarnings("plasma", classOf("operator", "operator", "user")))).toEqual([
      "2 operators: only one can run the Plasma chain; the others' screens will have nothing to do. Make the others users.",
    ]);
    expect(problems(roleWarnings("sidechain", classOf("validator", "user")))).toEqual([
      "No auditor: nobody will compare the bridge vault with the tokens it owes, so a heist goes unreported. Make one student an auditor.",
    ]);
    expect(problems(roleWarnings("channels", classOf("user")))).toEqual(["Channels need at least two users to pair up."]);
    expect(problems(roleWarnings("channels", classOf("user", "user", "watchtower", "watchtower")))).toEqual([
      "2 watchtowers for 2 users: most towers will have nobody to guard.",
    ]);
    expect(notes(roleWarnings("channels", classOf("user", "user", "user")))).toEqual([
      "No watchtower: a student whose node goes offline has nobody to answer a cheat.",
    ]);
    expect(notes(roleWarnings("zk", classOf("user", "user")))).toEqual(["No prover: a bot will take the role when the round starts."]);
  });

  it("says nothing when there is nothing to check: an L1 round, or no round planned", () => {
    expect(roleWarnings("l1", classOf("sequencer", "sequencer"))).toEqual([]);
    expect(roleWarnings(null, classOf("sequencer", "sequencer"))).toEqual([]);
  });
});
