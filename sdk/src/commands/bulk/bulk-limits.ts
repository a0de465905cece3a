/**
 * The bounds of one bulk command (`all-failed`): how many failed jobs its selection reads, and
 * the pace at which it moves the jobs it selected, so that a retry of thousands of jobs reaches
 * the workers in batches rather than as one storm.
 */

/** A bulk command's bounds, as the listener sets them on its target. */
export interface BulkLimits {
  /** The most failed jobs one selection reads, newest first. */
  maxScan: number;
  /** Jobs moved between two pauses. */
  jobsPerBatch: number;
  /** The pause between two batches, ms. */
  batchPauseMs: number;
}

/** The bounds when none are given (see `RemoteControlOptions`). */
export const BULK_DEFAULTS: BulkLimits = {
  maxScan: 10_000,
  jobsPerBatch: 100,
  batchPauseMs: 250,
};

/** Failed jobs listed per round trip while selecting. */
export const SCAN_PAGE = 500;
