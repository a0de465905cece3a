import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import type { HistogramMetricData, SumMetricData } from '@opentelemetry/sdk-metrics';
import { JobRecorder } from '../../src/jobs/job-recorder';
import { registerJobInstruments } from '../../src/otel/job-instruments';
import { JOB_DURATION_BOUNDS_S, histogramPoint } from '../../src/otel/job-metrics';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function setup() {
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 60_000,
  });
  const provider = new MeterProvider({ readers: [reader] });
  return { reader, provider, meter: provider.getMeter('test') };
}

describe('registerJobInstruments', () => {
  it('exports the counts and histograms the heartbeat carries, under the table names', async () => {
    const { reader, provider, meter } = setup();
    const jobs = new JobRecorder(silent);
    registerJobInstruments(meter, jobs);
    for (let i = 0; i < 7; i++)
      jobs.record({ queue: 'emails', outcome: 'completed', runMs: 200, waitMs: 3 });
    jobs.record({ queue: 'emails', outcome: 'failed', runMs: 4000, waitMs: 3 });
    jobs.record({ queue: 'emails', outcome: 'retried', runMs: 1, waitMs: 3 });
    const metrics = (await reader.collect()).resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    const byName = new Map(metrics.map((m) => [m.descriptor.name, m]));

    const processed = byName.get('quasar.queue.jobs.processed') as SumMetricData;
    expect(processed.isMonotonic).toBe(true);
    expect(processed.descriptor.unit).toBe('{job}');
    expect(processed.dataPoints.map((p) => [p.attributes['quasar.job.outcome'], p.value])).toEqual([
      ['completed', 7],
      ['failed', 1],
      ['retried', 1],
    ]);
    expect(processed.dataPoints[0]?.attributes).toEqual({
      'messaging.system': 'custom',
      'messaging.destination.name': 'emails',
      'quasar.job.outcome': 'completed',
    });

    const [stats] = jobs.snapshot();
    for (const [name, wire] of [
      ['messaging.process.duration', stats?.run],
      ['quasar.queue.job.wait.duration', stats?.wait],
    ] as const) {
      const metric = byName.get(name) as HistogramMetricData;
      expect(metric.dataPointType).toBe(DataPointType.HISTOGRAM);
      expect(metric.descriptor.unit).toBe('s');
      const point = metric.dataPoints[0]!.value;
      const expected = histogramPoint(wire)!;
      expect(point.buckets.boundaries).toEqual(JOB_DURATION_BOUNDS_S);
      expect(point.buckets.counts).toEqual(expected.bucketCounts);
      expect(point.count).toBe(expected.count);
      expect(point.sum).toBeCloseTo(expected.sum, 9);
    }
    await provider.shutdown();
  });

  it('stops observing and recording once unregistered', async () => {
    const { reader, provider, meter } = setup();
    const jobs = new JobRecorder(silent);
    const unregister = registerJobInstruments(meter, jobs);
    unregister();
    jobs.record({ queue: 'emails', outcome: 'completed', runMs: 200 });
    const metrics = (await reader.collect()).resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    expect(metrics.map((m) => m.dataPoints.length)).toEqual(metrics.map(() => 0));
    await provider.shutdown();
  });
});
