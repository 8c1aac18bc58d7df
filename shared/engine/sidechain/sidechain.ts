import { verifySignature } from "../../crypto/sign.ts";
import type { FeeChoice } from "../actions.ts";
import type { EngineEvent } from "../events.ts";
import { submitL1Tx } from "../l1.ts";
import type { EngineModule } from "../module.ts";
import { moduleEvent } from "../module.ts";
import type { L1Tx, World } from "../world.ts";
import { executeCheckpointExit, executeDeposit, executeExit, executeRelease, exitRefusal, releaseGas, releaseRefusal, signWithdrawal } from "./bridge.ts";
import type { SidechainCall } from "./calls.ts";
import { parseCall } from "./calls.ts";
import { executeCheckpoint, signCheckpoint, submitCheckpoint } from "./checkpoint.ts";
import { executeStake, signBlock, tick } from "./consensus.ts";
import { proposeHeist, raiseAlarm, releaseHeist, settleHeist, signHeist } from "./heist.ts";
import { auditSidechain, nextSideNonce, spendableBalance } from "./ledger.ts";
import { burnMessage, transferMessage } from "./messages.ts";
import { SIDECHAIN, SIDECHAIN_GAS, SIDECHAIN_STAKING } from "./params.ts";
import { SIDECHAIN_EVENTS } from "./sidechain-events.ts";
import type { SidechainState } from "./state.ts";
import { createSidechainState, sidechainOf, totalStake } from "./state.ts";

/** Queues `call` as an L1 transaction to the sidechain's contracts. */
function toL1(world: World, by: string, call: SidechainCall, gas: number, value: number, fee: FeeChoice, out: EngineEvent[]): string | null {
  const tx = submitL1Tx(world, by, { kind: "module", module: SIDECHAIN, call }, gas, value, fee, out);
  if (typeof tx === "string") return tx;
  out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.l1Queued, { call: call.kind, by, txId: tx.id, gas, value }));
  return null;
}

/** A signed transfer or burn enters the pool after the checks the next proposer will repeat. */
function submitSideTx(world: World, state: SidechainState, by: string, call: Extract<SidechainCall, { kind: "transfer" | "burn" }>, out: EngineEvent[]): string | null {
  const key = world.l1.publicKeys[by];
  if (!key) return "register a key first";
  const fee = state.config.txFee;
  const to = call.kind === "transfer" ? call.to : by;
  const message = call.kind === "transfer" ? transferMessage(by, to, call.amount, fee, call.nonce) : burnMessage(by, call.amount, fee, call.nonce);
  if (!verifySignature(key, message, call.sig)) return "the signature does not verify with your key";
  const expected = nextSideNonce(state, by);
  if (call.nonce !== expected) return `wrong nonce: expected ${expected}`;
  if (spendableBalance(state, by) < call.amount + fee) return "not enough on the sidechain for the amount plus fee";
  state.pool.push({ kind: call.kind, from: by, to, amount: call.amount, fee, nonce: call.nonce, sig: call.sig, submittedAtMs: world.nowMs });
  out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.txSubmitted, { kind: call.kind, from: by, to, amount: call.amount, fee }));
  return null;
}

/** Checks and applies one accepted-or-refused player call. */
function dispatch(world: World, state: SidechainState, by: string, call: SidechainCall, fee: FeeChoice, out: EngineEvent[]): string | null {
  switch (call.kind) {
    case "configure": {
      if (state.started) return "the sidechain has started: its parameters are fixed";
      state.config = {
        ...state.config,
        bridgeThreshold: call.bridgeThreshold,
        bridgeSeats: call.bridgeSeats,
        ...(call.blockIntervalMs !== undefined ? { blockIntervalMs: call.blockIntervalMs } : {}),
        ...(call.checkpointIntervalMs !== undefined ? { checkpointIntervalMs: call.checkpointIntervalMs } : {}),
        ...(call.bridgeDesign !== undefined ? { bridgeDesign: call.bridgeDesign } : {}),
      };
      out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.configured, { ...state.config }));
      return null;
    }
    case "stake":
      if (!world.l1.publicKeys[by]) return "register a key first: validators sign with it";
      if (!state.validators[by] && call.amount < state.config.minStake) return `a new validator stakes at least ${state.config.minStake} gwei`;
      return toL1(world, by, call, SIDECHAIN_GAS.stake, call.amount, fee, out);
    case "deposit":
      return toL1(world, by, call, SIDECHAIN_GAS.deposit, call.amount, fee, out);
    case "transfer":
    case "burn":
      return submitSideTx(world, state, by, call, out);
    case "signBlock":
      return signBlock(world, state, by, call.hash, call.sig, out);
    case "signCheckpoint":
      return signCheckpoint(world, state, by, call.number, call.sig, out);
    case "postCheckpoint":
      return submitCheckpoint(world, state, by, call.number, fee, out);
    case "signWithdrawal":
      return signWithdrawal(world, state, by, call.nonce, call.sig, out);
    case "release":
      return releaseRefusal(world, state, call.to, call.amount, call.nonce, call.signatures)
        ?? toL1(world, by, call, releaseGas(call.signatures.length), 0, fee, out);
    case "exit":
      return exitRefusal(world, state, call) ?? toL1(world, by, call, SIDECHAIN_GAS.exit, 0, fee, out);
    case "checkpointExit":
      // Only the heist's release path sends this (releaseHeist, without a dry run): nobody submits it directly.
      return "a forged checkpoint goes out only as a heist's release";
    case "proposeHeist":
      return proposeHeist(world, state, by, call.amount, out);
    case "signHeist":
      return signHeist(world, state, by, call.id, call.sig, out);
    case "releaseHeist":
      return releaseHeist(world, state, by, call.id, fee, out);
    case "alarm":
      return raiseAlarm(world, state, by, out);
  }
}

