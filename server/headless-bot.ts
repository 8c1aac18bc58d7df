import type { Room } from "@colyseus/sdk";
import type { KeyPair } from "../shared/crypto/sign.ts";
import { executionTrace, signL2Tx } from "../shared/engine/l2-state.ts";
import type { L2Context, L2State, L2Tx } from "../shared/engine/l2-state.ts";
import { nextFloat, nextInt, seedRng } from "../shared/engine/prng.ts";
import { eth } from "../shared/engine/units.ts";
import { ViewMirror } from "../shared/protocol/view-feed.ts";
import { headlessMoves } from "./headless-play.ts";
import type { HeadlessMemory } from "./headless-play.ts";

export interface BatchData {
  batchId: number;
  preState: L2State;
  txs: L2Tx[];
  claimedRoots: string[];
  context: L2Context;
}

/** Latency samples: ms from sending a message to its ack or error. */
export interface BotStats {
  sent: number;
  latenciesMs: number[];
  errors: number;
}

export interface HeadlessBotOptions {
  /**
   * A batch's honest trace (state roots). Default: re-executed here. The load bench passes one that
   * re-executes each batch once per process for all its challengers in a room, whose browsers would
   * each compute the same roots: their requests and moves reach the server all the same.
   */
  trace?: (data: BatchData) => string[];
}

/**
 * A player driven over the network from the synced state only, as a browser would be:
 * users pay each other, a sequencer includes and posts, a challenger re-executes batches
 * locally and plays the bisection honestly; in every other scenario it plays from the round's
 * views what a phone would (headless-play.ts). Used by the bots CLI, the load bench and tests.
 */
