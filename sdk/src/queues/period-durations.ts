/**
 * The `wait` or `run` of a closed period (`PeriodDurations`) from the durations of the jobs it
 * covers, bucketed as the in-process job histograms are.
 */
import { bucketOf } from '../jobs/duration-histogram';
import { JOB_DURATION_BOUNDS_MS } from '../schema/limits';
import type { PeriodDurations } from '../schema';

/**
 * Counts `durationsMs` per bucket of `JOB_DURATION_BOUNDS_MS` (bucket `i` holds
 * `(bounds[i-1], bounds[i]]`, the last one everything above the last bound) and sums them.
 * @param sampled whether the durations are a sample of the period's jobs, not all of them.
 */
export function periodDurations(durationsMs: readonly number[], sampled: boolean): PeriodDurations {
  const counts = new Array<number>(JOB_DURATION_BOUNDS_MS.length + 1).fill(0);
  let sum = 0;
  for (const ms of durationsMs) {
    const i = bucketOf(ms);
    counts[i] = (counts[i] as number) + 1;
    sum += ms;
  }
  return { count: durationsMs.length, sum, counts, ...(sampled ? { sampled: true } : {}) };
}
