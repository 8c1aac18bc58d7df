import type { Role, Scenario } from "../../../../shared/protocol/messages.ts";

/** A word about the roles the host has set for the next round: a problem to fix, or what the server will do about it. */
export interface RoleWarning {
  level: "problem" | "note";
  text: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * What is odd about a role mix before a round starts: two sequencers (only one can run the
 * rollup), nobody to catch a cheat, too few players to pair… Roles the scenario has no use for
 * play as users, as the server plays them.
 */
export function roleWarnings(scenario: Scenario | null, roles: readonly { role: string; bot: boolean }[]): RoleWarning[] {
  if (!scenario) return [];
  const count = (role: Role) => roles.filter((p) => p.role === role).length;
  const out: RoleWarning[] = [];
  const single = (role: Role, title: string, lead: string) => {
    const n = count(role);
    if (n > 1) out.push({ level: "problem", text: `${plural(n, title, `${title}s`)}: only one can ${lead}; the others' screens will have nothing to do. Make the others users.` });
    if (n === 0) out.push({ level: "note", text: `No ${title}: a bot will take the role when the round starts.` });
  };
  switch (scenario) {
    case "optimistic":
      single("sequencer", "sequencer", "run the rollup");
      if (count("challenger") === 0) out.push({ level: "problem", text: "No challenger: nobody will re-execute the sequencer's batches, so a cheat will go through. Make at least one student (or a bot) a challenger." });
      break;
    case "zk":
      if (count("prover") === 0) out.push({ level: "note", text: "No prover: a bot will take the role when the round starts." });
      break;
    case "plasma":
      single("operator", "operator", "run the Plasma chain");
      break;
    case "channels": {
      const users = roles.length - count("watchtower");
      if (users < 2) out.push({ level: "problem", text: "Channels need at least two users to pair up." });
      if (count("watchtower") === 0) out.push({ level: "note", text: "No watchtower: a student whose node goes offline has nobody to answer a cheat." });
      else if (count("watchtower") * 2 > users) out.push({ level: "problem", text: `${plural(count("watchtower"), "watchtower", "watchtowers")} for ${plural(users, "user", "users")}: most towers will have nobody to guard.` });
      break;
    }
    case "sidechain":
      if (count("auditor") === 0) out.push({ level: "problem", text: "No auditor: nobody will compare the bridge vault with the tokens it owes, so a heist goes unreported. Make one student an auditor." });
      break;
    case "l1":
      break;
  }
  return out;
}
