/**
 * The cardinality limits of the slow-duration histograms, after the OTel metrics SDK's: what
 * does not fit is counted in an overflow series marked `otel.metric.overflow=true`, so the
 * totals stay exact while series and resources stay bounded.
 */
import type { SlowEntry } from '@gravito/quasar/schema';
import type { HistogramPoint, MetricAttributes, ResourceBlock } from '../../src/otlp/metric-batch';
import { DurationHistograms } from '../../src/slowlog/duration-histograms';
import type { HistogramNode } from '../../src/slowlog/duration-histograms';
import { DEFAULT_HISTOGRAM_LIMITS } from '../../src/slowlog/histogram-limits';
import { slowRequest } from './consumer-fixture';

const T0 = 1_700_000_000_000;
const OVERFLOW = { 'otel.metric.overflow': true };

/** A node of `service`; `known` when the collector holds its heartbeat. */
function node(service: string, id: string, known: boolean): HistogramNode {
  return {
    service,
    nodeKey: `${service}/${id}`,
    attributes: { 'service.name': service, 'service.instance.id': id },
    known,
  };
}

const route = (i: number): SlowEntry => slowRequest({ route: `/r/${i}` });

/** Every point, flattened, with its resource. */
function points(blocks: readonly ResourceBlock[]) {
  return blocks.flatMap((b) =>
    b.metrics[0]!.points.map((p) => ({ resource: b.attributes, point: p as HistogramPoint })),
  );
}

const total = (blocks: readonly ResourceBlock[]) =>
  points(blocks).reduce((n, { point }) => n + point.count, 0);

const overflowOf = (blocks: readonly ResourceBlock[], resource: MetricAttributes) =>
  points(blocks).find(
    (p) =>
      JSON.stringify(p.resource) === JSON.stringify(resource) &&
      p.point.attributes?.['otel.metric.overflow'] === true,
  )?.point;

