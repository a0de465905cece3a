import React, { useMemo } from 'react';
import { InteractiveTable, type Column } from '@grafana/ui';
import { lookup } from '../../api/read';
import { formatDateTime } from '../../format/time';
import type { AuditRow } from './auditRows';
import { OutcomeCell } from './OutcomeCell';

const ACTOR_KINDS: Record<string, string> = {
  'grafana-user': 'Grafana user',
  token: 'API token',
};

/** Issued commands, newest first. */
export function AuditTable({ rows }: { rows: AuditRow[] }) {
  const columns = useMemo<Array<Column<AuditRow>>>(
    () => [
      {
        id: 'time',
        header: 'When',
        sortType: 'number',
        cell: ({ row }) => (row.original.time === null ? '' : formatDateTime(row.original.time)),
      },
      { id: 'actor', header: 'Actor', cell: ({ row }) => actorOf(row.original) },
      { id: 'action', header: 'Action', sortType: 'string' },
      { id: 'service', header: 'Service', sortType: 'string' },
      { id: 'nodeId', header: 'Node' },
      { id: 'queue', header: 'Queue' },
      { id: 'scope', header: 'Target', cell: ({ row }) => targetOf(row.original) },
      { id: 'outcome', header: 'Outcome', cell: ({ row }) => <OutcomeCell row={row.original} /> },
    ],
    []
  );
  return <InteractiveTable columns={columns} data={rows} getRowId={rowId} pageSize={50} />;
}

function rowId(row: AuditRow, index: number): string {
  return row.commandId ?? String(index);
}

/** `alice (Grafana user)`, `token (API token)`. */
export function actorOf(row: AuditRow): string {
  const kind = row.actorKind ? (lookup(ACTOR_KINDS, row.actorKind) ?? row.actorKind) : '';
  return kind ? `${row.actor ?? '?'} (${kind})` : (row.actor ?? '');
}

/** What the command acted on: one job by id, or a scope such as `all-failed`. */
export function targetOf(row: AuditRow): string {
  if (row.jobId) {
    return `job ${row.jobId}`;
  }
  return row.scope ?? '';
}
