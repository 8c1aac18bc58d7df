import { ERROR_CODES } from "../../shared/protocol/messages.ts";
import type { ClientMessageType, Difficulty, Role, RoundPlan } from "../../shared/protocol/messages.ts";
import type { ClassroomState } from "../schema.ts";
import type { Refused, Rounds } from "./rounds.ts";
import type { Seats } from "./seats.ts";

export interface HostConsoleContext {
  state: ClassroomState;
  seats: Seats;
  rounds: Rounds;
  publishMetadata(): void;
  /** Disconnects a player's connections with the "kicked" close code. */
  kick(playerId: string): void;
  endSession(): void;
}

const wrongPhase = (message: string): Refused => ({ code: ERROR_CODES.wrongPhase, message });
const noSuchPlayer: Refused = { code: ERROR_CODES.rejected, message: "No such player." };

/**
 * The host console's messages, already parsed and with the host token checked: plan, roles,
 * the round clock, kicks and locks, bots, the end of the session.
 */
export function hostAction(ctx: HostConsoleContext, type: ClientMessageType, d: Record<string, unknown>): Refused | null {
  const { state, rounds, seats } = ctx;
  const phase = state.phase;
  const betweenRounds = phase === "lobby" || phase === "debrief";
  switch (type) {
    case "host:plan":
      if (!betweenRounds) return wrongPhase("Change the plan between rounds.");
      return rounds.setPlan(d.rounds as RoundPlan[]);
    case "host:assign": {
      if (!betweenRounds) return wrongPhase("Assign roles between rounds.");
      const player = state.players.get(d.playerId as string);
      if (!player) return noSuchPlayer;
      rounds.setRole(player, d.role as Role);
      return null;
    }
    case "host:autoBalance":
      if (!betweenRounds) return wrongPhase("Balance roles between rounds.");
      rounds.autoBalance();
      return null;
    case "host:start": {
      const refusal = rounds.startRefusal();
      if (refusal) return wrongPhase(refusal);
      rounds.start();
      return null;
    }
    case "host:pause":
      if (phase !== "running") return wrongPhase("No running round to pause.");
      rounds.pause();
      return null;
    case "host:resume":
      if (phase !== "paused") return wrongPhase("The round is not paused.");
      rounds.resume();
      return null;
    case "host:extend":
      if (!rounds.running) return wrongPhase("No round to extend.");
      rounds.extend(d.seconds as number);
      return null;
    case "host:skip":
      if (rounds.running) {
        rounds.end();
        return null;
      }
      if (!betweenRounds || state.roundIndex + 1 >= rounds.plan.length) return wrongPhase("There is no next round to skip.");
      rounds.skipNext();
      return null;
    case "host:endRound":
      if (!rounds.running) return wrongPhase("No round is running.");
      rounds.end();
      return null;
    case "host:kick": {
      const playerId = d.playerId as string;
      if (!state.players.has(playerId)) return noSuchPlayer;
      ctx.kick(playerId);
      seats.removePlayer(playerId);
      rounds.removeBot(playerId);
      ctx.publishMetadata();
      return null;
    }
    case "host:lock":
      state.locked = d.locked as boolean;
      ctx.publishMetadata();
      return null;
    case "host:addBots":
      return rounds.addBots(d.count as number, d.role as Role | undefined, d.difficulty as Difficulty);
    case "host:endSession":
      ctx.endSession();
      return null;
    default:
      return { code: ERROR_CODES.unknownMessage, message: `unknown host message ${type}` };
  }
}
