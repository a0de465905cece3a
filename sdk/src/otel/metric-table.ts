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
  /**
   * The metric's possible points, in order: each entry is one point's attributes (undefined
   * for none). Shared and frozen, so exporters may cache their encoding by identity.
   */
  readonly pointAttributes: ReadonlyArray<Attributes | undefined>;
  /**
   * The value of point `index` (of `pointAttributes`), or undefined when the beat has none.
   * Allocation-free, for readers of many beats; a non-finite value counts as none.
   */
  value(heartbeat: Heartbeat, index: number): number | undefined;
  /** The points present in a beat: `value` for each of `pointAttributes`, absent ones left out. */
  points(heartbeat: Heartbeat): MetricPoint[];
}

// Shared, frozen attribute sets: exporters may cache their encoding by identity.
const MEMORY_USED: Attributes = Object.freeze({ 'system.memory.state': 'used' });
const MEMORY_FREE: Attributes = Object.freeze({ 'system.memory.state': 'free' });

const ONE_POINT: ReadonlyArray<Attributes | undefined> = Object.freeze([undefined]);
const msToSeconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

/** A finite number, else undefined. */
const finite = (value: number | undefined): number | undefined =>
  value !== undefined && Number.isFinite(value) ? value : undefined;

type Definition = Omit<NodeMetric, 'pointAttributes' | 'value' | 'points'> & {
  /** Attributes per point; one point without attributes when left out. */
  pointAttributes?: ReadonlyArray<Attributes | undefined>;
  /** The raw value of point `index`, possibly non-finite or undefined. */
  read: (heartbeat: Heartbeat, index: number) => number | undefined;
};

function metric(definition: Definition): NodeMetric {
  const { read, pointAttributes = ONE_POINT, ...rest } = definition;
  const value = (heartbeat: Heartbeat, index: number) => finite(read(heartbeat, index));
  return {
    ...rest,
    pointAttributes,
    value,
    points(heartbeat) {
      const points: MetricPoint[] = [];
      pointAttributes.forEach((attributes, index) => {
        const v = value(heartbeat, index);
        if (v === undefined) return;
        points.push(attributes === undefined ? { value: v } : { value: v, attributes });
      });
      return points;
    },
  };
}

