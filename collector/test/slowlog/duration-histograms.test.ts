import { DataPointType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { SlowEntry } from '@gravito/quasar/schema';
import { BRIDGE_DESCRIPTORS, SLOW_BUCKETS_S } from '../../src/mapping/descriptors';
import { COLLECTOR_SCOPE } from '../../src/mapping/scope';
import type { HistogramPoint, ResourceBlock } from '../../src/otlp/metric-batch';
import { DurationHistograms } from '../../src/slowlog/duration-histograms';
import type { HistogramNode } from '../../src/slowlog/duration-histograms';
import { slowJob, slowRequest } from './consumer-fixture';

const WEB_1 = { 'service.name': 'checkout', 'service.instance.id': 'web-1' };
const WEB_2 = { 'service.name': 'checkout', 'service.instance.id': 'web-2' };
const T0 = 1_700_000_000_000;

/** A node the collector holds a heartbeat of, under `nodeKey`. */
function nodeOf(nodeKey: string, attributes: Record<string, string>, known = true): HistogramNode {
  return { service: attributes['service.name'] ?? '', nodeKey, attributes, known };
}

/** A reader the test collects from by hand, as the SDK's own tests do. */
class ManualReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** The bucket counts the OTel SDK's explicit-bucket histogram gives the same values. */
async function sdkBucketCounts(seconds: readonly number[]): Promise<number[]> {
  const reader = new ManualReader();
  const provider = new MeterProvider({ readers: [reader] });
  const histogram = provider
    .getMeter('reference')
    .createHistogram('duration', { advice: { explicitBucketBoundaries: [...SLOW_BUCKETS_S] } });
  for (const value of seconds) histogram.record(value);
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  const metric = resourceMetrics.scopeMetrics[0]!.metrics[0]!;
  if (metric.dataPointType !== DataPointType.HISTOGRAM) throw new Error('not a histogram');
  return metric.dataPoints[0]!.value.buckets.counts;
}

/** The single point of a node that recorded one series. */
function onlyPoint(block: ResourceBlock | undefined): HistogramPoint {
  const metric = block?.metrics[0];
  if (!metric || metric.descriptor.kind !== 'histogram' || metric.points.length !== 1) {
    throw new Error('expected one histogram point');
  }
  return metric.points[0] as HistogramPoint;
}

function recordAll(histograms: DurationHistograms, entries: readonly SlowEntry[]): void {
  for (const entry of entries) histograms.record(nodeOf('checkout/web-1', WEB_1), entry, T0);
}

describe('DurationHistograms', () => {
  it('reports nothing before the first entry', () => {
    const histograms = new DurationHistograms();
    expect(histograms.resources(T0)).toEqual([]);
    expect(histograms.total).toBe(0);
  });

  it("puts a duration equal to a bound into that bound's bucket, as OTel explicit buckets do", async () => {
    const histograms = new DurationHistograms();
    const seconds = SLOW_BUCKETS_S.flatMap((bound) => [bound, bound + 0.001]);
    recordAll(
      histograms,
      seconds.map((s) => slowRequest({ durationMs: s * 1000 })),
    );

    const point = onlyPoint(histograms.resources(T0)[0]);
    expect(point.explicitBounds).toEqual(SLOW_BUCKETS_S);
    // Each bucket holds its own bound and the value just above the previous one.
    expect(point.bucketCounts).toEqual([1, ...SLOW_BUCKETS_S.slice(1).map(() => 2), 1]);
    expect(point.bucketCounts).toEqual(await sdkBucketCounts(seconds));
  });

  it('puts a duration below the first bound into the first bucket and above the last into the overflow', () => {
    const histograms = new DurationHistograms();
    recordAll(histograms, [
      slowRequest({ durationMs: 0 }),
      slowRequest({ durationMs: 120 }),
      slowRequest({ durationMs: 3_600_000 }),
    ]);
    const counts = onlyPoint(histograms.resources(T0)[0]).bucketCounts;
    expect(counts).toHaveLength(SLOW_BUCKETS_S.length + 1);
    expect(counts[0]).toBe(2);
    expect(counts[SLOW_BUCKETS_S.length]).toBe(1);
  });

  it('keeps count, sum, min and max in seconds', () => {
    const histograms = new DurationHistograms();
    recordAll(histograms, [
      slowRequest({ durationMs: 1500 }),
      slowRequest({ durationMs: 800 }),
      slowRequest({ durationMs: 2500 }),
    ]);
    const point = onlyPoint(histograms.resources(T0)[0]);
    expect(point.count).toBe(3);
    expect(point.sum).toBeCloseTo(4.8, 9);
    expect(point.min).toBe(0.8);
    expect(point.max).toBe(2.5);
  });

  it('accumulates from its first entry: cumulative, with a start time that never moves', () => {
    const histograms = new DurationHistograms();
    histograms.record(nodeOf('checkout/web-1', WEB_1), slowRequest(), T0);
    histograms.record(nodeOf('checkout/web-1', WEB_1), slowRequest(), T0 + 10_000);
    const point = onlyPoint(histograms.resources(T0 + 60_000)[0]);
    expect(point).toMatchObject({ count: 2, startTimeMs: T0, timeMs: T0 + 60_000 });
    expect(onlyPoint(histograms.resources(T0 + 120_000)[0]).count).toBe(2);
  });

  it('splits series by kind, route, method and queue, never by the raw name', () => {
    const histograms = new DurationHistograms();
    recordAll(histograms, [
      slowRequest({ name: 'GET /orders/123' }),
      slowRequest({ name: 'GET /orders/456' }),
      slowRequest({ name: 'DELETE /orders/7', method: 'DELETE' }),
      slowJob({ name: 'SendWelcome to user 42' }),
      slowJob({ name: 'Resize', queue: 'images' }),
    ]);
    const metric = histograms.resources(T0)[0]!.metrics[0]!;
    const series = metric.points.map((p) => ({
      attributes: p.attributes,
      count: (p as HistogramPoint).count,
    }));
    expect(series).toEqual([
      {
        attributes: {
          'quasar.slow.kind': 'request',
          'http.route': '/orders/:id',
          'http.request.method': 'GET',
        },
        count: 2,
      },
      {
        attributes: {
          'quasar.slow.kind': 'request',
          'http.route': '/orders/:id',
          'http.request.method': 'DELETE',
        },
        count: 1,
      },
      { attributes: { 'quasar.slow.kind': 'job', 'quasar.queue.name': 'emails' }, count: 1 },
      { attributes: { 'quasar.slow.kind': 'job', 'quasar.queue.name': 'images' }, count: 1 },
    ]);
    for (const { attributes } of series) {
      expect(Object.keys(attributes ?? {})).not.toContain('quasar.slow.name');
      expect(Object.values(attributes ?? {}).join(' ')).not.toMatch(/\d/);
    }
  });

  it("reports one resource per node, with that node's attributes and the collector's scope", () => {
    const histograms = new DurationHistograms();
    histograms.record(nodeOf('checkout/web-1', WEB_1), slowRequest(), T0);
    histograms.record(nodeOf('checkout/web-2', WEB_2), slowRequest(), T0);
    histograms.record(nodeOf('checkout/web-1', WEB_1), slowJob(), T0);

    const blocks = histograms.resources(T0);
    expect(blocks.map((b) => b.attributes)).toEqual([WEB_1, WEB_2]);
    for (const block of blocks) {
      expect(block.scope).toEqual(COLLECTOR_SCOPE);
      expect(block.metrics.map((m) => m.descriptor)).toEqual([BRIDGE_DESCRIPTORS.slowDuration]);
    }
    expect(blocks[0]!.metrics[0]!.points).toHaveLength(2);
    expect(histograms.total).toBe(3);
  });

  it('stops exporting and forgets a node with no new entry for the retention time', () => {
    const histograms = new DurationHistograms(60_000);
    const entry = {
      kind: 'job' as const,
      name: 'Reindex',
      durationMs: 7000,
      thresholdMs: 5000,
      nodeId: 'n',
      timestamp: 1,
    };
    histograms.record(nodeOf('old', { 'service.name': 's' }), entry, 1_000);
    histograms.record(nodeOf('new', { 'service.name': 's' }), entry, 50_000);
    expect(histograms.resources(55_000)).toHaveLength(2);
    expect(histograms.resources(100_000).map((r) => r.attributes)).toHaveLength(1);
    expect(histograms.total).toBe(1);
  });

  describe('forgetService()', () => {
    const SEARCH_1 = { 'service.name': 'search', 'service.instance.id': 'api-1' };

    it("drops every series of the service, its overflow included, and keeps the others'", () => {
      const histograms = new DurationHistograms(Infinity, { unknownNodesPerService: 1 });
      histograms.record(nodeOf('checkout/web-1', WEB_1), slowRequest(), T0);
      histograms.record(nodeOf('checkout/ghost-1', WEB_2, false), slowRequest(), T0);
      // A second unknown node of checkout: over its limit, counted in the service's overflow.
      histograms.record(nodeOf('checkout/ghost-2', WEB_2, false), slowRequest(), T0);
      histograms.record(nodeOf('search/api-1', SEARCH_1), slowJob(), T0);
      expect(histograms.resources(T0)).toHaveLength(4);

      histograms.forgetService('checkout');

      expect(histograms.resources(T0).map((b) => b.attributes)).toEqual([SEARCH_1]);
      expect(histograms.series).toBe(1);
      expect(histograms.total).toBe(1);
    });

    it('starts a new cumulative series, with a new start time, when the service is counted again', () => {
      const histograms = new DurationHistograms();
      histograms.record(nodeOf('checkout/web-1', WEB_1), slowRequest(), T0);
      histograms.record(nodeOf('checkout/web-1', WEB_1), slowRequest(), T0 + 1_000);

      histograms.forgetService('checkout');
      histograms.record(nodeOf('checkout/web-1', WEB_1), slowRequest(), T0 + 60_000);

      const point = onlyPoint(histograms.resources(T0 + 61_000)[0]);
      expect(point).toMatchObject({ count: 1, startTimeMs: T0 + 60_000 });
    });

    it("frees the service's room for nodes without a heartbeat", () => {
      const histograms = new DurationHistograms(Infinity, { unknownNodesPerService: 1 });
      histograms.record(nodeOf('checkout/ghost-1', WEB_1, false), slowRequest(), T0);
      histograms.forgetService('checkout');

      histograms.record(nodeOf('checkout/ghost-2', WEB_2, false), slowRequest(), T0);

      expect(histograms.resources(T0).map((b) => b.attributes)).toEqual([WEB_2]);
      expect(histograms.overflows.unknown_nodes).toBe(0);
    });
  });

  it('never exports a point whose time is before its last update', () => {
    const histograms = new DurationHistograms();
    const entry = {
      kind: 'job' as const,
      name: 'Reindex',
      durationMs: 7000,
      thresholdMs: 5000,
      nodeId: 'n',
      timestamp: 1,
    };
    histograms.record(nodeOf('n', { 'service.name': 's' }), entry, 10_000);
    const point = histograms.resources(9_000)[0]!.metrics[0]!.points[0] as {
      timeMs: number;
      startTimeMs: number;
    };
    expect(point.timeMs).toBeGreaterThanOrEqual(point.startTimeMs);
  });
});
