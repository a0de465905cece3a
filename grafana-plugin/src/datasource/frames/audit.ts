/** `GET /api/pulse/audit` → one row per issued command, with what became of it. */
import { FieldType, type DataFrame } from '@grafana/data';
import { at, num, str } from '../../api/read';
import { type Column, toFrame } from './columns';
import { entriesOf } from './entries';

type Row = Record<string, unknown>;

const COLUMNS: ReadonlyArray<Column<Row>> = [
  { name: 'time', type: FieldType.time, value: (r) => num(r.at) },
  { name: 'commandId', type: FieldType.string, value: (r) => str(r.id) },
  { name: 'action', type: FieldType.string, value: (r) => str(r.action) },
  { name: 'service', type: FieldType.string, value: (r) => str(r.service) },
  { name: 'nodeId', type: FieldType.string, value: (r) => str(r.nodeId) },
  { name: 'queue', type: FieldType.string, value: (r) => str(r.queue) },
  { name: 'scope', type: FieldType.string, value: (r) => str(r.scope) },
  { name: 'jobId', type: FieldType.string, value: (r) => str(r.jobId) },
  { name: 'actor', type: FieldType.string, value: (r) => str(r.actor) },
  { name: 'outcome', type: FieldType.string, value: (r) => str(at(r, 'outcome', 'status')) },
  { name: 'affected', type: FieldType.number, value: (r) => num(at(r, 'outcome', 'result', 'affected')) },
  { name: 'reason', type: FieldType.string, value: (r) => str(at(r, 'outcome', 'result', 'reason')) },
];

/** Maps the audit reply. */
export function auditFrame(refId: string, body: unknown): DataFrame {
  return toFrame(refId, 'audit', entriesOf('/api/pulse/audit', body), COLUMNS);
}
