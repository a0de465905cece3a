/** A job-duration histogram being counted: per-bucket counts over `JOB_DURATION_BOUNDS_MS`. */
// From the defining modules, not the schema's index: its CommonJS re-exports are getters,
// and this runs for every job.
import { JOB_DURATION_BOUNDS_MS } from '../schema/limits';
import type { JobDurationHistogram } from '../schema/heartbeat';

const BOUNDS = JOB_DURATION_BOUNDS_MS;
const BUCKETS = BOUNDS.length + 1;

/**
 * The bucket of a duration, as OTel's explicit-bucket histograms count: bucket `i` holds
 * `(bounds[i-1], bounds[i]]`, the last one everything above the last bound.
 */
export function bucketOf(ms: number, bounds: readonly number[] = BOUNDS): number {
  let i = 0;
  while (i < bounds.length && ms > (bounds[i] as number)) i++;
  return i;
}

/** Counts durations; `snapshot()` copies, so a beat never sees later counts. */
export class DurationHistogram {
  private readonly counts: number[] = [];
  constructor() {
    for (let i = 0; i < BUCKETS; i++) this.counts.push(0);
  }
  private sum = 0;

  add(ms: number): void {
    const i = bucketOf(ms);
    this.counts[i] = (this.counts[i] as number) + 1;
    this.sum += ms;
  }

  snapshot(): JobDurationHistogram {
    return { counts: this.counts.slice(), sum: this.sum };
  }
}
