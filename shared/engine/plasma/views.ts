import type { World } from "../world.ts";
import { coversBaseFee } from "../l1.ts";
import { CHILD_BLOCK_INTERVAL, PLASMA, PLASMA_ESCROW } from "./constants.ts";
import { SparseMerkleTree } from "../../crypto/merkle.ts";
import { decodePosition, encodePosition, plasmaTxLeaf } from "./plasma-tx.ts";
import type { PlasmaTx } from "./plasma-tx.ts";
import type { PlasmaBlock, PlasmaState } from "./state.ts";

/**
 * What a Plasma round shows, as plain JSON: the public picture (what L1 and the operator's
 * published data tell everyone) and each player's wallet (what only they hold). Withheld block
 * contents and forged flags never enter either, except for the operator, who made them.
 */

const BLOCKS_SHOWN = 10;
const QUEUE_SHOWN = 24;
const COINS_SHOWN = 16;
/** Coins still in play shown per wallet, biggest first: splitting coins must not grow a wallet (and each tick's patch) without bound. */
const ACTIVE_COINS_SHOWN = 24;
const POOL_SHOWN = 12;
const CANDIDATES_SHOWN = 6;

/** A child block as everyone sees it: a root on L1, and its data only if the operator published it. */
export interface PlasmaBlockView {
  number: number;
  root: string;
  /** null while its data is withheld: nobody but the operator knows what is in it. */
  txCount: number | null;
  published: boolean;
  /** "pending": its commit waits in the L1 mempool. */
  status: "pending" | "committed";
  committedAtMs: number;
  /** Where its commit put the data: "blob" (the transactions in blobs beside the root: readable on L1, never withheld) or "calldata" (the root alone). */
  da: "blob" | "calldata";
}

/**
 * The order the root chain pays exits in (Plasma MVP's priority), in words for every screen: by
 * the coin's age, but a coin counts as no older than one challenge period before its exit began,
 * so the list is not simply oldest coin first.
 */
export const EXIT_ORDER_WORDS = "in priority order (a coin's age, counted as no older than one challenge period before its exit started)";

/** An exit in the root chain's queue (public L1 data). */
export interface PlasmaExitView {
  utxoPos: number;
  owner: string;
  amount: number;
  startedAtMs: number;
  exitableAtMs: number;
  ageAtMs: number;
}

/** world.module in a Plasma round. Times are the round's game clock, ms; amounts gwei. */
export interface PlasmaPublicView {
  operator: string;
  escrow: number;
  exitPeriodMs: number;
  maturityMs: number;
  exitsPerBlock: number;
  /** Transfers waiting for the operator's next block. */
  pool: number;
  deposits: number;
  blocks: PlasmaBlockView[];
  /** Committed child blocks whose data is withheld. */
  withheld: number[];
  /** The exit queue, head first in priority order (EXIT_ORDER_WORDS), first QUEUE_SHOWN of `queued`. */
  queue: PlasmaExitView[];
  queued: number;
  queuedValue: number;
  /** Queued exits already past their exit time, waiting for their turn (exitsPerBlock a block). */
  matureWaiting: number;
  /** Start-exit transactions waiting in the L1 mempool, and those whose max fee is below the base fee. */
  exitTxsWaiting: number;
  exitTxsPricedOut: number;
  paid: number;
  paidValue: number;
  shortfall: number;
  challenged: number;
}

/** One of your coins and where it stands, with the transaction that made it and its Merkle proof (what an exit needs). */
export interface PlasmaCoinView {
  utxoPos: number;
  amount: number;
  committedAtMs: number;
  /**
   * plasma: yours on the Plasma chain · spending: in a payment waiting for the next block ·
   * requested: your exit waits in the L1 mempool · exiting: in the exit queue · paid: exited ·
   * challenged: your exit was cancelled (the coin was spent) · spent: you paid it away ·
   * stolen: a published block spends it without your signature.
   */
  status: "plasma" | "spending" | "requested" | "exiting" | "paid" | "challenged" | "spent" | "stolen";
  tx: PlasmaTx;
  /** Empty once the coin's exit is paid or challenged. */
  proof: string[];
  /** requested: the waiting transaction's fee choice, gwei per gas. */
  tip?: number;
  maxFee?: number;
  /** exiting: when it may pay out, and its place in the queue (1 = next). */
  exitableAtMs?: number;
  place?: number;
  /** paid: what the contract paid (less than amount if escrow ran dry). */
  paid?: number;
  /** True for a coin made by the operator's own forged transaction (only the operator sees its coins). */
  forged?: boolean;
}

