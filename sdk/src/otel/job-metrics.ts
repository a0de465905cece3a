/**
 * The one table of in-process job metrics (a heartbeat's `jobs`): names, units, attributes,
 * and how each point is read from one queue's `JobStats`. The SDK's own instruments and the
 * collector both follow it, so a dashboard cannot tell who exported a node's jobs.
 *
 * Semantic conventions: `messaging.process.duration` is the messaging histogram of process
 * time; `quasar.queue.jobs.processed` splits `messaging.client.consumed.messages` by outcome;
 * the wait has no convention yet, hence `quasar.*`.
 */
import type { Attributes } from '@opentelemetry/api';
import { JOB_DURATION_BOUNDS_MS } from '../schema';
import type { JobDurationHistogram, JobOutcome, JobStats } from '../schema';

/** One job metric: the collector builds its descriptor from these fields. */
export interface JobMetric {
  readonly name: string;
  readonly unit: string;
  readonly description: string;
  readonly kind: 'sum' | 'histogram';
}

export const JOB_METRICS = {
  processed: {
    name: 'quasar.queue.jobs.processed',
    unit: '{job}',
    description:
      'Job attempts this process finished, by outcome (completed, failed, retried), since it started counting the queue.',
    kind: 'sum',
  },
  run: {
    name: 'messaging.process.duration',
    unit: 's',
    description: 'Time from the start of a job attempt to its outcome.',
    kind: 'histogram',
  },
  wait: {
    name: 'quasar.queue.job.wait.duration',
    unit: 's',
    description:
      'Time from enqueue (or from becoming ready, for delayed and retried jobs) to start.',
    kind: 'histogram',
  },
} as const satisfies Record<string, JobMetric>;

/** The outcomes, in the order their points are listed. */
export const JOB_OUTCOMES: readonly JobOutcome[] = Object.freeze([
  'completed',
  'failed',
  'retried',
]);

/** `JOB_DURATION_BOUNDS_MS` in seconds, the unit of the histograms. */
export const JOB_DURATION_BOUNDS_S: readonly number[] = Object.freeze(
  JOB_DURATION_BOUNDS_MS.map((ms) => ms / 1000),
);

/** The attributes of a queue's histograms: `messaging.system`, `messaging.destination.name`. */
export function jobAttributes(stats: Pick<JobStats, 'system' | 'queue'>): Attributes {
  return { 'messaging.system': stats.system, 'messaging.destination.name': stats.queue };
}

/** The attributes of one outcome's count: the queue's plus `quasar.job.outcome`. */
export function outcomeAttributes(
  stats: Pick<JobStats, 'system' | 'queue'>,
  outcome: JobOutcome,
): Attributes {
  return { ...jobAttributes(stats), 'quasar.job.outcome': outcome };
}

/** One histogram point in seconds. */
export interface JobHistogramPoint {
  count: number;
  /** Seconds. */
  sum: number;
  /** Per bucket of `JOB_DURATION_BOUNDS_S`, one more than the bounds. */
  bucketCounts: readonly number[];
}

/**
 * A wire histogram (ms) as a point in seconds; undefined when absent. An empty one is a point
 * too: a series that starts at zero is one Prometheus' `increase()` counts from the start.
 */
export function histogramPoint(
  histogram: JobDurationHistogram | undefined,
): JobHistogramPoint | undefined {
  if (histogram === undefined) return undefined;
  let count = 0;
  for (const c of histogram.counts) count += c;
  return { count, sum: histogram.sum / 1000, bucketCounts: histogram.counts };
}
