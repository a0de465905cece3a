/**
 * One cumulative explicit-bucket histogram series of slow durations, in seconds: how an entry
 * is added and how the series becomes an OTLP point.
 */
import type { HistogramPoint, MetricAttributes } from '../otlp/metric-batch';
import { SLOW_BUCKETS_S } from '../mapping/descriptors';

/** A series and its running figures. */
export interface Series {
  readonly attributes: MetricAttributes;
  readonly startTimeMs: number;
  timeMs: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  readonly buckets: number[];
}

/** An empty series that starts counting at `nowMs`. */
export function newSeries(attributes: MetricAttributes, nowMs: number): Series {
  return {
    attributes,
    startTimeMs: nowMs,
    timeMs: nowMs,
    count: 0,
    sum: 0,
    min: Infinity,
    max: -Infinity,
    buckets: new Array<number>(SLOW_BUCKETS_S.length + 1).fill(0),
  };
}

/** The bucket of a value: the first whose upper bound it does not exceed, as OTel's are. */
function bucketOf(seconds: number): number {
  let i = 0;
  while (i < SLOW_BUCKETS_S.length && seconds > (SLOW_BUCKETS_S[i] as number)) i++;
  return i;
}

/** Counts one duration, ms. */
export function addDuration(series: Series, durationMs: number, nowMs: number): void {
  const seconds = durationMs / 1000;
  series.count++;
  series.sum += seconds;
  series.min = Math.min(series.min, seconds);
  series.max = Math.max(series.max, seconds);
  series.timeMs = Math.max(series.timeMs, nowMs);
  series.buckets[bucketOf(seconds)]!++;
}

/** The series as a point at `nowMs`, never before its own start or last update. */
export function pointOf(series: Series, nowMs: number): HistogramPoint {
  return {
    timeMs: Math.max(nowMs, series.timeMs),
    startTimeMs: series.startTimeMs,
    count: series.count,
    sum: series.sum,
    min: series.min,
    max: series.max,
    explicitBounds: SLOW_BUCKETS_S,
    bucketCounts: [...series.buckets],
    attributes: series.attributes,
  };
}
