/**
 * The selection of a bulk command over a queue's failed jobs, newest first: with a fingerprint,
 * the jobs whose error has that fingerprint, computed exactly as the probes compute a failure
 * group's key (`fingerprinted` with the same application root); without one, the newest failed
 * jobs. The failed set is read in pages, one or two round trips each, and never past `maxScan`
 * jobs, so the preview of a huge failed set says how much of it was read.
 */
import type { CommandPreview } from '../../schema/command-result';
import { MAX_PREVIEW_SAMPLE } from '../../schema/command-result';
import type { FailedJobSample } from '../../schema';
import type { Failure } from '../../queues/failures/groups';
import { fingerprinted } from '../../queues/failures/groups';
import { SCAN_PAGE } from './bulk-limits';

/** A queue's failed jobs as a bulk command reads them. */
export interface FailedSet {
  /** The exact number of failed jobs. */
  size(): Promise<number>;
  /** The ids of failed jobs, newest first, from position `start`; at most `count`. */
  ids(start: number, count: number): Promise<string[]>;
  /**
   * The failure of each id, in order, in one round trip; undefined for a job gone since, or,
   * in a shared set, of another queue.
   */
  failures(ids: readonly string[]): Promise<(Failure | undefined)[]>;
  /**
   * Whether the set lists other queues' failures too (Horizon's app-wide index): its size is
   * then no count of this queue's, and every selection reads the failures.
   */
  readonly shared?: boolean;
}

/** What a selection takes and found. */
export interface Selection {
  /** The jobs the command acts on, newest first; at most `maxJobs`. */
  ids: string[];
  preview: CommandPreview;
  /** Jobs that matched but were left out by `maxJobs`. */
  overCap: number;
}

/** The bounds of a selection. */
export interface SelectionBounds {
  fingerprint?: string;
  maxJobs: number;
  maxScan: number;
}

/** The failure group key of a failure, as a probe rooted at `root` computes it. */
export const groupKeyOf = (failure: Failure, root: string | undefined): string =>
  fingerprinted(failure, root).print.key;

/**
 * Selects from `set` what `bounds` say. Never reads past `maxScan` jobs; a job listed twice
 * (the set moved between two pages) counts once.
 */
export async function selectFailed(
  set: FailedSet,
  bounds: SelectionBounds,
  root: string | undefined,
): Promise<Selection> {
  const { fingerprint } = bounds;
  if (fingerprint !== undefined) {
    return selectGroup(set, (failure) => groupKeyOf(failure, root) === fingerprint, bounds);
  }
  return set.shared === true
    ? selectGroup(set, () => true, bounds)
    : selectNewest(set, bounds.maxJobs);
}

async function selectNewest(set: FailedSet, maxJobs: number): Promise<Selection> {
  const total = await set.size();
  const ids: string[] = [];
  const take = Math.min(total, maxJobs);
  while (ids.length < take) {
    const page = await set.ids(ids.length, Math.min(SCAN_PAGE, take - ids.length));
    if (page.length === 0) break;
    ids.push(...page);
  }
  const firsts = ids.slice(0, MAX_PREVIEW_SAMPLE);
  const failures = firsts.length === 0 ? [] : await set.failures(firsts);
  const sample = firsts.map((id, i) => sampleOf(id, failures[i]));
  return {
    ids,
    // The count is the set's own: every failed job is in the scope.
    preview: { matched: total, scanned: total, complete: true, sample },
    overCap: Math.max(0, total - ids.length),
  };
}

async function selectGroup(
  set: FailedSet,
  matches: (failure: Failure) => boolean,
  bounds: SelectionBounds,
): Promise<Selection> {
  const total = await set.size();
  const limit = Math.min(total, bounds.maxScan);
  const seen = new Set<string>();
  const ids: string[] = [];
  const sample: FailedJobSample[] = [];
  let [listed, scanned, matched, ended] = [0, 0, 0, false];
  while (listed < limit) {
    const count = Math.min(SCAN_PAGE, limit - listed);
    const page = await set.ids(listed, count);
    listed += count;
    if (page.length < count) ended = true;
    const fresh = page.filter((id) => !seen.has(id));
    fresh.forEach((id) => seen.add(id));
    const failures = fresh.length === 0 ? [] : await set.failures(fresh);
    fresh.forEach((id, i) => {
      const failure = failures[i];
      if (failure === undefined) return;
      scanned += 1;
      if (!matches(failure)) return;
      matched += 1;
      if (ids.length < bounds.maxJobs) ids.push(id);
      if (sample.length < MAX_PREVIEW_SAMPLE) sample.push(sampleOf(id, failure));
    });
    if (ended) break;
  }
  const complete = ended || total <= bounds.maxScan;
  return { ids, preview: { matched, scanned, complete, sample }, overCap: matched - ids.length };
}

function sampleOf(id: string, failure: Failure | undefined): FailedJobSample {
  if (failure === undefined) return { id };
  return fingerprinted(failure).sample;
}
