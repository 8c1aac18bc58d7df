import { signMessage } from "../crypto/sign.ts";
import { nextFloat, nextInt } from "../engine/prng.ts";
import { checkpointMessageOf, openCheckpoint } from "../engine/sidechain/checkpoint.ts";
import { heistMessage } from "../engine/sidechain/heist.ts";
import { auditSidechain, nextSideNonce, spendableBalance } from "../engine/sidechain/ledger.ts";
import { withdrawalReady } from "../engine/sidechain/bridge.ts";
import { blockVoteMessage, burnMessage, transferMessage, withdrawalMessage } from "../engine/sidechain/messages.ts";
import { SIDECHAIN, SIDECHAIN_BRIDGE } from "../engine/sidechain/params.ts";
import type { SidechainState } from "../engine/sidechain/state.ts";
import { isSupermajority, sidechainOf, stakeOf, totalStake } from "../engine/sidechain/state.ts";
import { eth } from "../engine/units.ts";
import type { World } from "../engine/world.ts";
import type { BotMind, BotMove } from "./mind.ts";

/** A hard bot signer plans a heist once the bridge has filled up, after this much game time (ms). */
export const HEIST_AFTER_MS = 40_000;
/** How long an organizer waits for the m-th key before trying the release anyway (ms of game time). */
export const HEIST_PATIENCE_MS = 20_000;
/** Share of the escrow a heist asks for: a little under all of it, so withdrawals paid meanwhile cannot make it revert. */
const HEIST_SHARE = 0.9;
/** Withdrawals a bot signer approves per turn (the oldest first). */
const SIGNATURES_PER_TURN = 4;

/** A sidechain bot's moves: validators keep the chain and the bridge running (and collude on "hard"), auditors watch, users use it. */
export function sidechainMoves(world: World, mind: BotMind, players: readonly string[]): BotMove[] {
  const state = sidechainOf(world);
  if (!state) return [];
  if (mind.role === "validator") return validatorMoves(world, state, mind);
  if (mind.role === "auditor") return auditorMoves(world, state, mind);
  return userMoves(world, state, mind, players);
}

/** Whether `me` has a sidechain L1 call of this kind waiting in the mempool. */
function waitingOnL1(world: World, me: string, kind: string): boolean {
  return world.l1.mempool.some((tx) => tx.from === me && tx.payload.kind === "module" && tx.payload.module === SIDECHAIN && (tx.payload.call as { kind?: unknown }).kind === kind);
}

/** An honest validator signs what is up for signing; a hard one also joins heists, and one of them plans a heist. */
function validatorMoves(world: World, state: SidechainState, mind: BotMind): BotMove[] {
  const me = mind.id;
  if (!state.validators[me]) return [];
  const sign = (message: string) => signMessage(mind.secretKey, message);
  const moves: BotMove[] = [];
  const proposal = state.proposal;
  if (proposal && !proposal.signatures[me]) moves.push({ type: "sidechain:signBlock", payload: { hash: proposal.hash, sig: sign(blockVoteMessage(proposal.hash)) } });
  const checkpoint = openCheckpoint(state);
  if (checkpoint && !checkpoint.signatures[me]) moves.push({ type: "sidechain:signCheckpoint", payload: { number: checkpoint.number, sig: sign(checkpointMessageOf(checkpoint)) } });
  const checkpointBridge = state.config.bridgeDesign === "checkpoint";
  // Against the checkpoint bridge any validator's key counts (stake signs checkpoints); against the multisig only a seat's.
  if (!checkpointBridge && !state.bridgeSigners.includes(me)) return moves;
  if (!checkpointBridge) {
    const unsigned = Object.values(state.withdrawals).filter((w) => w.status === "burned" && !w.signatures[me]).slice(0, SIGNATURES_PER_TURN);
    for (const w of unsigned) moves.push({ type: "sidechain:signWithdrawal", payload: { nonce: w.nonce, sig: sign(withdrawalMessage(w.to, w.amount, w.nonce)) } });
  }
  if (mind.difficulty === "hard") moves.push(...colluderMoves(world, state, mind));
  return moves;
}

/**
 * A stolen key (every hard bot validator is one the attacker holds, as Ronin's attacker held 5 of
 * its 9): signs any heist in play; with none in play, one of them may plan one. As organizer it
 * releases once the keys are enough for this bridge — m bridge keys against the multisig, more
 * than 2/3 of the stake against the checkpoint bridge — or tries once anyway after waiting
 * HEIST_PATIENCE_MS (and L1 reverts it).
 */
