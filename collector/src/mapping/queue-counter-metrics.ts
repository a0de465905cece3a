/**
 * A queue's counters (see `periods/queue-totals.ts`) as OTel cumulative points, on the
 * service's queue resource beside `quasar.queue.jobs`: jobs added, jobs finished by outcome,
 * and the wait and run histograms, each exact or sampled. Every point's start time is the
 * counters' start, its time the end of the last period counted.
 */
import { JOB_DURATION_BOUNDS_S } from '@gravito/quasar';
import type {
  HistogramPoint,
  MetricAttributes,
  MetricData,
  MetricDescriptor,
  NumberPoint,
} from '../otlp/metric-batch';
import type { DurationKind, QueueTotals } from '../periods/queue-totals';
import { DURATION_KINDS } from '../periods/queue-totals';

type Sum = MetricDescriptor & { readonly kind: 'sum' };
type Histogram = MetricDescriptor & { readonly kind: 'histogram' };

const counter = (name: string, description: string): Sum => ({
  name,
  unit: '{job}',
  description,
  kind: 'sum',
  monotonic: true,
  integer: true,
});

/** Created once, so the encoder caches their bytes. */
export const QUEUE_COUNTER_DESCRIPTORS = {
  added: counter(
    'quasar.queue.jobs.added',
    'Jobs added to the queue, counted once per queue from the periods its probes report.',
  ),
  finished: counter(
    'quasar.queue.jobs.finished',
    'Jobs that finished for good, by outcome (completed, failed), counted once per queue.',
  ),
  wait: {
    name: 'quasar.queue.wait.duration',
    unit: 's',
    description:
      'Time from enqueue (or from becoming ready, for delayed jobs) to start, of the jobs that finished; all of them, or a sample where quasar.queue.sampled is true.',
    kind: 'histogram',
  } satisfies Histogram,
  run: {
    name: 'quasar.queue.run.duration',
    unit: 's',
    description:
      'Time from start to finish of the jobs that finished; all of them, or a sample where quasar.queue.sampled is true.',
    kind: 'histogram',
  } satisfies Histogram,
} as const;

const NO_BOUNDS: readonly number[] = Object.freeze([]);

/** A queue's attribute sets, made once: the encoder keeps their bytes by identity. */
interface QueueAttributes {
  readonly queue: MetricAttributes;
  readonly completed: MetricAttributes;
  readonly failed: MetricAttributes;
  /** By `sampled`: false, true. */
  readonly durations: readonly [MetricAttributes, MetricAttributes];
}

/** Dropped with the queue's counters. */
const attributeSets = new WeakMap<QueueTotals, QueueAttributes>();

function attributesOf(name: string, totals: QueueTotals): QueueAttributes {
  let sets = attributeSets.get(totals);
  if (sets === undefined || sets.queue['quasar.queue.name'] !== name) {
    const queue = Object.freeze({ 'quasar.queue.name': name });
    const outcome = (o: string) => Object.freeze({ ...queue, 'quasar.job.outcome': o });
    const sampled = (s: boolean) => Object.freeze({ ...queue, 'quasar.queue.sampled': s });
    sets = {
      queue,
      completed: outcome('completed'),
      failed: outcome('failed'),
      durations: [sampled(false), sampled(true)],
    };
    attributeSets.set(totals, sets);
  }
  return sets;
}

/** The points of many queues' counters, gathered per metric. */
export class QueueCounterPoints {
  private readonly added: NumberPoint[] = [];
  private readonly finished: NumberPoint[] = [];
  private readonly durations: Record<DurationKind, HistogramPoint[]> = { wait: [], run: [] };

  /** Adds the points of queue `name`. */
  add(name: string, totals: QueueTotals): void {
    const { startMs: startTimeMs, timeMs } = totals;
    const sets = attributesOf(name, totals);
    this.added.push({ value: totals.added, timeMs, startTimeMs, attributes: sets.queue });
    for (const outcome of ['completed', 'failed'] as const) {
      this.finished.push({
        value: totals[outcome],
        timeMs,
        startTimeMs,
        attributes: sets[outcome],
      });
    }
    for (const kind of DURATION_KINDS) {
      for (const sampled of [false, true]) {
        const d = totals.durationsOf(kind, sampled);
        if (!d) continue;
        this.durations[kind].push({
          timeMs,
          startTimeMs,
          count: d.count,
          sum: d.sum / 1000,
          explicitBounds: d.buckets ? JOB_DURATION_BOUNDS_S : NO_BOUNDS,
          bucketCounts: d.buckets ? Array.from(d.buckets) : [d.count],
          attributes: sets.durations[sampled ? 1 : 0],
        });
      }
    }
  }

  /** The metrics gathered, none when no queue had counters. */
  metrics(): MetricData[] {
    if (this.added.length === 0) return [];
    const D = QUEUE_COUNTER_DESCRIPTORS;
    const out: MetricData[] = [
      { descriptor: D.added, points: this.added },
      { descriptor: D.finished, points: this.finished },
    ];
    for (const kind of DURATION_KINDS) {
      if (this.durations[kind].length > 0) {
        out.push({ descriptor: D[kind], points: this.durations[kind] });
      }
    }
    return out;
  }
}
