/** `GET /api/pulse/audit` → one row per issued command, with what became of it. */
import { FieldType, type DataFrame } from '@grafana/data';
import { MAX_COUNT, MAX_ID_LENGTH } from '../../api/limits';
import { at, epochMs, field, id, inRange, label, text } from '../../api/read';
import { type Column, toFrame } from './columns';
import { entriesOf } from './entries';

type Row = Record<string, unknown>;

const COLUMNS: ReadonlyArray<Column<Row>> = [
  { name: 'time', type: FieldType.time, value: (r) => epochMs(field(r, 'at')) },
  { name: 'commandId', type: FieldType.string, value: (r) => id(field(r, 'id')) },
  { name: 'action', type: FieldType.string, value: (r) => label(field(r, 'action')) },
  { name: 'service', type: FieldType.string, value: (r) => id(field(r, 'service')) },
  { name: 'nodeId', type: FieldType.string, value: (r) => id(field(r, 'nodeId')) },
  { name: 'queue', type: FieldType.string, value: (r) => id(field(r, 'queue')) },
  { name: 'scope', type: FieldType.string, value: (r) => label(field(r, 'scope')) },
  // An empty job id is the collector's way of saying the command had none.
  { name: 'jobId', type: FieldType.string, value: (r) => (field(r, 'jobId') === '' ? '' : id(field(r, 'jobId'))) },
  { name: 'actor', type: FieldType.string, value: (r) => text(field(r, 'actor'), MAX_ID_LENGTH) },
  { name: 'outcome', type: FieldType.string, value: (r) => label(at(r, 'outcome', 'status')) },
  {
    name: 'affected',
    type: FieldType.number,
    value: (r) => inRange(at(r, 'outcome', 'result', 'affected'), 0, MAX_COUNT),
  },
  { name: 'reason', type: FieldType.string, value: (r) => text(at(r, 'outcome', 'result', 'reason')) },
];

/** Maps the audit reply; throws `UnexpectedReplyError` when it has no `entries` array. */
export function auditFrame(refId: string, body: unknown): DataFrame {
  return toFrame(refId, 'audit', entriesOf('/api/pulse/audit', body), COLUMNS);
}
