/**
 * Template encodes (copy the resource's bytes from the previous cycle, patch times and values)
 * must be byte-for-byte what a full encode writes, and must give way whenever the shape moved.
 */
import { METRICS_PROTOBUF_FRAMING, encodeMetricsProtobuf } from '../../../src/otlp/encode';
import { resourceCount, splitRequests } from '../../../src/otlp/request-split';
import type {
  MetricAttributes,
  MetricBatch,
  MetricData,
  MetricDescriptor,
  ResourceBlock,
  Scope,
} from '../../../src/otlp/metric-batch';

const gauge: MetricDescriptor = { name: 'g', unit: '1', description: 'a gauge', kind: 'gauge' };
const sum: MetricDescriptor = {
  name: 's',
  unit: 'By',
  description: 'an up-down counter',
  kind: 'sum',
  monotonic: false,
};
const flag: MetricDescriptor = {
  name: 'up',
  unit: '',
  description: '',
  kind: 'gauge',
  integer: true,
};
const USED: MetricAttributes = Object.freeze({ 'system.memory.state': 'used' });
const FREE: MetricAttributes = Object.freeze({ 'system.memory.state': 'free' });
const scope: Scope = Object.freeze({ name: '@gravito/quasar', version: '1.1.0' });

interface Values {
  t: number;
  start: number;
  cpu: number;
  used: number;
  free: number;
  up: number;
}

/** A node resource; `attributes` decides whether a template can apply (identity). */
function node(attributes: MetricAttributes, v: Values, s: Scope = scope): ResourceBlock {
  return {
    attributes,
    scope: s,
    metrics: [
      { descriptor: gauge as never, points: [{ value: v.cpu }], timeMs: v.t },
      {
        descriptor: sum as never,
        points: [
          { value: v.used, attributes: USED },
          { value: v.free, attributes: FREE },
        ],
        timeMs: v.t,
        startTimeMs: v.start,
      },
      { descriptor: flag as never, points: [{ value: v.up, timeMs: v.t + 0.5 }] },
    ],
  };
}

/** A metric with other points or fields, keeping the rest. */
const changed = (metric: MetricData | undefined, patch: object): MetricData =>
  ({ ...metric, ...patch }) as MetricData;

const identity = (id: string): MetricAttributes =>
  Object.freeze({ 'service.name': 'svc', 'service.instance.id': id, 'process.pid': 42 });

/** The same batch with fresh attribute objects: no template can apply, so a full encode. */
function fresh(batch: ResourceBlock[]): MetricBatch {
  return { resources: batch.map((r) => ({ ...r, attributes: { ...r.attributes } })) };
}

const values = (i: number): Values => ({
  t: 1767500000000 + i * 10_000 + 0.123,
  start: 1767400000000,
  cpu: 0.1 * i + 0.05,
  used: 1e9 + i,
  free: 2e9 - i,
  up: i % 2,
});

