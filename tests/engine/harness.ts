import { applyAction, advance } from "../../shared/engine/engine.ts";
import type { Action, Cheat, DataAvailability, FeeChoice, LoggedAction } from "../../shared/engine/actions.ts";
import { makeConfig } from "../../shared/engine/config.ts";
import type { ScenarioConfig } from "../../shared/engine/config.ts";
import type { EngineEvent } from "../../shared/engine/events.ts";
import { createWorld } from "../../shared/engine/world.ts";
import type { World } from "../../shared/engine/world.ts";
import { keyPairFromSeed } from "../../shared/crypto/sign.ts";
import type { KeyPair } from "../../shared/crypto/sign.ts";
import { sha256Bytes, utf8ToBytes } from "../../shared/crypto/hash.ts";
import { signL2Tx } from "../../shared/engine/l2-state.ts";
import type { L2Tx } from "../../shared/engine/l2-state.ts";
import { eth } from "../../shared/engine/units.ts";
import { honestRootAt, midpoint } from "../../shared/engine/optimistic/bisection.ts";
import type { OptimisticCall } from "../../shared/engine/optimistic/calls.ts";
import { nextL2Nonce } from "../../shared/engine/optimistic/rollup.ts";
import { OPTIMISTIC, rollupOf } from "../../shared/engine/optimistic/types.ts";
import type { Dispute, RollupState } from "../../shared/engine/optimistic/types.ts";

/** A deterministic test key for a named player (tests only; real keys come from the browser). */
export function testKey(name: string): KeyPair {
  return keyPairFromSeed(sha256Bytes(utf8ToBytes(`test-key:${name}`)));
}

/**
 * ed25519 signatures are deterministic, so signing the same fields with the same key twice gives
 * the same bytes; property tests re-sign the same transactions across runs and replays.
 */
const SIGNATURES = new Map<string, L2Tx>();

/** A signed L2 transfer or withdrawal (id left empty: the engine assigns it), memoised. */
export function signedL2Tx(key: KeyPair, fields: Pick<L2Tx, "kind" | "from" | "to" | "amount" | "fee" | "nonce">): L2Tx {
  const memoKey = `${key.secretKey}|${fields.kind}|${fields.from}|${fields.to}|${fields.amount}|${fields.fee}|${fields.nonce}`;
  let tx = SIGNATURES.get(memoKey);
  if (!tx) {
    tx = signL2Tx(key.secretKey, fields);
    SIGNATURES.set(memoKey, tx);
  }
  return { ...tx };
}

/**
 * The optimistic rollup's calls in the shape its tests read best (the engine's actions before the
 * rollup became a module): `rollupAction` turns each into the `module` action the engine takes.
 */
export type RollupTestAction =
  | { type: "setSequencer"; account: string }
  | ({ type: "deposit"; from: string; amount: number } & FeeChoice)
  | { type: "l2Submit"; tx: L2Tx }
  | { type: "sequence"; by: string; txIds?: string[] }
  | { type: "censor"; by: string; txId: string }
  | ({ type: "postBatch"; by: string; cheat?: Cheat; da?: DataAvailability } & FeeChoice)
  | ({ type: "challenge"; by: string; batchId: number; root: string } & FeeChoice)
  | ({ type: "disputeMove"; by: string; disputeId: number; root: string } & FeeChoice)
  | ({ type: "oneStepProof"; by: string; disputeId: number } & FeeChoice)
  | ({ type: "finalizeWithdrawal"; by: string; withdrawalId: string } & FeeChoice)
  | ({ type: "forceSubmit"; by: string; tx: L2Tx } & FeeChoice)
  | ({ type: "forceInclude"; by: string; entryId: number } & FeeChoice);

/** The engine action for a test's action: engine actions pass through, rollup ones become a call to the "optimistic" module. */
export function rollupAction(action: Action | RollupTestAction): Action {
  const fee: FeeChoice = { ...("tip" in action && action.tip !== undefined ? { tip: action.tip } : {}), ...("maxFee" in action && action.maxFee !== undefined ? { maxFee: action.maxFee } : {}) };
  const call = (by: string, body: OptimisticCall): Action => ({ type: "module", module: OPTIMISTIC, by, call: body, ...fee });
  switch (action.type) {
    case "setSequencer": return call(action.account, { kind: "setSequencer" });
    case "deposit": return call(action.from, { kind: "deposit", amount: action.amount });
    case "l2Submit": return call(action.tx.from, { kind: "l2Submit", tx: action.tx });
    case "sequence": return call(action.by, { kind: "sequence", ...(action.txIds ? { txIds: action.txIds } : {}) });
    case "censor": return call(action.by, { kind: "censor", txId: action.txId });
    case "postBatch": return call(action.by, { kind: "postBatch", ...(action.cheat ? { cheat: action.cheat } : {}), ...(action.da ? { da: action.da } : {}) });
    case "challenge": return call(action.by, { kind: "challenge", batchId: action.batchId, root: action.root });
    case "disputeMove": return call(action.by, { kind: "disputeMove", disputeId: action.disputeId, root: action.root });
    case "oneStepProof": return call(action.by, { kind: "oneStepProof", disputeId: action.disputeId });
    case "finalizeWithdrawal": return call(action.by, { kind: "finalizeWithdrawal", withdrawalId: action.withdrawalId });
    case "forceSubmit": return call(action.by, { kind: "forceSubmit", tx: action.tx });
    case "forceInclude": return call(action.by, { kind: "forceInclude", entryId: action.entryId });
    default: return action;
  }
}

