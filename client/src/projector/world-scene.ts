import { Application, Container, Graphics } from "pixi.js";
import { nameOf } from "../net/snapshot.ts";
import type { BatchSnap, DisputeSnap, PlayerSnap, Snapshot } from "../net/snapshot.ts";
import type { GameClock } from "../net/clock.ts";
import { formatClock } from "../ui/format.ts";
import { SCENARIO_LABEL } from "../../../shared/protocol/messages.ts";
import type { Scenario } from "../../../shared/protocol/messages.ts";
import { batchCardLabel, batchCardLoss } from "./batch-card.ts";
import { limitBatchTextures } from "./batch-textures.ts";
import { LANES } from "./lanes/index.ts";
import { COLOR } from "./lanes/lane.ts";
import type { Lane } from "./lanes/lane.ts";
import { leaders } from "./leaders.ts";
import type { Leaders } from "./leaders.ts";
import { ShapeRecorder } from "./shape-recorder.ts";
import { HtmlLayer } from "./html-layer.ts";
import type { TextWeight } from "./html-layer.ts";

/** The scene is laid out on a 1920×1080 board and scaled to the screen. */
const BOARD_W = 1920;
const BOARD_H = 1080;
const BLOCKS_SHOWN = 8;
const BLOCK_PITCH = 122;
const BLOCK_W = 104;
const BATCHES_SHOWN = 5;
const SCROLL_MS = 450;
/** Animation frames are paced (ms): a software-rendered projector PC falls behind at 60 fps. */
const ANIMATION_FRAME_MS = 50;
/** Students named on the leaderboard; the rest of a lecture hall is counted below them. */
const LEADERS_SHOWN = 10;

/** A count for the back row: 1,990 rather than 1990. */
const count = (n: number) => n.toLocaleString("en");

/** Metrics the client benchmark reads from `window.__l2arena` (each list capped, most recent last). */
export interface SceneMetrics {
  /** Frames built (the scene builds on demand, not on every animation frame): words updated, shapes compared. */
  renders: number;
  /** Of those, frames whose shapes changed, so the WebGL canvas was drawn again. */
  canvasRenders: number;
  /** Building the frame (lanes, words, shape comparison), ms per frame built. */
  drawMs: number[];
  /** The WebGL renderer drawing the canvas, ms per canvas render. */
  renderMs: number[];
  /** Patch arrival → end of the frame that showed it, ms. */
  latencies: number[];
}

const METRIC_CAP = 5_000;

function push(list: number[], value: number): void {
  list.push(value);
  if (list.length > METRIC_CAP) list.splice(0, METRIC_CAP / 5);
}

/**
 * The projector's world: L1 blocks scrolling with their fullness and the base-fee line, the L2
 * lane (soft-confirmed transactions, batches counting down their challenge window), disputes as
 * the bisection range narrowing step by step, a big timer and the top-10 leaderboard.
 *
 * What a frame costs follows what changed (docs/performance.md, Projector): a frame is built only
 * after a patch, when the timer's second turns or while blocks scroll; its words and the meters that
 * empty with time are HTML (html-layer.ts), written only where they changed; its shapes are recorded
 * and the WebGL canvas is drawn again only when they differ from the last frame's (shape-recorder.ts). What it draws is
 * capped whatever the class's size: 8 blocks, 5 batches, 2 disputes, the top 10 students, and
 * counts for everyone else.
 */
export class WorldScene {
  readonly app = new Application();
  readonly metrics: SceneMetrics = { renders: 0, canvasRenders: 0, drawMs: [], renderMs: [], latencies: [] };
  private readonly board = new Container();
  private readonly graphics = new Graphics();
  private readonly shapes = new ShapeRecorder();
  private texts: HtmlLayer | null = null;
  private readonly clock: GameClock;
  private readonly reducedMotion: boolean;
  private readonly antialias: boolean;
  private snapshot: Snapshot | null = null;
  private active = true;
  private dirty = true;
  private drawnClock = "";
  private drawnWidth = 0;
  private drawnHeight = 0;
  private frameRequest = 0;
  private lastRenderAt = 0;
  private lastHeight = -1;
  private scrollStart = -Infinity;
  /** Every [lo, hi] each dispute has been through, to draw the narrowing. */
  private readonly rangeHistory = new Map<number, [number, number][]>();
  private pendingPatchAt: number | null = null;
  /** The leaderboard and the challengers, worked out again only when the players changed. */
  private leadersOf: Record<string, PlayerSnap> | null = null;
  private leaders: Leaders = { top: [], students: 0, bots: 0 };
  private watchers = 0;

