import { SparseMerkleTree, leafHash } from "../crypto/merkle.ts";
import { sha256Hex } from "../crypto/hash.ts";
import { signMessage, verifySignature } from "../crypto/sign.ts";
import { copyIdRecord, idRecord } from "./id-record.ts";
import type { IdRecord } from "./id-record.ts";

/** One L2 account: a slot in the state tree, a balance (gwei) and a nonce. */
export interface L2Account {
  balance: number;
  nonce: number;
  slot: number;
}

/** The L2 state: plain data. Its root commits to every account and to the withdrawal outbox. */
export interface L2State {
  accounts: IdRecord<L2Account>;
  /** Number of slots handed out; the next new account takes this one. */
  slotCount: number;
  /** Index of the next L1 deposit to credit: deposits are credited strictly in L1 order. */
  nextDeposit: number;
  /** Running hash over every withdrawal initiated on L2 (the message passer's commitment). */
  outboxHash: string;
  /** Supply the sequencer minted by fraud and that this state still carries (accounting only, not in the root). */
  forgedSupply: number;
}

export type L2TxKind = "transfer" | "withdraw" | "deposit" | "mint";

/** An L2 transaction as it travels in batches. `sig` signs `l2TxMessage(tx)` with the sender's key. */
export interface L2Tx {
  id: string;
  kind: L2TxKind;
  from: string;
  to: string;
  amount: number;
  fee: number;
  nonce: number;
  sig: string;
  /** For deposits: the index in the L1 bridge's deposit queue. */
  depositIndex?: number;
}

/** The L1 facts an L2 executor may read: registered keys and the bridge's deposit queue. */
export interface L2Context {
  publicKeys: Readonly<Record<string, string>>;
  deposits: readonly { to: string; amount: number }[];
  sequencer: string;
}

/** The exact text a user signs for an L2 transaction. */
export function l2TxMessage(tx: Pick<L2Tx, "kind" | "from" | "to" | "amount" | "fee" | "nonce">): string {
  return `l2arena:${tx.kind}:${tx.from}:${tx.to}:${tx.amount}:${tx.fee}:${tx.nonce}`;
}

export function emptyL2State(): L2State {
  return { accounts: idRecord(), slotCount: 0, nextDeposit: 0, outboxHash: "0".repeat(64), forgedSupply: 0 };
}

/** A deep copy, for batch pre-state snapshots. */
export function cloneL2State(state: L2State): L2State {
  return { ...state, accounts: copyIdRecord(state.accounts, (account) => ({ ...account })) };
}

function accountLeaf(id: string, account: L2Account): Uint8Array {
  return leafHash(`${id}:${account.balance}:${account.nonce}`);
}

/**
 * An L2 state with its Merkle tree kept in step, so each transaction's post-state root
 * costs one leaf path, not a full rebuild.
 */
export class L2Executor {
  readonly state: L2State;
  /** Built on first use: applying transactions without asking for roots costs no hashing. */
  private cachedTree: SparseMerkleTree | null;

  constructor(state: L2State, tree?: SparseMerkleTree) {
    this.state = state;
    this.cachedTree = tree ?? null;
  }

  private get tree(): SparseMerkleTree {
    if (!this.cachedTree) {
      this.cachedTree = new SparseMerkleTree();
      for (const [id, account] of Object.entries(this.state.accounts)) this.cachedTree.set(account.slot, accountLeaf(id, account));
    }
    return this.cachedTree;
  }

  /** An executor over a deep copy of the state. */
  fork(): L2Executor {
    return new L2Executor(cloneL2State(this.state), this.cachedTree?.clone());
  }

  /** State root: hash of the accounts tree root and the outbox commitment. */
  root(): string {
    return sha256Hex(`${this.tree.root()}:${this.state.outboxHash}`);
  }

  /** Merkle proof of an account's leaf in the accounts tree. */
  accountProof(id: string): { slot: number; siblings: string[] } | null {
    const account = this.state.accounts[id];
    return account ? { slot: account.slot, siblings: this.tree.proof(account.slot) } : null;
  }

  private touch(id: string, account: L2Account): void {
    this.cachedTree?.set(account.slot, accountLeaf(id, account));
  }

