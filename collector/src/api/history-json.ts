/**
 * The JSON of `GET /api/pulse/queues/history`: each queue's points as columns, the times first.
 * Built as text from numbers and `JSON.stringify`d names only, so no name an agent wrote can
 * change the reply's shape.
 *
 * `{"service","resolutionMs","windowMs","serverTime","queues":{name:{"t":[ms],"waiting":[n],…,
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

/** A recorded value as JSON: counts as they are, rates at a float's seven significant digits. */
function numberText(value: number): string {
  if (Number.isNaN(value)) return 'null';
  return String(Number.isInteger(value) ? value : Number(value.toPrecision(7)));
}

const BASIS_NAMES: Readonly<Record<number, string>> = {
  [FailureBasis.throughput]: 'throughput',
  [FailureBasis.failedCount]: 'failed-count',
};

/** One queue's columns after `sinceMs`, or undefined when it has no such point. */
function queueText(ring: QueueRing, sinceMs: number): string | undefined {
  const indexes: number[] = [];
  ring.forEachSince(sinceMs, (index) => indexes.push(index));
  if (indexes.length === 0) return undefined;
  const columns = [`"t":[${indexes.map((i) => ring.timeAt(i)).join(',')}]`];
  for (const field of HISTORY_FIELDS) {
    const values = indexes.map((i) => ring.valueAt(i, field));
    if (values.every(Number.isNaN)) continue;
    columns.push(`"${field}":[${values.map(numberText).join(',')}]`);
  }
  const bases = new Set<string>();
  for (const i of indexes) {
    const name = BASIS_NAMES[ring.basisAt(i)];
    if (name !== undefined) bases.add(name);
  }
  const basis = bases.size === 0 ? null : bases.size === 1 ? [...bases][0] : 'mixed';
  columns.push(`"failureRateFrom":${JSON.stringify(basis)}`);
  return `{${columns.join(',')}}`;
}

/** The reply's text; points older than the history's window are never served. */
export function historyText(
  history: QueueHistory,
  query: HistoryQuery,
  serverTimeMs: number,
): string {
  const rings = history.service(query.service);
  const oldest = Math.max(query.sinceMs ?? -Infinity, serverTimeMs - history.windowMs);
  const names = rings === undefined ? [] : [...(query.queues ?? rings.keys())];
  const queues: string[] = [];
  for (const name of [...new Set(names)].sort()) {
    const ring = rings?.get(name);
    const text = ring === undefined ? undefined : queueText(ring, oldest);
    if (text !== undefined) queues.push(`${JSON.stringify(name)}:${text}`);
  }
  const { resolutionMs } = history.options;
  return `{"service":${JSON.stringify(query.service)},"resolutionMs":${resolutionMs},"windowMs":${history.windowMs},"serverTime":${Math.round(serverTimeMs)},"queues":{${queues.join(',')}}}`;
}
