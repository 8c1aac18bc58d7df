import { describe, expect, it } from "vitest";
import type { NetworkInterfaceInfo } from "node:os";
import { isLoopbackHost, joinAddress, lanAddress } from "../../server/join-address.ts";

const nic = (address: string, internal = false): NetworkInterfaceInfo => ({ address, netmask: "255.255.255.0", family: "IPv4", mac: "00:00:00:00:00:00", internal, cidr: `${address}/24` });

describe("the address students join at", () => {
  it("prefers a private LAN address over link-local and loopback", () => {
    expect(lanAddress({ lo: [nic("127.0.0.1", true)], eth0: [nic("169.254.3.4"), nic("192.168.1.23")], docker0: [nic("172.17.0.1")] })).toBe("192.168.1.23");
    expect(lanAddress({ lo: [nic("127.0.0.1", true)] })).toBeNull();
  });

  it("PUBLIC_URL wins; then a reachable page address; then the LAN address on the server's port", () => {
    expect(joinAddress({ publicUrl: "https://arena.school.org/", requestHost: "localhost:2567", port: 2567, lan: "10.0.0.5" })).toEqual({ origin: "https://arena.school.org", source: "public-url", hint: null });
    expect(joinAddress({ requestHost: "10.1.2.3:2567", port: 2567, lan: "10.0.0.5" }).origin).toBe("http://10.1.2.3:2567");
    expect(joinAddress({ requestHost: "localhost:2567", port: 2567, lan: "10.0.0.5" })).toEqual({ origin: "http://10.0.0.5:2567", source: "lan", hint: null });
  });

  it("with only loopback known, says so and tells the host what to do", () => {
    const address = joinAddress({ requestHost: "127.0.0.1:2567", port: 2567, lan: null });
    expect(address.source).toBe("loopback");
    expect(address.hint).toMatch(/PUBLIC_URL/);
    for (const host of ["localhost", "localhost:80", "127.0.0.1:2567", "[::1]:2567", "0.0.0.0:2567"]) expect(isLoopbackHost(host)).toBe(true);
    expect(isLoopbackHost("192.168.1.23:2567")).toBe(false);
  });
});
