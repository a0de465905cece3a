import React from 'react';
import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { PluginType, type AppRootProps } from '@grafana/data';
import { supportComboboxInJsdom } from '../../pages/SlowLog/comboboxInJsdom';
import { auditReply, nodesReply, slowGroupsReply, slowReply } from '../../testing/collectorReplies';
import { BAD_GATEWAY, READY, fakeFetch, proxied } from '../../testing/fakeBackendSrv';
import type { AppSettings } from '../../types';
import { testIds } from '../testIds';
import App from './App';

let mockFetch = fakeFetch({});
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (options: unknown) => mockFetch(options as never) }),
}));

/** Grafana mounts the app under `/a/<plugin id>/*`; its own routes see the rest of the path. */
function renderApp(jsonData: AppSettings, path = '/') {
  const props = {
    basename: 'a/gravito-quasar-app',
    meta: { id: 'gravito-quasar-app', name: 'Quasar', type: PluginType.app, enabled: true, jsonData },
    query: {},
    path: '',
    onNavChanged: jest.fn(),
  } as unknown as AppRootProps<AppSettings>;
  return render(
    <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <App {...props} />
    </MemoryRouter>
  );
}

describe('App', () => {
  it('points to the configuration page when no collector is set', () => {
    renderApp({});
    expect(screen.getByText('Quasar is not configured')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /configure quasar/i })).toHaveAttribute(
      'href',
      'plugins/gravito-quasar-app'
    );
  });

  it('shows the collector as ready', async () => {
    mockFetch = fakeFetch({
      [proxied('readyz')]: READY,
      [proxied('api/pulse/audit')]: { status: 200, data: { entries: [] } },
    });
    renderApp({ collectorUrl: 'http://collector:8080' });

    const status = await screen.findByTestId(testIds.app.status);
    expect(status).toHaveTextContent('Collector at http://collector:8080');
    expect(status).toHaveTextContent('API token accepted');
  });

  it('shows the URL it tried when the collector is unreachable', async () => {
    mockFetch = fakeFetch({ [proxied('readyz')]: BAD_GATEWAY });
    renderApp({ collectorUrl: 'http://collector:8080' });

    const status = await screen.findByTestId(testIds.app.status);
    expect(status).toHaveTextContent('Collector unreachable at http://collector:8080');
  });

  it('shows the Pulse page when a collector is set', async () => {
    mockFetch = fakeFetch({
      [proxied('readyz')]: READY,
      [proxied('api/pulse/audit')]: { status: 200, data: { entries: [] } },
      [proxied('api/pulse/nodes')]: { status: 200, data: nodesReply },
    });
    renderApp({ collectorUrl: 'http://collector:8080' });

    expect(await screen.findAllByTestId(testIds.pulse.group)).toHaveLength(3);
    expect(await screen.findByTestId(testIds.app.status)).toHaveTextContent('Collector at http://collector:8080');
  });

  describe('routes', () => {
    beforeAll(supportComboboxInJsdom);

    beforeEach(() => {
      mockFetch = fakeFetch({
        [proxied('readyz')]: READY,
        [proxied('api/pulse/slow')]: { status: 200, data: slowReply },
        [proxied('api/pulse/slow/groups')]: { status: 200, data: slowGroupsReply },
        [proxied('api/pulse/audit')]: { status: 200, data: auditReply },
      });
    });

    it('shows the slow log at /slow', async () => {
      renderApp({ collectorUrl: 'http://collector:8080' }, '/slow');
      expect(await screen.findByTestId(testIds.slowLog.page)).toBeInTheDocument();
      expect(await screen.findByText('POST /orders')).toBeInTheDocument();
      expect(screen.queryByTestId(testIds.app.container)).not.toBeInTheDocument();
    });

    it('shows the audit trail at /audit', async () => {
      renderApp({ collectorUrl: 'http://collector:8080' }, '/audit');
      expect(await screen.findByTestId(testIds.audit.page)).toBeInTheDocument();
      expect(await screen.findByText('DELETE_JOB')).toBeInTheDocument();
      expect(screen.queryByTestId(testIds.app.container)).not.toBeInTheDocument();
    });

    it('links trace ids to the tracing data source from the app settings', async () => {
      renderApp({ collectorUrl: 'http://collector:8080', tracesDatasourceUid: 'tempo-uid' }, '/slow');
      expect(await screen.findByTestId(testIds.slowLog.traceLink)).toHaveAttribute(
        'href',
        expect.stringContaining('tempo-uid')
      );
    });

    it('shows the collector status on any other path', async () => {
      renderApp({ collectorUrl: 'http://collector:8080' }, '/elsewhere');
      expect(await screen.findByTestId(testIds.app.status)).toHaveTextContent('Collector at http://collector:8080');
      expect(screen.queryByTestId(testIds.slowLog.page)).not.toBeInTheDocument();
    });
  });
});