  constructor(clock: GameClock, options: { reducedMotion: boolean; antialias: boolean }) {
    this.clock = clock;
    this.reducedMotion = options.reducedMotion;
    this.antialias = options.antialias;
    this.board.addChild(this.graphics);
  }

  async mount(host: HTMLElement): Promise<void> {
    limitBatchTextures(1);
    // No automatic ticker: the scene renders on demand (a patch, the clock's second, an animation),
    // which keeps a school laptop or a software-rendered projector PC cool and responsive.
    await this.app.init({
      background: COLOR.bg,
      resizeTo: host,
      antialias: this.antialias,
      autoDensity: true,
      resolution: Math.min(2, window.devicePixelRatio || 1),
      autoStart: false,
      sharedTicker: false,
    });
    this.app.ticker.stop();
    this.app.canvas.setAttribute("aria-hidden", "true");
    host.appendChild(this.app.canvas);
    this.texts = new HtmlLayer(host);
    this.app.stage.addChild(this.board);
    const loop = () => {
      this.frameRequest = requestAnimationFrame(loop);
      this.frame();
    };
    this.frameRequest = requestAnimationFrame(loop);
  }

  /**
   * A new state; `patchedAt` is when its first patch arrived (performance.now()). Drawn at once:
   * the snapshot is made in an animation frame, so the patch reaches the screen in that frame, not
   * the next one.
   */
  setSnapshot(s: Snapshot, patchedAt: number | null): void {
    this.snapshot = s;
    this.dirty = true;
    if (patchedAt !== null) this.pendingPatchAt ??= patchedAt;
    for (const d of s.world.disputes) {
      const history = this.rangeHistory.get(d.id) ?? [];
      const last = history.at(-1);
      if (!last || last[0] !== d.lo || last[1] !== d.hi) history.push([d.lo, d.hi]);
      this.rangeHistory.set(d.id, history);
    }
    this.frame();
  }

  /** Draws only while shown: a hidden canvas (lobby, debrief) costs nothing. */
  setActive(active: boolean): void {
    if (active && !this.active) this.dirty = true;
    this.active = active;
  }

  destroy(): void {
    cancelAnimationFrame(this.frameRequest);
    this.texts?.destroy();
    this.app.destroy(true, { children: true });
  }

  /** One animation frame: build it if anything on screen would change, draw the canvas if its shapes did. */
  private frame(): void {
    if (!this.active || !this.snapshot || !this.texts) return;
    const { width, height } = this.app.screen;
    const clockText = formatClock(this.clock.remaining());
    const now = performance.now();
    const animating = now - this.scrollStart < SCROLL_MS + ANIMATION_FRAME_MS && now - this.lastRenderAt >= ANIMATION_FRAME_MS;
    if (!this.dirty && !animating && clockText === this.drawnClock && width === this.drawnWidth && height === this.drawnHeight) return;
    const resized = width !== this.drawnWidth || height !== this.drawnHeight;
    this.lastRenderAt = now;
    this.dirty = false;
    this.drawnClock = clockText;
    this.drawnWidth = width;
    this.drawnHeight = height;
    const began = performance.now();
    this.build(this.snapshot, this.texts);
    const built = performance.now();
    this.metrics.renders += 1;
    push(this.metrics.drawMs, built - began);
    let shown = built;
    if (resized || this.shapes.changed()) {
      this.shapes.commit(this.graphics);
      this.app.render();
      shown = performance.now();
      this.metrics.canvasRenders += 1;
      push(this.metrics.renderMs, shown - built);
    }
    // The frame holding the newest patch has been drawn: that patch has reached the screen.
    if (this.pendingPatchAt !== null) {
      push(this.metrics.latencies, shown - this.pendingPatchAt);
      this.pendingPatchAt = null;
    }
  }

