import { verifySignature } from "../../crypto/sign.ts";
import type { EngineEvent } from "../events.ts";
import { moveL1 } from "../l1.ts";
import { moduleEvent } from "../module.ts";
import type { World } from "../world.ts";
import { recordBurn } from "./bridge.ts";
import { proposeCheckpointIfDue } from "./checkpoint.ts";
import { applySideTx, forkLedger, sideTxInvalid, stateRootOf } from "./ledger.ts";
import { blockHash, blockVoteMessage, txRootOf } from "./messages.ts";
import { SIDECHAIN, SIDECHAIN_STAKING } from "./params.ts";
import { SIDECHAIN_EVENTS } from "./sidechain-events.ts";
import type { SideTx, SidechainState } from "./state.ts";
import { isSupermajority, stakeOf, totalStake } from "./state.ts";
import { idRecord } from "../id-record.ts";

const RECENT_BLOCKS_KEPT = 32;

/** A staking transaction's effect on L1: stake moves into the staking contract and counts as voting power. */
export function executeStake(world: World, state: SidechainState, from: string, amount: number, out: EngineEvent[]): null {
  moveL1(world, from, SIDECHAIN_STAKING, amount);
  let validator = state.validators[from];
  const joined = !validator;
  if (!validator) {
    validator = { stake: 0, priority: 0, joinedAtMs: world.nowMs };
    state.validators[from] = validator;
    state.validatorOrder.push(from);
    if (state.bridgeSigners.length < state.config.bridgeSeats) state.bridgeSigners.push(from);
  }
  validator.stake += amount;
  out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.staked, {
    validator: from,
    amount,
    stake: validator.stake,
    totalStake: totalStake(state),
    validators: state.validatorOrder.length,
    joined,
    bridgeSigner: state.bridgeSigners.includes(from),
    bridgeSigners: state.bridgeSigners.length,
  }));
  return null;
}

/**
 * Tendermint's weighted round robin: every validator's priority grows by its stake, the highest
 * proposes and pays back the total. Over many rounds each proposes in proportion to its stake.
 */
function nextProposer(state: SidechainState): string {
  const total = totalStake(state);
  let best: string | null = null;
  for (const id of state.validatorOrder) {
    const v = state.validators[id]!;
    v.priority += v.stake;
    if (best === null || v.priority > state.validators[best]!.priority) best = id;
  }
  state.validators[best!]!.priority -= total;
  return best!;
}

/** Puts the next block up for votes: pooled transactions the rules accept, executed on a copy of the state. */
function propose(world: World, state: SidechainState, out: EngineEvent[]): void {
  const proposer = nextProposer(state);
  const ledger = forkLedger(state);
  const taken = state.pool.splice(0, state.config.maxBlockTxs);
  const txs: SideTx[] = [];
  for (const tx of taken) {
    const reason = sideTxInvalid(ledger, tx, world.l1.publicKeys);
    if (reason) {
      out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.txDropped, { kind: tx.kind, from: tx.from, to: tx.to, amount: tx.amount, reason }));
      continue;
    }
    applySideTx(ledger, tx, proposer);
    txs.push(tx);
  }
  const header = {
    height: state.height + 1,
    round: state.round,
    parentHash: state.headHash,
    timeMs: world.nowMs,
    proposer,
    txRoot: txRootOf(txs),
    stateRoot: stateRootOf(ledger),
  };
  const hash = blockHash(header);
  state.proposal = { ...header, txs, hash, signatures: idRecord() };
  const total = totalStake(state);
  out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.blockProposed, {
    height: header.height,
    round: header.round,
    hash,
    proposer,
    txCount: txs.length,
    totalStake: total,
    /** Least stake whose signatures commit it: just over two thirds. */
    stakeNeeded: Math.floor((2 * total) / 3) + 1,
  }));
}

