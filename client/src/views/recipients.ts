import type { Snapshot } from "../net/snapshot.ts";
import { h, setDisabled, setHidden, syncList } from "../ui/dom.ts";
import { byName } from "../ui/ranking.ts";

/** The two groups a "pay to" select is built from, kept on the select between updates. */
const GROUPS = new WeakMap<HTMLSelectElement, { students: HTMLOptGroupElement; bots: HTMLOptGroupElement }>();

/**
 * Keeps a "pay to" select listing everyone but you, by name in natural order: your classmates
 * first, then the bots in a group of their own (a class of 30 with 300 bots still finds its
 * friends at the top); disabled while you are alone.
 */
export function syncRecipients(select: HTMLSelectElement, s: Snapshot, me: string): void {
  let groups = GROUPS.get(select);
  if (!groups) {
    groups = { students: h("optgroup", { label: "Students" }), bots: h("optgroup", { label: "Bots" }) };
    select.replaceChildren(groups.students, groups.bots);
    GROUPS.set(select, groups);
  }
  const others = Object.values(s.players).filter((p) => p.id !== me).sort(byName);
  const students = others.filter((p) => !p.bot);
  const bots = others.filter((p) => p.bot);
  syncList(groups.students, students, (p) => p.id, (p) => p.name, (p) => h("option", { value: p.id }, p.name));
  syncList(groups.bots, bots, (p) => p.id, (p) => p.name, (p) => h("option", { value: p.id }, `${p.name} (bot)`));
  setHidden(groups.students, students.length === 0);
  setHidden(groups.bots, bots.length === 0);
  setDisabled(select, others.length === 0);
}
