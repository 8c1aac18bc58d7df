/**
 * Small SVG charts for the debrief. Each one is an image with a text alternative and, beside it,
 * the same numbers in words, so nothing depends on seeing colour.
 */

const SVG_NS = "http://www.w3.org/2000/svg";

function svg(width: number, height: number, label: string): SVGSVGElement {
  const el = document.createElementNS(SVG_NS, "svg");
  el.setAttribute("viewBox", `0 0 ${width} ${height}`);
  el.setAttribute("role", "img");
  el.setAttribute("aria-label", label);
  el.setAttribute("class", "chart");
  return el;
}

function node<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

export interface Bar {
  label: string;
  value: number;
  /** What to print at the end of the bar. */
  display: string;
  /** A CSS class giving the fill (Okabe–Ito palette in styles.css). */
  tone: string;
}

/** Horizontal bars, one per row, scaled to the largest value; tiny values still show a sliver. */
export function barChart(bars: readonly Bar[], label: string): SVGSVGElement {
  // A narrow board (420 units) so text stays readable when a phone shrinks it to ~330 px:
  // each row is its label and value on one line, the bar under them.
  const rowHeight = 64;
  const width = 420;
  const chart = svg(width, bars.length * rowHeight, label);
  const max = Math.max(1, ...bars.map((b) => b.value));
  bars.forEach((bar, i) => {
    const y = i * rowHeight;
    const barWidth = bar.value > 0 ? Math.max(4, (width * bar.value) / max) : 0;
    chart.appendChild(node("text", { x: 0, y: y + 22, class: "chart-label" }, bar.label));
    chart.appendChild(node("text", { x: width, y: y + 22, class: "chart-value", "text-anchor": "end" }, bar.display));
    chart.appendChild(node("rect", { x: 0, y: y + 32, width: width, height: 22, rx: 3, class: "chart-track" }));
    chart.appendChild(node("rect", { x: 0, y: y + 32, width: barWidth, height: 22, rx: 3, class: `chart-bar ${bar.tone}` }));
  });
  return chart;
}

/**
 * The L1 base fee per block as a line, over bars of how full each block was (a dashed line
 * marks the 50 % target EIP-1559 steers to).
 */
export function baseFeeChart(series: readonly [number, number, number][], label: string): SVGSVGElement {
  const width = 420;
  const height = 200;
  const left = 44;
  const right = 12;
  // The top margin holds the axis maximum ("28.87 gwei"), which is wider than the left margin.
  const top = 34;
  const bottom = 40;
  const chart = svg(width, height, label);
  if (series.length === 0) {
    chart.appendChild(node("text", { x: left, y: height / 2, class: "chart-label" }, "No L1 blocks this round."));
    return chart;
  }
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const maxFee = Math.max(1, ...series.map(([, fee]) => fee));
  const step = plotW / series.length;
  series.forEach(([, , full], i) => {
    const barH = (plotH * Math.min(100, full)) / 100;
    chart.appendChild(node("rect", { x: left + i * step + step * 0.15, y: top + plotH - barH, width: Math.max(1, step * 0.7), height: barH, class: `chart-bar ${full > 50 ? "tone-orange" : "tone-sky"} chart-fill` }));
  });
  chart.appendChild(node("line", { x1: left, x2: left + plotW, y1: top + plotH / 2, y2: top + plotH / 2, class: "chart-target" }));
  const points = series.map(([, fee], i) => `${(left + i * step + step / 2).toFixed(1)},${(top + plotH - (plotH * fee) / maxFee).toFixed(1)}`);
  chart.appendChild(node("polyline", { points: points.join(" "), class: "chart-line" }));
  chart.appendChild(node("line", { x1: left, x2: left + plotW, y1: top + plotH, y2: top + plotH, class: "chart-axis" }));
  chart.appendChild(node("text", { x: 0, y: top - 12, class: "chart-small" }, `${maxFee} gwei`));
  chart.appendChild(node("text", { x: 0, y: top + plotH, class: "chart-small" }, "0"));
  const first = series[0]![0];
  const last = series.at(-1)![0];
  chart.appendChild(node("text", { x: left, y: height - 12, class: "chart-small" }, `block ${first}`));
  chart.appendChild(node("text", { x: left + plotW, y: height - 12, class: "chart-small", "text-anchor": "end" }, `block ${last}`));
  return chart;
}
