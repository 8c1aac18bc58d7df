import { GWEI_PER_ETH } from "../../../shared/engine/units.ts";

/** Gwei (engine integers) as ETH for people: "1.2500 ETH". */
export function formatEth(gwei: number, decimals = 4): string {
  return `${(gwei / GWEI_PER_ETH).toFixed(decimals)} ETH`;
}

/** A fee: small ones in gwei ("2,000 gwei"), larger ones in ETH. */
export function formatFee(gwei: number): string {
  return gwei < 1_000_000 ? `${Math.round(gwei).toLocaleString("en")} gwei` : formatEth(gwei, 5);
}

/** ETH typed by a person to integer gwei, or null when it is not a positive amount. */
export function parseEth(text: string): number | null {
  const value = Number(text.replace(",", ".").trim());
  if (!Number.isFinite(value) || value <= 0) return null;
  const gwei = Math.round(value * GWEI_PER_ETH);
  return Number.isSafeInteger(gwei) && gwei > 0 ? gwei : null;
}

/** Milliseconds as m:ss (rounded up, so "0:00" means time is really up). */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  return `${minutes}:${String(total % 60).padStart(2, "0")}`;
}

/** Milliseconds as seconds for short countdowns: "12 s". */
export function formatSeconds(ms: number): string {
  return `${Math.max(0, Math.ceil(ms / 1000))} s`;
}

/** A root hash shortened for display. */
export function shortHash(hex: string): string {
  return hex ? `${hex.slice(0, 6)}…${hex.slice(-4)}` : "—";
}

/** What each transaction status means, in words (never colour alone). */
export const TX_STATUS_LABEL: Record<string, string> = {
  pending: "pending",
  censored: "censored ⊘",
  soft: "soft-confirmed",
  posted: "posted to L1",
  final: "final ✓",
  reverted: "reverted ↩",
  rejected: "rejected ✗",
  "l1-pending": "waiting for an L1 block",
  "l1-included": "included on L1 ✓",
  "l1-failed": "failed on L1 ✗",
  proving: "in a batch being proven",
};

/** Transaction kinds as the wallet lists them (server names → words). */
export const TX_KIND_LABEL: Record<string, string> = {
  transfer: "Payment",
  withdraw: "Withdrawal",
  "L1 transfer": "L1 payment",
  "L1 deposit": "Deposit (L1 → L2)",
  "L1 withdrawalFinalize": "Withdrawal claim on L1",
  "L1 forcedSubmit": "Forced into the L1 inbox",
  "L1 forcedInclude": "Forced inclusion on L1",
  "L1 batchPost": "Batch post on L1",
  "L1 challenge": "Challenge on L1",
  "L1 disputeMove": "Dispute move on L1",
  "L1 oneStepProof": "One-step proof on L1",
  "ZK transfer": "ZK payment",
  "ZK withdraw": "ZK withdrawal",
  "L1 zk:deposit": "Deposit (L1 → ZK rollup)",
  "L1 zk:claim": "Withdrawal claim on L1",
  "L1 zk:verifyBatch": "Batch proof sent to L1's verifier",
};

/**
 * A wallet row's kind in words: the table above, else a module's L1 call as the server names it
 * ("L1 channels:forceClose" → "Channels: force close (L1)").
 */
export function txKindLabel(kind: string): string {
  const known = TX_KIND_LABEL[kind];
  if (known) return known;
  const call = /^L1 (\w+):(\w+)$/.exec(kind);
  if (!call) return kind;
  const words = call[2]!.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return `${call[1]!.charAt(0).toUpperCase()}${call[1]!.slice(1)}: ${words} (L1)`;
}

/** What each batch status means. */
export const BATCH_STATUS_LABEL: Record<string, string> = {
  submitted: "on its way to L1",
  posted: "in challenge window",
  final: "final ✓",
  reverted: "reverted ✗",
};

export const ROLE_LABEL: Record<string, string> = {
  user: "User",
  sequencer: "Sequencer",
  challenger: "Challenger",
  prover: "Prover",
  watchtower: "Watchtower",
  operator: "Operator",
  validator: "Validator",
  auditor: "Auditor",
  "": "No role yet",
};
