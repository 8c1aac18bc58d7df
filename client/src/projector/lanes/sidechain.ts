import type { Lane } from "./lane.ts";

/** The projector's sidechain lane (to be built): null draws nothing below L1. */
export const sidechainLane: Lane | null = null;