/**
 * A Polygon-PoS-style sidechain: validators stake on L1 and sign its blocks (> 2/3 of stake
 * commits one) and checkpoints of its block hashes go to L1. Its bridge is one of two designs
 * (SidechainConfig.bridgeDesign): Ronin's m-of-n validator multisig, which pays any release m
 * signers approve, burn or no burn (a heist with m stolen keys); or Polygon PoS's, where a
 * withdrawal proves its burn against a checkpoint signed by more than 2/3 of the stake.
 */
export const sidechainModule: EngineModule = {
  name: SIDECHAIN,
  create: createSidechainState,
  submit(world, by, call, fee, out) {
    const state = sidechainOf(world);
    if (!state) return "the sidechain is not running";
    const parsed = parseCall(call);
    if (typeof parsed === "string") return parsed;
    const reason = dispatch(world, state, by, parsed, fee, out);
    if (reason) return reason;
    if (parsed.kind !== "configure") {
      state.started = true;
      tick(world, state, out);
    }
    return null;
  },
  execute(world, tx: L1Tx, call, out) {
    const state = sidechainOf(world);
    if (!state) return "the sidechain is not running";
    const parsed = parseCall(call);
    if (typeof parsed === "string") return parsed;
    switch (parsed.kind) {
      case "stake":
        return executeStake(world, state, tx.from, parsed.amount, out);
      case "deposit":
        return executeDeposit(world, state, tx.from, parsed.amount, tx.submittedAtMs, out);
      case "postCheckpoint":
        return executeCheckpoint(world, state, parsed.number, out);
      case "release": {
        const refusal = executeRelease(world, state, tx.from, parsed.to, parsed.amount, parsed.nonce, parsed.signatures, out);
        settleHeist(world, state, tx.id, refusal, out);
        return refusal;
      }
      case "exit":
        return executeExit(world, state, tx.from, parsed, out);
      case "checkpointExit": {
        const refusal = executeCheckpointExit(world, state, tx.from, parsed.to, parsed.amount, parsed.nonce, parsed.signatures, out);
        settleHeist(world, state, tx.id, refusal, out);
        return refusal;
      }
      default:
        return "not an L1 call";
    }
  },
  valueOf(call) {
    const parsed = parseCall(call);
    return typeof parsed !== "string" && (parsed.kind === "stake" || parsed.kind === "deposit") ? parsed.amount : 0;
  },
  onBlock(world, out) {
    const state = sidechainOf(world);
    if (state) tick(world, state, out);
  },
  violation(world) {
    const state = sidechainOf(world);
    if (!state) return null;
    const staked = world.l1.balances[SIDECHAIN_STAKING] ?? 0;
    if (staked !== totalStake(state)) return `staking contract holds ${staked} but validators staked ${totalStake(state)}`;
    const negative = Object.entries(state.accounts).find(([, a]) => a.balance < 0);
    if (negative) return `sidechain account ${negative[0]} is negative`;
    const thefts = state.thefts.reduce((sum, t) => sum + t.amount, 0);
    if (thefts !== state.stolen) return `thefts add up to ${thefts} but ${state.stolen} is recorded stolen`;
    // Escrow only leaves the bridge against a burn or as a recorded theft: what the sidechain owes is escrow plus theft.
    const audit = auditSidechain(world, state);
    if (audit.supply !== audit.escrow + state.stolen) return `supply ${audit.supply} != escrow ${audit.escrow} + stolen ${state.stolen}`;
    return null;
  },
};
