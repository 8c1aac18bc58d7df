import type { Lane } from "./lane.ts";

/** The projector's plasma lane (to be built): null draws nothing below L1. */
export const plasmaLane: Lane | null = null;