/** Drives one world with explicit time, keeping the action log for replay. */
export class Sim {
  readonly world: World;
  readonly log: LoggedAction[] = [];
  readonly events: EngineEvent[] = [];
  readonly keys = new Map<string, KeyPair>();

  constructor(seed = "test", config: ScenarioConfig = makeConfig()) {
    this.world = createWorld(seed, config);
  }

  get now(): number {
    return this.world.nowMs;
  }

  /** The optimistic rollup's state (an empty one before anything touched it). */
  get rollup(): RollupState {
    return rollupOf(this.world);
  }

  /** Applies an action now (or at `atMs`) and returns its events; a rollup action goes to the "optimistic" module. */
  act(testAction: Action | RollupTestAction, atMs = this.world.nowMs): EngineEvent[] {
    const action = rollupAction(testAction);
    this.log.push({ atMs, action });
    const events = applyAction(this.world, action, atMs);
    this.events.push(...events);
    return events;
  }

  /** Advances by `ms` of game time. */
  wait(ms: number): EngineEvent[] {
    const events = advance(this.world, this.world.nowMs + ms);
    this.events.push(...events);
    return events;
  }

  /** Waits until L1 has produced `count` more blocks. */
  blocks(count = 1): EngineEvent[] {
    return this.wait(this.world.l1.nextBlockAtMs - this.world.nowMs + (count - 1) * this.world.config.blockTimeMs);
  }

  /** Creates a funded player with a registered key. */
  player(name: string, l1Eth = 10): string {
    const key = testKey(name);
    this.keys.set(name, key);
    this.act({ type: "fund", account: name, amount: eth(l1Eth) });
    this.act({ type: "registerKey", account: name, publicKey: key.publicKey });
    return name;
  }

  /** The player's next L2 nonce, counting transactions still in the mempool. */
  nonce(name: string): number {
    return nextL2Nonce(this.world, name);
  }

  /** A transfer or withdrawal signed by `from` at the standard fee, with its next nonce unless told otherwise. */
  signed(kind: "transfer" | "withdraw", from: string, to: string, amount: number, nonce = this.nonce(from)): L2Tx {
    return signedL2Tx(this.keys.get(from)!, { kind, from, to, amount, fee: this.world.config.l2FeePerTx, nonce });
  }

  send(from: string, to: string, amount: number): EngineEvent[] {
    return this.act({ type: "l2Submit", tx: this.signed("transfer", from, to, amount) });
  }

  withdraw(from: string, amount: number): EngineEvent[] {
    return this.act({ type: "l2Submit", tx: this.signed("withdraw", from, from, amount) });
  }

  l2Balance(name: string): number {
    return this.rollup.head.accounts[name]?.balance ?? 0;
  }

  l1Balance(name: string): number {
    return this.world.l1.balances[name] ?? 0;
  }

  eventsOf<T extends EngineEvent["type"]>(type: T): Extract<EngineEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);
  }
}

/** The last rejection reason among `events`, if any. */
export function rejection(events: EngineEvent[]): string | undefined {
  return events.filter((e) => e.type === "rejected").map((e) => (e.type === "rejected" ? e.reason : "")).at(-1);
}

/**
 * Plays a dispute to the end, one move per L1 block. Each side answers honestly (the sequencer
 * defends its own claim) unless told to lie or stay silent.
 */
export function playDispute(sim: Sim, disputeId: number, lying: { challenger?: boolean; silent?: "defender" | "challenger" } = {}): Dispute {
  const dispute = () => sim.rollup.disputes[disputeId]!;
  for (let guard = 0; guard < 40 && dispute().status === "open"; guard++) {
    const d = dispute();
    const batch = sim.rollup.batches[d.batchId]!;
    const mover = d.turn === "challenger" ? "challenger" : "defender";
    if (lying.silent === mover) {
      sim.blocks(1);
      continue;
    }
    if (d.turn === "proof") {
      sim.act({ type: "oneStepProof", by: d.defender, disputeId });
    } else if (d.turn === "defender") {
      sim.act({ type: "disputeMove", by: d.defender, disputeId, root: batch.claimedRoots[midpoint(d)]! });
    } else {
      const honest = honestRootAt(sim.world, d.batchId, midpoint(d));
      sim.act({ type: "disputeMove", by: d.challenger, disputeId, root: lying.challenger ? "ab".repeat(32) : honest });
    }
    sim.blocks(1);
  }
  return dispute();
}
