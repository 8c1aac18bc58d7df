import type { GameClock } from "../../net/clock.ts";
import type { Snapshot } from "../../net/snapshot.ts";
import type { Shapes } from "../shape-recorder.ts";
import type { TextWeight } from "../html-layer.ts";

/** Okabe–Ito: distinguishable with every common colour-vision deficiency. Always pair a colour with words or a glyph. */
export const COLOR = {
  bg: 0x0f1720,
  panel: 0x18222e,
  card: 0x0b1118,
  track: 0x2a3642,
  text: 0xf5f7fa,
  muted: 0xb8c2cc,
  orange: 0xe69f00,
  sky: 0x56b4e9,
  green: 0x009e73,
  yellow: 0xf0e442,
  blue: 0x0072b2,
  vermillion: 0xd55e00,
  purple: 0xcc79a7,
  grey: 0x5b6770,
} as const;

/**
 * What a lane draws with. Coordinates are on the 1920×1080 board; text sizes in board pixels
 * (at least 20 so the back row can read them). `text` keys must be stable from frame to frame
 * (e.g. `ch-${id}`): only changed words are written. `g` records shapes; the canvas is drawn again
 * only when a frame's shapes differ from the last one's, so draw what moves with the clock (a window
 * running out, a proof's progress) with `meter`, which is HTML and costs the canvas nothing.
 */
export interface LaneContext {
  g: Shapes;
  /** Words stay inside the lane (cut with "…" at its edge); `maxWidth` board px cuts them sooner, e.g. to a card. */
  text(key: string, text: string, x: number, y: number, size: number, fill?: number, weight?: TextWeight, anchorX?: number, maxWidth?: number): void;
  /** A w × h bar filled from the left to `fraction` (0–1) in `fill`, over `track` (COLOR.track by default). */
  meter(key: string, x: number, y: number, w: number, h: number, fraction: number, fill: number, track?: number): void;
  s: Snapshot;
  clock: GameClock;
  /** The lane's area: below the L1 panel, left of the leaderboard. */
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * A scenario's part of the projector, drawn below L1 (which every scenario shares) in place of the
 * optimistic rollup's L2 lane and disputes. Parse `s.world.module` once per call (it is small).
 */
export interface Lane {
  /** Subtitle under the title, e.g. "state channels". */
  subtitle: string;
  draw(ctx: LaneContext): void;
  /** Role colours for the leaderboard's bars (roles not listed are sky). */
  roleColors?: Record<string, number>;
}