describe('resource templates', () => {
  it('writes exactly what a full encode writes, cycle after cycle', () => {
    const ids = [identity('a'), identity('b'), identity('c')];
    for (let cycle = 0; cycle < 4; cycle++) {
      const resources = ids.map((attrs, n) => node(attrs, values(cycle * 3 + n)));
      const templated = Buffer.from(encodeMetricsProtobuf({ resources }));
      const full = Buffer.from(encodeMetricsProtobuf(fresh(resources)));
      expect(templated.equals(full)).toBe(true);
    }
  });

  it('writes exactly what a full encode writes in every request of a cycle cut into many', () => {
    const ids = Array.from({ length: 60 }, (_, n) => identity(`split-${n}`));
    for (let cycle = 0; cycle < 3; cycle++) {
      const resources = ids.map((attrs, n) => node(attrs, values(cycle * 60 + n)));
      const requests = [...splitRequests(METRICS_PROTOBUF_FRAMING, resources, { bytes: 2000 })];
      expect(requests.length).toBeGreaterThan(5);
      let next = 0;
      for (const request of requests) {
        const held = resources.slice(next, next + resourceCount(request));
        next += held.length;
        const full = Buffer.from(encodeMetricsProtobuf(fresh(held)));
        expect(Buffer.from(request.body).equals(full)).toBe(true);
      }
      expect(next).toBe(resources.length);
    }
  });

  it('gives way when a point, a metric, the scope or an attribute set changes', () => {
    const attrs = identity('shape');
    encodeMetricsProtobuf({ resources: [node(attrs, values(1))] }); // records the template
    const base = node(attrs, values(2));
    const variants: ResourceBlock[] = [
      { ...base, metrics: base.metrics.slice(0, 2) },
      {
        ...base,
        metrics: [
          base.metrics[0]!,
          changed(base.metrics[1], { points: [{ value: 1, attributes: USED }] }),
          base.metrics[2]!,
        ],
      },
      node(attrs, values(3), Object.freeze({ name: '@gravito/quasar', version: '9.9.9' })),
      {
        ...base,
        metrics: [
          base.metrics[0]!,
          changed(base.metrics[1], {
            points: [
              { value: 1, attributes: Object.freeze({ 'system.memory.state': 'used' }) },
              { value: 2, attributes: FREE },
            ],
          }),
          base.metrics[2]!,
        ],
      },
      {
        ...base,
        metrics: [changed(base.metrics[0], { startTimeMs: 1 }), ...base.metrics.slice(1)],
      },
    ];
    for (const variant of variants) {
      const templated = Buffer.from(encodeMetricsProtobuf({ resources: [variant] }));
      const full = Buffer.from(encodeMetricsProtobuf(fresh([variant])));
      expect(templated.equals(full)).toBe(true);
    }
  });

  it('never templates a resource with a skipped point, and still skips it', () => {
    const attrs = identity('nan');
    const v = values(4);
    const withNaN = node(attrs, { ...v, cpu: Number.NaN });
    encodeMetricsProtobuf({ resources: [node(attrs, v)] });
    const templated = Buffer.from(encodeMetricsProtobuf({ resources: [withNaN] }));
    const full = Buffer.from(encodeMetricsProtobuf(fresh([withNaN])));
    expect(templated.equals(full)).toBe(true);
    const clean = Buffer.from(encodeMetricsProtobuf({ resources: [node(attrs, v)] }));
    expect(templated.length).toBeLessThan(clean.length);
  });

  it('patches values across the length boundaries where a body had to move', () => {
    // Long descriptions push metric bodies across 128 bytes, where the length guess is wrong
    // and `end` moves the body after the point positions were noted.
    const long: MetricDescriptor = { ...gauge, name: 'long', description: 'x'.repeat(90) };
    const attrs = identity('moves');
    const make = (i: number): ResourceBlock => ({
      attributes: attrs,
      scope,
      metrics: [
        { descriptor: long as never, points: [{ value: i }], timeMs: 1767500000000 + i },
        {
          descriptor: long as never,
          points: [{ value: -i }, { value: i * 2 }],
          timeMs: 1767500000000,
        },
      ],
    });
    encodeMetricsProtobuf({ resources: [make(1)] });
    for (const i of [2, 3, 1e9, -5.5]) {
      const templated = Buffer.from(encodeMetricsProtobuf({ resources: [make(i)] }));
      const full = Buffer.from(encodeMetricsProtobuf(fresh([make(i)])));
      expect(templated.equals(full)).toBe(true);
    }
  });

  it('shares one shape between nodes whose resources differ in length, each with its own bytes', () => {
    // The shared part starts after each node's own resource, whose length differs per node.
    const ids = [identity('n'), identity('a-much-longer-node-id'), identity('x'.repeat(200))];
    for (let cycle = 0; cycle < 3; cycle++) {
      const resources = ids.map((attrs, n) => node(attrs, values(cycle * 7 + n)));
      const templated = Buffer.from(encodeMetricsProtobuf({ resources }));
      const full = Buffer.from(encodeMetricsProtobuf(fresh(resources)));
      expect(templated.equals(full)).toBe(true);
      // Each node alone, from its template, is its own resource with its own values.
      resources.forEach((resource) => {
        const alone = Buffer.from(encodeMetricsProtobuf({ resources: [resource] }));
        expect(alone.equals(Buffer.from(encodeMetricsProtobuf(fresh([resource]))))).toBe(true);
      });
    }
  });
});
