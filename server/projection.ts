import type { EngineEvent } from "../shared/engine/events.ts";
import type { World } from "../shared/engine/world.ts";
import { BRIDGE, rollupOf } from "../shared/engine/optimistic/types.ts";
import type { Batch } from "../shared/engine/optimistic/types.ts";
import { gweiCeil } from "../shared/engine/base-fee.ts";
import { ZK_MODULE } from "../shared/engine/zk/constants.ts";
import type { ZkState } from "../shared/engine/zk/types.ts";
import type { ScenarioRun } from "./scenarios/scenario.ts";
import { BatchView, Block, DisputeView, InboxEntry } from "./schema.ts";
import type { ClassroomState } from "./schema.ts";
import type { PrivateParts } from "./room/view-feeds.ts";

const BLOCKS_SHOWN = 24;
const BATCHES_SHOWN = 16;
const TXS_SHOWN = 12;

type TxStatus = "pending" | "censored" | "soft" | "posted" | "proving" | "final" | "reverted" | "rejected" | "l1-pending" | "l1-included" | "l1-failed";

/** A player's transaction as their wallet lists it. */
interface TxEntry {
  id: string;
  kind: string;
  to: string;
  amount: number;
  status: TxStatus;
  atMs: number;
  reason?: string;
}

/**
 * Tracks each player's transactions from engine events, so a wallet can show
 * pending → soft-confirmed → posted → final (or reverted) without scanning the world.
 */
export class TxTracker {
  private readonly byPlayer = new Map<string, TxEntry[]>();
  private readonly byId = new Map<string, { entry: TxEntry; player: string }>();
  /** Each player's list as JSON, made again only after it changed: every view pass reads it for every player. */
  private readonly text = new Map<string, string>();
  /** Players whose list changed since `takeChanged` last ran (a batch's fate changes many lists at once, naming nobody). */
  private readonly changed = new Set<string>();

  private add(player: string, entry: TxEntry): void {
    const list = this.byPlayer.get(player) ?? [];
    list.unshift(entry);
    if (list.length > TXS_SHOWN) this.byId.delete(list.pop()!.id);
    this.byPlayer.set(player, list);
    this.byId.set(entry.id, { entry, player });
    this.text.delete(player);
    this.changed.add(player);
  }

  private set(id: string, status: TxStatus, reason?: string): void {
    const known = this.byId.get(id);
    if (!known) return;
    known.entry.status = status;
    if (reason) known.entry.reason = reason;
    this.text.delete(known.player);
    this.changed.add(known.player);
  }

  /** Updates statuses from one event; `world` resolves batch contents. */
  apply(event: EngineEvent, world: World): void {
    switch (event.type) {
      case "l2.submitted":
        this.add(event.from, { id: event.txId, kind: event.kind, to: event.to, amount: event.amount, status: "pending", atMs: event.t });
        break;
      case "l2.censored":
        this.set(event.txId, "censored");
        break;
      case "l2.softConfirmed":
        this.set(event.txId, "soft");
        break;
      case "l2.rejected":
        this.set(event.txId, "rejected", event.reason);
        break;
      case "l2.requeued":
        this.set(event.txId, "pending");
        break;
      case "batch.posted":
      case "batch.finalized":
      case "batch.reverted":
        for (const tx of rollupOf(world).batches[event.batchId]?.txs ?? []) {
          this.set(tx.id, event.type === "batch.posted" ? "posted" : event.type === "batch.finalized" ? "final" : "reverted");
        }
        break;
      case "l1.submitted":
        this.add(event.from, { id: event.txId, kind: l1KindOf(world, event.txId, event.kind), to: "", amount: 0, status: "l1-pending", atMs: event.t });
        break;
      case "l1.included":
        this.set(event.txId, event.ok ? "l1-included" : "l1-failed", event.reason);
        break;
      case "l1.dropped":
        this.set(event.txId, "l1-failed", event.reason);
        break;
      case "module":
        if (event.module === ZK_MODULE) this.applyZk(event.name, event.data, event.t, world);
        break;
      default:
        break;
    }
  }

