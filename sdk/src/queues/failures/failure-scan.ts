/**
 * The failed jobs a probe groups, read incrementally: each read lists the newest
 * `MAX_SCANNED_FAILURES` of a queue's failed set, the newest of them with a version (BullMQ's
 * and Bull's `finishedOn` score: a job that fails again after a retry is the newest, so it is
 * among them), and only the jobs not yet seen, or seen at another version, are read and
 * fingerprinted. A queue whose failures do not change costs the listing alone; one that fails
 * a lot costs at most `MAX_SCANNED_FAILURES` job reads. What is kept is bounded by the listing:
 * the jobs that left it are forgotten on the next read.
 */
import { sep } from 'node:path';
import type { FailedJobSample, FailureGroupsView } from '../../schema';
import { fingerprinted, groupFingerprinted } from './groups';
import type { Failure, Fingerprinted } from './groups';

/** Failed jobs grouped per queue and read: the newest this many of its failed set. */
export const MAX_SCANNED_FAILURES = 100;

/** One failed job as listed: its id, and, where listed with it, what changes when it fails again. */
export interface ListedFailure {
  id: string;
  version?: number;
}

/** The process's working directory, or undefined where it cannot be read (it was removed). */
function workingDirectory(): string | undefined {
  try {
    return process.cwd();
  } catch {
    return undefined;
  }
}

/**
 * The application's directory with a trailing separator, frames under it reading relative: the
 * process's working directory by default. Commands that select a failure group compute its key
 * with the same root as the probes.
 */
export function applicationRoot(root: string | undefined = workingDirectory()): string | undefined {
  return root === undefined || root === '' || root.endsWith(sep) ? root : root + sep;
}

interface Known extends Fingerprinted {
  version: number | undefined;
}

/** Whether what is known of a job still holds for it as listed. */
const holds = (known: Known | undefined, job: ListedFailure): known is Known =>
  known !== undefined && (job.version === undefined || known.version === job.version);

/** One queue's scan, kept on its probe between reads. */
export class FailureScan {
  private known = new Map<string, Known>();
  /** The application's directory, with a trailing separator: frames under it read relative. */
  private readonly root: string | undefined;
  /** The last groups built, and the jobs listed when they were, in order. */
  private last: { listed: string[]; view: FailureGroupsView } | undefined;

  /** @param root the application's directory; the process's working directory by default. */
  constructor(root: string | undefined = workingDirectory()) {
    this.root = applicationRoot(root);
  }

  /** The listed jobs not yet read at their version. */
  toRead(listed: readonly ListedFailure[]): ListedFailure[] {
    const toRead = listed.filter((job) => !holds(this.known.get(job.id), job));
    if (toRead.length > 0) this.last = undefined;
    return toRead;
  }

  /** Keeps a job read, at its listed version or else the time it failed. */
  record(job: ListedFailure, failure: Failure): void {
    const version = job.version ?? failure.failedAt;
    this.known.set(job.id, { ...fingerprinted(failure, this.root), version });
    this.last = undefined;
  }

  /** The sample entry of a job read earlier; undefined when it was not (or could not be). */
  sample(id: string): FailedJobSample | undefined {
    return this.known.get(id)?.sample;
  }

  /**
   * The groups of the listed jobs that were read, and forgets every job not listed. A job
   * listed but unread (its hash was gone) is left out of `scanned`. For the same listing as
   * the last time, with nothing read since, they are the last groups, unchanged.
   */
  groups(listed: readonly ListedFailure[]): FailureGroupsView {
    const last = this.last;
    if (last?.listed.length === listed.length && listed.every((j, i) => j.id === last.listed[i])) {
      return last.view;
    }
    const kept = new Map<string, Known>();
    for (const job of listed) {
      const known = this.known.get(job.id);
      if (holds(known, job)) kept.set(job.id, known);
    }
    this.known = kept;
    const entries = [...kept.values()];
    const view = { ...groupFingerprinted(entries), scanned: entries.length };
    this.last = { listed: listed.map((job) => job.id), view };
    return view;
  }
}
