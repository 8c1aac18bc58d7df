import type { Cheat, DataAvailability } from "../actions.ts";
import type { L2Tx } from "../l2-state.ts";
import { isRecord } from "../parse.ts";

/**
 * What a player (or, for setSequencer, the room at genesis) may ask of the optimistic rollup: the
 * `call` of a `{ type: "module", module: "optimistic", by }` action.
 */
export type OptimisticCall =
  | { kind: "setSequencer" }
  | { kind: "deposit"; amount: number }
  | { kind: "l2Submit"; tx: L2Tx }
  | { kind: "sequence"; txIds?: string[] }
  | { kind: "censor"; txId: string }
  | { kind: "postBatch"; cheat?: Cheat; /** default "blob" */ da?: DataAvailability }
  | { kind: "challenge"; batchId: number; root: string }
  | { kind: "disputeMove"; disputeId: number; root: string }
  | { kind: "oneStepProof"; disputeId: number }
  | { kind: "finalizeWithdrawal"; withdrawalId: string }
  | { kind: "forceSubmit"; tx: L2Tx }
  | { kind: "forceInclude"; entryId: number };

/** What the rollup's L1 transactions carry (the contracts' calls); only the module itself creates these. */
export type OptimisticL1Call =
  | { op: "deposit"; amount: number }
  | { op: "batchPost"; batchId: number }
  | { op: "challenge"; batchId: number; root: string }
  | { op: "disputeMove"; disputeId: number; root: string }
  | { op: "oneStepProof"; disputeId: number }
  | { op: "withdrawalFinalize"; withdrawalId: string }
  | { op: "forcedSubmit"; tx: L2Tx }
  | { op: "forcedInclude"; entryId: number; /** the state-root proposal bond its sender locks, gwei */ bond: number };

export type OptimisticL1Op = OptimisticL1Call["op"];

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const isText = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= 200;

/** An L2 transaction's shape (its signature and balance are the engine's to check). */
function isTx(v: unknown): v is L2Tx {
  if (!isRecord(v)) return false;
  return typeof v.kind === "string" && isText(v.from) && isText(v.to) && isCount(v.amount) && isCount(v.fee) && isCount(v.nonce) && typeof v.sig === "string" && typeof v.id === "string";
}

function isCheat(v: unknown): v is Cheat {
  if (!isRecord(v) || !isCount(v.amount)) return false;
  return v.kind === "mint" || (v.kind === "steal" && isText(v.victim));
}

/** Checks an untrusted call's shape; returns the typed call or why it is malformed. */
export function parseOptimisticCall(value: unknown): OptimisticCall | string {
  if (!isRecord(value)) return "call must be an object";
  switch (value.kind) {
    case "setSequencer":
      return { kind: "setSequencer" };
    case "deposit":
      return isCount(value.amount) ? { kind: "deposit", amount: value.amount } : "amount must be a whole number of gwei";
    case "l2Submit":
    case "forceSubmit":
      return isTx(value.tx) ? { kind: value.kind, tx: value.tx } : "tx must be an L2 transaction";
    case "sequence":
      if (value.txIds === undefined) return { kind: "sequence" };
      return Array.isArray(value.txIds) && value.txIds.every(isText) ? { kind: "sequence", txIds: value.txIds } : "txIds must be transaction ids";
    case "censor":
      return isText(value.txId) ? { kind: "censor", txId: value.txId } : "txId must be a transaction id";
    case "postBatch": {
      if (value.cheat !== undefined && !isCheat(value.cheat)) return "unknown cheat";
      if (value.da !== undefined && value.da !== "blob" && value.da !== "calldata") return "da must be \"blob\" or \"calldata\"";
      return { kind: "postBatch", ...(value.cheat !== undefined ? { cheat: value.cheat as Cheat } : {}), ...(value.da !== undefined ? { da: value.da as DataAvailability } : {}) };
    }
    case "challenge":
      return isCount(value.batchId) && typeof value.root === "string" ? { kind: "challenge", batchId: value.batchId, root: value.root } : "challenge needs a batchId and a root";
    case "disputeMove":
      return isCount(value.disputeId) && typeof value.root === "string" ? { kind: "disputeMove", disputeId: value.disputeId, root: value.root } : "a move needs a disputeId and a root";
    case "oneStepProof":
      return isCount(value.disputeId) ? { kind: "oneStepProof", disputeId: value.disputeId } : "a proof needs a disputeId";
    case "finalizeWithdrawal":
      return isText(value.withdrawalId) ? { kind: "finalizeWithdrawal", withdrawalId: value.withdrawalId } : "withdrawalId must be an id";
    case "forceInclude":
      return isCount(value.entryId) ? { kind: "forceInclude", entryId: value.entryId } : "entryId must be a whole number";
    default:
      return "unknown optimistic rollup call";
  }
}

/** Reads back an L1 call the module queued itself (still checked: it comes out of the world's data). */
export function parseOptimisticL1Call(value: unknown): OptimisticL1Call | null {
  if (!isRecord(value)) return null;
  switch (value.op) {
    case "deposit": return isCount(value.amount) ? { op: "deposit", amount: value.amount } : null;
    case "batchPost": return isCount(value.batchId) ? { op: "batchPost", batchId: value.batchId } : null;
    case "challenge": return isCount(value.batchId) && typeof value.root === "string" ? { op: "challenge", batchId: value.batchId, root: value.root } : null;
    case "disputeMove": return isCount(value.disputeId) && typeof value.root === "string" ? { op: "disputeMove", disputeId: value.disputeId, root: value.root } : null;
    case "oneStepProof": return isCount(value.disputeId) ? { op: "oneStepProof", disputeId: value.disputeId } : null;
    case "withdrawalFinalize": return isText(value.withdrawalId) ? { op: "withdrawalFinalize", withdrawalId: value.withdrawalId } : null;
    case "forcedSubmit": return isTx(value.tx) ? { op: "forcedSubmit", tx: value.tx } : null;
    case "forcedInclude": return isCount(value.entryId) && isCount(value.bond) ? { op: "forcedInclude", entryId: value.entryId, bond: value.bond } : null;
    default: return null;
  }
}

/** Which rollup contract call an L1 transaction carries, or null for any other transaction. */
export function rollupOp(payload: { kind: string; module?: string; call?: unknown }): OptimisticL1Op | null {
  if (payload.kind !== "module" || payload.module !== "optimistic" || !isRecord(payload.call)) return null;
  return parseOptimisticL1Call(payload.call)?.op ?? null;
}