export const NODE_METRICS: readonly NodeMetric[] = [
  metric({
    name: 'system.cpu.utilization',
    unit: '1',
    kind: 'gauge',
    reading: 'system_cpu',
    description:
      'Busy share of the machine (or of the container CPU quota) over the last interval, 0–1.',
    read: (hb) => hb.cpu.system / 100,
  }),
  metric({
    name: 'system.cpu.logical.count',
    unit: '{cpu}',
    kind: 'updowncounter',
    reading: 'system_cpu',
    description: 'Logical cores available, or the container CPU quota rounded up.',
    read: (hb) => hb.cpu.cores,
  }),
  metric({
    name: 'system.memory.usage',
    unit: 'By',
    kind: 'updowncounter',
    reading: 'system_memory',
    description: 'Memory in use (used = total − available) and available (state free).',
    pointAttributes: Object.freeze([MEMORY_USED, MEMORY_FREE]),
    read: (hb, index) =>
      index === 0 ? hb.memory.system.used : (hb.memory.system.available ?? hb.memory.system.free),
  }),
  metric({
    name: 'system.memory.limit',
    unit: 'By',
    kind: 'updowncounter',
    reading: 'system_memory',
    description: 'Memory capacity: the host RAM, or the container memory limit.',
    read: (hb) => hb.memory.system.total,
  }),
  metric({
    name: 'process.cpu.utilization',
    unit: '1',
    kind: 'gauge',
    reading: 'process_cpu',
    description: 'Process CPU time over the last interval ÷ elapsed time ÷ available cores, 0–1.',
    read: (hb) => hb.cpu.process / 100 / Math.max(1, hb.cpu.cores),
  }),
  metric({
    name: 'process.memory.usage',
    unit: 'By',
    kind: 'updowncounter',
    reading: 'process_memory',
    description: 'Resident set size of the process.',
    read: (hb) => hb.memory.process.rss,
  }),
  metric({
    name: 'process.uptime',
    unit: 's',
    kind: 'gauge',
    reading: 'uptime',
    description: 'Time since the process started.',
    read: (hb) => hb.runtime.uptime,
  }),
  metric({
    name: 'v8js.memory.heap.used',
    unit: 'By',
    kind: 'updowncounter',
    reading: 'process_memory',
    description: 'V8 heap in use, all spaces together.',
    read: (hb) => (hb.language === 'go' ? undefined : hb.memory.process.heapUsed),
  }),
  metric({
    name: 'quasar.v8js.memory.heap.total',
    unit: 'By',
    kind: 'updowncounter',
    reading: 'process_memory',
    description: 'V8 heap reserved, all spaces together.',
    read: (hb) => (hb.language === 'go' ? undefined : hb.memory.process.heapTotal),
  }),
  metric({
    name: 'nodejs.eventloop.delay.p50',
    unit: 's',
    kind: 'gauge',
    reading: 'event_loop',
    description: 'Median event-loop delay over the last interval.',
    read: (hb) => msToSeconds(hb.eventLoop?.p50),
  }),
  metric({
    name: 'nodejs.eventloop.delay.p99',
    unit: 's',
    kind: 'gauge',
    reading: 'event_loop',
    description: '99th percentile event-loop delay over the last interval.',
    read: (hb) => msToSeconds(hb.eventLoop?.p99),
  }),
  metric({
    name: 'nodejs.eventloop.delay.max',
    unit: 's',
    kind: 'gauge',
    reading: 'event_loop',
    description: 'Worst event-loop delay over the last interval.',
    read: (hb) => msToSeconds(hb.eventLoop?.max),
  }),
  metric({
    name: 'nodejs.eventloop.utilization',
    unit: '1',
    kind: 'gauge',
    reading: 'event_loop',
    description: 'Share of the last interval the event loop was busy, 0–1.',
    read: (hb) => hb.eventLoop?.utilization,
  }),
  metric({
    name: 'quasar.system.load_average.1m',
    unit: '{thread}',
    kind: 'gauge',
    reading: 'loadavg',
    description: '1-minute load average.',
    read: (hb) => hb.loadavg?.[0],
  }),
  metric({
    name: 'quasar.system.load_average.5m',
    unit: '{thread}',
    kind: 'gauge',
    reading: 'loadavg',
    description: '5-minute load average.',
    read: (hb) => hb.loadavg?.[1],
  }),
  metric({
    name: 'quasar.system.load_average.15m',
    unit: '{thread}',
    kind: 'gauge',
    reading: 'loadavg',
    description: '15-minute load average.',
    read: (hb) => hb.loadavg?.[2],
  }),
  metric({
    name: 'quasar.container.cpu.quota',
    unit: '{cpu}',
    kind: 'gauge',
    reading: 'cgroup_limits',
    description: 'CPU quota of the container in cores (quota ÷ period), when one applies.',
    read: (hb) => hb.container?.cpuQuota,
  }),
];

/**
 * Whether the beat reports the metric's reading as failed: its points are then left out
 * rather than sent as a false zero.
 */
export function readingFailed(metric: NodeMetric, heartbeat: Heartbeat): boolean {
  const errors = heartbeat.runtime.errors;
  // Most beats report no errors; only then is the tag string built (the collector calls this
  // for every metric of every node).
  return (
    errors !== undefined && errors.length > 0 && errors.includes(`reading_failed:${metric.reading}`)
  );
}

/** Points of one metric for a heartbeat, or none while its reading is reported as failed. */
export function pointsOf(metric: NodeMetric, heartbeat: Heartbeat): MetricPoint[] {
  return readingFailed(metric, heartbeat) ? [] : metric.points(heartbeat);
}
