import React, { useEffect, useState } from 'react';
import { PluginPage } from '@grafana/runtime';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, EmptyState, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { collectorGet } from '../../api/collector';
import { testIds } from '../../components/testIds';
import { auditNext, auditRows, type AuditRow } from './auditRows';
import { AuditTable } from './AuditTable';

/** Entries asked for per read; the collector allows up to 1,000. */
export const AUDIT_LIMIT = 200;

/** Where reading the next, older page stands. */
type Older = { state: 'idle' } | { state: 'loading' } | { state: 'error'; message: string };

/** The trail read so far, newest first, and the cursor of the page after it. */
interface Trail {
  rows: AuditRow[];
  next: string | null;
  older: Older;
}

/** A finished read, tagged with the request it answers; any other request is still loading. */
type Load = { key: string } & (
  { state: 'loading' } | { state: 'error'; message: string } | ({ state: 'done' } & Trail)
);

interface Props {
  /** Where the configured collector lives, for the error message. */
  collectorUrl?: string;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** One page of the trail: the newest, or the one before the entry `before`. */
async function readPage(before?: string): Promise<{ rows: AuditRow[]; next: string | null }> {
  const body = await collectorGet('api/pulse/audit', { limit: AUDIT_LIMIT, before });
  return { rows: auditRows(body), next: auditNext(body) };
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
    readPage().then(
      (page) => current && setResult({ key, state: 'done', ...page, older: { state: 'idle' } }),
      (error: unknown) => current && setResult({ key, state: 'error', message: messageOf(error) })
    );
    return () => {
      current = false;
    };
  }, [key]);

  /** Changes the trail only if it is still the one of this read: a refresh starts another. */
  const updateTrail = (change: (trail: Trail) => Partial<Trail>) =>
    setResult((r) => (r.key === key && r.state === 'done' ? { ...r, ...change(r) } : r));

  const loadOlder = (before: string) => {
    updateTrail(() => ({ older: { state: 'loading' } }));
    readPage(before).then(
      (page) =>
        updateTrail((trail) => ({ rows: [...trail.rows, ...page.rows], next: page.next, older: { state: 'idle' } })),
      (error: unknown) => updateTrail(() => ({ older: { state: 'error', message: messageOf(error) } }))
    );
  };

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
          <>
            <AuditTable rows={load.rows} />
            <OlderControls trail={load} onOlder={loadOlder} />
          </>
        )}
      </div>
    </PluginPage>
  );
}

/** "Older" while the collector has more, and what went wrong reading it. */
function OlderControls({ trail, onOlder }: { trail: Trail; onOlder: (before: string) => void }) {
  const s = useStyles2(getStyles);
  const { next, older } = trail;
  return (
    <div className={s.older}>
      {older.state === 'error' && (
        <div data-testid={testIds.audit.olderError}>
          <Alert severity="error" title="Could not read older entries">
            {older.message}
          </Alert>
        </div>
      )}
      {next !== null ? (
        <Button
          data-testid={testIds.audit.older}
          icon={older.state === 'loading' ? 'spinner' : 'arrow-down'}
          variant="secondary"
          disabled={older.state === 'loading'}
          onClick={() => onOlder(next)}
        >
          Older
        </Button>
      ) : (
        <span data-testid={testIds.audit.end} className={s.end}>
          No older entries
        </span>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  toolbar: css({
    display: 'flex',
    justifyContent: 'flex-end',
    marginBottom: theme.spacing(2),
  }),
  older: css({
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginTop: theme.spacing(2),
  }),
  end: css({
    color: theme.colors.text.secondary,
  }),
});
