import { MAX_BRIDGE_SEATS } from "./params.ts";
import type { BridgeDesign } from "./params.ts";
import { isRecord } from "../parse.ts";

/** A validator's (or user's) signature as it travels in a bridge release. */
export interface SignerSignature {
  validator: string;
  sig: string;
}

/** Everything a player can ask of the sidechain, as plain data (it arrives from the network). */
export type SidechainCall =
  /** Before genesis: the bridge's m-of-n and the chain's timing. */
  | { kind: "configure"; bridgeThreshold: number; bridgeSeats: number; blockIntervalMs?: number; checkpointIntervalMs?: number; bridgeDesign?: BridgeDesign }
  /** L1: lock stake in the staking contract and join (or grow in) the validator set. */
  | { kind: "stake"; amount: number }
  /** L1: lock ETH in the bridge; the sidechain mints it in its next block. */
  | { kind: "deposit"; amount: number }
  /** Sidechain: a signed transfer. */
  | { kind: "transfer"; to: string; amount: number; nonce: number; sig: string }
  /** Sidechain: a signed burn that starts a withdrawal to the sender's L1 account. */
  | { kind: "burn"; amount: number; nonce: number; sig: string }
  /** Validator: a vote for the pending block. */
  | { kind: "signBlock"; hash: string; sig: string }
  /** Validator: approval of the pending checkpoint. */
  | { kind: "signCheckpoint"; number: number; sig: string }
  /** L1: post a checkpoint that > 2/3 of stake signed. */
  | { kind: "postCheckpoint"; number: number }
  /** Bridge signer: an approval of a burn's withdrawal, relayed to the recipient. */
  | { kind: "signWithdrawal"; nonce: number; sig: string }
  /** L1, multisig design: present signatures over (bridge, recipient, amount, nonce) to the multisig bridge. */
  | { kind: "release"; to: string; amount: number; nonce: number; signatures: SignerSignature[] }
  /** L1, checkpoint design: prove the burn — its block's hash under a posted checkpoint's root (slot, siblings). */
  | { kind: "exit"; nonce: number; checkpoint: number; blockHash: string; slot: number; siblings: string[] }
  /** L1, checkpoint design: a checkpoint of one block with a burn in it, posted with its exit — what forged keys try. */
  | { kind: "checkpointExit"; to: string; amount: number; nonce: number; signatures: SignerSignature[] }
  /** Bridge signer, off-chain: invite the other signers to approve a release of `amount` to you that no burn backs. */
  | { kind: "proposeHeist"; amount: number }
  /** Bridge signer, off-chain: add your signature to a heist (over its release message). */
  | { kind: "signHeist"; id: number; sig: string }
  /** The heist's organizer: send its release to L1 with the signatures gathered so far, enough or not. */
  | { kind: "releaseHeist"; id: number }
  /** Anyone watching: say the bridge no longer backs the sidechain (scored right or wrong from the audit). */
  | { kind: "alarm" };

export type SidechainCallKind = SidechainCall["kind"];

const HEX64 = /^[0-9a-f]{64}$/;
const SIG = /^[0-9a-f]{128}$/;
const MAX_NAME = 64;

