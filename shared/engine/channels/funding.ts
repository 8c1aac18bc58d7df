import { moveL1, submitL1Tx } from "../l1.ts";
import { newId } from "../world.ts";
import type { FeeChoice } from "../actions.ts";
import type { EngineEvent } from "../events.ts";
import type { L1Tx, World } from "../world.ts";
import { ADJUDICATOR, CHANNEL_EVENTS, CHANNEL_GAS, CHANNELS, DISPUTE_WINDOW_MS, MAX_DEPOSIT } from "./rules.ts";
import { channelEvent, countL1, findChannel, payOut } from "./adjudicator.ts";
import { channelsOf } from "./types.ts";
import type { Channel } from "./types.ts";
import type { ChannelCall } from "./calls.ts";
import { idRecord } from "../id-record.ts";

type Open = Extract<ChannelCall, { kind: "open" }>;
type Fund = Extract<ChannelCall, { kind: "fund" }>;
type Cancel = Extract<ChannelCall, { kind: "cancel" }>;

function checkOpen(world: World, by: string, call: Open): string | null {
  if (!world.l1.publicKeys[by]) return "register a signing key before opening a channel";
  if (call.counterparty === by) return "a channel needs two different players";
  if (!world.l1.publicKeys[call.counterparty]) return `${call.counterparty} has no registered key`;
  if (call.deposit > MAX_DEPOSIT || call.theirDeposit > MAX_DEPOSIT) return `a deposit may be at most ${MAX_DEPOSIT} gwei`;
  return null;
}

/** Queues the funding transaction: the opener's deposit goes into the adjudicator on inclusion. */
export function submitOpen(world: World, by: string, call: Open, fee: FeeChoice, out: EngineEvent[]): string | null {
  const problem = checkOpen(world, by, call);
  if (problem) return problem;
  const tx = submitL1Tx(world, by, { kind: "module", module: CHANNELS, call }, CHANNEL_GAS.open, call.deposit, fee, out);
  return typeof tx === "string" ? tx : null;
}

/** The funding transaction lands: the channel exists, open at once when single-funded. */
export function executeOpen(world: World, tx: L1Tx, call: Open, out: EngineEvent[]): string | null {
  const fee = countL1(world, null, tx);
  const problem = checkOpen(world, tx.from, call);
  if (problem) return problem;
  const state = channelsOf(world);
  const id = newId(world, "ch");
  moveL1(world, tx.from, ADJUDICATOR, call.deposit);
  const funded = call.theirDeposit === 0;
  const pushed = call.push ?? 0;
  const channel: Channel = {
    id,
    a: tx.from,
    b: call.counterparty,
    depositA: call.deposit,
    depositB: call.theirDeposit,
    pushed,
    toSelfDelayMs: call.toSelfDelayMs ?? DISPUTE_WINDOW_MS,
    status: funded ? "open" : "funding",
    outcome: null,
    held: call.deposit,
    latest: { seq: 0, balanceA: call.deposit - pushed, balanceB: call.theirDeposit + pushed, sigA: "", sigB: "" },
    payments: 0,
    l1Txs: 1,
    towers: idRecord(),
    close: null,
    openedAtMs: world.nowMs,
    closedAtMs: null,
  };
  state.channels[id] = channel;
  state.order.push(id);
  channelEvent(world, out, CHANNEL_EVENTS.opened, { channelId: id, a: channel.a, b: channel.b, depositA: call.deposit, depositB: call.theirDeposit, pushed, toSelfDelayMs: channel.toSelfDelayMs, ready: funded, l1TxId: tx.id, l1Fee: fee });
  return null;
}

function checkFund(world: World, by: string, call: Fund): Channel | string {
  const channel = findChannel(world, call.channelId);
  if (typeof channel === "string") return channel;
  if (by !== channel.b) return `only ${channel.b} funds the other side of ${channel.id}`;
  if (channel.status !== "funding") return `${channel.id} is not waiting for a deposit`;
  if (call.amount !== channel.depositB) return `${channel.id} expects a deposit of exactly ${channel.depositB} gwei`;
  return channel;
}

/** Queues the counterparty's deposit. */
export function submitFund(world: World, by: string, call: Fund, fee: FeeChoice, out: EngineEvent[]): string | null {
  const channel = checkFund(world, by, call);
  if (typeof channel === "string") return channel;
  const tx = submitL1Tx(world, by, { kind: "module", module: CHANNELS, call }, CHANNEL_GAS.fund, call.amount, fee, out);
  return typeof tx === "string" ? tx : null;
}

/** The counterparty's deposit lands: both sides locked, the channel opens. */
export function executeFund(world: World, tx: L1Tx, call: Fund, out: EngineEvent[]): string | null {
  const channel = checkFund(world, tx.from, call);
  const fee = countL1(world, typeof channel === "string" ? null : channel, tx);
  if (typeof channel === "string") return channel;
  moveL1(world, tx.from, ADJUDICATOR, call.amount);
  channel.held += call.amount;
  channel.status = "open";
  channelEvent(world, out, CHANNEL_EVENTS.funded, { channelId: channel.id, by: tx.from, amount: call.amount, capacity: channel.held, l1TxId: tx.id, l1Fee: fee });
  return null;
}

function checkCancel(world: World, by: string, call: Cancel): Channel | string {
  const channel = findChannel(world, call.channelId);
  if (typeof channel === "string") return channel;
  if (by !== channel.a) return `only ${channel.a} can cancel ${channel.id}`;
  if (channel.status !== "funding") return `${channel.id} is already funded by both sides: close it instead`;
  return channel;
}

/** Queues the opener's refund of a channel the counterparty never funded. */
export function submitCancel(world: World, by: string, call: Cancel, fee: FeeChoice, out: EngineEvent[]): string | null {
  const channel = checkCancel(world, by, call);
  if (typeof channel === "string") return channel;
  const tx = submitL1Tx(world, by, { kind: "module", module: CHANNELS, call }, CHANNEL_GAS.cancel, 0, fee, out);
  return typeof tx === "string" ? tx : null;
}

/** The refund lands: the opener's deposit comes back, the channel never opened. */
export function executeCancel(world: World, tx: L1Tx, call: Cancel, out: EngineEvent[]): string | null {
  const channel = checkCancel(world, tx.from, call);
  const fee = countL1(world, typeof channel === "string" ? null : channel, tx);
  if (typeof channel === "string") return channel;
  const refund = channel.held;
  payOut(world, channel, channel.a, refund);
  channel.status = "closed";
  channel.outcome = "cancelled";
  channel.closedAtMs = world.nowMs;
  channelEvent(world, out, CHANNEL_EVENTS.cancelled, { channelId: channel.id, by: tx.from, refund, l1TxId: tx.id, l1Fee: fee });
  return null;
}
