import { GlLimitsSystem } from "pixi.js";

let limited = false;

/**
 * Pixi batches up to 16 textures per draw call with a fragment shader that picks the texture through
 * a 16-way if-chain. A GPU does that for free; software WebGL (SwiftShader, a projector PC without a
 * usable GPU) runs the chain for every pixel: measured here, a full-screen render took 3–5× the CPU
 * with 16 textures per batch as with 1 (docs/performance.md, Projector). The projector's canvas
 * draws untextured shapes only (its words are HTML), so one texture per batch costs no extra draw
 * call. Call before the renderer is created; applies to every WebGL renderer of this page.
 */
export function limitBatchTextures(max: number): void {
  if (limited) return;
  limited = true;
  const contextChange = GlLimitsSystem.prototype.contextChange;
  GlLimitsSystem.prototype.contextChange = function (this: GlLimitsSystem): void {
    contextChange.call(this);
    this.maxBatchableTextures = Math.max(1, Math.min(max, this.maxBatchableTextures));
  };
}