  /** ZK transactions: pending → proving (in a batch) → final (batch verified), back to pending if the batch is dropped. */
  private applyZk(name: string, data: Record<string, unknown>, t: number, world: World): void {
    if (name === "txAccepted" && typeof data.from === "string") {
      const d = data as { txId: string; kind: string; from: string; to: string; amount: number };
      this.add(d.from, { id: d.txId, kind: `ZK ${d.kind}`, to: d.to, amount: d.amount, status: "pending", atMs: t });
      return;
    }
    const status: TxStatus | null = name === "provingStarted" ? "proving" : name === "batchVerified" ? "final" : name === "batchRejected" || name === "batchAbandoned" ? "pending" : null;
    if (!status || typeof data.batchId !== "number") return;
    const batch = (world.modules[ZK_MODULE] as ZkState | undefined)?.batches[data.batchId];
    for (const tx of batch?.txs ?? []) this.set(tx.id, status);
  }

  /** The players whose list changed since the last call. */
  takeChanged(): string[] {
    const players = [...this.changed];
    this.changed.clear();
    return players;
  }

  json(player: string): string {
    let text = this.text.get(player);
    if (text === undefined) {
      text = JSON.stringify(this.byPlayer.get(player) ?? []);
      this.text.set(player, text);
    }
    return text;
  }
}

/** "L1 deposit", or for a module's L1 call "L1 channels:forceClose" (module and the call's kind or op). */
function l1KindOf(world: World, txId: string, kind: string): string {
  if (kind !== "module") return `L1 ${kind}`;
  const payload = world.l1.mempool.find((tx) => tx.id === txId)?.payload;
  if (payload?.kind !== "module") return "L1 module";
  const call = payload.call as { kind?: unknown; op?: unknown } | null;
  const name = typeof call?.kind === "string" ? call.kind : typeof call?.op === "string" ? call.op : "call";
  return `L1 ${payload.module}:${name}`;
}

/** Replaces an array schema's contents only when the projected rows differ, to keep patches small. */
function syncArray<T extends object>(
  target: { length: number; at(i: number): T | undefined; push(...items: T[]): number; splice(start: number, count?: number): T[] },
  rows: Record<string, unknown>[],
  make: (row: Record<string, unknown>) => T,
  key = "id",
): void {
  // Rows are matched by key, not by position: a list that drops its oldest row and gains a new one
  // (the mempool, the last blocks) then sends one removal and one row, not every row shifted by one
  // (measured: 48 bytes a step instead of 1,133 for 40 pending transactions).
  const keyOf = (item: object) => (item as Record<string, unknown>)[key];
  const wanted = new Set(rows.map(keyOf));
  for (let i = target.length - 1; i >= 0; i--) if (!wanted.has(keyOf(target.at(i)!))) target.splice(i, 1);
  rows.forEach((row, i) => {
    let existing = target.at(i);
    if (existing && keyOf(existing) !== keyOf(row)) {
      // Out of order (rare: a list re-sorted): from here on, rebuild.
      target.splice(i, target.length - i);
      existing = undefined;
    }
    if (!existing) {
      target.push(make(row));
      return;
    }
    for (const [field, value] of Object.entries(row)) {
      if ((existing as Record<string, unknown>)[field] !== value) (existing as Record<string, unknown>)[field] = value;
    }
  });
}

