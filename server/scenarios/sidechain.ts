import type { Action, FeeChoice } from "../../shared/engine/actions.ts";
import type { EngineEvent } from "../../shared/engine/events.ts";
import { collectedSignatures, exitCallFor, withdrawalReady } from "../../shared/engine/sidechain/bridge.ts";
import { bridgeDesignOf } from "../../shared/lessons/params.ts";
import { openCheckpoint } from "../../shared/engine/sidechain/checkpoint.ts";
import { auditSidechain, nextSideNonce, spendableBalance } from "../../shared/engine/sidechain/ledger.ts";
import { DEFAULT_SIDECHAIN_CONFIG, MAX_BRIDGE_SEATS, SIDECHAIN } from "../../shared/engine/sidechain/params.ts";
import { SIDECHAIN_EVENTS } from "../../shared/engine/sidechain/sidechain-events.ts";
import type { SidechainState } from "../../shared/engine/sidechain/state.ts";
import { sidechainOf, stakeOf, totalStake } from "../../shared/engine/sidechain/state.ts";
import { eth } from "../../shared/engine/units.ts";
import type { World } from "../../shared/engine/world.ts";
import { sidechainMoves } from "../../shared/bots/sidechain.ts";
import type { Role } from "../../shared/protocol/messages.ts";
import { STARTING_DEPOSIT, feeOf } from "./common.ts";
import type { ScenarioDef } from "./scenario.ts";

/** Every validator locks this much stake at genesis: equal voting power, so "two thirds" is a head count too. */
export const VALIDATOR_STAKE = eth(1);
const BLOCKS_SHOWN = 12;
const CHECKPOINTS_SHOWN = 6;
const WITHDRAWALS_SHOWN = 12;
const ATTEMPTS_SHOWN = 6;
const ALARMS_SHOWN = 8;

/** The bridge's m-of-n from the plan (Ronin's 5-of-9 by default), kept whole and m ≤ n. */
function bridgeOf(params: Readonly<Record<string, number>>): { m: number; n: number } {
  const n = Math.min(MAX_BRIDGE_SEATS, Math.max(1, Math.round(params.bridgeSeats ?? DEFAULT_SIDECHAIN_CONFIG.bridgeSeats)));
  const m = Math.min(n, Math.max(1, Math.round(params.bridgeThreshold ?? DEFAULT_SIDECHAIN_CONFIG.bridgeThreshold)));
  return { m, n };
}

function sideCall(me: string, call: Record<string, unknown>, fee: FeeChoice = {}): Action {
  return { type: "module", module: SIDECHAIN, by: me, call, ...fee };
}

/** An L1 release of the bridge the whole class can see once it lands: its signers are in its calldata. */
interface ReleaseAttempt {
  outcome: "refused" | "drained";
  amount: number;
  signatures: number;
  signers: string[];
  atMs: number;
}

/** An alarm as everyone sees it: right (a theft nobody had reported), late (already reported) or false. */
interface AlarmView {
  by: string;
  atMs: number;
  verdict: "right" | "late" | "false";
}

/**
 * "Bridge heist": a Polygon-PoS-style sidechain. Validators (bots fill the bridge's n seats)
 * stake, sign blocks and checkpoints and hold the bridge's keys; users deposit, pay and withdraw;
 * auditors compare the bridge's escrow with the sidechain's supply.
 */
