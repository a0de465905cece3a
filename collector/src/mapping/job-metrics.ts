/**
 * A node's in-process job counts (`heartbeat.jobs`) on its own resource, through the SDK's job
 * metric table: the same names, units, attributes and start times (`since`) as a node that
 * exports its own, so a dashboard cannot tell who exported.
 */
import {
  JOB_DURATION_BOUNDS_S,
  JOB_METRICS,
  JOB_OUTCOMES,
  histogramPoint,
  jobAttributes,
  outcomeAttributes,
} from '@gravito/quasar';
import type { JobStats } from '@gravito/quasar/schema';
import type {
  HistogramPoint,
  MetricAttributes,
  MetricData,
  MetricDescriptor,
  NumberPoint,
} from '../otlp/metric-batch';

type Sum = MetricDescriptor & { readonly kind: 'sum' };
type Histogram = MetricDescriptor & { readonly kind: 'histogram' };

const { processed, run, wait } = JOB_METRICS;

/** Created once, so the encoder caches their bytes. */
export const JOB_DESCRIPTORS = {
  processed: {
    name: processed.name,
    unit: processed.unit,
    description: processed.description,
    kind: 'sum',
    monotonic: true,
    integer: true,
  } satisfies Sum,
  run: {
    name: run.name,
    unit: run.unit,
    description: run.description,
    kind: 'histogram',
  } satisfies Histogram,
  wait: {
    name: wait.name,
    unit: wait.unit,
    description: wait.description,
    kind: 'histogram',
  } satisfies Histogram,
} as const;

/** A start after the beat (a broken agent clock) is pinned to the beat. */
const startOf = (stats: JobStats, timeMs: number) => Math.min(stats.since, timeMs);

/** The job metrics of one beat's `jobs`, none when it has none. */
export function jobMetrics(jobs: readonly JobStats[], timeMs: number): MetricData[] {
  if (jobs.length === 0) return [];
  const counts: NumberPoint[] = [];
  const runs: HistogramPoint[] = [];
  const waits: HistogramPoint[] = [];
  for (const stats of jobs) {
    const startTimeMs = startOf(stats, timeMs);
    for (const outcome of JOB_OUTCOMES) {
      counts.push({
        value: stats[outcome],
        timeMs,
        startTimeMs,
        attributes: outcomeAttributes(stats, outcome) as MetricAttributes,
      });
    }
    const attributes = jobAttributes(stats) as MetricAttributes;
    const runPoint = histogramPoint(stats.run);
    if (runPoint)
      runs.push({
        ...runPoint,
        timeMs,
        startTimeMs,
        explicitBounds: JOB_DURATION_BOUNDS_S,
        attributes,
      });
    const waitPoint = histogramPoint(stats.wait);
    if (waitPoint)
      waits.push({
        ...waitPoint,
        timeMs,
        startTimeMs,
        explicitBounds: JOB_DURATION_BOUNDS_S,
        attributes,
      });
  }
  const out: MetricData[] = [{ descriptor: JOB_DESCRIPTORS.processed, points: counts }];
  if (runs.length > 0) out.push({ descriptor: JOB_DESCRIPTORS.run, points: runs });
  if (waits.length > 0) out.push({ descriptor: JOB_DESCRIPTORS.wait, points: waits });
  return out;
}
