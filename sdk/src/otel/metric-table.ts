/**
 * The one table of node metrics: OTel name, unit, instrument kind, and how each value is read
 * from a heartbeat. The SDK observes it from its own beats; the collector maps other agents'
 * beats through the same table, so a dashboard cannot tell who exported a node.
 * Names follow the OTel semantic conventions where one exists, else `quasar.*`.
 */
import type { Attributes } from '@opentelemetry/api';
import type { Heartbeat } from '../schema';

export type InstrumentKind = 'gauge' | 'updowncounter';

/** One value of a metric, with its (bounded) attributes. */
export interface MetricPoint {
  value: number;
  attributes?: Attributes;
}

export interface NodeMetric {
  name: string;
  unit: string;
  kind: InstrumentKind;
  description: string;
  /** The reading behind it; skipped while `runtime.errors` lists `reading_failed:{reading}`. */
  reading: string;
  points(heartbeat: Heartbeat): MetricPoint[];
}

// Shared, frozen attribute sets: exporters may cache their encoding by identity.
const MEMORY_USED: Attributes = Object.freeze({ 'system.memory.state': 'used' });
const MEMORY_FREE: Attributes = Object.freeze({ 'system.memory.state': 'free' });

const one = (value: number | undefined): MetricPoint[] =>
  value === undefined || !Number.isFinite(value) ? [] : [{ value }];
const msToSeconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

export const NODE_METRICS: readonly NodeMetric[] = [
  {
    name: 'system.cpu.utilization',
    unit: '1',
    kind: 'gauge',
    reading: 'system_cpu',
    description:
      'Busy share of the machine (or of the container CPU quota) over the last interval, 0–1.',
    points: (hb) => one(hb.cpu.system / 100),
  },
  {
    name: 'system.cpu.logical.count',
    unit: '{cpu}',
    kind: 'updowncounter',
    reading: 'system_cpu',
    description: 'Logical cores available, or the container CPU quota rounded up.',
    points: (hb) => one(hb.cpu.cores),
  },
  {
    name: 'system.memory.usage',
    unit: 'By',
    kind: 'updowncounter',
    reading: 'system_memory',
    description: 'Memory in use (used = total − available) and available (state free).',
    points: (hb) => [
      { value: hb.memory.system.used, attributes: MEMORY_USED },
      { value: hb.memory.system.available ?? hb.memory.system.free, attributes: MEMORY_FREE },
    ],
  },
  {
    name: 'system.memory.limit',
    unit: 'By',
    kind: 'updowncounter',
    reading: 'system_memory',
    description: 'Memory capacity: the host RAM, or the container memory limit.',
    points: (hb) => one(hb.memory.system.total),
  },
  {
    name: 'process.cpu.utilization',
    unit: '1',
    kind: 'gauge',
    reading: 'process_cpu',
    description: 'Process CPU time over the last interval ÷ elapsed time ÷ available cores, 0–1.',
    points: (hb) => one(hb.cpu.process / 100 / Math.max(1, hb.cpu.cores)),
  },
  {
    name: 'process.memory.usage',
    unit: 'By',
    kind: 'updowncounter',
    reading: 'process_memory',
    description: 'Resident set size of the process.',
    points: (hb) => one(hb.memory.process.rss),
  },
  {
    name: 'process.uptime',
    unit: 's',
    kind: 'gauge',
    reading: 'uptime',
    description: 'Time since the process started.',
    points: (hb) => one(hb.runtime.uptime),
  },
  {
    name: 'v8js.memory.heap.used',
    unit: 'By',
    kind: 'updowncounter',
    reading: 'process_memory',
    description: 'V8 heap in use, all spaces together.',
    points: (hb) => (hb.language === 'go' ? [] : one(hb.memory.process.heapUsed)),
  },
  {
    name: 'quasar.v8js.memory.heap.total',
    unit: 'By',
    kind: 'updowncounter',
    reading: 'process_memory',
    description: 'V8 heap reserved, all spaces together.',
    points: (hb) => (hb.language === 'go' ? [] : one(hb.memory.process.heapTotal)),
  },
  {
    name: 'nodejs.eventloop.delay.p50',
    unit: 's',
    kind: 'gauge',
    reading: 'event_loop',
    description: 'Median event-loop delay over the last interval.',
    points: (hb) => one(msToSeconds(hb.eventLoop?.p50)),
  },
  {
    name: 'nodejs.eventloop.delay.p99',
    unit: 's',
    kind: 'gauge',
    reading: 'event_loop',
    description: '99th percentile event-loop delay over the last interval.',
    points: (hb) => one(msToSeconds(hb.eventLoop?.p99)),
  },
  {
    name: 'nodejs.eventloop.delay.max',
    unit: 's',
    kind: 'gauge',
    reading: 'event_loop',
    description: 'Worst event-loop delay over the last interval.',
    points: (hb) => one(msToSeconds(hb.eventLoop?.max)),
  },
  {
    name: 'nodejs.eventloop.utilization',
    unit: '1',
    kind: 'gauge',
    reading: 'event_loop',
    description: 'Share of the last interval the event loop was busy, 0–1.',
    points: (hb) => one(hb.eventLoop?.utilization),
  },
  {
    name: 'quasar.system.load_average.1m',
    unit: '{thread}',
    kind: 'gauge',
    reading: 'loadavg',
    description: '1-minute load average.',
    points: (hb) => one(hb.loadavg?.[0]),
  },
  {
    name: 'quasar.system.load_average.5m',
    unit: '{thread}',
    kind: 'gauge',
    reading: 'loadavg',
    description: '5-minute load average.',
    points: (hb) => one(hb.loadavg?.[1]),
  },
  {
    name: 'quasar.system.load_average.15m',
    unit: '{thread}',
    kind: 'gauge',
    reading: 'loadavg',
    description: '15-minute load average.',
    points: (hb) => one(hb.loadavg?.[2]),
  },
  {
    name: 'quasar.container.cpu.quota',
    unit: '{cpu}',
    kind: 'gauge',
    reading: 'cgroup_limits',
    description: 'CPU quota of the container in cores (quota ÷ period), when one applies.',
    points: (hb) => one(hb.container?.cpuQuota),
  },
];

/** Points of one metric for a heartbeat, or none while its reading is reported as failed. */
export function pointsOf(metric: NodeMetric, heartbeat: Heartbeat): MetricPoint[] {
  const errors = heartbeat.runtime.errors;
  // Most beats report no errors; only then is the tag string built (the collector calls this
  // for every metric of every node).
  if (
    errors !== undefined &&
    errors.length > 0 &&
    errors.includes(`reading_failed:${metric.reading}`)
  ) {
    return [];
  }
  return metric.points(heartbeat);
}
