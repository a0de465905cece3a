/**
 * Extension. A queue's failures grouped by error fingerprint, as a probe reports them in
 * `QueueSnapshot.failureGroups`: a few groups, biggest first, each with a count, when it was
 * first and last seen, and one example job. Built by the agent from a bounded read of the
 * queue's failed set (see `docs/queues.md`), so a dashboard can show ten lines instead of
 * twenty cards.
 */
import type { FailedJobSample } from './heartbeat';

/** One group of failures that share an error fingerprint. */
export interface FailureGroupView {
  /** The fingerprint: 16 hex characters, the same for the same error on every agent. */
  key: string;
  /** The normalised message (`<n>`, `<str>`, `<id>`, … in place of values), ≤ 200 characters. */
  message: string;
  /** The first stack frame of the application's own code, where known, ≤ 200 characters. */
  frame?: string;
  /** Failures of the scanned ones in this group. */
  count: number;
  /** The earliest and latest failure time of the group, epoch ms, where known. */
  firstSeen?: number;
  lastSeen?: number;
  /** The newest failure of the group. */
  example: FailedJobSample;
}

/** Failure groups of one queue. */
export interface FailureGroupsView {
  /** At most `MAX_FAILURE_GROUPS`, biggest first. */
  groups: FailureGroupView[];
  /** Failures of the scanned ones in groups past the kept ones. */
  others: number;
  /** How many failed jobs (the newest) the groups were built from. */
  scanned: number;
}
