import type { Graphics } from "pixi.js";

export interface FillStyle {
  color: number;
  alpha?: number;
}

export interface StrokeStyle {
  width: number;
  color: number;
  alpha?: number;
}

/** The drawing calls the projector's scene and lanes use (a subset of Pixi's Graphics), board pixels. */
export interface Shapes {
  rect(x: number, y: number, w: number, h: number): Shapes;
  roundRect(x: number, y: number, w: number, h: number, radius: number): Shapes;
  circle(x: number, y: number, radius: number): Shapes;
  moveTo(x: number, y: number): Shapes;
  lineTo(x: number, y: number): Shapes;
  fill(style: FillStyle): Shapes;
  stroke(style: StrokeStyle): Shapes;
}

const RECT = 1;
const ROUND_RECT = 2;
const CIRCLE = 3;
const MOVE_TO = 4;
const LINE_TO = 5;
const FILL = 6;
const STROKE = 7;

/** Coordinates kept to a quarter of a board pixel: finer than the screen shows, so a bar 0.01 px shorter is no change. */
const q = (v: number) => Math.round(v * 4) / 4;

/**
 * Records a frame's shapes as a flat list of numbers, so the scene can tell whether the picture
 * changed at all: a WebGL render of the 1920×1080 canvas costs tens of ms of CPU in software WebGL,
 * so the canvas is redrawn only when its shapes differ from the last frame's (`commit`), and a
 * frame where only words changed costs the canvas nothing.
 */
export class ShapeRecorder implements Shapes {
  private ops: number[] = [];
  private drawn: number[] = [];

  begin(): void {
    this.ops = [];
  }

  rect(x: number, y: number, w: number, h: number): this {
    this.ops.push(RECT, q(x), q(y), q(w), q(h));
    return this;
  }

  roundRect(x: number, y: number, w: number, h: number, radius: number): this {
    this.ops.push(ROUND_RECT, q(x), q(y), q(w), q(h), radius);
    return this;
  }

  circle(x: number, y: number, radius: number): this {
    this.ops.push(CIRCLE, q(x), q(y), radius);
    return this;
  }

  moveTo(x: number, y: number): this {
    this.ops.push(MOVE_TO, q(x), q(y));
    return this;
  }

  lineTo(x: number, y: number): this {
    this.ops.push(LINE_TO, q(x), q(y));
    return this;
  }

  fill(style: FillStyle): this {
    this.ops.push(FILL, style.color, style.alpha ?? 1);
    return this;
  }

  stroke(style: StrokeStyle): this {
    this.ops.push(STROKE, style.width, style.color, style.alpha ?? 1);
    return this;
  }

  /** Whether this frame's shapes differ from the ones last committed. */
  changed(): boolean {
    const a = this.ops;
    const b = this.drawn;
    if (a.length !== b.length) return true;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return true;
    return false;
  }

  /** Draws this frame's shapes into `g` (cleared first) and remembers them as drawn. */
  commit(g: Graphics): void {
    g.clear();
    const o = this.ops;
    let i = 0;
    const n = () => o[i++]!;
    while (i < o.length) {
      switch (n()) {
        case RECT: g.rect(n(), n(), n(), n()); break;
        case ROUND_RECT: g.roundRect(n(), n(), n(), n(), n()); break;
        case CIRCLE: g.circle(n(), n(), n()); break;
        case MOVE_TO: g.moveTo(n(), n()); break;
        case LINE_TO: g.lineTo(n(), n()); break;
        case FILL: g.fill({ color: n(), alpha: n() }); break;
        case STROKE: g.stroke({ width: n(), color: n(), alpha: n() }); break;
        default: throw new Error(`shape recorder: unknown op at ${i - 1}`);
      }
    }
    this.drawn = o;
  }

  /** Forgets what was drawn: the next frame commits whatever it records (a resize, a new canvas). */
  invalidate(): void {
    this.drawn = [];
  }
}
