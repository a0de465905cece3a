/** `GET /api/pulse/queues` → one row per queue of each service, with its counts by state. */
import { FieldType, type DataFrame } from '@grafana/data';
import { at, bool, isRecord, num, str } from '../../api/read';
import { type Column, toFrame } from './columns';

interface QueueRow {
  service: string;
  queue: Record<string, unknown>;
}

const count = (state: string) => (r: QueueRow) => num(at(r.queue, 'size', state));

const COLUMNS: ReadonlyArray<Column<QueueRow>> = [
  { name: 'service', type: FieldType.string, value: (r) => r.service },
  { name: 'queue', type: FieldType.string, value: (r) => str(r.queue.name) },
  { name: 'driver', type: FieldType.string, value: (r) => str(r.queue.driver) },
  { name: 'waiting', type: FieldType.number, value: count('waiting') },
  { name: 'active', type: FieldType.number, value: count('active') },
  { name: 'delayed', type: FieldType.number, value: count('delayed') },
  { name: 'failed', type: FieldType.number, value: count('failed') },
  { name: 'paused', type: FieldType.boolean, value: (r) => bool(r.queue.paused) },
  {
    name: 'oldestWaitingAgeMs',
    displayName: 'Oldest waiting',
    type: FieldType.number,
    unit: 'ms',
    value: (r) => num(r.queue.oldestWaitingAgeMs),
  },
  { name: 'observedAt', type: FieldType.time, value: (r) => num(r.queue.observedAt) },
  { name: 'error', type: FieldType.string, value: (r) => str(r.queue.error) },
];

/** Maps the queues reply; throws when it is not `{ queues: { service: [...] } }`. */
export function queuesFrame(refId: string, body: unknown): DataFrame {
  const queues = isRecord(body) ? body.queues : undefined;
  if (!isRecord(queues)) {
    throw new Error('Unexpected reply from /api/pulse/queues: no "queues" object');
  }
  const rows: QueueRow[] = [];
  for (const [service, list] of Object.entries(queues)) {
    if (!Array.isArray(list)) {
      continue;
    }
    for (const queue of list) {
      if (isRecord(queue)) {
        rows.push({ service, queue });
      }
    }
  }
  return toFrame(refId, 'queues', rows, COLUMNS);
}