export function runHeadlessBot(room: Room, key: KeyPair, seed: string, actEveryMs = 1000, options: HeadlessBotOptions = {}): { stats: BotStats; stop(): void } {
  const rng = seedRng(seed);
  const stats: BotStats = { sent: 0, latenciesMs: [], errors: 0 };
  const sentAt = new Map<number, number>();
  let seq = 0;
  const answered = (payload: { seq?: number }) => {
    const at = payload.seq !== undefined ? sentAt.get(payload.seq) : undefined;
    if (at !== undefined) {
      stats.latenciesMs.push(performance.now() - at);
      sentAt.delete(payload.seq!);
    }
  };
  room.onMessage("ack", answered);
  room.onMessage("error", (e: { seq?: number }) => {
    stats.errors++;
    answered(e);
  });
  const send = (type: string, payload: Record<string, unknown>) => {
    seq++;
    sentAt.set(seq, performance.now());
    stats.sent++;
    room.send(type, { ...payload, seq });
  };
  const traces = new Map<number, string[]>();
  const requested = new Set<number>();
  const challenged = new Set<number>();
  const moved = new Set<string>();
  const trace = options.trace ?? ((data: BatchData) => executionTrace(data.preState, data.txs, data.context).roots);
  room.onMessage("batch:data", (data: BatchData) => traces.set(data.batchId, trace(data)));
  let lastPost = 0;

  // This client's own private view (its id and wallet) arrives in `you` messages, beside the state.
  const views = new ViewMirror(room);
  views.requestWhole();
  const me = (): { id: string; role: string; wallet?: { l2Balance: number; l2Nonce: number; l1Balance: number } } | undefined => {
    const you = views.you;
    const player = you ? room.state.players?.get(you.id) : undefined;
    return player && you ? { id: you.id, role: player.role, wallet: you } : undefined;
  };
  // Player ids, refreshed when the roster's size changes (not copied on every transfer).
  let ids: string[] = [];
  const someoneElse = (self: string): string | undefined => {
    const players = room.state.players;
    if (!players) return undefined;
    if (ids.length !== players.size) ids = [...players.keys()];
    if (ids.length < 2) return undefined;
    const pick = nextInt(rng, ids.length - 1);
    const selfAt = ids.indexOf(self);
    return ids[selfAt >= 0 && pick >= selfAt ? pick + 1 : pick];
  };

  const challenger = (myId: string) => {
    const world = room.state.world;
    for (const batch of world.batches) {
      if (batch.status !== "posted") continue;
      if (!requested.has(batch.id)) {
        requested.add(batch.id);
        room.send("batch:data", { batchId: batch.id });
      }
      const trace = traces.get(batch.id);
      if (trace && trace.at(-1) !== batch.claimedRoot && !challenged.has(batch.id)) {
        challenged.add(batch.id);
        send("chal:challenge", { batchId: batch.id, root: trace.at(-1) });
      }
    }
    for (const d of world.disputes) {
      if (d.status !== "open" || d.challenger !== myId) continue;
      const step = `${d.id}:${d.lo}:${d.hi}:${d.turn}`;
      const trace = traces.get(d.batchId);
      if (!trace || moved.has(step)) continue;
      if (d.turn === "challenger") {
        moved.add(step);
        send("dispute:move", { disputeId: d.id, root: trace[Math.floor((d.lo + d.hi) / 2)] });
      } else if (d.turn === "proof") {
        moved.add(step);
        send("dispute:prove", { disputeId: d.id });
      }
    }
  };

  // What this player remembers in the round under way (headless-play.ts), forgotten at the next round.
  let memory: HeadlessMemory = {};
  let memoryRound = -1;
  /** The role played in the running round: the host's choice, or user when the scenario has no use for it. */
  const roundRole = (id: string, role: string): string => room.state.players?.get(id)?.roundRole || role;

  const turn = () => {
    const player = me();
    if (!player || room.state.phase !== "running" || !player.wallet) return;
    const world = room.state.world;
    const role = roundRole(player.id, player.role);
    const scenario = room.state.scenario as string;
    // Every round other than the optimistic rollup is played from its views (headless-play.ts), as a phone plays it.
    if (scenario && scenario !== "optimistic") {
      if (room.state.roundIndex !== memoryRound) {
        memory = {};
        memoryRound = room.state.roundIndex;
      }
      const wallet = views.wallet();
      if (!wallet) return;
      if (ids.length !== room.state.players.size) ids = [...room.state.players.keys()];
      const moves = headlessMoves({
        scenario, role, me: player.id, others: ids.filter((id) => id !== player.id), nowMs: world.nowMs, l2FeePerTx: world.l2FeePerTx, baseFee: world.baseFee,
        worldModule: views.worldText, walletModule: wallet.module, l1Balance: wallet.l1Balance, l2Balance: wallet.l2Balance, l2Nonce: wallet.l2Nonce, key, rng, memory,
      });
      for (const move of moves) send(move.type, move.payload);
      return;
    }
    if (role === "challenger") return challenger(player.id);
    if (role === "sequencer") {
      send("seq:include", {});
      if (world.nowMs - lastPost > 9_000 && world.softCount > 0) {
        lastPost = world.nowMs;
        send("seq:post", {});
      }
      return;
    }
    if (player.wallet.l2Balance < eth(0.2)) {
      if (player.wallet.l1Balance > eth(1.5)) send("user:deposit", { amount: eth(1) });
      return;
    }
    const to = someoneElse(player.id);
    if (to === undefined) return;
    const amount = eth(0.001) + nextInt(rng, eth(0.01));
    const tx = signL2Tx(key.secretKey, { kind: "transfer", from: player.id, to, amount, fee: world.l2FeePerTx, nonce: player.wallet.l2Nonce });
    send("user:l2", { tx: { kind: "transfer", to, amount, fee: tx.fee, nonce: tx.nonce, sig: tx.sig } });
  };
  // Challengers watch closely; everyone else acts about once per `actEveryMs`, out of step with each other.
  const timer = setInterval(() => {
    const player = me();
    if ((player && roundRole(player.id, player.role) === "challenger") || nextFloat(rng) < 200 / actEveryMs) turn();
  }, 200);
  return { stats, stop: () => clearInterval(timer) };
}