  private build(s: Snapshot, texts: HtmlLayer): void {
    const { width, height } = this.app.screen;
    const scale = Math.min(width / BOARD_W, height / BOARD_H);
    const x = (width - BOARD_W * scale) / 2;
    const y = (height - BOARD_H * scale) / 2;
    this.board.scale.set(scale);
    this.board.position.set(x, y);
    texts.place(scale, x, y);
    this.shapes.begin();
    texts.begin();
    const lane = LANES[s.scenario as Scenario] ?? null;
    this.drawHeader(s, lane);
    this.drawL1(s);
    if (s.scenario === "optimistic" || s.scenario === "") {
      this.drawL2(s);
      this.drawDisputes(s);
    } else if (lane) {
      const area = { x: 24, y: 512, w: 1290, h: 560 };
      // However long a count or a name gets, words stay inside the lane's panel.
      const room = (tx: number, anchorX: number) => {
        const left = tx - area.x;
        const right = area.x + area.w - tx;
        return anchorX === 0 ? right : anchorX === 1 ? left : 2 * Math.min(left, right);
      };
      const text = (key: string, words: string, tx: number, ty: number, size: number, fill: number = COLOR.text, weight: TextWeight = "normal", anchorX = 0, maxWidth = Infinity) =>
        texts.put(`lane-${key}`, words, tx, ty, size, fill, weight, anchorX, Math.min(maxWidth, room(tx, anchorX)));
      const meter = (key: string, mx: number, my: number, mw: number, mh: number, fraction: number, fill: number, track: number = COLOR.track) => texts.meter(`lane-${key}`, mx, my, mw, mh, fraction, fill, track);
      lane.draw({ g: this.shapes, text, meter, s, clock: this.clock, ...area });
    }
    this.drawLeaderboard(s, lane);
    texts.end();
  }

  /** Puts a text on the board (top-left at x, y unless anchored). */
  private put(key: string, words: string, x: number, y: number, size: number, fill: number = COLOR.text, weight: TextWeight = "normal", anchorX = 0): void {
    this.texts?.put(key, words, x, y, size, fill, weight, anchorX);
  }

  /** The leaderboard and the number of challengers, from the players (recounted only when they changed). */
  private crowd(s: Snapshot): { leaders: Leaders; watchers: number } {
    if (this.leadersOf !== s.players) {
      this.leadersOf = s.players;
      this.leaders = leaders(s.players, LEADERS_SHOWN);
      let watchers = 0;
      for (const id in s.players) if ((s.players[id]!.roundRole || s.players[id]!.role) === "challenger") watchers += 1;
      this.watchers = watchers;
    }
    return { leaders: this.leaders, watchers: this.watchers };
  }

  private drawHeader(s: Snapshot, lane: Lane | null): void {
    const t = this;
    t.put("title", `L2 ARENA · ${s.code}`, 40, 22, 40, COLOR.text, "bold");
    const label = lane?.subtitle ?? SCENARIO_LABEL[s.scenario as Scenario] ?? "optimistic rollup";
    t.put("subtitle", `Round ${s.roundIndex + 1} of ${s.roundCount} · ${label}`, 40, 72, 26, COLOR.muted);
    const remaining = this.clock.remaining();
    const low = remaining < 30_000;
    t.put("timer", formatClock(remaining), BOARD_W - 40, 8, 96, low ? COLOR.orange : COLOR.text, "bold", 1);
    if (s.phase === "paused") t.put("paused", "‖ PAUSED", BOARD_W - 300, 40, 44, COLOR.yellow, "bold", 1);
  }