export const sidechain: ScenarioDef = {
  lead: "validator",
  leadSeats: (params) => bridgeOf(params).n,
  hardLeads: (params) => Math.floor(params.stolenKeys ?? 0),
  /** About one validator in four (bots first), one auditor in ten (humans first, at least one from three players), everyone else a user. */
  balance(players) {
    const validators = Math.max(1, Math.round(players.length / 4));
    const auditors = players.length >= 3 ? Math.max(1, Math.round(players.length / 10)) : 0;
    const botsFirst = [...players.filter((p) => p.bot), ...players.filter((p) => !p.bot)];
    const roles = new Map<string, Role>();
    botsFirst.slice(0, validators).forEach((p) => roles.set(p.id, "validator"));
    const rest = botsFirst.slice(validators);
    const humansFirst = [...rest.filter((p) => !p.bot), ...rest.filter((p) => p.bot)];
    humansFirst.forEach((p, i) => roles.set(p.id, i < auditors ? "auditor" : "user"));
    return roles;
  },
  start() {
    let attempts: ReleaseAttempt[] = [];
    let alarms: AlarmView[] = [];
    return {
      /** Configure the bridge and timing, then validators stake (first stakers take the bridge seats) and everyone else deposits. */
      genesis(_world, players, params) {
        const { m, n } = bridgeOf(params);
        const configure = {
          kind: "configure",
          bridgeThreshold: m,
          bridgeSeats: n,
          bridgeDesign: bridgeDesignOf(params),
          ...(params.blockIntervalSec ? { blockIntervalMs: Math.max(1, Math.round(params.blockIntervalSec * 1000)) } : {}),
          ...(params.checkpointIntervalSec ? { checkpointIntervalMs: Math.max(1, Math.round(params.checkpointIntervalSec * 1000)) } : {}),
        };
        const first = players[0];
        if (!first) return [];
        return [
          sideCall(first.id, configure),
          // The attacker's keys (hard bots) stake first and so take bridge seats: the plan's `stolenKeys` always sit on the bridge, as in Ronin.
          ...[...players.filter((p) => p.role === "validator" && p.hard), ...players.filter((p) => p.role === "validator" && !p.hard)]
            .map((p) => sideCall(p.id, { kind: "stake", amount: VALIDATOR_STAKE })),
          ...players.filter((p) => p.role !== "validator").map((p) => sideCall(p.id, { kind: "deposit", amount: STARTING_DEPOSIT })),
        ];
      },
      lateJoin: (_world, p) => [sideCall(p.id, { kind: "deposit", amount: STARTING_DEPOSIT })],
      act(world, me, type, d) {
        const fee = feeOf(d);
        switch (type) {
          case "sidechain:deposit": return sideCall(me, { kind: "deposit", amount: d.amount }, fee);
          case "sidechain:send": return sideCall(me, { kind: "transfer", to: d.to, amount: d.amount, nonce: d.nonce, sig: d.sig });
          case "sidechain:withdraw": return sideCall(me, { kind: "burn", amount: d.amount, nonce: d.nonce, sig: d.sig });
          case "sidechain:release": {
            const state = sidechainOf(world);
            const withdrawal = state?.withdrawals[d.nonce as number];
            if (!state || !withdrawal || withdrawal.to !== me) return "You have no withdrawal with that number.";
            if (withdrawal.status === "paid") return "That withdrawal is already paid.";
            if (state.config.bridgeDesign === "checkpoint") {
              // Polygon PoS: the wallet builds the burn proof against the checkpoint that covers the burn's block.
              const exit = exitCallFor(state, withdrawal);
              return exit ? sideCall(me, exit, fee) : "Your burn's block is not under a checkpoint on L1 yet: wait for the next checkpoint.";
            }
            const signatures = collectedSignatures(state, withdrawal.nonce);
            return sideCall(me, { kind: "release", to: me, amount: withdrawal.amount, nonce: withdrawal.nonce, signatures }, fee);
          }
          case "sidechain:stake": return sideCall(me, { kind: "stake", amount: d.amount }, fee);
          // A vote that arrives after its block, checkpoint or withdrawal was settled is late, not wrong: nothing to do.
          case "sidechain:signBlock":
            return lateDuty(world, (state) => state.recentBlocks.some((b) => b.hash === d.hash)) ? null : sideCall(me, { kind: "signBlock", hash: d.hash, sig: d.sig });
          case "sidechain:signCheckpoint":
            return lateDuty(world, (state) => state.checkpoints[d.number as number]?.status === "posted") ? null : sideCall(me, { kind: "signCheckpoint", number: d.number, sig: d.sig });
          case "sidechain:signWithdrawal":
            return lateDuty(world, (state) => state.withdrawals[d.nonce as number]?.status === "paid") ? null : sideCall(me, { kind: "signWithdrawal", nonce: d.nonce, sig: d.sig });
          case "sidechain:heistPropose": return sideCall(me, { kind: "proposeHeist", amount: d.amount });
          case "sidechain:heistSign": return sideCall(me, { kind: "signHeist", id: d.id, sig: d.sig });
          case "sidechain:heistRelease": return sideCall(me, { kind: "releaseHeist", id: d.id }, fee);
          case "sidechain:alarm": return sideCall(me, { kind: "alarm" });
          default: return `unknown message ${type}`;
        }
      },
      /** Keeps the public record of what landed on L1 from the bridge (release attempts) and the alarms. */
      observe(_world, events: readonly EngineEvent[]) {
        for (const e of events) {
          if (e.type !== "module" || e.module !== SIDECHAIN) continue;
          const signers = Array.isArray(e.data.signers) ? (e.data.signers as string[]) : [];
          if (e.name === SIDECHAIN_EVENTS.heistRefused || e.name === SIDECHAIN_EVENTS.bridgeDrained) {
            const outcome: ReleaseAttempt["outcome"] = e.name === SIDECHAIN_EVENTS.heistRefused ? "refused" : "drained";
            attempts = [...attempts, { outcome, amount: e.data.amount as number, signatures: signers.length, signers, atMs: e.t }].slice(-ATTEMPTS_SHOWN);
          } else if (e.name === SIDECHAIN_EVENTS.alarmRaised) {
            const verdict: AlarmView["verdict"] = (e.data.thefts as number) > 0 ? "right" : e.data.backed ? "false" : "late";
            alarms = [...alarms, { by: e.data.by as string, atMs: e.t, verdict }].slice(-ALARMS_SHOWN);
          }
        }
      },
      /**
       * { m, n, signers, validators: [{ id, stake }], totalStake, height, proposal, blocks, checkpoints,
       * openCheckpoint, escrow, supply, staked, withdrawals, attempts, alarms, txFee, blockIntervalMs,
       * checkpointIntervalMs, roundTimeoutMs } — see docs/scenarios/sidechain.md.
       */
      publicView(world) {
        const state = sidechainOf(world);
        if (!state) return "";
        return JSON.stringify(publicPicture(world, state, attempts, alarms));
      },
      /**
       * A key a heist can use — a bridge signer's against the multisig, any validator's against the
       * checkpoint bridge (heist.ts holdsUsefulKey) — sees the heists in play, the keys and stake
       * behind each, and whether theirs is among them.
       */
      privateView(world, playerId) {
        const state = sidechainOf(world);
        const usable = state && (state.config.bridgeDesign === "checkpoint" ? state.validators[playerId] !== undefined : state.bridgeSigners.includes(playerId));
        if (!state || !usable) return "";
        const heists = state.heists.filter((h) => h.status !== "drained").map((h) => ({
          id: h.id, organizer: h.organizer, amount: h.amount, nonce: h.nonce, status: h.status, attempts: h.attempts,
          signatures: Object.keys(h.signatures).length, signedStake: stakeOf(state, Object.keys(h.signatures)), signed: Boolean(h.signatures[playerId]), proposedAtMs: h.proposedAtMs,
        }));
        return JSON.stringify({ seat: state.bridgeSigners.indexOf(playerId), heists });
      },
      wallet(world, playerId) {
        const state = sidechainOf(world);
        if (!state) return { l2Balance: 0, l2Nonce: 0, withdrawals: "[]" };
        const withdrawals = Object.values(state.withdrawals).filter((w) => w.to === playerId).map((w) => ({
          id: String(w.nonce), nonce: w.nonce, amount: w.amount, status: w.status, signatures: Object.keys(w.signatures).length, burnedAtMs: w.burnedAtMs,
          // Collectable on L1 now: m signatures (multisig), or a posted checkpoint covering the burn (checkpoint bridge).
          ready: withdrawalReady(state, w),
        }));
        return { l2Balance: spendableBalance(state, playerId), l2Nonce: nextSideNonce(state, playerId), withdrawals: JSON.stringify(withdrawals) };
      },
      botMoves: (world, mind, players) => sidechainMoves(world, mind, players.map((p) => p.id)),
    };
  },
};

