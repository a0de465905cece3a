/**
 * One queue's wait or run durations, added up over the periods counted: a cumulative
 * histogram over `JOB_DURATION_BOUNDS_MS`. Once a period without per-bucket counts is added
 * (a source that keeps only a mean, such as Horizon), the buckets are dropped for good and the
 * histogram is its count and sum only: buckets that left some jobs out would be wrong.
 */
import { JOB_DURATION_BOUNDS_MS } from '@gravito/quasar/schema';
import type { PeriodDurations } from '@gravito/quasar/schema';

const BUCKETS = JOB_DURATION_BOUNDS_MS.length + 1;

export class DurationTotals {
  count = 0;
  /** Sum of the durations, ms. */
  sum = 0;
  /** Per-bucket counts; undefined once a period came without them. */
  buckets: Float64Array | undefined = new Float64Array(BUCKETS);

  /** Adds one period's durations (validated: `counts`, when present, adds up to `count`). */
  add(durations: PeriodDurations): void {
    this.count += durations.count;
    this.sum += durations.sum;
    const { counts } = durations;
    if (counts === undefined || this.buckets === undefined) {
      this.buckets = undefined;
      return;
    }
    for (let i = 0; i < BUCKETS; i++) this.buckets[i]! += counts[i] ?? 0;
  }
}