  private drawL1(s: Snapshot): void {
    const g = this.shapes;
    const t = this;
    const w = s.world;
    const x0 = 40;
    const top = 130;
    g.roundRect(x0 - 16, top - 8, 1290, 370, 12).fill({ color: COLOR.panel });
    t.put("l1-title", `L1 · block #${w.l1Height} · base fee ${w.baseFee} gwei · ${w.l1MempoolSize} tx waiting`, x0, top, 34, COLOR.text, "bold");
    const blocks = w.blocks.slice(-BLOCKS_SHOWN);
    const newest = blocks.at(-1)?.height ?? -1;
    if (newest !== this.lastHeight) {
      if (this.lastHeight >= 0 && !this.reducedMotion) this.scrollStart = performance.now();
      this.dirty = true;
      this.lastHeight = newest;
    }
    const progress = this.reducedMotion ? 1 : Math.min(1, (performance.now() - this.scrollStart) / SCROLL_MS);
    const offset = (1 - (1 - progress) ** 3) * BLOCK_PITCH - BLOCK_PITCH;
    const blockTop = top + 56;
    const blockH = 170;
    const right = 1310;
    blocks.forEach((b, i) => {
      const x = right - (blocks.length - i) * BLOCK_PITCH - offset;
      if (x < x0 + 150 || x + BLOCK_W > right) return;
      const full = Math.min(1, b.gasLimit ? b.gasUsed / b.gasLimit : 0);
      g.roundRect(x, blockTop, BLOCK_W, blockH, 6).fill({ color: 0x0b1118 }).stroke({ width: 3, color: COLOR.muted });
      const fillH = (blockH - 6) * full;
      if (fillH > 0) g.rect(x + 3, blockTop + blockH - 3 - fillH, BLOCK_W - 6, fillH).fill({ color: full > 0.5 ? COLOR.orange : COLOR.sky });
      // EIP-1559 target: half full.
      for (let dx = 0; dx < BLOCK_W; dx += 12) g.moveTo(x + dx, blockTop + blockH / 2).lineTo(x + Math.min(BLOCK_W, dx + 6), blockTop + blockH / 2);
      g.stroke({ width: 2, color: COLOR.text, alpha: 0.8 });
      t.put(`block-${b.height}`, `#${b.height}`, x + BLOCK_W / 2, blockTop + blockH + 6, 24, COLOR.text, "bold", 0.5);
      t.put(`block-tx-${b.height}`, `${b.txCount} tx`, x + BLOCK_W / 2, blockTop + blockH + 34, 22, COLOR.muted, "normal", 0.5);
    });
    // Base-fee line under the blocks, scaled so a 12.5 % step looks like one.
    const lineTop = blockTop + blockH + 78;
    const lineH = 44;
    const fees = blocks.map((b) => b.baseFee);
    const low = Math.min(...fees, w.baseFee) * 0.8;
    const high = Math.max(...fees, w.baseFee) * 1.2;
    const yOf = (fee: number) => lineTop + lineH - (lineH * (fee - low)) / Math.max(1, high - low);
    const xOf = (i: number) => right - (blocks.length - i) * BLOCK_PITCH - offset + BLOCK_W / 2;
    let started = false;
    blocks.forEach((b, i) => {
      if (xOf(i) < x0 + 150 || xOf(i) > right) return;
      if (!started) g.moveTo(xOf(i), yOf(b.baseFee));
      else g.lineTo(xOf(i), yOf(b.baseFee));
      started = true;
    });
    if (started) g.stroke({ width: 5, color: COLOR.vermillion });
    blocks.forEach((b, i) => {
      if (xOf(i) < x0 + 150 || xOf(i) > right) return;
      g.circle(xOf(i), yOf(b.baseFee), 7).fill({ color: COLOR.vermillion });
      t.put(`fee-${b.height}`, String(b.baseFee), xOf(i) + 10, yOf(b.baseFee) - 32, 24, COLOR.text);
    });
    t.put("fee-label", "base fee", x0, lineTop + 4, 28, COLOR.vermillion, "bold");
    t.put("fee-unit", "(gwei/gas)", x0, lineTop + 36, 24, COLOR.muted);
    // Legend: colour and words.
    const legendY = blockTop + 4;
    g.rect(x0, legendY + 4, 22, 22).fill({ color: COLOR.orange });
    t.put("legend-over", "over half full", x0 + 30, legendY - 2, 26, COLOR.text);
    g.rect(x0, legendY + 40, 22, 22).fill({ color: COLOR.sky });
    t.put("legend-under", "under half", x0 + 30, legendY + 34, 26, COLOR.text);
    for (let dx = 0; dx < 22; dx += 8) g.moveTo(x0 + dx, legendY + 86).lineTo(x0 + dx + 4, legendY + 86);
    g.stroke({ width: 2, color: COLOR.text });
    t.put("legend-target", "target", x0 + 30, legendY + 70, 26, COLOR.text);
  }

