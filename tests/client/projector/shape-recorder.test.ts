import { describe, expect, it } from "vitest";
import type { Graphics } from "pixi.js";
import { ShapeRecorder } from "../../../client/src/projector/shape-recorder.ts";

/** A stand-in for Pixi's Graphics that writes down the calls it gets. */
function fakeGraphics(): { g: Graphics; calls: string[] } {
  const calls: string[] = [];
  const g = new Proxy({}, {
    get: (_target, name) => (...args: unknown[]) => {
      calls.push(`${String(name)}(${args.map((a) => JSON.stringify(a)).join(", ")})`);
      return g;
    },
  }) as unknown as Graphics;
  return { g, calls };
}

/** The same small picture every time, with a bar `w` wide. */
function picture(r: ShapeRecorder, w: number): void {
  r.begin();
  r.roundRect(10, 20, 300, 100, 12).fill({ color: 0x18222e });
  r.rect(14, 90, w, 16).fill({ color: 0x56b4e9, alpha: 0.5 }).stroke({ width: 2, color: 0xf5f7fa });
  r.moveTo(0, 0).lineTo(5, 5);
  r.stroke({ width: 3, color: 0xd55e00 });
  r.circle(7, 8, 9).fill({ color: 0x009e73 });
}

describe("the projector's shape recorder: draw the canvas again only when the picture changed", () => {
  it("replays a frame's shapes into the Graphics, in order, after clearing it", () => {
    const r = new ShapeRecorder();
    const { g, calls } = fakeGraphics();
    picture(r, 120);
    expect(r.changed()).toBe(true);
    r.commit(g);
    expect(calls).toEqual([
      "clear()",
      "roundRect(10, 20, 300, 100, 12)", 'fill({"color":1581614,"alpha":1})',
      "rect(14, 90, 120, 16)", 'fill({"color":5682409,"alpha":0.5})', 'stroke({"width":2,"color":16119802,"alpha":1})',
      "moveTo(0, 0)", "lineTo(5, 5)", 'stroke({"width":3,"color":13983232,"alpha":1})',
      "circle(7, 8, 9)", 'fill({"color":40563,"alpha":1})',
    ]);
  });

  it("sees no change in the same picture, nor in a bar a hundredth of a pixel shorter, and sees a bar a pixel shorter", () => {
    const r = new ShapeRecorder();
    const { g } = fakeGraphics();
    picture(r, 120);
    r.commit(g);
    picture(r, 120);
    expect(r.changed()).toBe(false);
    picture(r, 119.99);
    expect(r.changed()).toBe(false);
    picture(r, 119);
    expect(r.changed()).toBe(true);
    r.commit(g);
    picture(r, 119);
    expect(r.changed()).toBe(false);
  });

  it("sees a shape more or less, and a new colour, as a change; and everything after invalidate", () => {
    const r = new ShapeRecorder();
    const { g } = fakeGraphics();
    picture(r, 120);
    r.commit(g);
    picture(r, 120);
    r.rect(0, 0, 1, 1).fill({ color: 0 });
    expect(r.changed()).toBe(true);
    r.begin();
    r.roundRect(10, 20, 300, 100, 12).fill({ color: 0x000000 });
    expect(r.changed()).toBe(true);
    picture(r, 120);
    r.invalidate();
    expect(r.changed()).toBe(true);
  });
});
