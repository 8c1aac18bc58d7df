import type { Action } from "./actions.ts";
import type { EngineEvent } from "./events.ts";
import { moveL1, produceBlock, submitL1Tx } from "./l1.ts";
import { MODULES } from "./modules.ts";
import type { L1Payload, L1Tx, World } from "./world.ts";

const PUBLIC_KEY_PATTERN = /^[0-9a-f]{64}$/;

/** Value a payload moves out of its sender besides gas. */
function valueOf(payload: L1Payload): number {
  if (payload.kind === "module") return MODULES[payload.module]?.valueOf(payload.call) ?? 0;
  return payload.amount;
}

/** Runs an included L1 transaction's effect against the world as it is now. */
function executePayload(world: World, tx: L1Tx, out: EngineEvent[]): string | null {
  const payload = tx.payload;
  if (payload.kind === "transfer") {
    moveL1(world, tx.from, payload.to, payload.amount);
    return null;
  }
  const module = MODULES[payload.module];
  return module ? module.execute(world, tx, payload.call, out) : "unknown module";
}

/** A transaction L1 dropped: its module undoes what submitting it set up (a batch post takes its batch back). */
function onDropped(world: World, tx: L1Tx, out: EngineEvent[]): void {
  if (tx.payload.kind === "module") MODULES[tx.payload.module]?.onDropped?.(world, tx, tx.payload.call, out);
}

/** Advances the world to `toMs`, producing every L1 block due and enforcing every deadline at block time. */
export function advance(world: World, toMs: number): EngineEvent[] {
  const out: EngineEvent[] = [];
  if (toMs < world.nowMs) throw new Error(`time cannot go backwards (${toMs} < ${world.nowMs})`);
  while (world.l1.nextBlockAtMs <= toMs) {
    world.nowMs = world.l1.nextBlockAtMs;
    produceBlock(world, executePayload, valueOf, onDropped, out);
    for (const [name, module] of Object.entries(MODULES)) if (world.modules[name] !== undefined) module.onBlock(world, out);
    world.l1.nextBlockAtMs += world.config.blockTimeMs;
  }
  world.nowMs = toMs;
  return out;
}

/** Who an action is on behalf of, for rejection events. */
function actorOf(action: Action): string {
  switch (action.type) {
    case "fund":
    case "registerKey":
      return action.account;
    case "l1Transfer":
      return action.from;
    case "module":
      return action.by;
  }
}

/** Checks and applies one action at world.nowMs; returns why it was refused, or null. Refusal changes nothing. */
function apply(world: World, action: Action, out: EngineEvent[]): string | null {
  switch (action.type) {
    case "fund":
      if (!Number.isSafeInteger(action.amount) || action.amount <= 0) return "amount must be a positive whole number of gwei";
      world.l1.balances[action.account] = (world.l1.balances[action.account] ?? 0) + action.amount;
      world.l1.minted += action.amount;
      out.push({ t: world.nowMs, type: "funded", account: action.account, amount: action.amount });
      return null;
    case "registerKey":
      if (!PUBLIC_KEY_PATTERN.test(action.publicKey)) return "public key must be 64 hex characters";
      if (world.l1.publicKeys[action.account]) return "this account already has a key";
      world.l1.publicKeys[action.account] = action.publicKey;
      return null;
    case "l1Transfer": {
      if (!Number.isSafeInteger(action.amount) || action.amount <= 0) return "amount must be a positive whole number of gwei";
      const tx = submitL1Tx(world, action.from, { kind: "transfer", to: action.to, amount: action.amount }, world.config.gas.transfer, action.amount, action, out);
      return typeof tx === "string" ? tx : null;
    }
    case "module": {
      const module = MODULES[action.module];
      if (!module) return `unknown mechanism "${action.module}"`;
      const fresh = world.modules[action.module] === undefined;
      if (fresh) world.modules[action.module] = module.create();
      const reason = module.submit(world, action.by, action.call, action, out);
      if (reason && fresh) delete world.modules[action.module];
      return reason;
    }
  }
}

/**
 * Advances the world to `atMs`, then applies `action`. Returns every event, a `rejected`
 * event included when the world refused the action.
 */
export function applyAction(world: World, action: Action, atMs: number): EngineEvent[] {
  const out = advance(world, atMs);
  // Checks come before mutations; ids and random draws made while checking are given back on refusal.
  const nextId = world.nextId;
  const rng = [...world.rng] as World["rng"];
  const reason = apply(world, action, out);
  if (reason) {
    world.nextId = nextId;
    world.rng = rng;
  }
  if (reason) out.push({ t: world.nowMs, type: "rejected", action: action.type, actor: actorOf(action), reason });
  return out;
}
