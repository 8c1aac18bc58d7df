import type { Lane } from "./lane.ts";

/** The projector's channels lane (to be built): null draws nothing below L1. */
export const channelsLane: Lane | null = null;
