import type { EngineEvent } from "../events.ts";
import type { EngineModule } from "../module.ts";
import { moduleState } from "../module.ts";
import type { L1Tx, World } from "../world.ts";
import { payClaim, requestClaim, requestDeposit } from "./bridge.ts";
import { parseZkCall, parseZkL1Call } from "./calls.ts";
import { ZK_MODULE } from "./constants.ts";
import { zkViolation } from "./ledger.ts";
import { acceptL2Tx, creditDeposit } from "./mempool.ts";
import { advanceProving, buildBatch, resubmitProof } from "./prover.ts";
import { createZkState } from "./types.ts";
import type { ZkState } from "./types.ts";
import { verifyOnL1 } from "./verifier.ts";

function zkState(world: World): ZkState {
  return moduleState<ZkState>(world, ZK_MODULE);
}

/**
 * A ZK rollup (zkSync, Starknet, Polygon zkEVM): deposits through an L1 bridge, signed L2
 * transfers and withdrawals, provers who batch them and prove each batch before L1 accepts
 * it, constant-cost verification, and finality (withdrawals included) right after.
 */
export const zkRollup: EngineModule = {
  name: ZK_MODULE,
  create: createZkState,

  submit(world, by, rawCall, fee, out) {
    const call = parseZkCall(rawCall);
    if (typeof call === "string") return call;
    const state = zkState(world);
    switch (call.kind) {
      case "deposit":
        return requestDeposit(world, by, call.amount, fee, out);
      case "send":
        return acceptL2Tx(world, state, by, call.tx, out);
      case "prove":
        return buildBatch(world, state, by, call.maxTxs, call.cheat, call.da ?? "blob", fee, out);
      case "submitProof":
        return resubmitProof(world, state, by, call.batchId, fee, out);
      case "claim":
        return requestClaim(world, state, by, call.withdrawalId, fee, out);
    }
  },

  execute(world: World, tx: L1Tx, rawCall: unknown, out: EngineEvent[]) {
    const call = parseZkL1Call(rawCall);
    if (!call) return "malformed ZK rollup transaction";
    const state = zkState(world);
    switch (call.op) {
      case "deposit":
        creditDeposit(world, state, tx, call.amount, out);
        return null;
      case "verifyBatch":
        return verifyOnL1(world, state, tx, call.batchId, out);
      case "claim":
        return payClaim(world, state, tx, call.withdrawalId, out);
    }
  },

  valueOf(rawCall) {
    const call = parseZkL1Call(rawCall);
    return call?.op === "deposit" ? call.amount : 0;
  },

  onBlock(world, out) {
    advanceProving(world, zkState(world), out);
  },

  violation(world) {
    return zkViolation(world, zkState(world));
  },
};
