import type { L2Tx } from "../l2-state.ts";
import { MAX_NAME_LENGTH } from "./constants.ts";
import type { ZkCheat } from "./types.ts";
import type { DataAvailability } from "../actions.ts";
import { isRecord } from "../parse.ts";

/** What a player may ask of the ZK rollup (the `call` of a `{ type: "module", module: "zk" }` action). */
export type ZkCall =
  | { kind: "deposit"; amount: number }
  | { kind: "send"; tx: L2Tx }
  | { kind: "prove"; maxTxs?: number; cheat?: ZkCheat; /** where the state diff goes on L1; default "blob" */ da?: DataAvailability }
  | { kind: "submitProof"; batchId: number }
  | { kind: "claim"; withdrawalId: string };

/** What the module's L1 transactions carry; only the module itself creates these. */
export type ZkL1Call =
  | { op: "deposit"; amount: number }
  | { op: "verifyBatch"; batchId: number }
  | { op: "claim"; withdrawalId: string };

const SIG_PATTERN = /^[0-9a-f]{128}$/;

function isName(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= MAX_NAME_LENGTH;
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function parseTx(value: unknown): L2Tx | string {
  if (!isRecord(value)) return "tx must be an object";
  const { kind, from, to, amount, fee, nonce, sig } = value;
  if (kind !== "transfer" && kind !== "withdraw") return "only transfers and withdrawals can be sent on the ZK rollup";
  if (!isName(from) || !isName(to)) return `from and to must be names of 1 to ${MAX_NAME_LENGTH} characters`;
  if (!isCount(amount) || amount === 0) return "amount must be a positive whole number of gwei";
  if (!isCount(fee) || fee > 0xffffffff) return "fee must be a whole number of gwei";
  if (!isCount(nonce) || nonce > 0xffffffff) return "nonce must be a whole number";
  if (typeof sig !== "string" || !SIG_PATTERN.test(sig)) return "sig must be a 64-byte ed25519 signature in hex";
  return { id: "", kind, from, to, amount, fee, nonce, sig };
}

function parseCheat(value: unknown): ZkCheat | string {
  if (!isRecord(value)) return "cheat must be an object";
  if (value.kind === "wrongRoot") return { kind: "wrongRoot" };
  if (!isCount(value.amount) || value.amount === 0) return "cheat amount must be a positive whole number of gwei";
  if (value.kind === "mint") return { kind: "mint", amount: value.amount };
  if (value.kind === "steal") return isName(value.victim) ? { kind: "steal", victim: value.victim, amount: value.amount } : "steal needs a victim";
  return "unknown cheat";
}

/** Checks an untrusted call's shape; returns the typed call or why it is malformed. */
export function parseZkCall(value: unknown): ZkCall | string {
  if (!isRecord(value)) return "call must be an object";
  switch (value.kind) {
    case "deposit":
      return isCount(value.amount) && value.amount > 0 ? { kind: "deposit", amount: value.amount } : "amount must be a positive whole number of gwei";
    case "send": {
      const tx = parseTx(value.tx);
      return typeof tx === "string" ? tx : { kind: "send", tx };
    }
    case "prove": {
      const call: ZkCall = { kind: "prove" };
      if (value.maxTxs !== undefined) {
        if (!isCount(value.maxTxs) || value.maxTxs === 0) return "maxTxs must be a positive whole number";
        call.maxTxs = value.maxTxs;
      }
      if (value.cheat !== undefined) {
        const cheat = parseCheat(value.cheat);
        if (typeof cheat === "string") return cheat;
        call.cheat = cheat;
      }
      if (value.da !== undefined) {
        if (value.da !== "blob" && value.da !== "calldata") return "da must be \"blob\" or \"calldata\"";
        call.da = value.da;
      }
      return call;
    }
    case "submitProof":
      return isCount(value.batchId) ? { kind: "submitProof", batchId: value.batchId } : "batchId must be a whole number";
    case "claim":
      return isName(value.withdrawalId) ? { kind: "claim", withdrawalId: value.withdrawalId } : "withdrawalId must be a name";
    default:
      return "unknown ZK rollup call";
  }
}

/** Reads back an L1 call the module queued itself (still checked: it comes out of the world's data). */
export function parseZkL1Call(value: unknown): ZkL1Call | null {
  if (!isRecord(value)) return null;
  if (value.op === "deposit" && isCount(value.amount)) return { op: "deposit", amount: value.amount };
  if (value.op === "verifyBatch" && isCount(value.batchId)) return { op: "verifyBatch", batchId: value.batchId };
  if (value.op === "claim" && isName(value.withdrawalId)) return { op: "claim", withdrawalId: value.withdrawalId };
  return null;
}
