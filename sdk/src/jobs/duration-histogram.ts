/** A job-duration histogram being counted: per-bucket counts over `JOB_DURATION_BOUNDS_MS`. */
import { JOB_DURATION_BOUNDS_MS } from '../schema';
import type { JobDurationHistogram } from '../schema';

/**
 * The bucket of a duration, as OTel's explicit-bucket histograms count: bucket `i` holds
 * `(bounds[i-1], bounds[i]]`, the last one everything above the last bound.
 */
export function bucketOf(ms: number, bounds: readonly number[] = JOB_DURATION_BOUNDS_MS): number {
  let i = 0;
  while (i < bounds.length && ms > (bounds[i] as number)) i++;
  return i;
}

/** Counts durations; `snapshot()` copies, so a beat never sees later counts. */
export class DurationHistogram {
  private readonly counts = new Array<number>(JOB_DURATION_BOUNDS_MS.length + 1).fill(0);
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
