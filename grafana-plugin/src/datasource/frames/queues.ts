/** `GET /api/pulse/queues` → one row per queue of each service, with its counts by state. */
import { FieldType, type DataFrame } from '@grafana/data';
import { MAX_ENTRIES, MAX_QUEUES } from '../../api/limits';
import { bool, epochMs, field, id, isRecord, listOf } from '../../api/read';
import { readQueue, type QueueView } from '../../pulse/queue';
import { type Column, toFrame } from './columns';
import { UnexpectedReplyError } from './entries';

interface QueueRow {
  service: string;
  queue: QueueView;
  /** `null` where the agent cannot tell, which the page shows as not paused. */
  paused: boolean | null;
  observedAt: number | null;
}

/** Grafana's custom-suffix unit: jobs per minute. */
const PER_MINUTE = 'suffix: /min';

const count = (state: string) => (r: QueueRow) => r.queue.counts.find((c) => c.state === state)?.count ?? null;

const COLUMNS: ReadonlyArray<Column<QueueRow>> = [
  { name: 'service', type: FieldType.string, value: (r) => r.service },
  { name: 'queue', type: FieldType.string, value: (r) => r.queue.name },
  { name: 'driver', type: FieldType.string, value: (r) => r.queue.driver },
  { name: 'waiting', type: FieldType.number, value: count('waiting') },
  { name: 'active', type: FieldType.number, value: count('active') },
  { name: 'delayed', type: FieldType.number, value: count('delayed') },
  { name: 'failed', type: FieldType.number, value: count('failed') },
  { name: 'paused', type: FieldType.boolean, value: (r) => r.paused },
  // Jobs per minute over the probe's last window; null where the system keeps no source for it.
  {
    name: 'inPerMin',
    displayName: 'In',
    type: FieldType.number,
    unit: PER_MINUTE,
    value: (r) => r.queue.throughput?.in ?? null,
  },
  {
    name: 'outPerMin',
    displayName: 'Out',
    type: FieldType.number,
    unit: PER_MINUTE,
    value: (r) => r.queue.throughput?.out ?? null,
  },
  {
    name: 'failedPerMin',
    displayName: 'Failed',
    type: FieldType.number,
    unit: PER_MINUTE,
    value: (r) => r.queue.throughput?.failed ?? null,
  },
  {
    name: 'oldestWaitingAgeMs',
    displayName: 'Oldest waiting',
    type: FieldType.number,
    unit: 'ms',
    value: (r) => r.queue.oldestWaitingAgeMs,
  },
  { name: 'observedAt', type: FieldType.time, value: (r) => r.observedAt },
  { name: 'error', type: FieldType.string, value: (r) => r.queue.error },
];

/**
 * Maps the queues reply: each queue read as the Pulse page reads it, at most `MAX_QUEUES` per
 * service and `MAX_ENTRIES` rows; throws `UnexpectedReplyError` when it is not
 * `{ queues: { service: [...] } }`.
 */
export function queuesFrame(refId: string, body: unknown): DataFrame {
  const queues = field(body, 'queues');
  if (!isRecord(queues)) {
    throw new UnexpectedReplyError('/api/pulse/queues', '"queues" object');
  }
  const rows: QueueRow[] = [];
  for (const [key, list] of Object.entries(queues)) {
    const service = id(key);
    if (service === null) {
      continue;
    }
    const read = (entry: unknown): QueueRow | null => {
      const queue = readQueue(entry);
      return (
        queue && {
          service,
          queue,
          paused: bool(field(entry, 'paused')),
          observedAt: epochMs(field(entry, 'observedAt')),
        }
      );
    };
    rows.push(...listOf(list, Math.min(MAX_QUEUES, MAX_ENTRIES - rows.length), read));
    if (rows.length >= MAX_ENTRIES) {
      break;
    }
  }
  return toFrame(refId, 'queues', rows, COLUMNS);
}