  private account(id: string): L2Account {
    let account = this.state.accounts[id];
    if (!account) {
      account = { balance: 0, nonce: 0, slot: this.state.slotCount++ };
      this.state.accounts[id] = account;
    }
    return account;
  }

  private credit(id: string, amount: number): void {
    const account = this.account(id);
    account.balance += amount;
    this.touch(id, account);
  }

  private debit(id: string, amount: number, bumpNonce: boolean): void {
    const account = this.account(id);
    account.balance -= amount;
    if (bumpNonce) account.nonce += 1;
    this.touch(id, account);
  }

  /**
   * Why the honest state transition function would refuse `tx`, or null if it is valid.
   * An invalid transaction in a batch is a no-op: the state does not change.
   */
  invalidReason(tx: L2Tx, context: L2Context): string | null {
    if (!Number.isSafeInteger(tx.amount) || tx.amount < 0) return "bad amount";
    if (tx.kind === "mint") return "nobody may mint on L2";
    if (tx.kind === "deposit") {
      const deposit = context.deposits[tx.depositIndex ?? -1];
      if (tx.depositIndex !== this.state.nextDeposit || !deposit) return "deposit out of order or unknown";
      if (deposit.to !== tx.to || deposit.amount !== tx.amount) return "deposit does not match L1";
      return null;
    }
    const publicKey = context.publicKeys[tx.from];
    if (!publicKey || !verifySignature(publicKey, l2TxMessage(tx), tx.sig)) return "bad signature";
    const sender = this.state.accounts[tx.from];
    if (!sender || sender.nonce !== tx.nonce) return "bad nonce";
    if (!Number.isSafeInteger(tx.fee) || tx.fee < 0) return "bad fee";
    if (sender.balance < tx.amount + tx.fee) return "insufficient L2 balance";
    return null;
  }

  /**
   * Applies `tx`. With `trusted`, the checks are skipped: that is how a cheating sequencer
   * executes its own forged transaction. Returns the reason it was skipped, or null.
   */
  apply(tx: L2Tx, context: L2Context, trusted = false): string | null {
    const reason = trusted ? null : this.invalidReason(tx, context);
    if (reason) return reason;
    switch (tx.kind) {
      case "deposit":
        this.state.nextDeposit += 1;
        this.credit(tx.to, tx.amount);
        break;
      case "mint":
        this.state.forgedSupply += tx.amount;
        this.credit(tx.to, tx.amount);
        break;
      case "transfer":
        this.debit(tx.from, tx.amount + tx.fee, true);
        this.credit(tx.to, tx.amount);
        if (tx.fee > 0) this.credit(context.sequencer, tx.fee);
        break;
      case "withdraw":
        this.debit(tx.from, tx.amount + tx.fee, true);
        if (tx.fee > 0) this.credit(context.sequencer, tx.fee);
        this.state.outboxHash = sha256Hex(`${this.state.outboxHash}:${tx.id}:${tx.to}:${tx.amount}`);
        break;
    }
    return null;
  }
}

/**
 * The execution trace of a batch: roots[0] is the pre-state root, roots[i] the root after
 * transaction i. `trustedIds` are transactions executed without checks (the sequencer's lie).
 */
export function executionTrace(
  preState: L2State,
  txs: readonly L2Tx[],
  context: L2Context,
  trustedIds: ReadonlySet<string> = new Set(),
): { roots: string[]; post: L2Executor; failed: Map<string, string> } {
  const executor = new L2Executor(cloneL2State(preState));
  const roots = [executor.root()]; // builds the tree once; each transaction then re-hashes one path
  const failed = new Map<string, string>();
  for (const tx of txs) {
    const reason = executor.apply(tx, context, trustedIds.has(tx.id));
    if (reason) failed.set(tx.id, reason);
    roots.push(executor.root());
  }
  return { roots, post: executor, failed };
}

/** Signs an L2 transfer or withdrawal with the sender's secret key; the engine assigns the id. */
export function signL2Tx(secretKey: string, fields: Pick<L2Tx, "kind" | "from" | "to" | "amount" | "fee" | "nonce">): L2Tx {
  return { id: "", ...fields, sig: signMessage(secretKey, l2TxMessage(fields)) };
}
