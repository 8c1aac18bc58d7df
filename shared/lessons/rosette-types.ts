/** The shape of L2BEAT's risk rosette as the debrief carries it (filled by rosette.ts). */

export type RiskLevel = "good" | "warning" | "bad";

/** The five slices, clockwise from the top, as L2BEAT draws them. */
export const RISK_SLICES = ["stateValidation", "dataAvailability", "exitWindow", "sequencerFailure", "proposerFailure"] as const;
export type RiskSliceName = (typeof RISK_SLICES)[number];

export const RISK_SLICE_LABEL: Record<RiskSliceName, string> = {
  stateValidation: "State validation",
  dataAvailability: "Data availability",
  exitWindow: "Exit window",
  sequencerFailure: "Sequencer failure",
  proposerFailure: "Proposer failure",
};

/** Level words for every screen, so no level is told by colour alone. */
export const RISK_LEVEL_LABEL: Record<RiskLevel, string> = { good: "Good", warning: "Warning", bad: "Bad" };

export interface RiskSlice {
  slice: RiskSliceName;
  level: RiskLevel;
  /** One sentence built from the round's figures. */
  sentence: string;
}

export interface Rosette {
  /** Always five, in RISK_SLICES order. */
  slices: RiskSlice[];
  /** "Stage 0", "Stage 1", "Stage 2" or "not a rollup": of the design the round ran, never of what happened in it. */
  stage: string;
  stageReason: string;
  /**
   * How long a withdrawal to L1 waits, with the round's figures. Not a slice: L2BEAT's "exit
   * window" is the time to leave before an unwanted upgrade, which is a different thing.
   */
  withdrawalDelay: string;
}
