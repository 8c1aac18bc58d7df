/**
 * Every door's limit in one place: a default sized for a lecture hall on a 2-core machine, and the
 * environment variable that changes it. docs/operations.md lists them with what each door allows.
 */
export interface Limits {
  /** Messages per second a client may send, sustained, and at once (every type counts, unknown ones too). */
  messagesPerSec: number;
  messageBurst: number;
  /** Messages dropped for flooding within `floodWindowSec` before the client is disconnected. */
  floodKickDrops: number;
  floodWindowSec: number;
  /** `batch:data` requests a client may make per minute, and fetches of the same batch. */
  batchDataPerMinute: number;
  batchDataPerBatch: number;
  /** Largest HTTP body accepted by /matchmake and /api, and largest WebSocket message, bytes. */
  matchmakeBodyBytes: number;
  apiBodyBytes: number;
  websocketMessageBytes: number;
  /** Seat reservations not yet turned into a connection: per client address in one room, and per room. */
  pendingSeatsPerAddress: number;
  pendingSeatsPerRoom: number;
  /** Connections one room holds at once (players, host consoles, projectors, seats being reserved). */
  clientsPerRoom: number;
  /** socket.io (long-polling fallback) sessions this process holds at once. */
  socketIoSessions: number;
  /** Projector screens open on one session at once (a projector needs no token: anyone with the code may open one). */
  projectorsPerSession: number;
  /** Sessions one address may create per hour (burst = the same number), and live sessions on the server. */
  sessionsPerAddressPerHour: number;
  maxLiveSessions: number;
  /** Server bots per session and per process. */
  botsPerSession: number;
  botsPerProcess: number;
  /**
   * Players who may join one session, and join a round already running (late joiners). A late
   * joiner who leaves without doing anything gives the slot back; the accounts a round opens for
   * late joiners are capped at four times the slots, so join-and-leave churn stays bounded.
   */
  playersPerSession: number;
  lateJoinersPerRound: number;
  /** Milliseconds of bot thinking one room may spend per bot turn (in 8 ms slices that let others in); bots left over act next turn. */
  botBudgetMsPerTurn: number;
  /** A session with nobody connected for this long is closed (minutes); one never started, after this long (minutes). */
  idleSessionMinutes: number;
  unstartedSessionMinutes: number;
  /** Trust X-Forwarded-For / X-Real-IP from a reverse proxy (only behind one: clients can forge them). */
  trustProxy: boolean;
}

type NumericLimit = Exclude<keyof Limits, "trustProxy">;

/** Environment variable and default of each numeric limit. */
export const LIMIT_ENV: Readonly<Record<NumericLimit, [env: string, fallback: number]>> = {
  messagesPerSec: ["LIMIT_MESSAGES_PER_SEC", 8],
  messageBurst: ["LIMIT_MESSAGE_BURST", 16],
  floodKickDrops: ["LIMIT_FLOOD_KICK_DROPS", 300],
  floodWindowSec: ["LIMIT_FLOOD_WINDOW_SEC", 10],
  batchDataPerMinute: ["LIMIT_BATCH_DATA_PER_MINUTE", 30],
  batchDataPerBatch: ["LIMIT_BATCH_DATA_PER_BATCH", 3],
  matchmakeBodyBytes: ["LIMIT_MATCHMAKE_BODY_BYTES", 4_096],
  apiBodyBytes: ["LIMIT_API_BODY_BYTES", 4_096],
  websocketMessageBytes: ["LIMIT_WEBSOCKET_MESSAGE_BYTES", 4_096],
  pendingSeatsPerAddress: ["LIMIT_PENDING_SEATS_PER_ADDRESS", 40],
  pendingSeatsPerRoom: ["LIMIT_PENDING_SEATS_PER_ROOM", 400],
  clientsPerRoom: ["LIMIT_CLIENTS_PER_ROOM", 2_100],
  projectorsPerSession: ["LIMIT_PROJECTORS_PER_SESSION", 8],
  socketIoSessions: ["LIMIT_SOCKETIO_SESSIONS", 4_000],
  sessionsPerAddressPerHour: ["LIMIT_SESSIONS_PER_ADDRESS_PER_HOUR", 20],
  maxLiveSessions: ["LIMIT_LIVE_SESSIONS", 300],
  botsPerSession: ["LIMIT_BOTS_PER_SESSION", 300],
  botsPerProcess: ["LIMIT_BOTS_PER_PROCESS", 1_200],
  playersPerSession: ["LIMIT_PLAYERS_PER_SESSION", 2_000],
  lateJoinersPerRound: ["LIMIT_LATE_JOINERS_PER_ROUND", 300],
  botBudgetMsPerTurn: ["LIMIT_BOT_BUDGET_MS_PER_TURN", 150],
  idleSessionMinutes: ["SESSION_IDLE_MINUTES", 30],
  unstartedSessionMinutes: ["SESSION_UNSTARTED_MINUTES", 180],
};

/** The limits from the environment: a missing or unreadable value falls back to its default (and says so). */
export function limitsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): Limits {
  const limits = { trustProxy: env.TRUST_PROXY === "1" || env.TRUST_PROXY === "true" } as Limits;
  for (const [name, [variable, fallback]] of Object.entries(LIMIT_ENV) as [NumericLimit, [string, number]][]) {
    const raw = env[variable];
    const value = raw === undefined || raw === "" ? fallback : Number(raw);
    if (!Number.isFinite(value) || value <= 0) {
      console.warn(`${variable}=${raw} is not a positive number; using ${fallback}`);
      limits[name] = fallback;
    } else {
      limits[name] = value;
    }
  }
  return limits;
}
