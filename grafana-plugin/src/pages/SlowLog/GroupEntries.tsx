import React, { useEffect, useState } from 'react';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import { collectorGet } from '../../api/collector';
import { testIds } from '../../components/testIds';
import { groupEntryRows, type SlowGroupRow } from './slowGroups';
import type { SlowRow } from './slowRows';
import { SlowTable } from './SlowTable';

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'done'; rows: SlowRow[] };

interface Props {
  group: SlowGroupRow;
  tracesDatasourceUid?: string;
}

/** A group's last raw entries, read from the collector when the group is expanded. */
export function GroupEntries({ group, tracesDatasourceUid }: Props) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const { service, kind, name } = group;

  useEffect(() => {
    let current = true;
    collectorGet('api/pulse/slow/groups/entries', { service, kind, name })
      .then((body) => groupEntryRows(body, service))
      .then(
        (rows) => current && setLoad({ state: 'done', rows }),
        (error: unknown) =>
          current && setLoad({ state: 'error', message: error instanceof Error ? error.message : String(error) })
      );
    return () => {
      current = false;
    };
  }, [service, kind, name]);

  return (
    <div data-testid={testIds.slowLog.groupEntries}>
      {load.state === 'loading' ? (
        <LoadingPlaceholder text="Reading the group's entries…" />
      ) : load.state === 'error' ? (
        <Alert severity="warning" title="Could not read the entries of this group">
          {load.message}
        </Alert>
      ) : (
        <SlowTable rows={load.rows} tracesDatasourceUid={tracesDatasourceUid} />
      )}
    </div>
  );
}
