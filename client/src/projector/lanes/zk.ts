import type { Lane } from "./lane.ts";

/** The projector's zk lane (to be built): null draws nothing below L1. */
export const zkLane: Lane | null = null;
