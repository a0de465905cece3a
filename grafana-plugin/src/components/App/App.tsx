import React, { useEffect, useState, type ReactNode } from 'react';
import { Route, Routes } from 'react-router-dom';
import { css } from '@emotion/css';
import type { AppRootProps, GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, LinkButton, useStyles2 } from '@grafana/ui';
import { checkCollector, type ConnectionCheck } from '../../api/collector';
import { PLUGIN_ID, ROUTES } from '../../constants';
import { AuditPage } from '../../pages/Audit/Audit';
import { PulsePage } from '../../pages/Pulse/PulsePage';
import { SlowLogPage } from '../../pages/SlowLog/SlowLog';
import type { AppSettings } from '../../types';
import { PageBoundary } from '../ErrorBoundary';
import { testIds } from '../testIds';

/**
 * The app's pages. Grafana mounts the app under `/a/<plugin id>/*`, so these paths are relative
 * to it; anything else shows the root page.
 */
function App({ meta }: AppRootProps<AppSettings>) {
  const settings = meta.jsonData ?? {};
  return (
    <Routes>
      <Route
        path={`${ROUTES.slow}/*`}
        element={
          <PageBoundary name="quasar-slow-page" frame={inPluginPage}>
            <SlowLogPage collectorUrl={settings.collectorUrl} tracesDatasourceUid={settings.tracesDatasourceUid} />
          </PageBoundary>
        }
      />
      <Route
        path={`${ROUTES.audit}/*`}
        element={
          <PageBoundary name="quasar-audit-page" frame={inPluginPage}>
            <AuditPage collectorUrl={settings.collectorUrl} />
          </PageBoundary>
        }
      />
      <Route
        path="*"
        element={
          <PageBoundary name="quasar-pulse-page" frame={inPluginPage}>
            <CollectorHome collectorUrl={settings.collectorUrl} />
          </PageBoundary>
        }
      />
    </Routes>
  );
}

/** A page's error keeps Grafana's page chrome (title, navigation) around it. */
function inPluginPage(fallback: ReactNode): ReactNode {
  return <PluginPage>{fallback}</PluginPage>;
}

/**
 * The app's root page: the Pulse page once a collector is configured, with the connection check
 * above it; what to configure when it is not.
 */
function CollectorHome({ collectorUrl }: { collectorUrl?: string }) {
  const s = useStyles2(getStyles);
  const [check, setCheck] = useState<ConnectionCheck>();

  useEffect(() => {
    if (!collectorUrl) {
      return;
    }
    let current = true;
    void checkCollector().then((result) => current && setCheck(result));
    return () => {
      current = false;
    };
  }, [collectorUrl]);

  if (!collectorUrl) {
    return (
      <PluginPage>
        <div data-testid={testIds.app.container} className={s.page}>
          <Alert severity="info" title="Quasar is not configured">
            Set the collector URL and API token on the configuration page.
            <div className={s.action}>
              <LinkButton href={`plugins/${PLUGIN_ID}`} variant="primary">
                Configure Quasar
              </LinkButton>
            </div>
          </Alert>
        </div>
      </PluginPage>
    );
  }

  // A working connection is one quiet line; a failing one says why (token, role, collector down).
  const status = (
    <div data-testid={testIds.app.container}>
      {check && !check.ok ? (
        <div data-testid={testIds.app.status}>
          <Alert severity="error" title={`Collector unreachable at ${collectorUrl}`}>
            {check.message}
          </Alert>
        </div>
      ) : check ? (
        <div className={s.ok} data-testid={testIds.app.status} title={check.message}>
          Collector at {collectorUrl}. {check.message}
        </div>
      ) : null}
    </div>
  );
  return <PulsePage collectorUrl={collectorUrl} status={status} />;
}

export default App;

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({
    maxWidth: theme.breakpoints.values.lg,
  }),
  action: css({
    marginTop: theme.spacing(2),
  }),
  ok: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    marginBottom: theme.spacing(1),
  }),
});
