import type { Action } from "../../shared/engine/actions.ts";
import type { EngineEvent } from "../../shared/engine/events.ts";
import type { World } from "../../shared/engine/world.ts";
import type { BotMind, BotMove } from "../../shared/bots/mind.ts";
import type { ClientMessageType, Role } from "../../shared/protocol/messages.ts";

/** A player as a round sees them: id, the role they play this round, whether a bot plays them. */
export interface RoundPlayer {
  id: string;
  role: Role;
  bot: boolean;
  /** A bot playing "hard": it cheats or colludes where its scenario allows. */
  hard: boolean;
}

/** The figures every wallet shows in the scenario's own terms (L2 balance, next nonce, withdrawals). */
export interface WalletFigures {
  l2Balance: number;
  l2Nonce: number;
  /** JSON list of the player's withdrawals: [{ id, amount, status, … }]. */
  withdrawals: string;
}

/**
 * How one scenario (optimistic rollup, ZK rollup, L1 rush hour, channels, Plasma, sidechain)
 * plays in a classroom: who leads it, how roles are balanced, and a fresh `ScenarioRun` per round.
 * The room stays scenario-agnostic; everything a scenario needs lives in its own file here. The
 * plan parameters it reads are in the one table of shared/lessons/params.ts.
 */
export interface ScenarioDef {
  /** The role a round cannot run without (a bot takes it when no player has it), or null. */
  lead: Role | null;
  /** How many players the lead role needs for this plan's parameters (bots fill the rest); 1 when absent. */
  leadSeats?(params: Readonly<Record<string, number>>): number;
  /** How many "hard" bots (cheating or colluding) must hold the lead role this round, from the plan's params; 0 when absent. They are added if missing. */
  hardLeads?(params: Readonly<Record<string, number>>): number;
  /** Auto-balance: a role for every player, in join order (bots flagged). */
  balance(players: readonly { id: string; bot: boolean }[]): Map<string, Role>;
  /** A fresh adapter for one round. */
  start(): ScenarioRun;
}

export interface ScenarioRun {
  /**
   * Engine actions after every player is funded on L1 and their key registered (starting deposits,
   * operators…); `params` are the plan's parameters (seconds and ETH), the scenario's own among them.
   */
  genesis(world: World, players: readonly RoundPlayer[], params: Readonly<Record<string, number>>): Action[];
  /**
   * A validated message of this scenario from `me`: the engine action to apply on their behalf,
   * null when it was handled off-chain without the engine (e.g. relaying a channel proposal),
   * or a sentence saying why it is refused (nothing may change then).
   */
  act(world: World, me: string, type: ClientMessageType, data: Record<string, unknown>): Action | null | string;
  /**
   * A student who joins while the round runs plays it as a user: after they are funded on L1, the
   * actions that give them what genesis gave every user (a starting deposit…). Absent: nothing more.
   */
  lateJoin?(world: World, player: RoundPlayer): Action[];
  /** Sees every event the round produces (e.g. to keep relay state in step). Optional. */
  observe?(world: World, events: readonly EngineEvent[]): void;
  /**
   * JSON for `world.module`: the scenario's public picture, for everyone and the projector ("" if none).
   * Called first in every projection pass, then `wallet` and `privateView` for each player.
   */
  publicView(world: World): string;
  /** JSON for the player's own `wallet.module`: what only they may see ("" if none). */
  privateView(world: World, playerId: string): string;
  /** Players whose private view is projected every pass, even in a lecture hall (whose views otherwise refresh in turns). */
  fresh?(world: World): readonly string[];
  /** The wallet's common figures in this scenario's terms. */
  wallet(world: World, playerId: string): WalletFigures;
  /** What one server bot does this turn; its moves go through the same handler as a human's. */
  botMoves(world: World, mind: BotMind, players: readonly RoundPlayer[]): BotMove[];
}

/** Roles in join order: the first `counts[i]` players (bots first when `botsFirst`) get `roles[i]`, everyone else `rest`. */
export function assignInOrder(players: readonly { id: string; bot: boolean }[], counts: readonly [Role, number][], rest: Role, botsFirst: boolean): Map<string, Role> {
  const ordered = botsFirst ? [...players.filter((p) => p.bot), ...players.filter((p) => !p.bot)] : [...players.filter((p) => !p.bot), ...players.filter((p) => p.bot)];
  const roles = new Map<string, Role>();
  let i = 0;
  for (const [role, count] of counts) for (let n = 0; n < count && i < ordered.length; n++) roles.set(ordered[i++]!.id, role);
  for (; i < ordered.length; i++) roles.set(ordered[i]!.id, rest);
  return roles;
}
