/**
 * What the queue history costs the collector: the time one step's recording adds to a cycle at
 * the bound (4,096 queues over 16 services of 256), the heap its rings hold, and the size and
 * build time of the history route's replies (a whole service of 256 queues × 360 points, then
 * the one-step reply a page polls for with `since`). In-process: the history is pure, fed with
 * the `ServiceQueues` a cycle hands it.
 *
 * Run: `npx tsx bench/history.bench.ts` (with `--expose-gc` for the heap figure). RUNS and STEPS
 * override the sizes. The last stdout line is one JSON object.
 */
import { MAX_QUEUES } from '@gravito/quasar/schema';
import { historyText } from '../src/api/history-json';
import { QueueHistory } from '../src/history/queue-history';
import type { QueueView, ServiceQueues } from '../src/mapping/queues';
import { median, positiveInt, round } from './stats';

const RUNS = positiveInt('RUNS', 5);
const STEPS = positiveInt('STEPS', 360);
const SERVICES = 16;
const STEP_MS = 10_000;

function fleetAt(step: number): ServiceQueues[] {
  return Array.from({ length: SERVICES }, (_, s) => ({
    service: `svc-${s}`,
    queues: Array.from({ length: MAX_QUEUES }, (_, q): QueueView => ({
      name: `queue-${q}`,
      driver: 'bullmq',
      size: { waiting: (step * 7 + q) % 1000, active: q % 5, failed: step + q, delayed: 0 },
      throughput: { in: 12.5, out: 11.25, failed: (q % 3) * 0.5, source: 'events' },
      observedAt: step * STEP_MS,
      source: 'hash',
    })),
  }));
}

const gc = (globalThis as { gc?: () => void }).gc;
const fleets = Array.from({ length: 8 }, (_, i) => fleetAt(i));
const recordMs: number[] = [];
const wholeMs: number[] = [];
const sinceMs: number[] = [];
let wholeBytes = 0;
let sinceBytes = 0;
let heapMb = NaN;
let bytes = 0;

for (let run = 0; run < RUNS; run++) {
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const history = new QueueHistory();
  const times: number[] = [];
  for (let step = 1; step <= STEPS; step++) {
    const fleet = fleets[step % fleets.length]!;
    const started = performance.now();
    history.record(step * STEP_MS, fleet);
    times.push(performance.now() - started);
  }
  recordMs.push(median(times));
  gc?.();
  if (gc && run === 0) {
    const after = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    heapMb = (after - heapBefore) / 2 ** 20;
  }
  bytes = history.stats().bytes;
  const now = STEPS * STEP_MS;
  let started = performance.now();
  const whole = historyText(history, { service: 'svc-0' });
  wholeMs.push(performance.now() - started);
  wholeBytes = Buffer.byteLength(whole);
  started = performance.now();
  const since = historyText(history, { service: 'svc-0', sinceMs: now - STEP_MS });
  sinceMs.push(performance.now() - started);
  sinceBytes = Buffer.byteLength(since);
}

const result = {
  queues: SERVICES * MAX_QUEUES,
  steps: STEPS,
  runs: RUNS,
  recordStepMsMedian: round(median(recordMs), 2),
  historyBytes: bytes,
  measuredHeapMiB: round(heapMb, 1),
  wholeServiceReplyBytes: wholeBytes,
  wholeServiceReplyMsMedian: round(median(wholeMs), 1),
  sinceReplyBytes: sinceBytes,
  sinceReplyMsMedian: round(median(sinceMs), 2),
};
console.log(JSON.stringify(result));
