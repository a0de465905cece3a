/**
 * Quantiles of slow durations from fixed log-scale buckets (the layout of DDSketch without its
 * collapsing): bucket `i ≥ 1` holds durations in `[γ^(i-1), γ^i)` ms, bucket 0 those under
 * 1 ms. A quantile is read as the representative `2·γ^(i-1)·γ/(1+γ)` of the bucket holding the
 * rank, clamped to the exact min and max, so it is within `(γ-1)/(γ+1)` of the exact value at
 * that rank (relative), or under 1 ms off below 1 ms. The counts cover only the buckets touched
 * so far, grown on demand: an honest group spans a few dozen; the worst case is `BUCKETS`.
 */
import { MAX_SLOW_DURATION_MS } from '@gravito/quasar/schema';

/** The ratio between a bucket's bounds. */
export const BUCKET_GAMMA = 1.04;

/**
 * The stated bound of the relative error of a quantile at 1 ms and over: `(γ-1)/(γ+1)` is
 * 0.0196; 0.02 leaves room for the rounding of `Math.log` at a bucket's edge.
 */
export const QUANTILE_RELATIVE_ERROR = 0.02;

/** The largest absolute error of a quantile under 1 ms, ms. */
export const QUANTILE_ABSOLUTE_ERROR_MS = 1;

const LOG_GAMMA = Math.log(BUCKET_GAMMA);

/** Buckets needed to cover 0 to `MAX_SLOW_DURATION_MS` (about 555 at γ = 1.04). */
export const BUCKETS = bucketOf(MAX_SLOW_DURATION_MS) + 1;

/** The bucket of a duration in ms (0 or more). */
export function bucketOf(durationMs: number): number {
  if (!(durationMs >= 1)) return 0;
  return 1 + Math.floor(Math.log(durationMs) / LOG_GAMMA);
}

/** The value a bucket stands for: where its relative error to any of its members is least. */
function representative(bucket: number): number {
  if (bucket === 0) return 0.5;
  const low = Math.exp((bucket - 1) * LOG_GAMMA);
  return (2 * low * BUCKET_GAMMA) / (1 + BUCKET_GAMMA);
}

/** Counts per log-scale bucket of one group's durations, with their exact count, min and max. */
export class LogBuckets {
  private counts: Uint32Array = new Uint32Array(0);
  /** The bucket of `counts[0]`. */
  private first = 0;
  count = 0;
  min = Infinity;
  max = -Infinity;

  record(durationMs: number): void {
    const bucket = Math.min(bucketOf(durationMs), BUCKETS - 1);
    this.cover(bucket);
    this.counts[bucket - this.first]! += 1;
    this.count++;
    if (durationMs < this.min) this.min = durationMs;
    if (durationMs > this.max) this.max = durationMs;
  }

  /**
   * The duration at rank `⌈q·count⌉` (nearest rank), within the stated error; undefined with
   * nothing recorded.
   */
  quantile(q: number): number | undefined {
    if (this.count === 0) return undefined;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) {
        return Math.min(this.max, Math.max(this.min, representative(this.first + i)));
      }
    }
    return this.max;
  }

  /** Bytes held by the counts. */
  get bytes(): number {
    return this.counts.byteLength;
  }

  /** Grows `counts` (doubling, within `[0, BUCKETS)`) until it covers `bucket`. */
  private cover(bucket: number): void {
    const length = this.counts.length;
    if (length > 0 && bucket >= this.first && bucket < this.first + length) return;
    if (length === 0) {
      this.first = Math.max(0, Math.min(bucket - 4, BUCKETS - 16));
      this.counts = new Uint32Array(Math.min(16, BUCKETS));
      return;
    }
    let first = this.first;
    let end = this.first + length;
    const grow = Math.max(length, 16);
    if (bucket < first) first = Math.max(0, Math.min(bucket, first - grow));
    else end = Math.min(BUCKETS, Math.max(bucket + 1, end + grow));
    const counts = new Uint32Array(end - first);
    counts.set(this.counts, this.first - first);
    this.counts = counts;
    this.first = first;
  }
}