/** What only the operator sees: the pool, coins it could take, and its withheld blocks. */
export interface PlasmaOperatorView {
  /** Transfers waiting: who pays whom how much (change back to the payer left out). */
  pool: { inputs: number[]; from: string; recipients: string[]; amount: number }[];
  candidates: { utxoPos: number; owner: string; amount: number }[];
  withheld: { block: number; txCount: number; stolen: number }[];
}

/** wallet.module in a Plasma round. */
export interface PlasmaWalletView {
  coins: PlasmaCoinView[];
  /** Value of your coins still on the Plasma chain (plasma, spending, stolen). */
  onPlasma: number;
  /** Smaller coins still in play that the list leaves out (it shows the biggest ACTIVE_COINS_SHOWN). */
  moreCoins?: number;
  operator?: PlasmaOperatorView;
}

/** A child block's display number: 1000 → 1, 9000 → 9 (deposit blocks sit in between). */
export function childBlockLabel(number: number): number {
  return Math.floor(number / CHILD_BLOCK_INTERVAL);
}

/** The Plasma state of a world, if the round has one. */
export function plasmaOf(world: World): PlasmaState | undefined {
  return world.modules[PLASMA] as PlasmaState | undefined;
}

/** Start-exit transactions waiting in the L1 mempool: [sender, utxoPos, tip, maxFee]. */
export function waitingExits(world: World): { from: string; utxoPos: number; tip: number; maxFee: number }[] {
  const out: { from: string; utxoPos: number; tip: number; maxFee: number }[] = [];
  for (const tx of world.l1.mempool) {
    if (tx.payload.kind !== "module" || tx.payload.module !== PLASMA) continue;
    const call = tx.payload.call as { kind?: unknown; utxoPos?: unknown };
    if (call.kind === "startExit" && typeof call.utxoPos === "number") out.push({ from: tx.from, utxoPos: call.utxoPos, tip: tx.tip, maxFee: tx.maxFee });
  }
  return out;
}

/** Exits whose challenge waits in the L1 mempool (so a watcher need not send another). */
export function waitingChallenges(world: World): Set<number> {
  const out = new Set<number>();
  for (const tx of world.l1.mempool) {
    if (tx.payload.kind !== "module" || tx.payload.module !== PLASMA) continue;
    const call = tx.payload.call as { kind?: unknown; exitUtxoPos?: unknown };
    if (call.kind === "challenge" && typeof call.exitUtxoPos === "number") out.add(call.exitUtxoPos);
  }
  return out;
}

/** The public picture: block roots with published/withheld, the exit queue and its counts. */
export function plasmaPublicView(world: World, s: PlasmaState): PlasmaPublicView {
  const c = s.contract;
  const children = Object.values(s.chain.blocks).filter((b) => b.kind === "child").sort((a, b) => a.number - b.number).slice(-BLOCKS_SHOWN);
  const queue = c.queue.map((pos) => c.exits[pos]).filter((exit) => exit !== undefined);
  const exits = Object.values(c.exits);
  const paid = exits.filter((exit) => exit.status === "paid");
  const waiting = waitingExits(world);
  return {
    operator: c.operator ?? "",
    escrow: world.l1.balances[PLASMA_ESCROW] ?? 0,
    exitPeriodMs: c.exitPeriodMs,
    maturityMs: c.maturityMs,
    exitsPerBlock: c.exitsPerBlock,
    pool: s.chain.pool.length,
    deposits: Object.values(s.chain.blocks).filter((b) => b.kind === "deposit").length,
    blocks: children.map((b) => ({
      number: b.number,
      root: b.root,
      txCount: b.published ? b.txs.length : null,
      published: b.published,
      status: b.status,
      committedAtMs: b.committedAtMs ?? -1,
      da: b.da ?? "calldata",
    })),
    withheld: [...s.chain.withheldBlocks],
    queue: queue.slice(0, QUEUE_SHOWN).map((exit) => ({ utxoPos: exit.utxoPos, owner: exit.owner, amount: exit.amount, startedAtMs: exit.startedAtMs, exitableAtMs: exit.exitableAtMs, ageAtMs: exit.ageAtMs })),
    queued: queue.length,
    queuedValue: queue.reduce((sum, exit) => sum + exit.amount, 0),
    matureWaiting: queue.filter((exit) => exit.exitableAtMs <= world.nowMs).length,
    exitTxsWaiting: waiting.length,
    exitTxsPricedOut: waiting.filter((tx) => !coversBaseFee(tx, world.l1.baseFeeWei)).length,
    paid: paid.length,
    paidValue: paid.reduce((sum, exit) => sum + exit.paid, 0),
    shortfall: paid.reduce((sum, exit) => sum + exit.shortfall, 0),
    challenged: exits.filter((exit) => exit.status === "challenged").length,
  };
}

