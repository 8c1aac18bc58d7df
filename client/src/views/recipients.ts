import type { Snapshot } from "../net/snapshot.ts";
import { h, setDisabled, syncList } from "../ui/dom.ts";

/** Keeps a "pay to" select listing everyone but you, by name (bots marked); disabled while you are alone. */
export function syncRecipients(select: HTMLSelectElement, s: Snapshot, me: string): void {
  const others = Object.values(s.players).filter((p) => p.id !== me).sort((a, b) => a.name.localeCompare(b.name));
  syncList(select, others, (p) => p.id, (p) => p.name, (p) => h("option", { value: p.id }, p.bot ? `${p.name} (bot)` : p.name));
  setDisabled(select, others.length === 0);
}
