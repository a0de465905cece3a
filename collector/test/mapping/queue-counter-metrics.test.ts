import { JOB_DURATION_BOUNDS_MS } from '@gravito/quasar/schema';
import type { QueuePeriod } from '@gravito/quasar/schema';
import { queueResources } from '../../src/mapping/queues';
import type { ServiceQueues } from '../../src/mapping/queues';
import type { HistogramPoint, MetricData, NumberPoint } from '../../src/otlp/metric-batch';
import { QueueCounters } from '../../src/periods/queue-counters';

const T0 = 1_765_000_000_000;
const MIN = 60_000;
const BUCKETS = JOB_DURATION_BOUNDS_MS.length + 1;

const inBucket = (n: number, bucket: number, ms: number, sampled?: boolean) => {
  const counts = new Array<number>(BUCKETS).fill(0);
  counts[bucket] = n;
  return { count: n, sum: n * ms, counts, ...(sampled === undefined ? {} : { sampled }) };
};

const period = (i: number, extra: Partial<QueuePeriod> = {}): QueuePeriod => ({
  startMs: T0 + i * MIN,
  endMs: T0 + (i + 1) * MIN,
  in: 5,
  completed: 3,
  failed: 1,
  wait: inBucket(4, 5, 200),
  run: inBucket(2, 7, 800, true),
  source: 'events',
  ...extra,
});

const services = (periods: QueuePeriod[], error?: string): ServiceQueues[] => [
  {
    service: 'mailer',
    queues: [
      {
        name: 'emails',
        driver: 'bullmq',
        size: { waiting: 1, active: 0, failed: 0, delayed: 0 },
        periods,
        observedAt: T0 + 3 * MIN,
        source: 'hash',
        ...(error === undefined ? {} : { error }),
      },
    ],
  },
];

const metric = (metrics: readonly MetricData[], name: string) =>
  metrics.find((m) => m.descriptor.name === name);

describe('queue counter metrics', () => {
  it('exports jobs added, finished by outcome, and wait and run histograms on the queue resource', () => {
    const counters = new QueueCounters();
    counters.update(services([period(0), period(1)]), () => true, T0);
    const [resource] = queueResources(services([period(0), period(1)]), T0, counters);
    expect(resource!.attributes).toEqual({ 'service.name': 'mailer' });
    const metrics = resource!.metrics;
    expect(metrics.map((m) => m.descriptor.name)).toEqual([
      'quasar.queue.jobs',
      'quasar.queue.jobs.added',
      'quasar.queue.jobs.finished',
      'quasar.queue.wait.duration',
      'quasar.queue.run.duration',
    ]);
    const times = { startTimeMs: T0, timeMs: T0 + 2 * MIN };
    const added = metric(metrics, 'quasar.queue.jobs.added')!;
    expect(added.descriptor).toMatchObject({ kind: 'sum', monotonic: true, unit: '{job}' });
    expect(added.points).toEqual([
      { value: 10, ...times, attributes: { 'quasar.queue.name': 'emails' } },
    ]);
    expect(metric(metrics, 'quasar.queue.jobs.finished')!.points).toEqual([
      {
        value: 6,
        ...times,
        attributes: { 'quasar.queue.name': 'emails', 'quasar.job.outcome': 'completed' },
      },
      {
        value: 2,
        ...times,
        attributes: { 'quasar.queue.name': 'emails', 'quasar.job.outcome': 'failed' },
      },
    ]);
    const wait = metric(metrics, 'quasar.queue.wait.duration')!;
    expect(wait.descriptor).toMatchObject({ kind: 'histogram', unit: 's' });
    expect(wait.points).toEqual([
      {
        ...times,
        count: 8,
        sum: 1.6,
        explicitBounds: JOB_DURATION_BOUNDS_MS.map((ms) => ms / 1000),
        bucketCounts: inBucket(8, 5, 0).counts,
        attributes: { 'quasar.queue.name': 'emails', 'quasar.queue.sampled': false },
      },
    ]);
    const [run] = metric(metrics, 'quasar.queue.run.duration')!.points as HistogramPoint[];
    expect(run).toMatchObject({ count: 4, sum: 3.2, bucketCounts: inBucket(4, 7, 0).counts });
    expect(run!.attributes).toEqual({
      'quasar.queue.name': 'emails',
      'quasar.queue.sampled': true,
    });
  });

  it('exports a histogram with no buckets, only count and sum, once a period had none', () => {
    const counters = new QueueCounters();
    const periods = [period(0), period(1, { wait: { count: 3, sum: 900 }, run: undefined })];
    counters.update(services(periods), () => true, T0);
    const [resource] = queueResources(services(periods), T0, counters);
    const [wait] = metric(resource!.metrics, 'quasar.queue.wait.duration')!
      .points as HistogramPoint[];
    expect(wait).toMatchObject({ count: 7, sum: 1.7, explicitBounds: [], bucketCounts: [7] });
  });

  it('exports the counters while the probe fails, and nothing for a queue without any', () => {
    const counters = new QueueCounters();
    counters.update(services([period(0)]), () => true, T0);
    const [failing] = queueResources(services([], 'timeout'), T0, counters);
    expect(failing!.metrics.map((m) => m.descriptor.name)).toEqual([
      'quasar.queue.jobs.added',
      'quasar.queue.jobs.finished',
      'quasar.queue.wait.duration',
      'quasar.queue.run.duration',
    ]);
    const [plain] = queueResources(services([period(0)]), T0, new QueueCounters());
    expect(plain!.metrics.map((m) => m.descriptor.name)).toEqual(['quasar.queue.jobs']);
    const [jobs] = plain!.metrics[0]!.points as NumberPoint[];
    expect(jobs!.value).toBe(1);
  });
});
