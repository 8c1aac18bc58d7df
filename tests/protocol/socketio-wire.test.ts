import { describe, expect, it } from "vitest";
import { clientCloseCode, isCloseCode, socketIoHandshake, socketIoTarget } from "../../shared/protocol/transport.ts";

describe("socketIoTarget: the room URL the SDK built → where socket.io connects", () => {
  it("a single server: same origin, /socket.io, the seat in the handshake", () => {
    expect(socketIoTarget("ws://localhost:2567/kV0gvpEGG/7TQX3C?sessionId=Ab_1-x&skipHandshake=1&transport=polling")).toEqual({
      origin: "http://localhost:2567",
      path: "/socket.io",
      handshake: { roomId: "7TQX3C", sessionId: "Ab_1-x", skipHandshake: true },
    });
  });

  it("Redis scale-out: the seat's publicAddress, with its path prefix, so long-polling goes to the process that holds the room", () => {
    const target = socketIoTarget("wss://arena.school.org/p2601/proc42/7TQX3C?sessionId=s1&reconnectionToken=t_1&_authToken=jwt");
    expect(target.origin).toBe("https://arena.school.org");
    expect(target.path).toBe("/p2601/socket.io");
    expect(target.handshake).toEqual({ roomId: "7TQX3C", sessionId: "s1", reconnectionToken: "t_1", authToken: "jwt" });
    expect(socketIoTarget("ws://127.0.0.1:2602/proc43/7TQX3C?sessionId=s1").origin).toBe("http://127.0.0.1:2602");
  });

  it("under vite dev the /colyseus proxy prefix is kept", () => {
    expect(socketIoTarget("ws://localhost:5173/colyseus/p/ROOM01?sessionId=s").path).toBe("/colyseus/socket.io");
  });
});

describe("the socket.io handshake the server accepts", () => {
  it("takes Colyseus ids and nothing else", () => {
    expect(socketIoHandshake.safeParse({ roomId: "7TQX3C", sessionId: "Ab_1-x", reconnectionToken: "t", skipHandshake: true }).success).toBe(true);
    for (const bad of [{}, { roomId: "../x", sessionId: "s" }, { roomId: "R", sessionId: "s".repeat(65) }, { roomId: "R", sessionId: 42 }, { roomId: "R", sessionId: "s", extra: 1 }]) {
      expect(socketIoHandshake.safeParse(bad).success).toBe(false);
    }
  });
});

describe("close codes over socket.io", () => {
  it("a peer may announce a WebSocket close code; without one, a server's close is 1005 and a lost connection 1006 (the SDK reconnects)", () => {
    expect([isCloseCode(4100), isCloseCode(999), isCloseCode(5000), isCloseCode(4000.5), isCloseCode("4100")]).toEqual([true, false, false, false, false]);
    expect(clientCloseCode(4100, "io server disconnect")).toBe(4100);
    expect(clientCloseCode(null, "io server disconnect")).toBe(1005);
    for (const reason of ["transport close", "transport error", "ping timeout", "connect_error"]) expect(clientCloseCode(null, reason)).toBe(1006);
  });
});
