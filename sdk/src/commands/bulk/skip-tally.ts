/**
 * The jobs a bulk command left alone, counted per reason. A reason can quote a library's error
 * message, so the distinct reasons are bounded: past the last one kept, jobs are counted under
 * `OTHER_REASONS`.
 */
import type { SkippedJobs } from '../../schema/command-result';
import { MAX_SKIPPED_REASONS } from '../../schema/command-result';

/** The reasons a bulk command gives (others quote the error that stopped one job). */
export const SKIP_REASONS = {
  overCap: 'over maxJobsPerCommand',
  notFailed: 'no longer failed',
  errorChanged: 'error changed',
} as const;

/** Where jobs go once `MAX_SKIPPED_REASONS - 1` reasons are counted. */
export const OTHER_REASONS = 'other reasons';

/** Longest reason kept as given. */
const MAX_REASON = 160;

/** Counts skipped jobs per reason, in first-seen order. */
export class SkipTally {
  private readonly counts = new Map<string, number>();

  /** Counts `count` jobs skipped for `reason`; a count of 0 is not kept. */
  add(reason: string, count = 1): void {
    if (!(count > 0)) return;
    let key = reason.slice(0, MAX_REASON);
    if (!this.counts.has(key) && this.counts.size >= MAX_SKIPPED_REASONS - 1) key = OTHER_REASONS;
    this.counts.set(key, (this.counts.get(key) ?? 0) + count);
  }

  /** The reasons and their counts; empty when nothing was skipped. */
  list(): SkippedJobs[] {
    return [...this.counts].map(([reason, count]) => ({ reason, count }));
  }
}