/** A coin someone can read: where it was made, by which transaction. */
interface ReadableCoin {
  utxoPos: number;
  owner: string;
  amount: number;
  block: PlasmaBlock;
  txIndex: number;
}

/** Everything one reader can see of the chain: the coins in readable blocks, and which readable transaction spends each. */
interface Reading {
  coinsByOwner: Map<string, ReadableCoin[]>;
  spentBy: Map<number, { block: PlasmaBlock; txIndex: number; inputIndex: number }>;
}

function read(s: PlasmaState, readable: (block: PlasmaBlock) => boolean): Reading {
  const coinsByOwner = new Map<string, ReadableCoin[]>();
  const spentBy = new Map<number, { block: PlasmaBlock; txIndex: number; inputIndex: number }>();
  for (const block of Object.values(s.chain.blocks)) {
    if (block.status !== "committed" || !readable(block)) continue;
    block.txs.forEach((tx, txIndex) => {
      tx.inputs.forEach((input, inputIndex) => spentBy.set(input, { block, txIndex, inputIndex }));
      tx.outputs.forEach((output, outputIndex) => {
        const coin = { utxoPos: encodePosition({ block: block.number, txIndex, outputIndex }), owner: output.owner, amount: output.amount, block, txIndex };
        const list = coinsByOwner.get(output.owner) ?? [];
        list.push(coin);
        coinsByOwner.set(output.owner, list);
      });
    });
  }
  return { coinsByOwner, spentBy };
}

const ACTIVE = new Set<PlasmaCoinView["status"]>(["plasma", "spending", "requested", "exiting", "stolen"]);

/**
 * Builds wallets for one projection pass: the chain is read once for everybody (published
 * blocks) and once for the operator (every block); Merkle proofs are cached per committed block,
 * which never changes once its root is on L1.
 */
export class PlasmaWallets {
  private trees = new Map<string, { tree: SparseMerkleTree; proofs: Map<number, string[]> }>();
  private world: World | null = null;
  private state: PlasmaState | null = null;
  private everyone: Reading | null = null;
  private operatorReading: Reading | null = null;
  private reserved = new Set<number>();
  private exitTxs = new Map<string, { tip: number; maxFee: number }>();
  /** Each queued exit's place, 1-based: one pass over the queue instead of a search per coin. */
  private places = new Map<number, number>();

  /** Reads the chain for this pass. */
  begin(world: World, s: PlasmaState): void {
    this.world = world;
    this.state = s;
    this.everyone = read(s, (block) => block.published);
    this.operatorReading = null;
    // Coins spent by honest transactions still waiting for a block (a forged spend must not show).
    this.reserved = new Set<number>();
    for (const tx of s.chain.pool) for (const input of tx.inputs) this.reserved.add(input);
    const pending = s.chain.pendingBlock === null ? undefined : s.chain.blocks[s.chain.pendingBlock];
    pending?.txs.forEach((tx, i) => {
      if (!pending.forgedTxIndexes.includes(i)) for (const input of tx.inputs) this.reserved.add(input);
    });
    this.exitTxs = new Map(waitingExits(world).map((t) => [`${t.from}:${t.utxoPos}`, { tip: t.tip, maxFee: t.maxFee }]));
    this.places = new Map(s.contract.queue.map((utxoPos, i) => [utxoPos, i + 1]));
  }

  /** The wallet of `player` (the operator also sees withheld blocks, its forged coins and its pool). */
  wallet(player: string): PlasmaWalletView {
    const s = this.state;
    const world = this.world;
    if (!s || !world || !this.everyone) return { coins: [], onPlasma: 0 };
    const isOperator = player === s.contract.operator;
    const reading = isOperator ? (this.operatorReading ??= read(s, () => true)) : this.everyone;
    const coins = (reading.coinsByOwner.get(player) ?? []).map((coin) => this.coinView(world, s, reading, player, coin));
    const active = coins.filter((coin) => ACTIVE.has(coin.status));
    const activeShown = active.length > ACTIVE_COINS_SHOWN ? [...active].sort((a, b) => b.amount - a.amount).slice(0, ACTIVE_COINS_SHOWN) : active;
    const done = coins.filter((coin) => !ACTIVE.has(coin.status));
    const shown = [...activeShown, ...done.slice(-Math.max(0, COINS_SHOWN - activeShown.length))].sort((a, b) => a.utxoPos - b.utxoPos);
    const view: PlasmaWalletView = {
      coins: shown,
      onPlasma: active.filter((coin) => coin.status === "plasma" || coin.status === "spending" || coin.status === "stolen").reduce((sum, coin) => sum + coin.amount, 0),
      ...(active.length > activeShown.length ? { moreCoins: active.length - activeShown.length } : {}),
    };
    if (isOperator) view.operator = this.operatorView(s);
    return view;
  }

