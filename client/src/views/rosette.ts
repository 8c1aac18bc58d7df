import { RISK_LEVEL_LABEL, RISK_SLICES, RISK_SLICE_LABEL } from "../../../shared/lessons/rosette.ts";
import type { RiskLevel, Rosette } from "../../../shared/lessons/rosette.ts";
import { SCENARIO_LABEL } from "../../../shared/protocol/messages.ts";
import type { Scenario } from "../../../shared/protocol/messages.ts";
import { h } from "../ui/dom.ts";
import "./rosette.css";

/**
 * L2BEAT's risk rosette for one round: a pentagon of five wedges coloured by level, each wedge
 * carrying its level in words and a glyph, the slice names around it, and beside it the same five
 * verdicts as a list with the sentence each one comes from. Nothing is told by colour alone.
 */

const SVG_NS = "http://www.w3.org/2000/svg";
const GLYPH: Record<RiskLevel, string> = { good: "✓", warning: "!", bad: "✗" };
/** Pentagon radius in viewBox units; the labels sit outside it. */
const R = 115;
const LINE = 20;

function node<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** A point at `radius` along slice `i`'s direction (slice 0 points up, then clockwise). */
function at(i: number, radius: number): [number, number] {
  const angle = ((-90 + 72 * i) * Math.PI) / 180;
  return [Math.round(radius * Math.cos(angle) * 10) / 10, Math.round(radius * Math.sin(angle) * 10) / 10];
}

function mid(a: [number, number], b: [number, number]): [number, number] {
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
}

/**
 * A slice's label outside the pentagon: its name (one word a line) and its level in words.
 * The top label grows upwards, the bottom ones downwards and the side ones around their vertex,
 * so none covers the pentagon.
 */
function label(i: number, name: string, level: RiskLevel): SVGTextElement {
  const [vx, vy] = at(i, R);
  const words = [...name.split(" "), `${GLYPH[level]} ${RISK_LEVEL_LABEL[level]}`];
  const x = vx === 0 ? 0 : vx + Math.sign(vx) * (vy > 0 ? 4 : 12);
  const height = (words.length - 1) * LINE;
  const top = i === 0 ? vy - 14 - height : vy > 0 ? vy + 22 : vy - height / 2;
  const text = node("text", { x, y: top, class: "rosette-name", "text-anchor": vx === 0 ? "middle" : vx > 0 ? "start" : "end", "dominant-baseline": "middle" });
  words.forEach((word, k) => text.appendChild(node("tspan", { x, dy: k === 0 ? 0 : LINE, class: k === words.length - 1 ? `rosette-level-word risk-text-${level}` : "" }, word)));
  return text;
}

/** The pentagon itself, as an image whose text alternative names every slice and level. */
function pentagon(rosette: Rosette): SVGSVGElement {
  const svg = node("svg", {
    viewBox: "-240 -200 480 385",
    role: "img",
    class: "rosette-svg",
    "aria-label": `Risk rosette: ${rosette.slices.map((s) => `${RISK_SLICE_LABEL[s.slice]} ${RISK_LEVEL_LABEL[s.level].toLowerCase()}`).join(", ")}.`,
  });
  rosette.slices.forEach((slice, i) => {
    const vertex = at(i, R);
    const points = [[0, 0], mid(at(i - 1, R), vertex), vertex, mid(vertex, at(i + 1, R))].map(([x, y]) => `${x},${y}`).join(" ");
    svg.appendChild(node("polygon", { points, class: `rosette-wedge risk-${slice.level}` }));
    const [gx, gy] = at(i, R * 0.58);
    svg.appendChild(node("text", { x: gx, y: gy, class: "rosette-glyph", "text-anchor": "middle", "dominant-baseline": "central" }, GLYPH[slice.level]));
    svg.appendChild(label(i, RISK_SLICE_LABEL[slice.slice], slice.level));
  });
  return svg;
}

let rosetteCount = 0;

export interface RosetteOptions {
  /** Show the stage rating (not for a round the host ended early: too little happened to rate). */
  stage?: boolean;
  /** Heading level: h3 in a debrief, h4 inside a round of the results page. */
  heading?: "h3" | "h4";
}

