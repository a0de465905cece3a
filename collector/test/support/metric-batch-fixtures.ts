/**
 * Metric batches for encoder tests and benches: a small one that touches every shape the
 * encoders write, and a node-sized one like a real 10,000-node cycle.
 */
import type {
  MetricAttributes,
  MetricBatch,
  MetricDescriptor,
  ResourceBlock,
  Scope,
} from '../../src/otlp/metric-batch';

/** The scope every fixture resource reports under. */
export const FIXTURE_SCOPE: Scope = { name: '@gravito/quasar-collector', version: '1.0.0' };

/** 2024-11-28T13:20:00.123Z: a whole millisecond. */
export const T0_MS = 1732800000123;

type NumberDescriptor = MetricDescriptor & { readonly kind: 'gauge' | 'sum' };
type HistogramDescriptor = MetricDescriptor & { readonly kind: 'histogram' };

/** One descriptor of each shape the bridge emits. */
export const DESCRIPTORS = {
  cpu: {
    name: 'system.cpu.utilization',
    unit: '1',
    description: 'Busy share of the machine over the last interval, 0–1.',
    kind: 'gauge',
  },
  up: {
    name: 'quasar.node.up',
    unit: '1',
    description: '1 while online.',
    kind: 'gauge',
    integer: true,
  },
  memory: {
    name: 'process.memory.usage',
    unit: 'By',
    description: '',
    kind: 'sum',
    monotonic: false,
    integer: true,
  },
  restarts: {
    name: 'quasar.node.restarts',
    unit: '{restart}',
    description: 'Restarts since the collector started.',
    kind: 'sum',
    monotonic: true,
  },
  temperature: { name: 'quasar.temperature', unit: '', description: '', kind: 'gauge' },
} as const satisfies Record<string, NumberDescriptor>;

/** A histogram descriptor, for slow-request durations. */
export const DURATION: HistogramDescriptor = {
  name: 'quasar.slow.duration',
  unit: 's',
  description: 'Duration of slow requests and jobs.',
  kind: 'histogram',
};

/**
 * Two nodes and a queue resource covering gauge, sums, histogram, int and double values,
 * string/int/bool/double attributes, fractional ms and non-ASCII text.
 */
export function richBatch(): MetricBatch {
  const nodeA: ResourceBlock = {
    attributes: {
      'service.name': 'checkout',
      'service.instance.id': 'node-a',
      'process.pid': 4242,
      'quasar.node.leader': true,
      'quasar.node.weight': 0.75,
      'host.name': 'hôte-東京-🚀',
    },
    scope: FIXTURE_SCOPE,
    metrics: [
      { descriptor: DESCRIPTORS.cpu, points: [{ value: 0.4321, timeMs: T0_MS + 0.5 }] },
      { descriptor: DESCRIPTORS.up, points: [{ value: 1, timeMs: T0_MS }] },
      {
        descriptor: DESCRIPTORS.memory,
        points: [
          {
            value: 123456789012,
            timeMs: T0_MS,
            startTimeMs: T0_MS - 60_000,
            attributes: { 'system.memory.state': 'used' },
          },
          {
            value: 0,
            timeMs: T0_MS,
            startTimeMs: T0_MS - 60_000,
            attributes: { 'system.memory.state': 'free' },
          },
        ],
      },
      {
        descriptor: DESCRIPTORS.restarts,
        points: [{ value: 3, timeMs: T0_MS + 0.456, startTimeMs: 1700000000000.25 }],
      },
      {
        descriptor: DESCRIPTORS.temperature,
        points: [
          { value: -12.5, timeMs: T0_MS, attributes: { sensor: 'ünïcödé', slot: -3, ratio: -0.5 } },
        ],
      },
      {
        descriptor: DURATION,
        points: [
          {
            timeMs: T0_MS,
            startTimeMs: T0_MS - 3_600_000,
            count: 7,
            sum: 12.75,
            min: 0.25,
            max: 6,
            explicitBounds: [0.5, 1, 5],
            bucketCounts: [1, 2, 3, 1],
            attributes: { 'quasar.slow.kind': 'job' },
          },
          {
            timeMs: T0_MS,
            startTimeMs: T0_MS - 3_600_000,
            count: 0,
            sum: 0,
            explicitBounds: [],
            bucketCounts: [0],
          },
        ],
      },
    ],
  };
  const nodeB: ResourceBlock = {
    attributes: { 'service.name': 'checkout', 'service.instance.id': 'node-b', 'process.pid': 7 },
    scope: FIXTURE_SCOPE,
    metrics: [
      { descriptor: DESCRIPTORS.cpu, points: [{ value: 0, timeMs: T0_MS + 1000 }] },
      { descriptor: DESCRIPTORS.up, points: [{ value: -2, timeMs: T0_MS + 1000 }] },
    ],
  };
  const queue: ResourceBlock = {
    attributes: { 'service.name': 'checkout' },
    scope: { name: 'quasar-queues', version: '' },
    metrics: [],
  };
  return { resources: [nodeA, nodeB, queue] };
}

/** Seventeen gauges named like the node metrics; two carry a `system.memory.state`. */
export const NODE_GAUGES: readonly NumberDescriptor[] = Array.from({ length: 17 }, (_, i) => ({
  name: i < 2 ? `system.memory.usage.${i}` : `quasar.node.metric_${String(i).padStart(2, '0')}`,
  unit: i < 2 ? 'By' : '1',
  description: `Node reading number ${i}, as the SDK's metric table describes it for dashboards.`,
  kind: 'gauge',
  integer: i % 3 === 0,
}));

/** Resource attributes of node `i`, shaped like a real agent's. */
export function nodeAttributes(i: number): MetricAttributes {
  return {
    'service.name': `service-${i % 20}`,
    'service.instance.id': `node-${i}-4f1c2a9e`,
    'host.name': `ip-10-0-${(i >> 8) & 255}-${i & 255}.eu-west-1.compute.internal`,
    'process.pid': 1000 + (i % 50000),
    'process.runtime.name': 'nodejs',
    'process.runtime.version': '20.20.2',
    'os.type': 'linux',
  };
}

/** `nodes` resources with one point per gauge in {@link NODE_GAUGES}. */
export function nodeBatch(nodes: number, timeMs = T0_MS): MetricBatch {
  const resources: ResourceBlock[] = [];
  for (let i = 0; i < nodes; i++) {
    resources.push({
      attributes: nodeAttributes(i),
      scope: FIXTURE_SCOPE,
      metrics: NODE_GAUGES.map((descriptor, m) => ({
        descriptor,
        points: [
          {
            value: descriptor.integer === true ? i * 17 + m : (i * 17 + m) / 7,
            timeMs,
            ...(m < 2 ? { attributes: { 'system.memory.state': m === 0 ? 'used' : 'free' } } : {}),
          },
        ],
      })),
    });
  }
  return { resources };
}
