/**
 * npm run bench:bytes [-- --scenarios optimistic,zk --bots 300 --seconds 20]
 *
 * What a phone watching a round receives, by message kind: one in-process server, a session of
 * `--bots` server bots playing `scenario`, one SDK client seated as a student who does nothing,
 * and for `--seconds` after a warm-up the payload bytes and messages it gets per second —
 * state patches, `world` and `you` view changes, acks — plus which parts of the synced state
 * changed (player records, list rows added). Where a scenario's bytes per player come from.
 */
import { parseArgs } from "node:util";
import { createServer } from "node:net";
import { Callbacks, Client } from "@colyseus/sdk";
import type { Room } from "@colyseus/sdk";
import { decode } from "@colyseus/schema";
import { startApp } from "../../server/app.ts";
import { SCENARIOS } from "../../shared/protocol/messages.ts";
import type { Scenario } from "../../shared/protocol/messages.ts";

const { values } = parseArgs({ options: { scenarios: { type: "string", default: SCENARIOS.join(",") }, bots: { type: "string", default: "300" }, seconds: { type: "string", default: "20" }, warmup: { type: "string", default: "5" } } });
const scenarios = values.scenarios.split(",") as Scenario[];
for (const s of scenarios) if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s}`);
const BOTS = Number(values.bots);
const SECONDS = Number(values.seconds);
const WARMUP_MS = Number(values.warmup) * 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** A frame's kind: "patch", the message type of room data, or the protocol code. */
function kindOf(frame: Uint8Array): string {
  const code = frame[0]! & 0x1f;
  if (code === 15) return "patch";
  if (code !== 13) return `frame ${code}`;
  const it = { offset: 1 };
  return decode.stringCheck(frame as Buffer, it) ? decode.string(frame as Buffer, it) : String(decode.number(frame as Buffer, it));
}

const port = await freePort();
// The production clock and bot pace; bot caps lifted to the crowd.
const app = await startApp({ port, databasePath: ":memory:", context: { tickMs: 250, botTurnMs: 1000 }, limits: { botsPerSession: Math.max(300, BOTS), botsPerProcess: Math.max(1_200, BOTS), playersPerSession: BOTS + 10 } });
console.log(`\nL2 Arena bench:bytes — what one watching phone receives, ${BOTS} server bots, ${SECONDS} s after ${WARMUP_MS / 1000} s warm-up\n`);
console.log("| scenario | kind | bytes/s | messages/s |");
console.log("| --- | --- | --- | --- |");
try {
  for (const scenario of scenarios) {
    const { code, hostToken } = (await (await fetch(`http://localhost:${port}/api/sessions`, { method: "POST" })).json()) as { code: string; hostToken: string };
    const host = await new Client(`http://localhost:${port}`).joinById(code, { hostToken });
    host.onMessage("*", () => undefined);
    for (let left = BOTS; left > 0; left -= 300) host.send("host:addBots", { token: hostToken, count: Math.min(300, left) });
    await sleep(500);
    const watcher: Room = await new Client(`http://localhost:${port}`).joinById(code, { name: "Watcher" });
    watcher.onMessage("*", () => undefined);
    host.send("host:plan", { token: hostToken, rounds: [{ scenario, durationSec: 600 }] });
    host.send("host:start", { token: hostToken });
    let counting = false;
    const kinds = new Map<string, [bytes: number, messages: number]>();
    const changes = new Map<string, number>();
    const count = (what: string) => counting && changes.set(what, (changes.get(what) ?? 0) + 1);
    const events = (watcher.connection as unknown as { events: { onmessage: (e: { data: ArrayBuffer | Uint8Array }) => void } }).events;
    const original = events.onmessage;
    events.onmessage = (event) => {
      const frame = event.data instanceof ArrayBuffer ? new Uint8Array(event.data) : event.data;
      if (counting) {
        const entry = kinds.get(kindOf(frame)) ?? [0, 0];
        entry[0] += frame.byteLength;
        entry[1] += 1;
        kinds.set(kindOf(frame), entry);
      }
      original.call(events, event);
    };
    while (!(watcher.state as { world?: object } | undefined)?.world) await sleep(50);
    const callbacks = Callbacks.get(watcher);
    callbacks.onAdd("players", (player) => callbacks.onChange(player as object, () => count("player records changed")));
    const world = (watcher.state as { world: object }).world;
    for (const list of ["blocks", "batches", "disputes", "inbox"] as const) callbacks.onAdd(world as never, list as never, () => count(`${list} rows added`));
    await sleep(WARMUP_MS);
    counting = true;
    const started = performance.now();
    await sleep(SECONDS * 1000);
    counting = false;
    const sec = (performance.now() - started) / 1000;
    let total = 0;
    for (const [kind, [bytes, messages]] of [...kinds].sort((a, b) => b[1][0] - a[1][0])) {
      total += bytes;
      console.log(`| ${scenario} | ${kind} | ${Math.round(bytes / sec).toLocaleString("en-US")} | ${(messages / sec).toFixed(1)} |`);
    }
    console.log(`| ${scenario} | **total** | **${Math.round(total / sec).toLocaleString("en-US")}** | |`);
    for (const [what, n] of changes) console.log(`| ${scenario} | (${what}) | | ${(n / sec).toFixed(1)} |`);
    await watcher.leave();
    host.send("host:endSession", { token: hostToken });
    await sleep(1_000);
  }
} finally {
  await app.close();
}
process.exit(0);