function count(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function positive(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

function name(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= MAX_NAME;
}

function signature(value: unknown): value is string {
  return typeof value === "string" && SIG.test(value);
}

/** Checks a call's shape; returns the typed call or why it is malformed. */
export function parseCall(call: unknown): SidechainCall | string {
  if (!isRecord(call) || typeof call.kind !== "string") return "malformed sidechain call";
  const c = call;
  switch (c.kind) {
    case "configure": {
      if (!positive(c.bridgeThreshold) || !positive(c.bridgeSeats)) return "threshold and seats must be positive whole numbers";
      if (c.bridgeThreshold > c.bridgeSeats) return "the threshold cannot exceed the number of seats";
      if (c.bridgeSeats > MAX_BRIDGE_SEATS) return `at most ${MAX_BRIDGE_SEATS} bridge seats`;
      if (c.blockIntervalMs !== undefined && !positive(c.blockIntervalMs)) return "block interval must be a positive number of ms";
      if (c.checkpointIntervalMs !== undefined && !positive(c.checkpointIntervalMs)) return "checkpoint interval must be a positive number of ms";
      if (c.bridgeDesign !== undefined && c.bridgeDesign !== "multisig" && c.bridgeDesign !== "checkpoint") return "bridgeDesign must be multisig or checkpoint";
      return {
        kind: "configure",
        bridgeThreshold: c.bridgeThreshold,
        bridgeSeats: c.bridgeSeats,
        ...(c.blockIntervalMs !== undefined ? { blockIntervalMs: c.blockIntervalMs } : {}),
        ...(c.checkpointIntervalMs !== undefined ? { checkpointIntervalMs: c.checkpointIntervalMs } : {}),
        ...(c.bridgeDesign !== undefined ? { bridgeDesign: c.bridgeDesign as BridgeDesign } : {}),
      };
    }
    case "stake":
    case "deposit":
      return positive(c.amount) ? { kind: c.kind, amount: c.amount } : "amount must be a positive whole number of gwei";
    case "transfer":
      if (!name(c.to)) return "bad recipient";
      if (!positive(c.amount) || !count(c.nonce)) return "amount and nonce must be whole numbers";
      return signature(c.sig) ? { kind: "transfer", to: c.to, amount: c.amount, nonce: c.nonce, sig: c.sig } : "bad signature format";
    case "burn":
      if (!positive(c.amount) || !count(c.nonce)) return "amount and nonce must be whole numbers";
      return signature(c.sig) ? { kind: "burn", amount: c.amount, nonce: c.nonce, sig: c.sig } : "bad signature format";
    case "signBlock":
      if (typeof c.hash !== "string" || !HEX64.test(c.hash)) return "bad block hash";
      return signature(c.sig) ? { kind: "signBlock", hash: c.hash, sig: c.sig } : "bad signature format";
    case "signCheckpoint":
      if (!count(c.number)) return "bad checkpoint number";
      return signature(c.sig) ? { kind: "signCheckpoint", number: c.number, sig: c.sig } : "bad signature format";
    case "postCheckpoint":
      return count(c.number) ? { kind: "postCheckpoint", number: c.number } : "bad checkpoint number";
    case "signWithdrawal":
      if (!count(c.nonce)) return "bad withdrawal nonce";
      return signature(c.sig) ? { kind: "signWithdrawal", nonce: c.nonce, sig: c.sig } : "bad signature format";
    case "proposeHeist":
      return positive(c.amount) ? { kind: "proposeHeist", amount: c.amount } : "amount must be a positive whole number of gwei";
    case "signHeist":
      if (!count(c.id)) return "bad heist id";
      return signature(c.sig) ? { kind: "signHeist", id: c.id, sig: c.sig } : "bad signature format";
    case "releaseHeist":
      return count(c.id) ? { kind: "releaseHeist", id: c.id } : "bad heist id";
    case "alarm":
      return { kind: "alarm" };
    case "exit": {
      if (!count(c.nonce) || !count(c.checkpoint) || !count(c.slot)) return "exit needs a withdrawal nonce, a checkpoint and a slot";
      if (typeof c.blockHash !== "string" || !HEX64.test(c.blockHash)) return "bad block hash";
      if (!Array.isArray(c.siblings) || c.siblings.length > 64 || !c.siblings.every((s) => typeof s === "string" && HEX64.test(s))) return "bad Merkle proof";
      return { kind: "exit", nonce: c.nonce, checkpoint: c.checkpoint, blockHash: c.blockHash, slot: c.slot, siblings: c.siblings as string[] };
    }
    case "release":
    case "checkpointExit": {
      if (!name(c.to) || !positive(c.amount) || !count(c.nonce)) return "release needs a recipient, a positive amount and a nonce";
      if (!Array.isArray(c.signatures) || c.signatures.length > MAX_BRIDGE_SEATS) return "bad signature list";
      const signatures: SignerSignature[] = [];
      for (const entry of c.signatures as unknown[]) {
        if (!isRecord(entry) || !name(entry.validator) || !signature(entry.sig)) return "bad signature list";
        signatures.push({ validator: entry.validator, sig: entry.sig });
      }
      return { kind: c.kind, to: c.to, amount: c.amount, nonce: c.nonce, signatures };
    }
    default:
      return "unknown sidechain call";
  }
}
