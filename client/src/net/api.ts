import type { Debrief } from "../../../shared/engine/debrief.ts";

/** The HTTP side of the server: create a session, look up a join code. */

export interface SessionInfo {
  roomId: string;
  phase: string;
  playerCount: number;
  locked: boolean;
}

export interface CreatedSession {
  code: string;
  roomId: string;
  hostToken: string;
}

/** Base URL of the game server: the page's own origin (the server serves the client). */
export function serverOrigin(): string {
  return location.origin;
}

/** Where the Colyseus SDK connects. In `vite dev`, through the dev server's /colyseus proxy. */
export function colyseusEndpoint(): string {
  return import.meta.env.DEV ? `${location.origin}/colyseus` : location.origin;
}

async function errorText(res: Response, fallback: string): Promise<string> {
  try {
    const body = (await res.json()) as { error?: unknown };
    return typeof body.error === "string" ? body.error : fallback;
  } catch {
    return fallback;
  }
}

/** Looks a join code up: the session's info, or the server's reason it is not there. */
export async function lookupSession(code: string): Promise<{ ok: true; info: SessionInfo } | { ok: false; message: string }> {
  let res: Response;
  try {
    res = await fetch(`/api/sessions/${encodeURIComponent(code)}`);
  } catch {
    return { ok: false, message: "Cannot reach the game server. Check your connection and try again." };
  }
  if (!res.ok) return { ok: false, message: await errorText(res, `The server answered ${res.status}.`) };
  return { ok: true, info: (await res.json()) as SessionInfo };
}

/** Creates a new classroom session (the host). */
export async function createSession(): Promise<CreatedSession> {
  const res = await fetch("/api/sessions", { method: "POST" });
  if (!res.ok) throw new Error(await errorText(res, `Could not create a game (${res.status}).`));
  return (await res.json()) as CreatedSession;
}

/** Join codes are 6 characters, case-insensitive; people type spaces and lower case. */
export function cleanCode(raw: string): string {
  return raw.replace(/[\s-]/g, "").toUpperCase();
}

/** Where students' phones reach the server (see server/join-address.ts), and a hint when only "localhost" is known. */
export interface JoinAddress {
  origin: string;
  source: "public-url" | "request" | "lan" | "loopback";
  hint: string | null;
}

/** Asks the server for the address to show students; falls back to the page's own origin. */
export async function joinAddress(): Promise<JoinAddress> {
  try {
    const res = await fetch("/api/join-address");
    if (res.ok) return (await res.json()) as JoinAddress;
  } catch {
    // fall through
  }
  return { origin: location.origin, source: "request", hint: null };
}

/** What students type or scan: the origin without its scheme when it is plain http ("192.168.1.23:2567/join"). */
export function shownJoinAddress(address: JoinAddress): string {
  return `${address.origin.replace(/^http:\/\//, "")}/join`;
}

/** Where a game stands: live (its room is open), ended (its results are kept), or unknown to this server. */
export type GameStatus = "live" | "ended" | "unknown" | "unreachable";

export async function gameStatus(code: string): Promise<GameStatus> {
  try {
    const res = await fetch(`/api/sessions/${encodeURIComponent(code)}`);
    return res.ok ? "live" : res.status === 410 ? "ended" : "unknown";
  } catch {
    return "unreachable";
  }
}

/** A stored round as results.json carries it (server/store.ts StoredRound, without its action log). */
export interface StoredRoundJson {
  index: number;
  scenario: string;
  seed: string;
  endMs: number;
  finalHash: string;
  debrief: Debrief;
  startedAt: number;
  endedAt: number;
  /** The host ended the round before its time was up (absent from servers that do not store it yet). */
  endedEarly?: boolean;
}

/** One player's points in one round (server/store.ts ResultRow): `role` is the role played in that round. */
export interface ResultRowJson {
  round: number;
  playerId: string;
  name: string;
  role: string;
  score: number;
}

export interface ResultsJson {
  code: string;
  rounds: StoredRoundJson[];
  results: ResultRowJson[];
}

/** A game's results for its host: every stored round (seed, debrief, final hash) and every player's points. */
export async function fetchResults(code: string, hostToken: string): Promise<ResultsJson> {
  let res: Response;
  try {
    res = await fetch(`/api/sessions/${encodeURIComponent(code)}/results.json`, { headers: { "x-host-token": hostToken } });
  } catch {
    throw new Error("Cannot reach the game server. Check your connection and try again.");
  }
  if (!res.ok) throw new Error(await errorText(res, `The server answered ${res.status}.`));
  return (await res.json()) as ResultsJson;
}

/** The server's replay of a stored round from its seed and action log (GET /rounds/:index/replay). */
export interface ReplayCheck {
  index: number;
  storedHash: string;
  replayedHash: string;
  matches: boolean;
  actions: number;
}

export async function checkReplay(code: string, hostToken: string, index: number): Promise<ReplayCheck> {
  let res: Response;
  try {
    res = await fetch(`/api/sessions/${encodeURIComponent(code)}/rounds/${index}/replay`, { headers: { "x-host-token": hostToken } });
  } catch {
    throw new Error("Cannot reach the game server. Check your connection and try again.");
  }
  if (!res.ok) throw new Error(await errorText(res, `The server answered ${res.status}.`));
  return (await res.json()) as ReplayCheck;
}

/** A download link for the host: the token rides in the query, as plain links cannot send headers. */
export function resultsDownload(code: string, hostToken: string, kind: "csv" | "json"): string {
  return `/api/sessions/${encodeURIComponent(code)}/results.${kind}?token=${encodeURIComponent(hostToken)}`;
}
