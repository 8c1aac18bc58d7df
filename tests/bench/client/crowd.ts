/**
 * A session full of server bots playing one round, for the projector to watch: a host over the SDK
 * creates the session, plans one long round, adds the bots (300 per message, the protocol's cap),
 * gives them the round's roles and starts it.
 */
import { Client } from "@colyseus/sdk";
import type { Room } from "@colyseus/sdk";
import type { Scenario } from "../../../shared/protocol/messages.ts";

/** Bots one host:addBots message may add (shared/protocol/messages.ts). */
const BOTS_PER_MESSAGE = 300;

/**
 * Round parameters that bring each scenario's big moment inside a short measured window
 * (the projector's heaviest picture): Plasma's operator withholds a block 15 s in, so the mass exit
 * is on screen while we measure.
 */
const PARAMS: Partial<Record<Scenario, Record<string, number>>> = {
  plasma: { withholdAtSec: 15 },
};

export interface Crowd {
  code: string;
  playerCount: number;
  end(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Creates a session on `base` with `bots` server bots in a `scenario` round of `durationSec`, running. */
export async function startCrowd(base: string, scenario: Scenario, bots: number, durationSec: number): Promise<Crowd> {
  const response = await fetch(`${base}/api/sessions`, { method: "POST" });
  if (!response.ok) throw new Error(`POST /api/sessions: ${response.status} ${await response.text()}`);
  const session = (await response.json()) as { code: string; hostToken: string };
  const token = session.hostToken;
  const host: Room = await new Client(base).joinById(session.code, { hostToken: token });
  const errors: string[] = [];
  host.onMessage("*", (type, message) => {
    if (type === "error") errors.push((message as { message?: string }).message ?? "?");
  });
  const send = (type: string, body: Record<string, unknown> = {}) => host.send(type, { token, ...body });
  const params = PARAMS[scenario];
  send("host:plan", { rounds: [{ scenario, durationSec, ...(params ? { params } : {}) }] });
  if (scenario === "optimistic") {
    // As the measurement: one bot sequencer (it cheats), about one challenger in 30, users for the rest.
    const challengers = Math.max(1, Math.round(bots / 30));
    send("host:addBots", { count: 1, role: "sequencer", difficulty: "normal" });
    for (let left = challengers; left > 0; left -= BOTS_PER_MESSAGE) send("host:addBots", { count: Math.min(BOTS_PER_MESSAGE, left), role: "challenger", difficulty: "normal" });
    for (let left = bots - 1 - challengers; left > 0; left -= BOTS_PER_MESSAGE) send("host:addBots", { count: Math.min(BOTS_PER_MESSAGE, left), role: "user", difficulty: "normal" });
  } else {
    // Every other scenario: the roles its auto-balance gives (a lead bot, watchtowers, validators…).
    for (let left = bots; left > 0; left -= BOTS_PER_MESSAGE) send("host:addBots", { count: Math.min(BOTS_PER_MESSAGE, left), difficulty: "normal" });
  }
  // The messages above stay under the per-client rate limit (16 at once); give the room time to seat everyone.
  let playerCount = 0;
  for (let i = 0; i < 600 && playerCount < bots; i++) {
    await sleep(250);
    playerCount = ((await (await fetch(`${base}/api/sessions/${session.code}`)).json()) as { playerCount: number }).playerCount;
  }
  if (scenario !== "optimistic") send("host:autoBalance");
  send("host:start");
  await sleep(1_000);
  if (errors.length) console.log(`  host errors: ${errors.join(" | ")}`);
  return {
    code: session.code,
    playerCount,
    async end() {
      // The server closes every seat, the host's too (4101): wait for that rather than leave, which would wait forever.
      const closed = new Promise<void>((resolve) => host.onLeave(() => resolve()));
      send("host:endSession");
      await Promise.race([closed, sleep(10_000)]);
    },
  };
}
