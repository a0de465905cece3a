/**
 * Metric descriptors, created once and shared by every resource so the encoder can cache
 * their bytes. Node metrics come from the SDK's own table; the rest exist only in the bridge.
 */
import { NODE_METRICS } from '@gravito/quasar';
import type { NodeMetric } from '@gravito/quasar';
import type { MetricDescriptor } from '../otlp/metric-batch';

type Numeric = MetricDescriptor & { readonly kind: 'gauge' | 'sum' };
type Histogram = MetricDescriptor & { readonly kind: 'histogram' };

/** The SDK's instruments are gauges and up-down counters (non-monotonic cumulative sums). */
export const NODE_DESCRIPTORS: ReadonlyArray<readonly [NodeMetric, Numeric]> = NODE_METRICS.map(
  (metric) =>
    [
      metric,
      {
        name: metric.name,
        unit: metric.unit,
        description: metric.description,
        kind: metric.kind === 'gauge' ? 'gauge' : 'sum',
        monotonic: false,
      },
    ] as const,
);

/** Points the SDK table can give one node: the packed shape key has a bit for each. */
export const TABLE_POINTS = NODE_METRICS.reduce((n, m) => n + m.pointAttributes.length, 0);

const gauge = (name: string, unit: string, description: string, integer = false): Numeric => ({
  name,
  unit,
  description,
  kind: 'gauge',
  integer,
});

export const BRIDGE_DESCRIPTORS = {
  // No unit: Prometheus exporters would otherwise append `_ratio` to a 0/1 flag.
  nodeUp: gauge(
    'quasar.node.up',
    '',
    '1 while the node beats on time (online), 0 once it is stale or its key expired.',
    true,
  ),
  heartbeatAge: gauge(
    'quasar.node.heartbeat.age',
    's',
    'Time since the node last beat, on the Redis server clock.',
  ),
  nodeStatus: gauge(
    'quasar.node.status',
    '',
    'State set of the status the agent reports (online, degraded, error): 1 for the current one.',
    true,
  ),
  queueJobs: gauge('quasar.queue.jobs', '{job}', 'Jobs in a queue, by state.', true),
  queueOldestWaitingAge: gauge(
    'quasar.queue.oldest_waiting.age',
    's',
    'Age of the oldest waiting job, where the queue system can tell.',
  ),
  queueThroughput: gauge(
    'quasar.queue.throughput',
    '{job}/min',
    'Jobs per minute over the probe window, by flow: in (added), out (finished), failed (a part of out).',
  ),
  httpStatus: gauge(
    'httpcheck.status',
    '1',
    '1 if the check resulted in status_code matching the status_class, otherwise 0.',
    true,
  ),
  httpDuration: gauge('httpcheck.duration', 'ms', 'Measures the duration of the HTTP check.', true),
  httpError: {
    name: 'httpcheck.error',
    unit: '{error}',
    description: 'Records errors occurring during HTTP check.',
    kind: 'sum',
    monotonic: true,
    integer: true,
  } satisfies Numeric,
  httpCertRemaining: gauge(
    'httpcheck.tls.cert_remaining',
    's',
    'Time in seconds until certificate expiry, as specified by `NotAfter` field in the x.509 certificate.',
    true,
  ),
  tcpStatus: gauge(
    'tcpcheck.status',
    '1',
    '1 if the TCP client successfully connected, otherwise 0.',
    true,
  ),
  tcpDuration: gauge('tcpcheck.duration', 'ms', 'Measures the duration of TCP connection.', true),
  tcpError: {
    name: 'tcpcheck.error',
    unit: '{error}',
    description: 'Records errors occurring during TCP check.',
    kind: 'sum',
    monotonic: true,
    integer: true,
  } satisfies Numeric,
  slowDuration: {
    name: 'quasar.slow.duration',
    unit: 's',
    description: 'Duration of requests and jobs that crossed their slow threshold.',
    kind: 'histogram',
  } satisfies Histogram,
} as const;

/** Bucket bounds of the slow-duration histogram, seconds: slow things start at about 1 s. */
export const SLOW_BUCKETS_S: readonly number[] = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600];
