/**
 * What training records with each version it writes (model_versions.metrics, and the `training`
 * block of its file): the feedback it was trained through, the window, the counts, the held-out
 * figures of the candidate and of the current model on the same split, the propensities and the
 * guard's verdict. Plain JSON: NaN is stored as null.
 */

export interface HeldOutFigures {
  version: string;
  /** Mean over requesters of NDCG@10 on the held-out rankings (null when nothing could be judged). */
  ndcg10: number | null;
  requesters: number;
  rankings: number;
}

export interface TrainingReport {
  trainedAt: string;
  /** The newest feedback event read: training does nothing until a newer one arrives. */
  trainedThrough: { lastEventId: number; events: number };
  /** First and last ranking read (ISO), and the configured window in days. */
  window: { from: string | null; to: string | null; days: number };
  /** Events attached to a logged ranking (directly, or a pair event to the ranking that showed the pair). */
  events: number;
  /** Events that could not be attached (their ranking purged or out of the window, their pair never shown). */
  ignoredEvents: number;
  /** Logged rankings read, acted on or not (the propensities count them all). */
  rankings: number;
  requesters: number;
  pairs: number;
  split: { cutoff: string | null; trainRankings: number; testRankings: number; trainEvents: number; testEvents: number };
  heldOut: { candidate: HeldOutFigures; current: HeldOutFigures };
  propensities: { estimated: boolean; values: number[]; swaps: number[]; eta: number };
  guard: {
    promote: boolean; meanDelta: number | null; lower: number | null; upper: number | null; requesters: number;
    margin: number; confidence: number; reason: string;
  };
  seconds: number;
}

/** A number for JSON: NaN and infinities become null. */
export const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Rounded for display and storage (figures, not state). */
export const round = (x: number, digits = 4): number | null => (Number.isFinite(x) ? Number(x.toFixed(digits)) : null);
