/**
 * The bench's yardstick: a bare Colyseus 0.18 room on the same stack as ours (express, ws-transport
 * with the same 4 KB payload cap, the same socket.io transport for `--transport polling`, the same
 * patch rate), doing the least a game can: seat a client, keep a small synced state (a name and a
 * counter per player), and answer each `act` with an `ack`. Whatever our server costs beyond this
 * is ours. Started by the load bench as its own process: `node tests/bench/bare-server.ts` with PORT.
 *
 * GET /bare/create?n=100 creates n rooms and answers their ids; GET /healthz answers ok.
 */
import { createServer } from "node:http";
import { Room, defineRoom, defineServer, matchMaker } from "@colyseus/core";
import type { Client } from "@colyseus/core";
import { schema, t } from "@colyseus/schema";
import type { SchemaType } from "@colyseus/schema";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { attachSocketIo } from "../../server/transport/socketio-transport.ts";

const BarePlayer = schema({ name: t.string(), actions: t.number().default(0) }, "BarePlayer");
type BarePlayer = SchemaType<typeof BarePlayer>;
const BareState = schema({ players: t.map(BarePlayer) }, "BareState");
type BareState = SchemaType<typeof BareState>;

/** Join, a counter per player in the synced state, an ack per action. */
class BareRoom extends Room<{ state: BareState }> {
  override maxClients = 2_100;
  override patchRate = 100; // ms, as ClassroomRoom
  override autoDispose = false;
  override state = new BareState();

  override onCreate(): void {
    this.onMessage("act", (client: Client, message: { seq?: number }) => {
      const player = this.state.players.get(client.sessionId);
      if (player) player.actions += 1;
      client.send("ack", { type: "act", seq: message?.seq });
    });
    // Anything else (a flood of unknown types) is answered the way our room answers: an error.
    this.onMessage("*", (client: Client, type: string | number) => client.send("error", { type: String(type).slice(0, 40), message: "unknown" }));
  }

  override onJoin(client: Client, options: { name?: string }): void {
    this.state.players.set(client.sessionId, new BarePlayer({ name: String(options?.name ?? "").slice(0, 20) }));
  }

  override onLeave(client: Client): void {
    this.state.players.delete(client.sessionId);
  }
}

const port = Number(process.env.PORT ?? 2700);
const httpServer = createServer();
const server = defineServer({
  greet: false,
  transport: new WebSocketTransport({ server: httpServer, maxPayload: 4 * 1024 }),
  rooms: { bare: defineRoom(BareRoom) },
  express: (app) => {
    app.get("/healthz", (_req, res) => void res.json({ ok: true }));
    app.get("/bare/create", async (req, res) => {
      const n = Math.min(1_000, Math.max(1, Number(req.query.n ?? 1)));
      const ids: string[] = [];
      for (let i = 0; i < n; i++) ids.push((await matchMaker.createRoom("bare", {})).roomId);
      res.json({ ids });
    });
  },
});
await server.listen(port);
attachSocketIo(server);