describe('DurationHistograms limits', () => {
  it('defaults to 200 series per node, 50 unknown nodes per service and 5,000 series', () => {
    expect(DEFAULT_HISTOGRAM_LIMITS).toEqual({
      seriesPerNode: 200,
      unknownNodesPerService: 50,
      maxSeries: 5_000,
    });
  });

  it("counts a node's series past its limit in the node's one overflow series", () => {
    const histograms = new DurationHistograms(Infinity, { seriesPerNode: 3 });
    const web = node('checkout', 'web-1', true);
    for (let i = 0; i < 10; i++) histograms.record(web, route(i), T0);
    histograms.record(web, route(0), T0);

    const blocks = histograms.resources(T0);
    expect(blocks).toHaveLength(1);
    const all = points(blocks);
    expect(all).toHaveLength(4);
    expect(all.slice(0, 3).map((p) => p.point.count)).toEqual([2, 1, 1]);
    expect(all[3]!.point).toMatchObject({ count: 7, attributes: OVERFLOW });
    expect(histograms.overflows).toEqual({ series_per_node: 7, unknown_nodes: 0, max_series: 0 });
    expect(histograms.series).toBe(4);
  });

  it('gives unknown nodes past the per-service limit one shared overflow resource per service', () => {
    const histograms = new DurationHistograms(Infinity, { unknownNodesPerService: 2 });
    for (let i = 0; i < 5; i++)
      histograms.record(node('checkout', `ghost-${i}`, false), route(0), T0);
    for (let i = 0; i < 3; i++)
      histograms.record(node('mailer', `ghost-${i}`, false), route(0), T0);

    const blocks = histograms.resources(T0);
    expect(blocks.map((b) => b.attributes)).toEqual([
      { 'service.name': 'checkout', 'service.instance.id': 'ghost-0' },
      { 'service.name': 'checkout', 'service.instance.id': 'ghost-1' },
      { 'service.name': 'checkout' },
      { 'service.name': 'mailer', 'service.instance.id': 'ghost-0' },
      { 'service.name': 'mailer', 'service.instance.id': 'ghost-1' },
      { 'service.name': 'mailer' },
    ]);
    expect(overflowOf(blocks, { 'service.name': 'checkout' })).toMatchObject({
      count: 3,
      attributes: OVERFLOW,
    });
    expect(overflowOf(blocks, { 'service.name': 'mailer' })?.count).toBe(1);
    expect(histograms.overflows.unknown_nodes).toBe(4);
    expect(total(blocks)).toBe(8);
  });

  it('always gives a node with a heartbeat its own resource, whatever the unknown ones used', () => {
    const histograms = new DurationHistograms(Infinity, { unknownNodesPerService: 1 });
    histograms.record(node('checkout', 'ghost', false), route(0), T0);
    for (let i = 0; i < 5; i++) histograms.record(node('checkout', `web-${i}`, true), route(0), T0);

    expect(histograms.resources(T0)).toHaveLength(6);
    expect(histograms.overflows.unknown_nodes).toBe(0);
  });

  it('frees the place of an unknown node once its heartbeat is known', () => {
    const histograms = new DurationHistograms(Infinity, { unknownNodesPerService: 1 });
    histograms.record(node('checkout', 'early', false), route(0), T0);
    histograms.record(node('checkout', 'early', true), route(0), T0);
    histograms.record(node('checkout', 'ghost', false), route(0), T0);

    expect(histograms.resources(T0).map((b) => b.attributes['service.instance.id'])).toEqual([
      'early',
      'ghost',
    ]);
    expect(histograms.overflows.unknown_nodes).toBe(0);
  });

  it('never holds more than maxSeries series plus one last overflow, and still counts everything', () => {
    const histograms = new DurationHistograms(Infinity, {
      seriesPerNode: 5,
      unknownNodesPerService: 1000,
      maxSeries: 20,
    });
    let recorded = 0;
    for (let s = 0; s < 30; s++) {
      for (let n = 0; n < 10; n++) {
        for (let r = 0; r < 8; r++) {
          histograms.record(node(`svc-${s}`, `n-${n}`, n % 2 === 0), route(r), T0);
          recorded++;
        }
      }
    }

    const blocks = histograms.resources(T0);
    expect(histograms.series).toBeLessThanOrEqual(21);
    expect(points(blocks)).toHaveLength(histograms.series);
    expect(blocks.length).toBeLessThanOrEqual(21);
    expect(total(blocks)).toBe(recorded);
    expect(overflowOf(blocks, {})).toMatchObject({ attributes: OVERFLOW });
    expect(histograms.overflows.max_series).toBeGreaterThan(0);
    const overflowed = Object.values(histograms.overflows).reduce((a, b) => a + b, 0);
    const inOverflow = points(blocks)
      .filter((p) => p.point.attributes?.['otel.metric.overflow'] === true)
      .reduce((n, p) => n + p.point.count, 0);
    expect(inOverflow).toBe(overflowed);
  });

  it("puts the last overflow on the resource it is given: each replica's is its own series", () => {
    const replica = Object.freeze({
      'service.name': 'quasar-collector',
      'service.instance.id': 'collector-a',
    });
    const histograms = new DurationHistograms(Infinity, { maxSeries: 1 }, replica);
    histograms.record(node('svc-a', 'n-1', true), route(0), T0);
    histograms.record(node('svc-b', 'n-1', true), route(0), T0);
    const blocks = histograms.resources(T0);
    expect(overflowOf(blocks, replica)).toMatchObject({ attributes: OVERFLOW });
    expect(overflowOf(blocks, {})).toBeUndefined();
    expect(total(blocks)).toBe(2);
  });

  it('forgets overflow resources with the nodes, making room again', () => {
    const histograms = new DurationHistograms(60_000, { unknownNodesPerService: 1 });
    histograms.record(node('checkout', 'ghost-1', false), route(0), T0);
    histograms.record(node('checkout', 'ghost-2', false), route(0), T0);
    expect(histograms.resources(T0)).toHaveLength(2);
    expect(histograms.series).toBe(2);

    expect(histograms.resources(T0 + 120_000)).toEqual([]);
    expect(histograms.series).toBe(0);
    histograms.record(node('checkout', 'ghost-3', false), route(0), T0 + 120_000);
    expect(histograms.resources(T0 + 120_000).map((b) => b.attributes)).toEqual([
      { 'service.name': 'checkout', 'service.instance.id': 'ghost-3' },
    ]);
  });
});