  private coinView(world: World, s: PlasmaState, reading: Reading, player: string, coin: ReadableCoin): PlasmaCoinView {
    const base = {
      utxoPos: coin.utxoPos,
      amount: coin.amount,
      committedAtMs: coin.block.committedAtMs ?? 0,
      tx: coin.block.txs[coin.txIndex]!,
      proof: this.proof(coin.block, coin.txIndex),
    };
    const forged = coin.block.forgedTxIndexes.includes(coin.txIndex) ? { forged: true } : {};
    const exit = s.contract.exits[coin.utxoPos];
    if (exit) {
      // A finished exit needs no proof any more: leave it out to keep the wallet small.
      if (exit.status === "paid") return { ...base, ...forged, proof: [], status: "paid", paid: exit.paid };
      if (exit.status === "challenged") return { ...base, ...forged, proof: [], status: "challenged" };
      return { ...base, ...forged, status: "exiting", exitableAtMs: exit.exitableAtMs, place: this.places.get(coin.utxoPos) ?? 0 };
    }
    const waiting = this.exitTxs.get(`${player}:${coin.utxoPos}`);
    if (waiting) return { ...base, ...forged, status: "requested", tip: waiting.tip, maxFee: waiting.maxFee };
    const spend = reading.spentBy.get(coin.utxoPos);
    if (spend) {
      // Spent by a transaction its owner never signed: the operator's forgery, visible once published.
      const stolen = spend.block.forgedTxIndexes.includes(spend.txIndex);
      return { ...base, ...forged, status: stolen ? "stolen" : "spent" };
    }
    if (this.reserved.has(coin.utxoPos)) return { ...base, ...forged, status: "spending" };
    return { ...base, ...forged, status: "plasma" };
  }

  private operatorView(s: PlasmaState): PlasmaOperatorView {
    const operator = s.contract.operator;
    // Coins in the block already on its way to L1 are out of reach; one waiting in the pool is not (its spend would be dropped).
    const pending = new Set(s.chain.pendingBlock === null ? [] : (s.chain.blocks[s.chain.pendingBlock]?.txs ?? []).flatMap((tx) => tx.inputs));
    const candidates = Object.values(s.chain.coins)
      .filter((coin) => coin.status === "unspent" && coin.owner !== operator && !pending.has(coin.utxoPos) && !s.contract.exits[coin.utxoPos])
      .sort((a, b) => b.amount - a.amount || a.utxoPos - b.utxoPos)
      .slice(0, CANDIDATES_SHOWN)
      .map((coin) => ({ utxoPos: coin.utxoPos, owner: coin.owner, amount: coin.amount }));
    return {
      pool: s.chain.pool.slice(0, POOL_SHOWN).map((tx) => {
        const from = s.chain.coins[tx.inputs[0]!]?.owner ?? "";
        const paid = tx.outputs.filter((o) => o.owner !== from);
        return { inputs: tx.inputs, from, recipients: paid.map((o) => o.owner), amount: paid.reduce((sum, o) => sum + o.amount, 0) };
      }),
      candidates,
      withheld: s.chain.withheldBlocks.map((number) => {
        const block = s.chain.blocks[number];
        return { block: number, txCount: block?.txs.length ?? 0, stolen: block?.forgedTxIndexes.reduce((sum, i) => sum + (block.txs[i]?.outputs[0]?.amount ?? 0), 0) ?? 0 };
      }),
    };
  }

  private proof(block: PlasmaBlock, txIndex: number): string[] {
    const key = `${block.number}:${block.root}`;
    let cached = this.trees.get(key);
    if (!cached) {
      const tree = new SparseMerkleTree();
      block.txs.forEach((tx, slot) => tree.set(slot, plasmaTxLeaf(tx)));
      cached = { tree, proofs: new Map() };
      this.trees.set(key, cached);
    }
    let proof = cached.proofs.get(txIndex);
    if (!proof) {
      proof = cached.tree.proof(txIndex);
      cached.proofs.set(txIndex, proof);
    }
    return proof;
  }
}

/** The coin's block for display: child blocks by their number (#9), deposits by the child block they follow. */
export function coinBlockLabel(utxoPos: number): string {
  const { block } = decodePosition(utxoPos);
  return block % CHILD_BLOCK_INTERVAL === 0 ? `block #${childBlockLabel(block)}` : `deposit ${childBlockLabel(block)}.${block % CHILD_BLOCK_INTERVAL}`;
}
