/**
 * The failed jobs a probe groups, read incrementally: each read lists the newest
 * `MAX_SCANNED_FAILURES` of a queue's failed set with a version (BullMQ's and Bull's
 * `finishedOn` score), and only the jobs not yet seen at that version are read and
 * fingerprinted. A queue whose failures do not change costs the listing alone; one that fails
 * a lot costs at most `MAX_SCANNED_FAILURES` job reads. What is kept is bounded by the listing:
 * the jobs that left it are forgotten on the next read.
 */
import type { FailedJobSample, FailureGroupsView } from '../../schema';
import { fingerprinted, groupFingerprinted } from './groups';
import type { Failure, Fingerprinted } from './groups';

/** Failed jobs grouped per queue and read: the newest this many of its failed set. */
export const MAX_SCANNED_FAILURES = 100;

/** One failed job as listed: its id, and what changes when it fails again. */
export interface ListedFailure {
  id: string;
  version: string;
}

interface Known extends Fingerprinted {
  version: string;
}

/** One queue's scan, kept on its probe between reads. */
export class FailureScan {
  private known = new Map<string, Known>();

  /** The listed jobs not yet read at their version. */
  toRead(listed: readonly ListedFailure[]): ListedFailure[] {
    return listed.filter((job) => this.known.get(job.id)?.version !== job.version);
  }

  /** Keeps a job read for `job`'s version. */
  record(job: ListedFailure, failure: Failure): void {
    this.known.set(job.id, { ...fingerprinted(failure), version: job.version });
  }

  /** The sample entry of a job read earlier; undefined when it was not (or could not be). */
  sample(id: string): FailedJobSample | undefined {
    return this.known.get(id)?.sample;
  }

  /**
   * The groups of the listed jobs that were read, and forgets every job not listed. A job
   * listed but unread (its hash was gone) is left out of `scanned`.
   */
  groups(listed: readonly ListedFailure[]): FailureGroupsView {
    const kept = new Map<string, Known>();
    for (const job of listed) {
      const known = this.known.get(job.id);
      if (known !== undefined && known.version === job.version) kept.set(job.id, known);
    }
    this.known = kept;
    const entries = [...kept.values()];
    return { ...groupFingerprinted(entries), scanned: entries.length };
  }
}