/** Whether the thing a validator duty signs was already settled (the vote came late). */
function lateDuty(world: World, settled: (state: SidechainState) => boolean): boolean {
  const state = sidechainOf(world);
  return state !== undefined && settled(state);
}

/** The sidechain as everyone may see it: consensus, checkpoints, the bridge's two numbers and its public history. */
function publicPicture(world: World, state: SidechainState, attempts: ReleaseAttempt[], alarms: AlarmView[]) {
  const audit = auditSidechain(world, state);
  const proposal = state.proposal;
  const checkpoint = openCheckpoint(state);
  return {
    /** Which bridge (Ronin-style multisig or Polygon PoS-style checkpoint), and everything it let go without a burn, gwei. */
    design: state.config.bridgeDesign,
    stolen: state.stolen,
    m: state.config.bridgeThreshold,
    n: state.config.bridgeSeats,
    signers: state.bridgeSigners,
    validators: state.validatorOrder.slice(0, MAX_BRIDGE_SEATS).map((id) => ({ id, stake: state.validators[id]!.stake })),
    /** How many validators there are: the list above stops at the first MAX_BRIDGE_SEATS. */
    validatorCount: state.validatorOrder.length,
    totalStake: totalStake(state),
    height: state.height,
    proposal: proposal && {
      height: proposal.height, hash: proposal.hash, proposer: proposal.proposer, txCount: proposal.txs.length, timeMs: proposal.timeMs,
      signers: Object.keys(proposal.signatures), signedStake: stakeOf(state, Object.keys(proposal.signatures)),
    },
    blocks: state.recentBlocks.slice(-BLOCKS_SHOWN).map((b) => ({
      height: b.height, proposer: b.proposer, txCount: b.txCount, signers: b.signers, signedStake: b.signedStake, totalStake: b.totalStake, committedAtMs: b.committedAtMs,
    })),
    checkpoints: state.checkpoints.slice(-CHECKPOINTS_SHOWN).map((c) => ({
      number: c.number, startHeight: c.startHeight, endHeight: c.endHeight, status: c.status, signedStake: stakeOf(state, Object.keys(c.signatures)),
      proposedAtMs: c.proposedAtMs, postedAtMs: c.postedAtMs ?? -1,
    })),
    openCheckpoint: checkpoint && { number: checkpoint.number, startHeight: checkpoint.startHeight, endHeight: checkpoint.endHeight, root: checkpoint.root, signers: Object.keys(checkpoint.signatures) },
    escrow: audit.escrow,
    supply: audit.supply,
    staked: audit.staked,
    withdrawals: Object.values(state.withdrawals).filter((w) => w.status === "burned").slice(0, WITHDRAWALS_SHOWN).map((w) => ({
      nonce: w.nonce, to: w.to, amount: w.amount, burnedAtMs: w.burnedAtMs, signers: Object.keys(w.signatures),
    })),
    attempts,
    alarms,
    txFee: state.config.txFee,
    blockIntervalMs: state.config.blockIntervalMs,
    checkpointIntervalMs: state.config.checkpointIntervalMs,
    lastCheckpointAtMs: state.lastCheckpointAtMs,
    roundTimeoutMs: state.config.roundTimeoutMs,
  };
}
