import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lanAddress } from "../../server/join-address.ts";
import { PROJECTOR, hostOverSdk, poll, shoot, startE2eServer, submitJoin } from "./harness.ts";
import type { E2eServer } from "./harness.ts";

/**
 * The teacher opens everything at http://127.0.0.1 (or localhost), but the phones in the room
 * can't: the projector must show, and encode in its QR code, an address they can reach.
 */
describe("the join address on the projector", () => {
  let server: E2eServer;
  beforeAll(async () => {
    server = await startE2eServer({});
  });
  afterAll(async () => {
    await server?.close();
  });

  it("is this machine's network address, not localhost, and a phone that opens it joins the game", async () => {
    const host = await hostOverSdk(server.port);
    const projector = await server.openPage("projector", PROJECTOR, `/projector?code=${host.code}`);
    const shown = projector.locator("[data-join-address]");
    await poll(() => shown.count()).toBe(1);
    const origin = await shown.getAttribute("data-join-address");
    const lan = lanAddress();
    await shoot(projector, "join-address", "projector-lobby");
    if (!lan) {
      // A machine with no network: the projector says what to do instead of showing a dead address.
      await poll(() => projector.getByRole("note").textContent()).toMatch(/PUBLIC_URL/);
      return;
    }
    expect(origin).toBe(`http://${lan}:${server.port}`);
    expect(await shown.textContent()).toBe(`${lan}:${server.port}/join`);
    expect(await projector.locator(".qr").getAttribute("aria-label")).toBe(`QR code for ${origin}/join?code=${host.code}`);
    // The QR's address really reaches the server: a phone opens it and joins.
    const phone = await server.openPage("Mia", { width: 390, height: 844 }, `/join?code=${host.code}`);
    await phone.goto(`${origin}/join?code=${host.code}`);
    await submitJoin(phone, "Mia");
    await phone.getByText("You're in!").waitFor();
    await poll(() => [...host.room.state.players.values()].map((p) => p.name)).toContain("Mia");
    expect(server.errors).toEqual([]);
  });
});

describe("behind a proxy", () => {
  let server: E2eServer;
  beforeAll(async () => {
    server = await startE2eServer({}, { publicUrl: "https://arena.example-school.org" });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("shows PUBLIC_URL", async () => {
    const host = await hostOverSdk(server.port);
    const projector = await server.openPage("projector", PROJECTOR, `/projector?code=${host.code}`);
    const shown = projector.locator("[data-join-address]");
    await poll(() => shown.getAttribute("data-join-address")).toBe("https://arena.example-school.org");
    expect(await shown.textContent()).toBe("https://arena.example-school.org/join");
    expect(server.errors).toEqual([]);
  });
});
