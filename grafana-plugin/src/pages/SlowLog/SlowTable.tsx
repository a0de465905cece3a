import React, { useMemo } from 'react';
import { formattedValueToString, getValueFormat } from '@grafana/data';
import { InteractiveTable, type Column } from '@grafana/ui';
import { MAX_DURATION_MS } from '../../api/limits';
import { DASH, formatDateTime } from '../../format/time';
import type { SlowRow } from './slowRows';
import { TraceCell } from './TraceCell';

const formatMs = getValueFormat('ms');

/**
 * A duration as Grafana writes `ms` values: `850 ms`, `2.35 s`, `15.0 s`; empty when unknown,
 * {@link DASH} when negative or past `Date`'s range.
 */
export function formatDuration(ms: number | null): string {
  if (ms === null) {
    return '';
  }
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_DURATION_MS ? formattedValueToString(formatMs(ms, 2)) : DASH;
}

interface Props {
  rows: SlowRow[];
  tracesDatasourceUid?: string;
}

/** Slow entries, newest first, sortable by time and duration. */
export function SlowTable({ rows, tracesDatasourceUid }: Props) {
  const columns = useMemo<Array<Column<SlowRow>>>(
    () => [
      {
        id: 'time',
        header: 'Time',
        sortType: 'number',
        cell: ({ row }) => (row.original.time === null ? '' : formatDateTime(row.original.time)),
      },
      { id: 'service', header: 'Service', sortType: 'string' },
      { id: 'kind', header: 'Kind' },
      { id: 'name', header: 'Name' },
      {
        id: 'durationMs',
        header: 'Duration',
        sortType: 'number',
        cell: ({ row }) => <span title={thresholdTitle(row.original)}>{formatDuration(row.original.durationMs)}</span>,
      },
      { id: 'nodeId', header: 'Node' },
      { id: 'outcome', header: 'Status / queue', cell: ({ row }) => statusOrQueue(row.original) },
      {
        id: 'traceId',
        header: 'Trace',
        cell: ({ row }) => <TraceCell traceId={row.original.traceId} datasourceUid={tracesDatasourceUid} />,
      },
    ],
    [tracesDatasourceUid]
  );
  return <InteractiveTable columns={columns} data={rows} getRowId={rowId} pageSize={50} />;
}

function rowId(row: SlowRow, index: number): string {
  return `${row.service}:${row.time}:${row.name}:${index}`;
}

/** A request's HTTP status, or the queue a job ran on. */
function statusOrQueue(row: SlowRow): string {
  if (row.status !== null) {
    return String(row.status);
  }
  return row.queue ?? '';
}

function thresholdTitle(row: SlowRow): string | undefined {
  return row.thresholdMs === null ? undefined : `Threshold ${formatDuration(row.thresholdMs)}`;
}
