import { describe, expect, it } from "vitest";
import { PatchClock } from "../../server/room/patch-clock.ts";

/** A room that notes when it patched. */
const room = (name: string, log: string[]) => ({ broadcastPatch: () => log.push(name) });

describe("the patch clock", () => {
  it("patches each room once a period in its own slot, and after a stall each room once, not a backlog", () => {
    const log: string[] = [];
    let stopped = false;
    const clock = new PatchClock(100, 10, (error) => { throw error; }, () => () => { stopped = true; });
    const start = Math.floor(Date.now() / 10) * 10;
    const rooms = Array.from({ length: 20 }, (_, i) => room(`r${i}`, log));
    for (const r of rooms) clock.add(r);
    clock.step(start);
    // Each 10 ms slot holds two rooms: a step runs only the slot just entered.
    const perStep: string[][] = [];
    for (let ms = 10; ms <= 100; ms += 10) {
      log.length = 0;
      clock.step(start + ms);
      perStep.push([...log]);
    }
    expect(perStep.every((names) => names.length === 2)).toBe(true);
    expect(new Set(perStep.flat()).size).toBe(20);
    // The process stalls for 3 s: the next step patches every room once.
    log.length = 0;
    clock.step(start + 3_100);
    expect(log.sort()).toEqual(rooms.map((_, i) => `r${i}`).sort());
    // Then back to two a step, in the same slots as before the stall.
    log.length = 0;
    clock.step(start + 3_110);
    expect(log).toEqual(perStep[0]);
    for (const r of rooms) clock.remove(r);
    expect(stopped).toBe(true);
  });

  it("a room that throws is reported and the others still patch", () => {
    const log: string[] = [];
    const errors: unknown[] = [];
    const clock = new PatchClock(100, 1, (error) => errors.push(error), () => () => undefined);
    clock.add({ broadcastPatch: () => { throw new Error("boom"); } });
    clock.add(room("ok", log));
    clock.step(Date.now() + 100);
    expect(log).toEqual(["ok"]);
    expect(errors).toHaveLength(1);
  });
});
