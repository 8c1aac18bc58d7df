import { applyAction, advance } from "../../shared/engine/engine.ts";
import type { Action, LoggedAction } from "../../shared/engine/actions.ts";
import { makeConfig } from "../../shared/engine/config.ts";
import type { ScenarioConfig } from "../../shared/engine/config.ts";
import type { EngineEvent } from "../../shared/engine/events.ts";
import { createWorld } from "../../shared/engine/world.ts";
import type { World } from "../../shared/engine/world.ts";
import { keyPairFromSeed } from "../../shared/crypto/sign.ts";
import type { KeyPair } from "../../shared/crypto/sign.ts";
import { sha256Bytes, utf8ToBytes } from "../../shared/crypto/hash.ts";
import { signL2Tx } from "../../shared/engine/l2-state.ts";
import { eth } from "../../shared/engine/units.ts";

/** A deterministic test key for a named player (tests only; real keys come from the browser). */
export function testKey(name: string): KeyPair {
  return keyPairFromSeed(sha256Bytes(utf8ToBytes(`test-key:${name}`)));
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

  /** Applies an action now (or at `atMs`) and returns its events. */
  act(action: Action, atMs = this.world.nowMs): EngineEvent[] {
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
    const account = this.world.rollup.head.accounts[name];
    return (account?.nonce ?? 0) + this.world.rollup.mempool.filter((p) => p.tx.from === name).length;
  }

  send(from: string, to: string, amount: number): EngineEvent[] {
    const tx = signL2Tx(this.keys.get(from)!.secretKey, { kind: "transfer", from, to, amount, fee: this.world.config.l2FeePerTx, nonce: this.nonce(from) });
    return this.act({ type: "l2Submit", tx });
  }

  withdraw(from: string, amount: number): EngineEvent[] {
    const tx = signL2Tx(this.keys.get(from)!.secretKey, { kind: "withdraw", from, to: from, amount, fee: this.world.config.l2FeePerTx, nonce: this.nonce(from) });
    return this.act({ type: "l2Submit", tx });
  }

  l2Balance(name: string): number {
    return this.world.rollup.head.accounts[name]?.balance ?? 0;
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
