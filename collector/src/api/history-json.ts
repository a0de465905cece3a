/**
 * The JSON of `GET /api/pulse/queues/history`: each queue's points as columns, the times first.
 * Built as text from numbers and `JSON.stringify`d names only, so no name an agent wrote can
 * change the reply's shape.
 *
 * `{"service","resolutionMs","windowMs","queues":{name:{"t":[ms],"waiting":[n],…,
 * "failureRateFrom":"throughput"|"failed-count"|"mixed"|null}}}`: a column the queue never
 * reported in the points served (`in`/`out` without throughput) is left out, and a missing value
 * in a column is `null`. Queues without a point after `since` are left out.
 */
import type { QueueHistory } from '../history/queue-history';
import { FailureBasis, HISTORY_FIELDS } from '../history/ring';
import type { QueueRing } from '../history/ring';

/** What a history reply covers. */
export interface HistoryQuery {
  service: string;
  /** Only these queues; all of the service's when absent. */
  queues?: readonly string[];
  /** Only points later than this, epoch ms (the newest point a client already holds). */
  sinceMs?: number;
}

/**
 * A recorded value as JSON: counts as they are, rates to three decimals (a thousandth of a job
 * per minute is one job in 17 hours), which also hides the 32-bit float's noise (`0.1` is kept
 * as 0.100000001…).
 */
function numberText(value: number): string {
  if (Number.isNaN(value)) return 'null';
  return String(Number.isInteger(value) ? value : Math.round(value * 1000) / 1000);
}

const BASIS_NAMES: Readonly<Record<number, string>> = {
  [FailureBasis.throughput]: 'throughput',
  [FailureBasis.failedCount]: 'failed-count',
};

/** One queue's columns after `sinceMs`, or undefined when it has no such point. */
function queueText(ring: QueueRing, sinceMs: number): string | undefined {
  const from = ring.firstAfter(sinceMs);
  if (from >= ring.size) return undefined;
  const columns = [`"t":[${ring.timesFrom(from).join(',')}]`];
  for (const field of HISTORY_FIELDS) {
    const values = ring.valuesFrom(from, field);
    if (values.every(Number.isNaN)) continue;
    columns.push(`"${field}":[${values.map(numberText).join(',')}]`);
  }
  const bases = new Set<string>();
  for (let i = from; i < ring.size; i++) {
    const name = BASIS_NAMES[ring.basisAt(i)];
    if (name !== undefined) bases.add(name);
  }
  const basis = bases.size === 0 ? null : bases.size === 1 ? [...bases][0] : 'mixed';
  columns.push(`"failureRateFrom":${JSON.stringify(basis)}`);
  return `{${columns.join(',')}}`;
}

/**
 * The reply's text; points older than the window before the last step are never served. It
 * depends on the history's last step only, so replies can be shared until the next one.
 */
export function historyText(history: QueueHistory, query: HistoryQuery): string {
  const rings = history.service(query.service);
  const oldest = Math.max(query.sinceMs ?? -Infinity, history.lastStepMs - history.windowMs);
  const names = rings === undefined ? [] : [...(query.queues ?? rings.keys())];
  const queues: string[] = [];
  for (const name of [...new Set(names)].sort()) {
    const ring = rings?.get(name);
    const text = ring === undefined ? undefined : queueText(ring, oldest);
    if (text !== undefined) queues.push(`${JSON.stringify(name)}:${text}`);
  }
  const { resolutionMs } = history.options;
  return `{"service":${JSON.stringify(query.service)},"resolutionMs":${resolutionMs},"windowMs":${history.windowMs},"queues":{${queues.join(',')}}}`;
}
