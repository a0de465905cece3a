import React, { useEffect, useState } from 'react';
import { PluginPage } from '@grafana/runtime';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, EmptyState, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { collectorGet } from '../../api/collector';
import { testIds } from '../../components/testIds';
import { auditRows, type AuditRow } from './auditRows';
import { AuditTable } from './AuditTable';

/** Entries asked for per read; the collector allows up to 1,000. */
export const AUDIT_LIMIT = 200;

/** A finished read, tagged with the request it answers; any other request is still loading. */
type Load = { key: string } & (
  { state: 'loading' } | { state: 'error'; message: string } | { state: 'done'; rows: AuditRow[] }
);

interface Props {
  /** Where the configured collector lives, for the error message. */
  collectorUrl?: string;
}

/** The audit trail of remote job actions: who asked for what, and what became of it. */
export function AuditPage({ collectorUrl }: Props) {
  const s = useStyles2(getStyles);
  const [reloads, setReloads] = useState(0);
  const [result, setResult] = useState<Load>({ key: '', state: 'loading' });

  const key = String(reloads);
  const load: Load = result.key === key ? result : { key, state: 'loading' };

  useEffect(() => {
    let current = true;
    collectorGet('api/pulse/audit', { limit: AUDIT_LIMIT })
      .then(auditRows)
      .then(
        (rows) => current && setResult({ key, state: 'done', rows }),
        (error: unknown) =>
          current && setResult({ key, state: 'error', message: error instanceof Error ? error.message : String(error) })
      );
    return () => {
      current = false;
    };
  }, [key]);

  return (
    <PluginPage>
      <div data-testid={testIds.audit.page}>
        <div className={s.toolbar}>
          <Button
            data-testid={testIds.audit.refresh}
            icon="sync"
            variant="secondary"
            onClick={() => setReloads((n) => n + 1)}
          >
            Refresh
          </Button>
        </div>
        {load.state === 'loading' ? (
          <LoadingPlaceholder text="Reading the audit trail…" />
        ) : load.state === 'error' ? (
          <div data-testid={testIds.audit.error}>
            <Alert
              severity="error"
              title={
                collectorUrl
                  ? `Could not read from the collector at ${collectorUrl}`
                  : 'Could not read from the collector'
              }
            >
              {load.message}
            </Alert>
          </div>
        ) : load.rows.length === 0 ? (
          <div data-testid={testIds.audit.empty}>
            <EmptyState hideImage variant="completed" message="No job actions recorded">
              Retries and deletes issued from the Pulse page, or with <code>POST /api/pulse/command</code>, are listed
              here with who asked and what became of them.
            </EmptyState>
          </div>
        ) : (
          <AuditTable rows={load.rows} />
        )}
      </div>
    </PluginPage>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  toolbar: css({
    display: 'flex',
    justifyContent: 'flex-end',
    marginBottom: theme.spacing(2),
  }),
});
