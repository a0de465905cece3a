import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, Button, EmptyState, LoadingPlaceholder, RadioButtonGroup, useStyles2 } from '@grafana/ui';
import { collectorGet } from '../../api/collector';
import { testIds } from '../../components/testIds';
import { SlowFilters, WINDOWS } from './SlowFilters';
import { NO_FILTER, filterSlowRows, servicesOf, slowRows, type SlowFilter, type SlowRow } from './slowRows';
import { SlowGroupsView } from './SlowGroupsView';
import { SlowTable } from './SlowTable';
import { tracingDatasourceUid } from './tracingDatasource';

/** The page's two views: groups by name (the default), or the raw entries. */
export type SlowView = 'groups' | 'entries';

const VIEWS: Array<{ label: string; value: SlowView }> = [
  { label: 'Groups', value: 'groups' },
  { label: 'Entries', value: 'entries' },
];

/** Entries asked for per read: the collector's limit applies after the window and service. */
export const SLOW_LIMIT = 500;

/** A finished read, tagged with the request it answers; any other request is still loading. */
type Load = { key: string } & (
  { state: 'loading' } | { state: 'error'; message: string } | { state: 'done'; rows: SlowRow[] }
);

interface Props {
  /** Where the configured collector lives, for the error message. */
  collectorUrl?: string;
  /**
   * Tracing data source that trace ids link to; without one, the first Tempo, Jaeger or Zipkin
   * data source Grafana has, if any.
   */
  tracesDatasourceUid?: string;
  /** The view shown first. @default 'groups' */
  initialView?: SlowView;
}

/** Slow requests and jobs the agents recorded, filterable, with links to their traces. */
export function SlowLogPage({ collectorUrl, tracesDatasourceUid: configured, initialView = 'groups' }: Props) {
  const s = useStyles2(getStyles);
  const tracesDatasourceUid = useMemo(() => tracingDatasourceUid(configured), [configured]);
  const [view, setView] = useState<SlowView>(initialView);
  const [filter, setFilter] = useState<SlowFilter>(NO_FILTER);
  const [windowMs, setWindowMs] = useState(WINDOWS[0].value);
  const [reloads, setReloads] = useState(0);
  const [result, setResult] = useState<Load>({ key: '', state: 'loading' });
  const [knownServices, setKnownServices] = useState<string[]>([]);

  const key = `${view}|${filter.service}|${windowMs}|${reloads}`;
  // Keep services seen earlier, so picking one does not hide the others.
  const addServices = useCallback(
    (services: readonly string[]) => setKnownServices((known) => [...new Set([...known, ...services])].sort()),
    []
  );
  const load: Load = result.key === key ? result : { key, state: 'loading' };

  useEffect(() => {
    if (view !== 'entries') {
      return;
    }
    let current = true;
    const params = {
      service: filter.service,
      limit: SLOW_LIMIT,
      since: windowMs > 0 ? Date.now() - windowMs : undefined,
    };
    collectorGet('api/pulse/slow', params)
      .then(slowRows)
      .then(
        (rows) => {
          if (current) {
            setResult({ key, state: 'done', rows });
            addServices(servicesOf(rows));
          }
        },
        (error: unknown) => current && setResult({ key, state: 'error', message: messageOf(error) })
      );
    return () => {
      current = false;
    };
  }, [key, view, filter.service, windowMs, addServices]);

  const shown = useMemo(
    () => (result.key === key && result.state === 'done' ? filterSlowRows(result.rows, filter) : []),
    [result, key, filter]
  );

  return (
    <PluginPage>
      <div data-testid={testIds.slowLog.page}>
        <SlowFilters
          filter={filter}
          onChange={setFilter}
          services={knownServices}
          windowMs={windowMs}
          onWindowChange={setWindowMs}
          showWindow={view === 'entries'}
          actions={
            <>
              <RadioButtonGroup data-testid={testIds.slowLog.view} options={VIEWS} value={view} onChange={setView} />
              <Button
                data-testid={testIds.slowLog.refresh}
                icon="sync"
                variant="secondary"
                onClick={() => setReloads((n) => n + 1)}
              >
                Refresh
              </Button>
            </>
          }
        />
        {view === 'groups' ? (
          <SlowGroupsView
            filter={filter}
            reloads={reloads}
            tracesDatasourceUid={tracesDatasourceUid}
            errorTitle={unreachableTitle(collectorUrl)}
            onServices={addServices}
          />
        ) : load.state === 'loading' ? (
          <LoadingPlaceholder text="Reading the slow log…" />
        ) : load.state === 'error' ? (
          <div data-testid={testIds.slowLog.error}>
            <Alert severity="error" title={unreachableTitle(collectorUrl)}>
              {load.message}
            </Alert>
          </div>
        ) : load.rows.length === 0 ? (
          <div data-testid={testIds.slowLog.empty}>
            <EmptyState hideImage variant="call-to-action" message="No slow requests or jobs recorded">
              <p>Agents record a request or job once it takes longer than its threshold:</p>
              <pre className={s.snippet}>{HOW_TO}</pre>
            </EmptyState>
          </div>
        ) : shown.length === 0 ? (
          <div data-testid={testIds.slowLog.empty}>
            <EmptyState hideImage variant="not-found" message="No entries match the filters" />
          </div>
        ) : (
          <SlowTable rows={shown} tracesDatasourceUid={tracesDatasourceUid} />
        )}
      </div>
    </PluginPage>
  );
}

const HOW_TO = `agent.instrumentHttpServer(server); // times every request; slow ones go to the slow log
agent.recordSlow({ kind: 'job', name: 'SendInvoice', durationMs: 7200, queue: 'billing' });`;

/** The alert title for a failed read, naming the collector the app is configured with. */
export function unreachableTitle(collectorUrl?: string): string {
  return collectorUrl ? `Could not read from the collector at ${collectorUrl}` : 'Could not read from the collector';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const getStyles = (theme: GrafanaTheme2) => ({
  snippet: css({
    textAlign: 'left',
    marginTop: theme.spacing(1),
    padding: theme.spacing(1, 2),
    whiteSpace: 'pre-wrap',
  }),
});
