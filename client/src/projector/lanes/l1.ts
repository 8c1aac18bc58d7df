import type { Lane } from "./lane.ts";

/** The projector's l1 lane (to be built): null draws nothing below L1. */
export const l1Lane: Lane | null = null;