function colluderMoves(world: World, state: SidechainState, mind: BotMind): BotMove[] {
  const me = mind.id;
  const moves: BotMove[] = [];
  const design = state.config.bridgeDesign;
  for (const heist of state.heists) {
    if (heist.status === "gathering" && !heist.signatures[me]) moves.push({ type: "sidechain:heistSign", payload: { id: heist.id, sig: signMessage(mind.secretKey, heistMessage(heist, design)) } });
  }
  const mine = state.heists.find((h) => h.organizer === me && h.status === "gathering");
  if (mine) {
    const signers = Object.keys(mine.signatures);
    const enough = design === "checkpoint" ? isSupermajority(stakeOf(state, signers), totalStake(state)) : signers.length >= state.config.bridgeThreshold;
    const tired = mine.attempts === 0 && world.nowMs - mine.proposedAtMs >= HEIST_PATIENCE_MS;
    // A release for more than the vault holds would revert whatever its keys: wait for deposits to refill it.
    const covered = (world.l1.balances[SIDECHAIN_BRIDGE] ?? 0) >= mine.amount;
    if (covered && (enough || (tired && signers.length > 0))) moves.push({ type: "sidechain:heistRelease", payload: { id: mine.id } });
    return moves;
  }
  const inPlay = state.heists.some((h) => h.status !== "drained");
  const escrow = world.l1.balances[SIDECHAIN_BRIDGE] ?? 0;
  if (!inPlay && mind.memory.plannedHeist !== true && world.nowMs >= HEIST_AFTER_MS && escrow > eth(1) && nextFloat(mind.rng) < 0.2) {
    mind.memory.plannedHeist = true;
    moves.push({ type: "sidechain:heistPropose", payload: { amount: Math.floor(escrow * HEIST_SHARE) } });
  }
  return moves;
}

/** An auditor raises the alarm whenever the shortfall of escrow against supply has grown since its last alarm. */
function auditorMoves(world: World, state: SidechainState, mind: BotMind): BotMove[] {
  const audit = auditSidechain(world, state);
  const reported = typeof mind.memory.reportedDeficit === "number" ? mind.memory.reportedDeficit : 0;
  if (audit.deficit <= reported) return [];
  mind.memory.reportedDeficit = audit.deficit;
  return [{ type: "sidechain:alarm", payload: {} }];
}

/** A user collects withdrawals that have m signatures, tops up from L1, pays others and sometimes withdraws. */
function userMoves(world: World, state: SidechainState, mind: BotMind, players: readonly string[]): BotMove[] {
  const me = mind.id;
  const moves: BotMove[] = [];
  const collectable = Object.values(state.withdrawals).find((w) => w.to === me && w.status === "burned" && withdrawalReady(state, w));
  if (collectable && !waitingOnL1(world, me, "release") && !waitingOnL1(world, me, "exit")) moves.push({ type: "sidechain:release", payload: { nonce: collectable.nonce } });
  const fee = state.config.txFee;
  const balance = spendableBalance(state, me);
  if (balance < eth(0.2)) {
    if (!waitingOnL1(world, me, "deposit") && (world.l1.balances[me] ?? 0) > eth(1.5)) moves.push({ type: "sidechain:deposit", payload: { amount: eth(1) } });
    return moves;
  }
  const nonce = nextSideNonce(state, me);
  if (nonce - (state.accounts[me]?.nonce ?? 0) >= 2) return moves;
  if (nextFloat(mind.rng) < 0.08) {
    const amount = eth(0.05) + nextInt(mind.rng, eth(0.1));
    moves.push({ type: "sidechain:withdraw", payload: { amount, nonce, sig: signMessage(mind.secretKey, burnMessage(me, amount, fee, nonce)) } });
    return moves;
  }
  const others = players.filter((p) => p !== me);
  if (others.length === 0 || nextFloat(mind.rng) < 0.5) return moves;
  const to = others[nextInt(mind.rng, others.length)]!;
  const amount = eth(0.01) + nextInt(mind.rng, eth(0.05));
  moves.push({ type: "sidechain:send", payload: { to, amount, nonce, sig: signMessage(mind.secretKey, transferMessage(me, to, amount, fee, nonce)) } });
  return moves;
}
