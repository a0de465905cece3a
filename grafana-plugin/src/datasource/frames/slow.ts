/** `GET /api/pulse/slow` → one row per slow request or job, newest first. */
import { FieldType, type DataFrame } from '@grafana/data';
import { num, str } from '../../api/read';
import { type Column, toFrame } from './columns';
import { entriesOf } from './entries';

type Row = Record<string, unknown>;

const COLUMNS: ReadonlyArray<Column<Row>> = [
  { name: 'time', type: FieldType.time, value: (r) => num(r.timestamp) },
  { name: 'service', type: FieldType.string, value: (r) => str(r.service) },
  { name: 'kind', type: FieldType.string, value: (r) => str(r.kind) },
  { name: 'name', type: FieldType.string, value: (r) => str(r.name) },
  { name: 'durationMs', displayName: 'Duration', type: FieldType.number, unit: 'ms', value: (r) => num(r.durationMs) },
  {
    name: 'thresholdMs',
    displayName: 'Threshold',
    type: FieldType.number,
    unit: 'ms',
    value: (r) => num(r.thresholdMs),
  },
  { name: 'nodeId', type: FieldType.string, value: (r) => str(r.nodeId) },
  { name: 'method', type: FieldType.string, value: (r) => str(r.method) },
  { name: 'route', type: FieldType.string, value: (r) => str(r.route) },
  { name: 'status', type: FieldType.number, value: (r) => num(r.status) },
  { name: 'queue', type: FieldType.string, value: (r) => str(r.queue) },
  { name: 'traceId', type: FieldType.string, value: (r) => str(r.traceId) },
];

/** Maps the slow-log reply. */
export function slowFrame(refId: string, body: unknown): DataFrame {
  return toFrame(refId, 'slow', entriesOf('/api/pulse/slow', body), COLUMNS);
}