/** Commits the pending block: its transactions take effect, burns become withdrawals. */
function commit(world: World, state: SidechainState, out: EngineEvent[]): void {
  const proposal = state.proposal!;
  const ledger = { accounts: state.accounts, slotCount: state.slotCount };
  let fees = 0;
  for (const tx of proposal.txs) {
    // Nothing else changed the accounts since the proposal was built on them, so each still applies.
    applySideTx(ledger, tx, proposal.proposer);
    fees += tx.fee;
    const latencyMs = world.nowMs - tx.submittedAtMs;
    if (tx.kind === "mint") {
      out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.depositMinted, { depositId: tx.depositId ?? -1, to: tx.to, amount: tx.amount, height: proposal.height, latencyMs }));
    } else {
      out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.txIncluded, { kind: tx.kind, from: tx.from, to: tx.to, amount: tx.amount, fee: tx.fee, height: proposal.height, latencyMs }));
    }
    if (tx.kind === "burn") recordBurn(world, state, tx, proposal.height, out);
  }
  state.slotCount = ledger.slotCount;
  state.feesPaid += fees;
  const signers = Object.keys(proposal.signatures);
  const signedStake = stakeOf(state, signers);
  const total = totalStake(state);
  state.height = proposal.height;
  state.headHash = proposal.hash;
  state.round = 0;
  state.lastBlockAtMs = world.nowMs;
  state.uncheckpointed.push(proposal.hash);
  state.recentBlocks.push({
    height: proposal.height,
    hash: proposal.hash,
    proposer: proposal.proposer,
    timeMs: proposal.timeMs,
    committedAtMs: world.nowMs,
    txCount: proposal.txs.length,
    signers: signers.length,
    signedStake,
    totalStake: total,
  });
  if (state.recentBlocks.length > RECENT_BLOCKS_KEPT) state.recentBlocks.shift();
  state.proposal = null;
  out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.blockCommitted, {
    height: proposal.height,
    round: proposal.round,
    hash: proposal.hash,
    proposer: proposal.proposer,
    txCount: proposal.txs.length,
    fees,
    signers: signers.length,
    validators: state.validatorOrder.length,
    signedStake,
    totalStake: total,
    latencyMs: world.nowMs - proposal.timeMs,
  }));
}

/** A validator's vote. Refused unless it is a valid signature by a staked validator over the pending block's hash. */
export function signBlock(world: World, state: SidechainState, by: string, hash: string, sig: string, out: EngineEvent[]): string | null {
  const proposal = state.proposal;
  if (state.recentBlocks.some((b) => b.hash === hash)) return "that block is already committed";
  if (!proposal || proposal.hash !== hash) return "that block is not the one up for votes";
  if (!state.validators[by]) return "only a staked validator can sign blocks";
  if (proposal.signatures[by]) return "you already signed this block";
  const key = world.l1.publicKeys[by];
  if (!key || !verifySignature(key, blockVoteMessage(hash), sig)) return "the signature does not verify with your key";
  proposal.signatures[by] = sig;
  const signedStake = stakeOf(state, Object.keys(proposal.signatures));
  const total = totalStake(state);
  out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.blockSigned, { height: proposal.height, hash, signer: by, signedStake, totalStake: total }));
  if (isSupermajority(signedStake, total)) commit(world, state, out);
  return null;
}

/**
 * The sidechain's clock, run at every L1 block and after every accepted sidechain call:
 * a stale proposal gives way to the next proposer's, a new block is proposed once the
 * interval has passed, and a checkpoint is proposed when one is due.
 */
export function tick(world: World, state: SidechainState, out: EngineEvent[]): void {
  if (state.validatorOrder.length === 0) return;
  const proposal = state.proposal;
  if (proposal && world.nowMs - proposal.timeMs >= state.config.roundTimeoutMs) {
    const signedStake = stakeOf(state, Object.keys(proposal.signatures));
    out.push(moduleEvent(world, SIDECHAIN, SIDECHAIN_EVENTS.roundTimeout, {
      height: proposal.height,
      round: proposal.round,
      proposer: proposal.proposer,
      signers: Object.keys(proposal.signatures).length,
      signedStake,
      totalStake: totalStake(state),
    }));
    state.pool = [...proposal.txs, ...state.pool];
    state.proposal = null;
    state.round += 1;
  }
  if (!state.proposal && world.nowMs >= state.lastBlockAtMs + state.config.blockIntervalMs) propose(world, state, out);
  proposeCheckpointIfDue(world, state, out);
}
