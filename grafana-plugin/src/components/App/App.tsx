import React, { useEffect, useState } from 'react';
import { Route, Routes } from 'react-router-dom';
import { css } from '@emotion/css';
import type { AppRootProps, GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, LinkButton, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { checkCollector, type ConnectionCheck } from '../../api/collector';
import { PLUGIN_ID, ROUTES } from '../../constants';
import { AuditPage } from '../../pages/Audit/Audit';
import { SlowLogPage } from '../../pages/SlowLog/SlowLog';
import type { AppSettings } from '../../types';
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
          <SlowLogPage collectorUrl={settings.collectorUrl} tracesDatasourceUid={settings.tracesDatasourceUid} />
        }
      />
      <Route path={`${ROUTES.audit}/*`} element={<AuditPage collectorUrl={settings.collectorUrl} />} />
      <Route path="*" element={<CollectorHome collectorUrl={settings.collectorUrl} />} />
    </Routes>
  );
}

/**
 * The app's root page: whether the collector answers through the proxy route, or what to
 * configure when it does not.
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

  return (
    <PluginPage>
      <div data-testid={testIds.app.container} className={s.page}>
        {!collectorUrl ? (
          <Alert severity="info" title="Quasar is not configured">
            Set the collector URL and API token on the configuration page.
            <div className={s.action}>
              <LinkButton href={`plugins/${PLUGIN_ID}`} variant="primary">
                Configure Quasar
              </LinkButton>
            </div>
          </Alert>
        ) : !check ? (
          <LoadingPlaceholder text={`Checking the collector at ${collectorUrl}…`} />
        ) : (
          <div data-testid={testIds.app.status}>
            <Alert
              severity={check.ok ? 'success' : 'error'}
              title={check.ok ? `Collector at ${collectorUrl}` : `Collector unreachable at ${collectorUrl}`}
            >
              {check.message}
            </Alert>
          </div>
        )}
      </div>
    </PluginPage>
  );
}

export default App;

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({
    maxWidth: theme.breakpoints.values.lg,
  }),
  action: css({
    marginTop: theme.spacing(2),
  }),
});
