/**
 * The standalone Pulse page: the Grafana plugin's own root page and panel, mounted with Grafana's
 * theme and global styles, `@grafana/runtime`'s real singletons pointed at stand-ins for what
 * only Grafana's frontend provides (`BackendSrv`, the toast list), and the page's own server in
 * the place of Grafana's app proxy. `boot.ts`, a script of its own, has run before it.
 */
import React, { Profiler, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import {
  createTheme,
  EventBusSrv,
  PluginContextProvider,
  ThemeContext,
  type AppRootProps,
  type PanelProps,
  type PluginMeta,
} from '@grafana/data';
import { setAppEvents, setBackendSrv } from '@grafana/runtime';
import { GlobalStyles } from '@grafana/ui';
import App from 'gravito-quasar-app/src/components/App/App';
import { PulsePanel } from 'gravito-quasar-app/src/panel/PulsePanel';
import { PLUGIN_ID } from 'gravito-quasar-app/src/constants';
import { DEFAULT_OPTIONS } from 'gravito-quasar-app/src/panel/options';
import type { PulsePanelOptions } from 'gravito-quasar-app/src/panel/types';
import type { AppSettings } from 'gravito-quasar-app/src/types';
import { standInBackendSrv } from './backendSrv';
import { readPageBoot, type PageBoot } from './bootData';
import { startProfiling } from './profiler';
import { ReferenceList } from './ReferenceList';
import { Shell } from './Shell';
import { Toasts } from './Toasts';

const boot = readPageBoot();
const query = new URLSearchParams(window.location.search);
const events = new EventBusSrv();
setBackendSrv(standInBackendSrv());
setAppEvents(events);

/** The app's root page in the app's plugin context, as Grafana mounts it. */
function AppRoot({ boot }: { boot: PageBoot }) {
  const jsonData: AppSettings = {
    collectorUrl: boot.collectorUrl,
    readOnly: boot.readOnly === true,
  };
  const meta = { id: PLUGIN_ID, jsonData } as unknown as PluginMeta<AppSettings>;
  const props = { meta } as unknown as AppRootProps<AppSettings>;
  return (
    <PluginContextProvider meta={meta}>
      <App {...props} />
    </PluginContextProvider>
  );
}

function PanelRoot() {
  const options: PulsePanelOptions = {
    ...DEFAULT_OPTIONS,
    service: query.get('service') ?? DEFAULT_OPTIONS.service,
    live: query.get('live') !== 'false',
  };
  const props = {
    options,
    width: window.innerWidth - 32,
    height: window.innerHeight - 80,
  } as unknown as PanelProps<PulsePanelOptions>;
  return <PulsePanel {...props} />;
}

const onRender = query.get('profile') === '1' ? startProfiling() : undefined;

function profiled(children: ReactNode): ReactNode {
  return onRender ? (
    <Profiler id="pulse" onRender={onRender}>
      {children}
    </Profiler>
  ) : (
    children
  );
}

const theme = createTheme({ colors: { mode: boot.theme } });
const container = document.getElementById('root');
if (!container) {
  throw new Error('the page has no #root element');
}
createRoot(container).render(
  <ThemeContext.Provider value={theme}>
    <GlobalStyles />
    <Toasts events={events} />
    <BrowserRouter>
      <Routes>
        <Route path="/reference" element={profiled(<ReferenceList />)} />
        <Route path="/panel" element={<Shell boot={boot}>{profiled(<PanelRoot />)}</Shell>} />
        <Route
          path={`${boot.appPath}/*`}
          element={<Shell boot={boot}>{profiled(<AppRoot boot={boot} />)}</Shell>}
        />
      </Routes>
    </BrowserRouter>
  </ThemeContext.Provider>,
);
