import type { BatchSnap } from "../net/snapshot.ts";

/**
 * The status word on a batch's card on the projector. A fraud that went final is no secret any
 * more (it is settled on L1): it says so instead of a green "final".
 */
export function batchCardLabel(b: BatchSnap): string {
  if (b.disputed) return "⚔ DISPUTED";
  if (b.status === "submitted") return "→ to L1";
  if (b.status === "posted") return "window open";
  if (b.fraudFinal) return "✗ FRAUD FINAL";
  return b.status === "final" ? "✓ FINAL" : "✗ REVERTED";
}

/** What a fraud that went final took, under its card's label ("0.5 ETH stolen", "5 ETH minted"); null for any other batch. */
export function batchCardLoss(b: BatchSnap): string | null {
  if (!b.fraudFinal) return null;
  return `${(b.stolen ?? 0) / 1e9} ETH ${b.stolenFrom ? "stolen" : "minted"}`;
}
