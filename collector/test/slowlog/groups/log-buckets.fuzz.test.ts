/**
 * The quantiles of `LogBuckets` against the exact nearest-rank quantiles of generated durations
 * (fast-check): within the stated relative error at 1 ms and over, the stated absolute error
 * below; count, min and max exact.
 */
import fc from 'fast-check';
import { MAX_SLOW_DURATION_MS } from '@gravito/quasar/schema';
import {
  BUCKETS,
  LogBuckets,
  QUANTILE_ABSOLUTE_ERROR_MS,
  QUANTILE_RELATIVE_ERROR,
  bucketOf,
} from '../../../src/slowlog/groups/log-buckets';
import { fuzzParameters } from '../../../../testing/fuzz';

/** The exact nearest-rank quantile: the value at rank ⌈q·n⌉ of the sorted values. */
function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

function withinBound(estimate: number, exact: number): boolean {
  const error = Math.abs(estimate - exact);
  return exact >= 1
    ? error <= QUANTILE_RELATIVE_ERROR * exact
    : error <= QUANTILE_ABSOLUTE_ERROR_MS;
}

/** Durations as agents write them: mostly a few orders of magnitude, some anywhere in range. */
const duration = fc.oneof(
  fc.double({ min: 0, max: MAX_SLOW_DURATION_MS, noNaN: true }),
  fc.integer({ min: 100, max: 60_000 }),
  fc.double({ min: 0, max: 2, noNaN: true }),
  fc.constantFrom(0, 1, MAX_SLOW_DURATION_MS, 1.04, 1.0816),
);

describe('LogBuckets', () => {
  it('keeps p50, p95 and every other quantile within the stated error of the exact ones', () => {
    fc.assert(
      fc.property(
        fc.array(duration, { minLength: 1, maxLength: 400 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const buckets = new LogBuckets();
          for (const value of values) buckets.record(value);
          const sorted = [...values].sort((a, b) => a - b);
          for (const quantile of [0.5, 0.95, q]) {
            const estimate = buckets.quantile(quantile)!;
            const exact = exactQuantile(sorted, quantile);
            if (!withinBound(estimate, exact)) {
              throw new Error(`q=${quantile}: estimate ${estimate}, exact ${exact}`);
            }
          }
          expect(buckets.count).toBe(values.length);
          expect(buckets.min).toBe(sorted[0]);
          expect(buckets.max).toBe(sorted[sorted.length - 1]);
        },
      ),
      fuzzParameters(),
    );
  });

  it('states a bound the buckets can keep: (γ-1)/(γ+1) is under it', () => {
    expect((1.04 - 1) / (1.04 + 1)).toBeLessThan(QUANTILE_RELATIVE_ERROR);
  });

  it('holds at most one count per bucket from 0 to 30 days, however spread the values', () => {
    const buckets = new LogBuckets();
    for (let d = 0.5; d <= MAX_SLOW_DURATION_MS; d *= 1.01) buckets.record(d);
    buckets.record(MAX_SLOW_DURATION_MS);
    expect(bucketOf(MAX_SLOW_DURATION_MS)).toBe(BUCKETS - 1);
    expect(buckets.bytes).toBeLessThanOrEqual(BUCKETS * 4);
  });

  it('holds a few dozen buckets for durations within one order of magnitude', () => {
    const buckets = new LogBuckets();
    for (let d = 1000; d <= 10_000; d += 7) buckets.record(d);
    expect(buckets.bytes).toBeLessThanOrEqual(128 * 4);
  });

  it('answers nothing before anything is recorded', () => {
    expect(new LogBuckets().quantile(0.5)).toBeUndefined();
  });
});
