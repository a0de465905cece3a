/** `GET /api/pulse/slow` → one row per slow request or job, newest first. */
import { FieldType, type DataFrame } from '@grafana/data';
import { MAX_ID_LENGTH } from '../../api/limits';
import { durationMs, epochMs, field, id, inRange, label, text } from '../../api/read';
import { type Column, toFrame } from './columns';
import { entriesOf } from './entries';

type Row = Record<string, unknown>;

const COLUMNS: ReadonlyArray<Column<Row>> = [
  { name: 'time', type: FieldType.time, value: (r) => epochMs(field(r, 'timestamp')) },
  { name: 'service', type: FieldType.string, value: (r) => id(field(r, 'service')) },
  { name: 'kind', type: FieldType.string, value: (r) => label(field(r, 'kind')) },
  { name: 'name', type: FieldType.string, value: (r) => text(field(r, 'name')) },
  {
    name: 'durationMs',
    displayName: 'Duration',
    type: FieldType.number,
    unit: 'ms',
    value: (r) => durationMs(field(r, 'durationMs')),
  },
  {
    name: 'thresholdMs',
    displayName: 'Threshold',
    type: FieldType.number,
    unit: 'ms',
    value: (r) => durationMs(field(r, 'thresholdMs')),
  },
  { name: 'nodeId', type: FieldType.string, value: (r) => id(field(r, 'nodeId')) },
  { name: 'method', type: FieldType.string, value: (r) => label(field(r, 'method')) },
  { name: 'route', type: FieldType.string, value: (r) => text(field(r, 'route')) },
  { name: 'status', type: FieldType.number, value: (r) => inRange(field(r, 'status'), 0, 999) },
  { name: 'queue', type: FieldType.string, value: (r) => id(field(r, 'queue')) },
  { name: 'traceId', type: FieldType.string, value: (r) => text(field(r, 'traceId'), MAX_ID_LENGTH) },
];

/** Maps the slow-log reply; throws `UnexpectedReplyError` when it has no `entries` array. */
export function slowFrame(refId: string, body: unknown): DataFrame {
  return toFrame(refId, 'slow', entriesOf('/api/pulse/slow', body), COLUMNS);
}
