import { TRANSPORTS } from "../../../shared/protocol/transport.ts";

/** How the host console names each way a player is connected (Player.transport). */
export const TRANSPORT_LABEL: Readonly<Record<string, string>> = {
  [TRANSPORTS.websocket]: "WebSocket",
  [TRANSPORTS.polling]: "HTTP fallback",
  [TRANSPORTS.socketIoWebSocket]: "fallback, upgraded",
};

/** Why a teacher should care, for the label's tooltip. */
export const TRANSPORT_HINT: Readonly<Record<string, string>> = {
  [TRANSPORTS.websocket]: "Connected over WebSocket, the normal way.",
  [TRANSPORTS.polling]: "This device's network blocks WebSocket, so it plays over HTTP long-polling: it works, a little slower. Other students on the same network likely do too.",
  [TRANSPORTS.socketIoWebSocket]: "Joined through the HTTP fallback, which has since got a WebSocket through.",
};
