import React, { useMemo } from 'react';
import { InteractiveTable, type Column } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { formatDateTime } from '../../format/time';
import { GroupEntries } from './GroupEntries';
import { Sparkline, sparklineLabel } from './Sparkline';
import type { SlowGroupRow } from './slowGroups';
import { formatDuration } from './SlowTable';
import { TraceCell } from './TraceCell';

interface Props {
  groups: SlowGroupRow[];
  tracesDatasourceUid?: string;
}

/** Slow requests and jobs by name: counts, quantiles, the last hour; expand one for its entries. */
export function GroupsTable({ groups, tracesDatasourceUid }: Props) {
  const columns = useMemo<Array<Column<SlowGroupRow>>>(
    () => [
      { id: 'service', header: 'Service', sortType: 'string' },
      { id: 'kind', header: 'Kind' },
      {
        id: 'name',
        header: 'Name',
        sortType: 'string',
        cell: ({ row }) => (
          <span data-testid={testIds.slowLog.group} data-group={row.original.id}>
            {row.original.name}
          </span>
        ),
      },
      { id: 'count', header: 'Count', sortType: 'number' },
      { id: 'p50Ms', header: 'p50', sortType: 'number', cell: ({ row }) => formatDuration(row.original.p50Ms) },
      { id: 'p95Ms', header: 'p95', sortType: 'number', cell: ({ row }) => formatDuration(row.original.p95Ms) },
      { id: 'maxMs', header: 'Max', sortType: 'number', cell: ({ row }) => formatDuration(row.original.maxMs) },
      {
        id: 'lastSeenMs',
        header: 'Last seen',
        sortType: 'number',
        cell: ({ row }) => (row.original.lastSeenMs === null ? '' : formatDateTime(row.original.lastSeenMs)),
      },
      {
        id: 'counts',
        header: 'Last hour',
        cell: ({ row }) => <Sparkline counts={row.original.counts} label={sparklineLabel(row.original.counts)} />,
      },
      {
        id: 'lastTraceId',
        header: 'Last trace',
        cell: ({ row }) => <TraceCell traceId={row.original.lastTraceId} datasourceUid={tracesDatasourceUid} />,
      },
    ],
    [tracesDatasourceUid]
  );
  return (
    <InteractiveTable
      columns={columns}
      data={groups}
      getRowId={(group: SlowGroupRow) => group.id}
      pageSize={50}
      renderExpandedRow={(group) => <GroupEntries group={group} tracesDatasourceUid={tracesDatasourceUid} />}
    />
  );
}
