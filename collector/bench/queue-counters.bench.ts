/**
 * What the queue counters cost the collector at the bound (4,096 queues: 16 services of
 * `MAX_QUEUES`), each snapshot listing `MAX_QUEUE_PERIODS` periods (six of the `events` source
 * with counts and wait buckets, six of a `sample` source with run buckets), one new period per
 * source per step:
 * - update_ms: adding one step's periods into the counters (a cycle's `count`);
 * - export_ms / export_ms_without: building the queue resources and encoding them as OTLP
 *   protobuf, with the counters and without them (the queue gauges alone); `ratio` is the two;
 * - points / bytes, with and without;
 * - heap_bytes_per_queue: the counters' heap after the run, per queue (with `--expose-gc`).
 * In-process: the counters are pure, fed with the `ServiceQueues` a cycle hands them.
 *
 * Run: `npm run bench:queue-counters --workspace collector`. RUNS and STEPS
 * override. The last stdout line is one JSON object.
 */
import { JOB_DURATION_BOUNDS_MS, MAX_QUEUES } from '@gravito/quasar/schema';
import type { QueuePeriod } from '@gravito/quasar/schema';
import { queueResources } from '../src/mapping/queues';
import type { QueueView, ServiceQueues } from '../src/mapping/queues';
import { encodeMetricsProtobuf } from '../src/otlp/encode';
import { pointsIn } from '../src/otlp/metric-batch';
import { QueueCounters } from '../src/periods/queue-counters';
import { median, positiveInt, round } from './stats';

const RUNS = positiveInt('RUNS', 3);
const STEPS = positiveInt('STEPS', 20);
const SERVICES = 16;
const STEP_MS = 60_000;
const T0 = 1_765_000_000_000;
const BUCKETS = JOB_DURATION_BOUNDS_MS.length + 1;

const buckets = (n: number, at: number) => {
  const counts = new Array<number>(BUCKETS).fill(0);
  counts[at] = n;
  return counts;
};

function periodsAt(step: number, q: number): QueuePeriod[] {
  const out: QueuePeriod[] = [];
  for (let k = step - 5; k <= step; k++) {
    const span = { startMs: T0 + k * STEP_MS, endMs: T0 + (k + 1) * STEP_MS };
    const n = (k + q) % 50;
    out.push({
      ...span,
      in: n + 1,
      completed: n,
      failed: 1,
      wait: { count: n, sum: n * 120, counts: buckets(n, 5) },
      source: 'events',
    });
    out.push({
      ...span,
      run: { count: 10, sum: 4_000, counts: buckets(10, 6), sampled: true },
      source: 'sample',
    });
  }
  return out;
}

function fleetAt(step: number): ServiceQueues[] {
  return Array.from({ length: SERVICES }, (_, s) => ({
    service: `svc-${s}`,
    queues: Array.from({ length: MAX_QUEUES }, (_, q): QueueView => ({
      name: `queue-${q}`,
      driver: 'bullmq',
      size: { waiting: q % 1000, active: q % 5, failed: step + q, delayed: 0 },
      periods: periodsAt(step, q),
      observedAt: T0 + (step + 1) * STEP_MS,
      source: 'hash',
    })),
  }));
}

function exportOnce(fleet: ServiceQueues[], nowMs: number, counters?: QueueCounters) {
  const started = performance.now();
  const resources = queueResources(fleet, nowMs, counters);
  const bytes = encodeMetricsProtobuf({ resources }).byteLength;
  const ms = performance.now() - started;
  let points = 0;
  for (const r of resources) points += pointsIn(r);
  return { ms, bytes, points };
}

const gc = (globalThis as { gc?: () => void }).gc;
const updateMs: number[] = [];
const withMs: number[] = [];
const withoutMs: number[] = [];
let withShape = { bytes: 0, points: 0 };
let withoutShape = { bytes: 0, points: 0 };

/**
 * The counters' own heap per queue: what is freed when they are dropped, so nothing else the
 * run allocated (fleets, the JIT's feedback) is counted.
 */
function heapPerQueue(): number {
  if (!gc) return NaN;
  const used = () => {
    gc();
    return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  };
  let counters: QueueCounters | undefined = new QueueCounters();
  counters.update(fleetAt(4), () => true, T0);
  for (let i = 0; i < 3; i++) counters.update(fleetAt(i + 5), () => true, T0 + (i + 6) * STEP_MS);
  if (counters.stats().queues !== SERVICES * MAX_QUEUES) throw new Error('queues missing');
  const held = used();
  counters = undefined;
  return (held - used()) / (SERVICES * MAX_QUEUES);
}
const heapBytesPerQueue = heapPerQueue();

for (let run = 0; run < RUNS; run++) {
  const counters = new QueueCounters();
  // The first read begins the count: the periods of the first step are left as counted.
  counters.update(fleetAt(4), () => true, T0);
  const updates: number[] = [];
  const withTimes: number[] = [];
  const withoutTimes: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const fleet = fleetAt(i + 5);
    const nowMs = T0 + (i + 6) * STEP_MS;
    const started = performance.now();
    counters.update(fleet, () => true, nowMs);
    updates.push(performance.now() - started);
    // Alternated, so neither side gets the warmer caches.
    const a = exportOnce(fleet, nowMs, counters);
    const b = exportOnce(fleet, nowMs);
    withTimes.push(a.ms);
    withoutTimes.push(b.ms);
    withShape = { bytes: a.bytes, points: a.points };
    withoutShape = { bytes: b.bytes, points: b.points };
  }
  updateMs.push(median(updates));
  withMs.push(median(withTimes));
  withoutMs.push(median(withoutTimes));
  if (counters.stats().queues !== SERVICES * MAX_QUEUES) throw new Error('queues missing');
  if (counters.stats().counted === 0) throw new Error('nothing counted');
}

const result = {
  queues: SERVICES * MAX_QUEUES,
  steps: STEPS,
  runs: RUNS,
  update_ms: round(median(updateMs), 2),
  export_ms: round(median(withMs), 2),
  export_ms_without: round(median(withoutMs), 2),
  ratio: round(median(withMs) / median(withoutMs), 2),
  points: withShape.points,
  points_without: withoutShape.points,
  bytes: withShape.bytes,
  bytes_without: withoutShape.bytes,
  heap_bytes_per_queue: Math.round(heapBytesPerQueue),
};
console.log(JSON.stringify(result));
