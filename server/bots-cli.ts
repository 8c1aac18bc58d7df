import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import { keyPairFromSeed } from "../shared/crypto/sign.ts";
import { runHeadlessBot } from "./headless-bot.ts";
import { NODE_TRANSPORTS, sdkClient } from "./transport/sdk-client.ts";

/**
 * `npm run bots -- --url http://localhost:2567 --code CODE --count 30 [--transport websocket|socketio|polling]`:
 * headless players for demos and load, over WebSocket (default) or the socket.io fallback.
 */
const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://localhost:2567" },
    code: { type: "string" },
    count: { type: "string", default: "30" },
    prefix: { type: "string", default: "Headless" },
    transport: { type: "string", default: "websocket" },
  },
});
const transport = NODE_TRANSPORTS.find((t) => t === values.transport);
if (!values.code || !transport) {
  console.error(`usage: npm run bots -- --url http://localhost:2567 --code CODE --count 30 [--transport ${NODE_TRANSPORTS.join("|")}]`);
  process.exit(2);
}
const code = values.code.trim().toUpperCase();
const count = Number(values.count);
const client = sdkClient(values.url, transport);
const bots: ReturnType<typeof runHeadlessBot>[] = [];
for (let i = 1; i <= count; i++) {
  // Seated as bots: marked in the roster and on the phones, never ranked with the students.
  const room = await client.joinById(code, { name: `${values.prefix} ${i}`, bot: true });
  const key = keyPairFromSeed(randomBytes(32));
  room.send("player:key", { publicKey: key.publicKey });
  bots.push(runHeadlessBot(room, key, `${code}:${i}`));
}
console.log(`${count} headless players joined ${code} over ${transport}; they act once a round starts. Ctrl-C to stop.`);
setInterval(() => {
  const sent = bots.reduce((s, b) => s + b.stats.sent, 0);
  const errors = bots.reduce((s, b) => s + b.stats.errors, 0);
  console.log(`sent ${sent} messages, ${errors} errors`);
}, 10_000);
