import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import { Client } from "@colyseus/sdk";
import { keyPairFromSeed } from "../shared/crypto/sign.ts";
import { runHeadlessBot } from "./headless-bot.ts";

/** `npm run bots -- --url http://localhost:2567 --code CODE --count 30`: headless players for demos and load. */
const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://localhost:2567" },
    code: { type: "string" },
    count: { type: "string", default: "30" },
    prefix: { type: "string", default: "Headless" },
  },
});
if (!values.code) {
  console.error("usage: npm run bots -- --url http://localhost:2567 --code CODE --count 30");
  process.exit(2);
}
const code = values.code.trim().toUpperCase();
const count = Number(values.count);
const client = new Client(values.url);
const bots: ReturnType<typeof runHeadlessBot>[] = [];
for (let i = 1; i <= count; i++) {
  const room = await client.joinById(code, { name: `${values.prefix} ${i}` });
  const key = keyPairFromSeed(randomBytes(32));
  room.send("player:key", { publicKey: key.publicKey });
  bots.push(runHeadlessBot(room, key, `${code}:${i}`));
}
console.log(`${count} headless players joined ${code}; they act once a round starts. Ctrl-C to stop.`);
setInterval(() => {
  const sent = bots.reduce((s, b) => s + b.stats.sent, 0);
  const errors = bots.reduce((s, b) => s + b.stats.errors, 0);
  console.log(`sent ${sent} messages, ${errors} errors`);
}, 10_000);
