import React, { useEffect, useMemo, useState } from 'react';
import { Alert, EmptyState, LoadingPlaceholder } from '@grafana/ui';
import { CollectorError, collectorGet } from '../../api/collector';
import { testIds } from '../../components/testIds';
import { GroupsTable } from './GroupsTable';
import { slowGroups, type SlowGroups } from './slowGroups';
import type { SlowFilter } from './slowRows';

/** Groups asked for per read: the collector's own bound. */
export const GROUPS_LIMIT = 1000;

type Load = { key: string } & (
  | { state: 'loading' }
  | { state: 'off'; message: string }
  | { state: 'error'; message: string }
  | { state: 'done'; reply: SlowGroups }
);

interface Props {
  filter: SlowFilter;
  /** Bumped to read again. */
  reloads: number;
  tracesDatasourceUid?: string;
  /** Shown above a failed read. */
  errorTitle: string;
  /** The services the collector holds groups of, for the service picker. */
  onServices: (services: string[]) => void;
}

/** The slow log grouped by (service, kind, name), as the collector aggregated it. */
export function SlowGroupsView({ filter, reloads, tracesDatasourceUid, errorTitle, onServices }: Props) {
  const [result, setResult] = useState<Load>({ key: '', state: 'loading' });
  const key = `${filter.service}|${filter.kind}|${reloads}`;
  const load: Load = useMemo(() => (result.key === key ? result : { key, state: 'loading' }), [result, key]);

  useEffect(() => {
    let current = true;
    collectorGet('api/pulse/slow/groups', { service: filter.service, kind: filter.kind, limit: GROUPS_LIMIT })
      .then(slowGroups)
      .then(
        (reply) => {
          if (current) {
            setResult({ key, state: 'done', reply });
            onServices(reply.services);
          }
        },
        (error: unknown) => {
          if (!current) {
            return;
          }
          const message = error instanceof Error ? error.message : String(error);
          const off = error instanceof CollectorError && error.code === 'QUASAR_SLOW_GROUPS_OFF';
          setResult({ key, state: off ? 'off' : 'error', message });
        }
      );
    return () => {
      current = false;
    };
  }, [key, filter.service, filter.kind, onServices]);

  const shown = useMemo(() => {
    if (load.state !== 'done') {
      return [];
    }
    const text = filter.text.trim().toLowerCase();
    return load.reply.groups.filter(
      (group) =>
        (filter.minDurationMs === undefined || (group.maxMs ?? 0) >= filter.minDurationMs) &&
        (!text || group.name.toLowerCase().includes(text))
    );
  }, [load, filter.text, filter.minDurationMs]);

  if (load.state === 'loading') {
    return <LoadingPlaceholder text="Reading the slow-log groups…" />;
  }
  if (load.state === 'off') {
    return (
      <div data-testid={testIds.slowLog.groupsOff}>
        <Alert severity="info" title="Groups are off on this collector">
          {load.message}. The entries are still listed under Entries.
        </Alert>
      </div>
    );
  }
  if (load.state === 'error') {
    return (
      <div data-testid={testIds.slowLog.error}>
        <Alert severity="error" title={errorTitle}>
          {load.message}
        </Alert>
      </div>
    );
  }
  if (shown.length === 0) {
    return (
      <div data-testid={testIds.slowLog.empty}>
        <EmptyState
          hideImage
          variant="not-found"
          message={
            load.reply.groups.length === 0 ? 'No slow requests or jobs grouped yet' : 'No groups match the filters'
          }
        />
      </div>
    );
  }
  return (
    <div data-testid={testIds.slowLog.groups}>
      <GroupsTable groups={shown} tracesDatasourceUid={tracesDatasourceUid} />
      <p data-testid={testIds.slowLog.groupsScope}>{scopeNote(load.reply)}</p>
    </div>
  );
}

/** Which collector answered, and for which services: among replicas, each holds its own. */
function scopeNote(reply: SlowGroups): string {
  const shown = `${reply.total} group${reply.total === 1 ? '' : 's'}`;
  const replica = reply.replica ? ` held by collector ${reply.replica}` : '';
  return `${shown}${replica}, since it started consuming their services: p50 and p95 within 2 % of exact; the line is entries per minute over the last hour.`;
}
