/**
 * The audit reply as table rows. The data source's frame reader does the reading; the page adds
 * the actor's kind, which only the page shows.
 */
import { DataFrameView } from '@grafana/data';
import { field, label, str } from '../../api/read';
import { auditFrame } from '../../datasource/frames/audit';
import { entriesOf } from '../../datasource/frames/entries';

/** One issued command and what became of it; a missing field is `null`. */
export interface AuditRow {
  time: number | null;
  commandId: string | null;
  action: string | null;
  service: string | null;
  nodeId: string | null;
  queue: string | null;
  scope: string | null;
  jobId: string | null;
  actor: string | null;
  /** `grafana-user` or `token`. */
  actorKind: string | null;
  /** `succeeded`, `failed`, `rejected`, `pending` or `expired`. */
  outcome: string | null;
  affected: number | null;
  reason: string | null;
}

/** The rows of a `GET /api/pulse/audit` reply, newest first. */
export function auditRows(body: unknown): AuditRow[] {
  const rows = new DataFrameView<Omit<AuditRow, 'actorKind'>>(auditFrame('audit', body)).toArray();
  // The frame keeps the reply's entries in order, so entry i is row i.
  const entries = entriesOf('/api/pulse/audit', body);
  return rows.map((row, i) => ({ ...row, actorKind: label(field(entries[i], 'actorKind')) }));
}

/** A stream id as the collector's cursors are: `<ms>-<seq>`. */
const CURSOR = /^(0|[1-9][0-9]{0,14})-(0|[1-9][0-9]{0,18})$/;

/**
 * The `before` cursor of the page after this reply, or `null` on the last page. A reply without
 * a well-formed `next` (an older collector, or a garbled one) reads as the last page.
 */
export function auditNext(body: unknown): string | null {
  const next = str(field(body, 'next'));
  return next !== null && CURSOR.test(next) ? next : null;
}
