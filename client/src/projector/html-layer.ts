import "./html-layer.css";

/** Font weights the scene uses. */
export type TextWeight = "normal" | "bold";

interface Placed {
  el: HTMLElement;
  x: number;
  y: number;
}

interface Words extends Placed {
  text: string;
  size: number;
  fill: number;
  weight: TextWeight;
  anchorX: number;
  maxWidth: number;
}

interface Meter extends Placed {
  fillEl: HTMLElement;
  w: number;
  h: number;
  /** Filled width, board px. */
  filled: number;
  fill: number;
  track: number;
}

const css = (color: number) => `#${color.toString(16).padStart(6, "0")}`;

/**
 * What changes often on the projector, as HTML laid over the canvas on the same 1920×1080 board:
 * every word, and the meters that empty with time (challenge windows, exit periods, proving). In
 * software WebGL (docs/performance.md, Projector) a changed Pixi Text cost a canvas raster, a
 * texture upload and a full-screen WebGL render, about 100 ms of the GPU process's CPU, and a bar
 * a pixel shorter cost the full render too; a changed span or div costs the browser a re-raster of
 * its own tile, about 1 ms. So a new score or a ticking countdown never redraws the canvas.
 * Keys are stable from frame to frame (`block-${height}`): only what changed is written to the DOM,
 * and a key not drawn in a frame is removed.
 */
export class HtmlLayer {
  readonly el: HTMLDivElement;
  private readonly words = new Map<string, Words>();
  private readonly meters = new Map<string, Meter>();
  private readonly used = new Set<string>();
  private placed = "";

  constructor(host: HTMLElement) {
    this.el = document.createElement("div");
    this.el.className = "projector-html";
    // The canvas is aria-hidden too: the picture's words make no sense read out of their places.
    this.el.setAttribute("aria-hidden", "true");
    host.appendChild(this.el);
  }

  /** Scales the board (1920×1080 board pixels) to the screen, as the canvas's board is. */
  place(scale: number, x: number, y: number): void {
    const transform = `translate(${x}px, ${y}px) scale(${scale})`;
    if (transform === this.placed) return;
    this.placed = transform;
    this.el.style.transform = transform;
  }

  begin(): void {
    this.used.clear();
  }

  /**
   * Words whose top is at (x, y) on the board; `anchorX` 0, 0.5 or 1 puts x at their left, centre or right.
   * Words wider than `maxWidth` board px end in "…" where the browser measures they must (a name or a count
   * the lane did not expect never runs into its neighbour or off the panel).
   */
  put(key: string, text: string, x: number, y: number, size: number, fill: number, weight: TextWeight, anchorX: number, maxWidth = Infinity): void {
    this.used.add(key);
    let item = this.words.get(key);
    if (!item) {
      item = { el: this.add("span", key), x: NaN, y: NaN, text: "", size: NaN, fill: NaN, weight: "normal", anchorX: 0, maxWidth: Infinity };
      this.words.set(key, item);
    }
    const { el } = item;
    this.move(item, x, y);
    if (item.text !== text) el.textContent = item.text = text;
    if (item.size !== size) el.style.fontSize = `${(item.size = size)}px`;
    if (item.fill !== fill) el.style.color = css((item.fill = fill));
    if (item.weight !== weight) el.style.fontWeight = item.weight = weight;
    if (item.anchorX !== anchorX) el.style.transform = (item.anchorX = anchorX) ? `translateX(${-anchorX * 100}%)` : "";
    if (item.maxWidth !== maxWidth) {
      item.maxWidth = maxWidth;
      el.classList.toggle("fit", Number.isFinite(maxWidth));
      el.style.maxWidth = Number.isFinite(maxWidth) ? `${Math.max(0, maxWidth)}px` : "";
    }
  }

  /** A w × h bar at (x, y), filled from the left to `fraction` (0–1) in `fill` over `track`. */
  meter(key: string, x: number, y: number, w: number, h: number, fraction: number, fill: number, track: number): void {
    this.used.add(key);
    let item = this.meters.get(key);
    if (!item) {
      const el = this.add("div", key);
      el.className = "meter";
      const fillEl = document.createElement("div");
      el.appendChild(fillEl);
      item = { el, fillEl, x: NaN, y: NaN, w: NaN, h: NaN, filled: NaN, fill: NaN, track: NaN };
      this.meters.set(key, item);
    }
    const { el, fillEl } = item;
    this.move(item, x, y);
    if (item.w !== w) el.style.width = `${(item.w = w)}px`;
    if (item.h !== h) el.style.height = `${(item.h = h)}px`;
    // Half a board pixel is finer than any screen shows.
    const filled = Math.round(w * Math.min(1, Math.max(0, fraction)) * 2) / 2;
    if (item.filled !== filled) fillEl.style.width = `${(item.filled = filled)}px`;
    if (item.fill !== fill) fillEl.style.background = css((item.fill = fill));
    if (item.track !== track) el.style.background = css((item.track = track));
  }

  /** Removes what was not put since `begin`. */
  end(): void {
    for (const items of [this.words, this.meters] as Map<string, Placed>[]) {
      for (const [key, item] of items) {
        if (this.used.has(key)) continue;
        items.delete(key);
        item.el.remove();
      }
    }
  }

  /** How many words and meters are on the board. */
  get size(): number {
    return this.words.size + this.meters.size;
  }

  destroy(): void {
    this.el.remove();
    this.words.clear();
    this.meters.clear();
  }

  private add(tag: "span" | "div", key: string): HTMLElement {
    // A word and a meter may not share a key: the layer would lose track of one of them.
    if (this.words.has(key) || this.meters.has(key)) throw new Error(`projector: "${key}" is both a word and a meter`);
    const el = document.createElement(tag);
    // Which word it is (lanes' words start "lane-"): for the browser tests that check where words end.
    el.dataset.key = key;
    this.el.appendChild(el);
    return el;
  }

  private move(item: Placed, x: number, y: number): void {
    if (item.x !== x) item.el.style.left = `${(item.x = x)}px`;
    if (item.y !== y) item.el.style.top = `${(item.y = y)}px`;
  }
}