/** Projects the public world into the synced state. Work is proportional to what is shown, not to history. */
export function projectWorld(world: World, state: ClassroomState, syncClock = true): void {
  const view = state.world;
  const { config, l1 } = world;
  const rollup = rollupOf(world);
  // The game clock alone changes every tick; clients count on between updates (client/src/net/clock.ts),
  // so it is sent when asked (about once a second) rather than in a patch to everyone four times a second.
  if (syncClock) view.nowMs = world.nowMs;
  view.l1Height = l1.height;
  // Whole gwei per gas, rounded up: the lowest max fee a wallet can offer that pays it (the engine keeps wei).
  view.baseFee = gweiCeil(l1.baseFeeWei);
  view.l1MempoolSize = l1.mempool.length;
  view.bridgeEscrow = l1.balances[BRIDGE] ?? 0;
  view.sequencer = rollup.sequencer ?? "";
  view.softCount = rollup.soft.length;
  view.challengeWindowMs = config.challengeWindowMs;
  view.moveTimeoutMs = config.moveTimeoutMs;
  view.forcedInclusionDelayMs = config.forcedInclusionDelayMs;
  view.blockTimeMs = config.blockTimeMs;
  view.l2FeePerTx = config.l2FeePerTx;
  syncArray(view.blocks, l1.recentBlocks.slice(-BLOCKS_SHOWN).map((b) => ({ height: b.height, timeMs: b.timeMs, gasUsed: b.gasUsed, gasLimit: config.gasLimit, baseFee: gweiCeil(b.baseFeeWei), txCount: b.txIds.length })), (row) => new Block(row as never), "height");
  const openDisputes = new Set(rollup.disputes.filter((d) => d.status === "open").map((d) => d.batchId));
  syncArray(
    view.batches,
    rollup.batches.slice(-BATCHES_SHOWN).map((b) => ({
      id: b.id, poster: b.poster, txCount: b.txs.length, status: b.status, claimedRoot: b.claimedRoots.at(-1) ?? "",
      postedAtMs: b.postedAtMs ?? -1, windowEndsMs: b.windowEndsMs ?? -1, rawBytes: b.rawBytes, compressedBytes: b.compressedBytes, disputed: openDisputes.has(b.id),
      ...fraudThrough(b),
    })),
    (row) => new BatchView(row as never),
  );
  syncArray(
    view.disputes,
    rollup.disputes.slice(-8).map((d) => ({
      id: d.id, batchId: d.batchId, challenger: d.challenger, defender: d.defender, lo: d.lo, hi: d.hi,
      steps: rollup.batches[d.batchId]?.txs.length ?? 0, turn: d.turn, deadlineMs: d.deadlineMs, status: d.status, defenderMidRoot: d.defenderMidRoot ?? "",
      endedBy: d.endedBy ?? "",
    })),
    (row) => new DisputeView(row as never),
  );
  view.l2MempoolSize = rollup.mempool.length;
  syncArray(view.inbox, rollup.inbox.slice(-16).map((e) => ({ id: e.id, from: e.tx.from, enqueuedAtMs: e.enqueuedAtMs, included: e.included })), (row) => new InboxEntry(row as never));
}

/**
 * A batch that went final with the sequencer's forgery in it: the fraud is no longer secret (it is
 * settled on L1), so every screen can call it what it is and tell the victim.
 */
function fraudThrough(b: Batch): { fraudFinal: boolean; stolenFrom: string; stolen: number } {
  if (b.status !== "final" || b.forgedIds.length === 0) return { fraudFinal: false, stolenFrom: "", stolen: 0 };
  const forged = b.txs.filter((tx) => b.forgedIds.includes(tx.id));
  const steal = forged.find((tx) => tx.kind === "transfer");
  return { fraudFinal: true, stolenFrom: steal?.from ?? "", stolen: forged.reduce((sum, tx) => sum + tx.amount, 0) };
}

/**
 * One player's private view, as its parts: L1 balance and transactions, then the scenario's figures
 * and private picture. The room sends it as changes (server/room/view-feeds.ts).
 */
export function privateParts(world: World, playerId: string, tracker: TxTracker, run: ScenarioRun): PrivateParts {
  const figures = run.wallet(world, playerId);
  return {
    l1Balance: world.l1.balances[playerId] ?? 0,
    l2Balance: figures.l2Balance,
    l2Nonce: figures.l2Nonce,
    txs: tracker.json(playerId),
    withdrawals: figures.withdrawals,
    module: run.privateView(world, playerId),
  };
}
