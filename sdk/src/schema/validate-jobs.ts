/**
 * Validation of a heartbeat's `jobs` (in-process job counts): at most `MAX_QUEUES` entries, each
 * with a bounded queue and system, counts, an epoch-ms `since` and, when present, histograms of
 * exactly `JOB_DURATION_BOUNDS_MS.length + 1` finite non-negative counts. A malformed entry, or
 * a second entry for the same queue and system, is dropped with a warning; the beat is kept.
 */
import type { JobStats } from './heartbeat';
import {
  JOB_DURATION_BOUNDS_MS,
  MAX_COUNT,
  MAX_EPOCH_MS,
  MAX_LABEL_LENGTH,
  MAX_NAME_LENGTH,
  MAX_QUEUES,
} from './limits';
import { describe, inRange, isRecord } from './parse-result';

const BUCKETS = JOB_DURATION_BOUNDS_MS.length + 1;

const isCount = (value: unknown): value is number => inRange(value, 0, MAX_COUNT);

const isText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= max;

function validHistogram(value: unknown): boolean {
  if (value === undefined) return true;
  if (!isRecord(value) || !inRange(value.sum, 0, Number.MAX_VALUE)) return false;
  const counts = value.counts;
  return Array.isArray(counts) && counts.length === BUCKETS && counts.every(isCount);
}

/** Whether one entry is a usable `JobStats`. */
export function validJobStats(value: unknown): value is JobStats {
  return (
    isRecord(value) &&
    isText(value.queue, MAX_NAME_LENGTH) &&
    isText(value.system, MAX_LABEL_LENGTH) &&
    inRange(value.since, 0, MAX_EPOCH_MS) &&
    isCount(value.completed) &&
    isCount(value.failed) &&
    isCount(value.retried) &&
    validHistogram(value.wait) &&
    validHistogram(value.run)
  );
}

/** Reads `value.jobs` in place: the valid, distinct entries of the first `MAX_QUEUES`. */
export function readJobs(value: Record<string, unknown>, warnings: string[]): void {
  const list = value.jobs;
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    warnings.push(`jobs: expected an array, got ${describe(list)}, ignored`);
    delete value.jobs;
    return;
  }
  const considered = list.length > MAX_QUEUES ? list.slice(0, MAX_QUEUES) : list;
  const kept: JobStats[] = [];
  const seen = new Set<string>();
  let malformed = 0;
  let duplicates = 0;
  for (const entry of considered) {
    if (!validJobStats(entry)) {
      malformed++;
      continue;
    }
    const key = `${entry.system}\u0000${entry.queue}`;
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    kept.push(entry);
  }
  if (malformed > 0) warnings.push(`jobs: ${malformed} malformed entries ignored`);
  if (duplicates > 0) warnings.push(`jobs: ${duplicates} repeated queues ignored`);
  const surplus = list.length - considered.length;
  if (surplus > 0) warnings.push(`jobs: ${surplus} entries beyond the first ${MAX_QUEUES} ignored`);
  value.jobs = kept;
}