/** The rosette section of a debrief: pentagon, the five sentences, and the stage. */
export function rosetteView(rosette: Rosette, scenario: string, options: RosetteOptions = {}): HTMLElement {
  const system = SCENARIO_LABEL[scenario as Scenario] ?? scenario;
  const ordered = ordering(rosette);
  const titleId = `rosette-title-${++rosetteCount}`;
  return h("section", { class: "rosette", "aria-labelledby": titleId },
    h(options.heading ?? "h3", { id: titleId }, `Risk rosette: ${system}`, h("span", { class: "rosette-source" }, " (L2BEAT's five risks, from this round)")),
    h("div", { class: "rosette-body" },
      h("div", { class: "rosette-figure" },
        pentagon({ ...rosette, slices: ordered }),
        options.stage === false
          ? h("p", { class: "rosette-stage" }, "No stage rating: the round ended early.")
          : h("p", { class: "rosette-stage" }, h("strong", { class: "stage-badge" }, stageWords(rosette)), " ", rosette.stageReason)),
      h("ul", { class: "rosette-list" }, ...ordered.map((slice) =>
        h("li", {},
          h("span", { class: "rosette-item-head" },
            h("strong", {}, RISK_SLICE_LABEL[slice.slice]),
            h("span", { class: `risk-badge risk-${slice.level}` }, `${GLYPH[slice.level]} ${RISK_LEVEL_LABEL[slice.level]}`)),
          h("span", { class: "rosette-sentence" }, slice.sentence)))),
      // Not a slice: L2BEAT's exit window is about upgrades; how long a withdrawal waits is its own figure.
      rosette.withdrawalDelay ? h("p", { class: "rosette-withdrawal" }, h("strong", {}, "Withdrawal delay: "), rosette.withdrawalDelay) : null));
}

function ordering(rosette: Rosette) {
  return RISK_SLICES.map((name) => rosette.slices.find((s) => s.slice === name)).filter((s) => s !== undefined);
}

function stageWords(rosette: Rosette): string {
  return rosette.stage === "not a rollup" ? "Not a rollup" : rosette.stage;
}

/**
 * A small rosette for comparing rounds side by side: the pentagon with a glyph per wedge (its
 * text alternative names every slice and level), the system's name and its stage. The slice
 * names are given once for the whole row (rosetteKey), as L2BEAT does with its small rosettes.
 */
export function rosetteMini(rosette: Rosette, scenario: string, showStage: boolean): HTMLElement {
  const system = SCENARIO_LABEL[scenario as Scenario] ?? scenario;
  const svg = node("svg", {
    viewBox: "-125 -125 250 245",
    role: "img",
    class: "rosette-mini-svg",
    "aria-label": `${system} risk rosette: ${ordering(rosette).map((s) => `${RISK_SLICE_LABEL[s.slice]} ${RISK_LEVEL_LABEL[s.level].toLowerCase()}`).join(", ")}.`,
  });
  ordering(rosette).forEach((slice, i) => {
    const vertex = at(i, R);
    const points = [[0, 0], mid(at(i - 1, R), vertex), vertex, mid(vertex, at(i + 1, R))].map(([x, y]) => `${x},${y}`).join(" ");
    svg.appendChild(node("polygon", { points, class: `rosette-wedge risk-${slice.level}` }));
    const [gx, gy] = at(i, R * 0.58);
    svg.appendChild(node("text", { x: gx, y: gy, class: "rosette-glyph", "text-anchor": "middle", "dominant-baseline": "central" }, GLYPH[slice.level]));
  });
  return h("div", { class: "rosette-mini" }, svg,
    h("p", { class: "rosette-mini-stage" }, showStage ? h("strong", { class: "stage-badge" }, stageWords(rosette)) : h("span", { class: "muted" }, "ended early: no stage")));
}

/** The slice order of the small rosettes, in words, once per row of them. */
export function rosetteKey(): HTMLElement {
  return h("p", { class: "rosette-key" }, "Each rosette, clockwise from the top: ",
    RISK_SLICES.map((s) => RISK_SLICE_LABEL[s]).join(", "), ". ",
    ...(["good", "warning", "bad"] as const).flatMap((level, i) => [i ? " · " : "", h("span", { class: `risk-badge risk-${level}` }, `${GLYPH[level]} ${RISK_LEVEL_LABEL[level]}`)]));
}
