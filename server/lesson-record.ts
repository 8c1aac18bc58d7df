import type { Debrief } from "../shared/engine/debrief.ts";

/**
 * What the final results show of one finished round: its rosette, its story and trade-off (for
 * a one-paragraph summary) and everyone's points. One entry is appended to the synced `lesson`
 * list when a round ends, so a phone, the projector or a reloaded page can show the whole lesson;
 * it is small (no charts, no per-block series) and sent once. Mirrored by client/src/net/snapshot.ts
 * LessonRoundSnap.
 */
export interface LessonRound {
  index: number;
  scenario: string;
  durationMs: number;
  /** The host ended it before its time was up: its figures cover only part of it, and it gets no stage rating. */
  endedEarly: boolean;
  tradeOff: string;
  story: string[];
  rosette?: Debrief["rosette"];
  scores: Record<string, number>;
}

/** The lesson entry of a finished round, as JSON for the synced list. */
export function lessonRoundJson(index: number, debrief: Debrief, endedEarly: boolean): string {
  const entry: LessonRound = {
    index,
    scenario: debrief.scenario,
    durationMs: debrief.durationMs,
    endedEarly,
    tradeOff: debrief.tradeOff,
    story: debrief.story,
    ...(debrief.rosette ? { rosette: debrief.rosette } : {}),
    scores: { ...debrief.scores },
  };
  return JSON.stringify(entry);
}