  private drawL2(s: Snapshot): void {
    const g = this.shapes;
    const t = this;
    const w = s.world;
    const x0 = 40;
    const top = 520;
    g.roundRect(x0 - 16, top - 8, 1290, 250, 12).fill({ color: COLOR.panel });
    t.put("l2-title", `L2 · sequencer ${nameOf(s, w.sequencer) || "—"} · ${w.softCount} soft-confirmed · ${w.l2MempoolSize} in mempool`, x0, top, 34, COLOR.text, "bold");
    // Soft-confirmed transactions waiting for the next batch: a pile of squares.
    const pileTop = top + 60;
    const shown = Math.min(w.softCount, 40);
    for (let i = 0; i < shown; i++) {
      g.rect(x0 + (i % 8) * 22, pileTop + Math.floor(i / 8) * 22, 18, 18).fill({ color: COLOR.green });
    }
    t.put("soft-label", w.softCount > 40 ? `+${w.softCount - 40} more` : "next batch", x0, pileTop + 120, 22, COLOR.muted);
    const batches = w.batches.slice(-BATCHES_SHOWN);
    const cardW = 190;
    const cardH = 150;
    const cardTop = top + 58;
    batches.forEach((b, i) => this.drawBatch(s, b, x0 + 220 + i * (cardW + 14), cardTop, cardW, cardH));
    if (batches.length === 0) t.put("no-batches", "No batches posted yet", x0 + 240, cardTop + 50, 28, COLOR.muted);
  }

  private drawBatch(s: Snapshot, b: BatchSnap, x: number, y: number, w: number, h: number): void {
    const g = this.shapes;
    const t = this;
    const colors: Record<string, number> = { submitted: COLOR.grey, posted: COLOR.sky, final: COLOR.green, reverted: COLOR.vermillion };
    const color = b.fraudFinal ? COLOR.vermillion : colors[b.status] ?? COLOR.grey;
    g.roundRect(x, y, w, h, 10).fill({ color: 0x0b1118 }).stroke({ width: b.disputed ? 7 : 4, color: b.disputed ? COLOR.orange : color });
    t.put(`batch-${b.id}`, `#${b.id}`, x + 14, y + 10, 34, COLOR.text, "bold");
    t.put(`batch-tx-${b.id}`, `${b.txCount} tx`, x + w - 14, y + 16, 26, COLOR.muted, "normal", 1);
    // A fraud that went final is no secret any more: it says so, in red, instead of a green "final".
    const label = batchCardLabel(b);
    // 22 px bold fits the 190 px card up to "window open"; "✗ FRAUD FINAL" at 22 px ran over the
    // card's right edge (seen in the fraud-final screenshot), so the longer labels take 19 px.
    t.put(`batch-label-${b.id}`, label, x + 14, y + 56, label.length > 11 ? 19 : 22, b.disputed ? COLOR.orange : b.status === "reverted" || b.fraudFinal ? COLOR.vermillion : b.status === "final" ? COLOR.green : COLOR.text, "bold");
    const loss = batchCardLoss(b);
    if (loss) t.put(`batch-stolen-${b.id}`, loss, x + 14, y + 88, 22, COLOR.vermillion);
    if (b.status === "posted" && s.world.challengeWindowMs > 0) {
      // The challenge window running out: a shrinking bar and the seconds left.
      const left = Math.max(0, b.windowEndsMs - this.clock.now());
      const frac = Math.min(1, left / s.world.challengeWindowMs);
      t.put(`batch-left-${b.id}`, `${Math.ceil(left / 1000)} s left`, x + 14, y + 88, 22, COLOR.muted);
      this.texts?.meter(`batch-window-${b.id}`, x + 14, y + h - 28, w - 28, 16, frac, COLOR.sky, COLOR.track);
    }
  }

  private drawDisputes(s: Snapshot): void {
    const g = this.shapes;
    const t = this;
    const x0 = 40;
    const top = 790;
    g.roundRect(x0 - 16, top - 8, 1290, 282, 12).fill({ color: COLOR.panel });
    const disputes = [...s.world.disputes].sort((a, b) => Number(b.status === "open") - Number(a.status === "open") || b.id - a.id).slice(0, 2);
    // Only say someone is watching when someone plays challenger this round.
    const { watchers } = this.crowd(s);
    const idle = watchers === 0 ? "Fraud proofs: no challenger this round: nobody is watching the sequencer!" : `Fraud proofs: no dispute yet. ${count(watchers)} challenger${watchers === 1 ? " is" : "s are"} watching…`;
    t.put("disputes-title", disputes.length ? "Fraud proofs: bisection" : idle, x0, top, 34, disputes.length || watchers ? COLOR.text : COLOR.orange, "bold");
    disputes.forEach((d, i) => this.drawDispute(s, d, x0, top + 56 + i * 112));
  }

