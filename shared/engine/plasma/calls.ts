import { parsePlasmaTx, parseProof } from "./plasma-tx.ts";
import type { PlasmaTx } from "./plasma-tx.ts";
import type { ExitClaim, SpendProof } from "./contract.ts";
import { isRecord } from "../parse.ts";
import type { DataAvailability } from "../actions.ts";

/** What a player asks the Plasma module to do (the `call` of a `module` action). */
export type PlasmaCall =
  | { kind: "configure"; exitPeriodMs: number; maturityMs: number; exitsPerBlock: number }
  | { kind: "becomeOperator" }
  | { kind: "deposit"; amount: number }
  | { kind: "transfer"; tx: PlasmaTx }
  /** `da`: "calldata" (default) commits the root alone, as Plasma MVP; "blob" also posts the block's data in blobs (then it cannot be withheld). */
  | { kind: "commitBlock"; withhold: boolean; steal: number[]; da: DataAvailability }
  | { kind: "publishBlock"; block: number }
  | ({ kind: "startExit" } & ExitClaim)
  | ({ kind: "challenge" } & SpendProof);

/** What a root-chain L1 transaction carries (the `call` of a `module` L1 payload). */
export type PlasmaL1Call =
  | { kind: "deposit"; amount: number }
  /** `da: "blob"` when the transaction carries the block's data in blobs (the L1 transaction's `blobs`). */
  | { kind: "commit"; block: number; root: string; da?: "blob" }
  | ({ kind: "startExit" } & ExitClaim)
  | ({ kind: "challenge" } & SpendProof);

function wholeAtLeast(value: unknown, min: number): value is number {
  return Number.isSafeInteger(value) && (value as number) >= min;
}

function parseClaim(call: Record<string, unknown>): ExitClaim | string {
  if (!wholeAtLeast(call.utxoPos, 0)) return "utxoPos must be a coin position";
  const tx = parsePlasmaTx(call.tx, true);
  if (typeof tx === "string") return tx;
  const proof = parseProof(call.proof);
  if (typeof proof === "string") return proof;
  return { utxoPos: call.utxoPos, tx, proof };
}

function parseSpend(call: Record<string, unknown>): SpendProof | string {
  if (!wholeAtLeast(call.exitUtxoPos, 0)) return "exitUtxoPos must be a coin position";
  if (!wholeAtLeast(call.block, 1) || !wholeAtLeast(call.txIndex, 0) || !wholeAtLeast(call.inputIndex, 0)) return "block, txIndex and inputIndex must be whole numbers";
  const tx = parsePlasmaTx(call.tx);
  if (typeof tx === "string") return tx;
  const proof = parseProof(call.proof);
  if (typeof proof === "string") return proof;
  return { exitUtxoPos: call.exitUtxoPos, block: call.block, txIndex: call.txIndex, inputIndex: call.inputIndex, tx, proof };
}

/** The calls a player sends that travel unchanged as root-chain L1 calls (deposit, startExit, challenge); null for any other kind. */
function parseRootChainCall(call: Record<string, unknown>): Extract<PlasmaL1Call, { kind: "deposit" | "startExit" | "challenge" }> | string | null {
  switch (call.kind) {
    case "deposit":
      return wholeAtLeast(call.amount, 1) ? { kind: "deposit", amount: call.amount } : "amount must be a positive whole number of gwei";
    case "startExit": {
      const claim = parseClaim(call);
      return typeof claim === "string" ? claim : { kind: "startExit", ...claim };
    }
    case "challenge": {
      const spend = parseSpend(call);
      return typeof spend === "string" ? spend : { kind: "challenge", ...spend };
    }
    default:
      return null;
  }
}

/** A player's call rebuilt from untrusted data, or why it is malformed. */
export function parsePlasmaCall(call: unknown): PlasmaCall | string {
  if (!isRecord(call) || typeof call.kind !== "string") return "a Plasma call needs a kind";
  const shared = parseRootChainCall(call);
  if (shared !== null) return shared;
  switch (call.kind) {
    case "configure":
      if (!wholeAtLeast(call.exitPeriodMs, 1_000) || !wholeAtLeast(call.maturityMs, 1_000) || (call.exitPeriodMs as number) > 86_400_000 || (call.maturityMs as number) > 86_400_000) return "periods are whole ms, 1 s to 1 day";
      if (!wholeAtLeast(call.exitsPerBlock, 1) || (call.exitsPerBlock as number) > 100) return "exitsPerBlock must be 1 to 100";
      return { kind: "configure", exitPeriodMs: call.exitPeriodMs as number, maturityMs: call.maturityMs as number, exitsPerBlock: call.exitsPerBlock as number };
    case "becomeOperator":
      return { kind: "becomeOperator" };
    case "transfer": {
      const tx = parsePlasmaTx(call.tx);
      return typeof tx === "string" ? tx : { kind: "transfer", tx };
    }
    case "commitBlock": {
      if (call.withhold !== undefined && typeof call.withhold !== "boolean") return "withhold must be true or false";
      const steal = call.steal ?? [];
      if (!Array.isArray(steal) || steal.length > 64 || !steal.every((pos) => wholeAtLeast(pos, 0))) return "steal must be a list of coin positions";
      if (call.da !== undefined && call.da !== "blob" && call.da !== "calldata") return "da must be \"blob\" or \"calldata\"";
      return { kind: "commitBlock", withhold: call.withhold === true, steal: steal as number[], da: call.da === "blob" ? "blob" : "calldata" };
    }
    case "publishBlock":
      return wholeAtLeast(call.block, 1) ? { kind: "publishBlock", block: call.block } : "block must be a block number";
    default:
      return `unknown Plasma call "${call.kind}"`;
  }
}

/** An L1 transaction's call rebuilt from its payload, or why it is malformed. */
export function parsePlasmaL1Call(call: unknown): PlasmaL1Call | string {
  if (!isRecord(call) || typeof call.kind !== "string") return "a Plasma call needs a kind";
  const shared = parseRootChainCall(call);
  if (shared !== null) return shared;
  switch (call.kind) {
    case "commit":
      if (call.da !== undefined && call.da !== "blob") return "a commit's da is \"blob\" or absent";
      return wholeAtLeast(call.block, 1) && typeof call.root === "string" && /^[0-9a-f]{64}$/.test(call.root)
        ? { kind: "commit", block: call.block, root: call.root, ...(call.da === "blob" ? { da: "blob" as const } : {}) }
        : "a commit carries a block number and a root";
    default:
      return `unknown Plasma call "${call.kind}"`;
  }
}
