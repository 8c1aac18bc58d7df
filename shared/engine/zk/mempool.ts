import type { EngineEvent } from "../events.ts";
import { L2Executor, cloneL2State } from "../l2-state.ts";
import type { L2Context, L2State, L2Tx } from "../l2-state.ts";
import { moveL1 } from "../l1.ts";
import { moduleEvent } from "../module.ts";
import { newId } from "../world.ts";
import type { L1Tx, World } from "../world.ts";
import { l1FeeOf } from "./l1-fee.ts";
import { ZK_BRIDGE, ZK_EVENTS, ZK_MODULE } from "./constants.ts";
import type { ZkState } from "./types.ts";

/** What ZK execution reads of L1: registered keys, the bridge's deposit queue, and who collects the L2 fees. */
export function zkContext(world: World, state: ZkState, feeRecipient: string): L2Context {
  return { publicKeys: world.l1.publicKeys, deposits: state.deposits, sequencer: feeRecipient };
}

/** Placeholder fee recipient for the projected state: the real one is whoever proves the batch. */
const NOT_YET_PROVEN = "zk:unproven-fees";

/**
 * The L2 state once every pending transaction is in a batch: what a wallet shows as its
 * balance. Pending transactions were checked on entry, so they are replayed without checks.
 */
export function projectedState(world: World, state: ZkState): L2State {
  const executor = new L2Executor(cloneL2State(state.built));
  const context = zkContext(world, state, NOT_YET_PROVEN);
  for (const pending of state.pending) executor.apply(pending.tx, context, true);
  return executor.state;
}

/** A player's ZK L2 balance counting pending transactions and deposits, gwei. */
export function zkBalance(world: World, state: ZkState, who: string): number {
  return projectedState(world, state).accounts[who]?.balance ?? 0;
}

/** The nonce `from`'s next ZK L2 transaction must carry. */
export function zkNextNonce(world: World, state: ZkState, from: string): number {
  return projectedState(world, state).accounts[from]?.nonce ?? 0;
}

/**
 * Accepts a signed transfer or withdrawal into the pending queue, after the checks the
 * circuit will make (signature against the L1-registered key, nonce, balance incl. fee):
 * a transaction accepted here always executes in its batch. The engine assigns its id.
 */
export function acceptL2Tx(world: World, state: ZkState, by: string, tx: L2Tx, out: EngineEvent[]): string | null {
  if (tx.from !== by) return "you can only send your own transactions";
  if (tx.kind === "withdraw" && tx.to !== tx.from) return "a withdrawal pays its sender on L1";
  if (tx.fee < world.config.l2FeePerTx) return `L2 fee must be at least ${world.config.l2FeePerTx} gwei`;
  const projected = new L2Executor(projectedState(world, state));
  const reason = projected.invalidReason(tx, zkContext(world, state, NOT_YET_PROVEN));
  if (reason === "bad nonce") return `nonce must be ${projected.state.accounts[tx.from]?.nonce ?? 0}`;
  if (reason) return reason === "insufficient L2 balance" ? "not enough on the ZK rollup for the amount plus fee" : reason;
  const accepted: L2Tx = { ...tx, id: newId(world, "zk") };
  state.pending.push({ tx: accepted, submittedAtMs: world.nowMs });
  out.push(moduleEvent(world, ZK_MODULE, ZK_EVENTS.txAccepted, { txId: accepted.id, kind: accepted.kind, from: accepted.from, to: accepted.to, amount: accepted.amount, fee: accepted.fee }));
  return null;
}

/**
 * An included L1 deposit: ETH moves into the bridge and the deposit joins the L2 queue at
 * once (a priority operation every batch must process in order), so its owner can spend it.
 */
export function creditDeposit(world: World, state: ZkState, l1Tx: L1Tx, amount: number, out: EngineEvent[]): void {
  const from = l1Tx.from;
  const submittedAtMs = l1Tx.submittedAtMs;
  moveL1(world, from, ZK_BRIDGE, amount);
  const depositIndex = state.deposits.length;
  state.deposits.push({ to: from, amount, atMs: submittedAtMs });
  const tx: L2Tx = { id: `zkdep-${depositIndex}`, kind: "deposit", from: ZK_BRIDGE, to: from, amount, fee: 0, nonce: 0, sig: "", depositIndex };
  state.pending.push({ tx, submittedAtMs });
  out.push(moduleEvent(world, ZK_MODULE, ZK_EVENTS.depositCredited, { to: from, amount, depositIndex, waitMs: world.nowMs - submittedAtMs, ...l1FeeOf(world, l1Tx) }));
}