  private drawDispute(s: Snapshot, d: DisputeSnap, x0: number, y: number): void {
    const g = this.shapes;
    const t = this;
    const status = d.status === "open"
      ? d.turn === "proof" ? "one step left: L1 decides" : `${d.turn === "challenger" ? nameOf(s, d.challenger) : nameOf(s, d.defender)} to move · ${Math.max(0, Math.ceil((d.deadlineMs - this.clock.now()) / 1000))} s`
      : d.status === "challenger-won" ? (d.endedBy === "timeout" ? "✓ challenger won (sequencer timed out)" : "✓ challenger won (L1 checked the step)")
      : d.status === "defender-won" ? (d.endedBy === "timeout" ? "✗ sequencer won (challenger timed out)" : "✗ sequencer won (L1 checked the step)") : "called off";
    const color = d.status === "challenger-won" ? COLOR.green : d.status === "defender-won" ? COLOR.vermillion : COLOR.orange;
    t.put(`dispute-${d.id}`, `#${d.id} batch #${d.batchId} · ${nameOf(s, d.challenger)} vs ${nameOf(s, d.defender)} · steps ${d.lo}–${d.hi}/${d.steps} · ${status}`, x0, y, 26, color, "bold");
    const barX = x0;
    const barW = 1240;
    const steps = Math.max(1, d.steps);
    const history = this.rangeHistory.get(d.id) ?? [[d.lo, d.hi]];
    const rowH = Math.min(14, 64 / history.length);
    // The trace's axis: a thin line with a tick per step (when they fit).
    g.rect(barX, y + 42, barW, 2).fill({ color: COLOR.muted });
    if (steps <= 64) for (let i = 0; i <= steps; i++) g.rect(barX + (barW * i) / steps - 1, y + 36, 2, 8).fill({ color: COLOR.muted });
    history.forEach(([lo, hi], i) => {
      const current = i === history.length - 1;
      g.rect(barX + (barW * lo) / steps, y + 50 + i * rowH, Math.max(6, (barW * (hi - lo)) / steps), rowH - 2).fill({ color: current ? color : COLOR.muted, alpha: current ? 1 : 0.55 });
    });
    if (d.status === "open" && d.turn !== "proof") {
      const mid = Math.floor((d.lo + d.hi) / 2);
      g.rect(barX + (barW * mid) / steps - 2, y + 32, 4, 20).fill({ color: COLOR.yellow });
    }
  }

  private drawLeaderboard(s: Snapshot, lane: Lane | null): void {
    const g = this.shapes;
    const t = this;
    const x0 = 1350;
    const top = 130;
    g.roundRect(x0 - 16, top - 8, 546, 950, 12).fill({ color: COLOR.panel });
    t.put("lb-title", "Leaderboard", x0, top, 38, COLOR.text, "bold");
    // Students only: bots fill roles, they are counted apart and never ranked. A lecture hall is
    // its top ten and two counts: what is drawn does not grow with the class.
    const { top: ranked, students, bots } = this.crowd(s).leaders;
    ranked.forEach((p, i) => {
      const y = top + 60 + i * 80;
      const role = p.roundRole || p.role;
      const roleColor = lane?.roleColors?.[role] ?? (role === "sequencer" ? COLOR.orange : role === "challenger" ? COLOR.purple : COLOR.sky);
      g.roundRect(x0, y + 6, 12, 60, 4).fill({ color: roleColor });
      const name = p.name.length > 14 ? `${p.name.slice(0, 13)}…` : p.name;
      t.put(`lb-name-${i}`, `${i + 1}. ${name}`, x0 + 26, y, 36, COLOR.text, "bold");
      t.put(`lb-role-${i}`, role || "—", x0 + 26, y + 44, 22, COLOR.muted);
      t.put(`lb-score-${i}`, String(p.score), x0 + 510, y + 8, 40, COLOR.text, "bold", 1);
    });
    const others = students - ranked.length;
    const foot = [others > 0 ? `+${count(others)} more student${others === 1 ? "" : "s"}` : "", bots > 0 ? `${count(bots)} bot${bots === 1 ? "" : "s"} playing (not ranked)` : ""].filter(Boolean).join(" · ");
    if (foot) t.put("lb-foot", foot, x0, top + 60 + LEADERS_SHOWN * 80 + 16, 24, COLOR.muted);
    if (ranked.length === 0) t.put("lb-empty", "No students yet", x0, top + 70, 30, COLOR.muted);
  }
}
