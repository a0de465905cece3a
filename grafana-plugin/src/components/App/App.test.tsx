import React from 'react';
import { render, screen } from '@testing-library/react';
import { PluginType, type AppRootProps } from '@grafana/data';
import { BAD_GATEWAY, READY, fakeFetch, proxied } from '../../testing/fakeBackendSrv';
import type { AppSettings } from '../../types';
import { testIds } from '../testIds';
import App from './App';

let mockFetch = fakeFetch({});
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (options: unknown) => mockFetch(options as never) }),
}));

function renderApp(jsonData: AppSettings) {
  const props = {
    basename: 'a/gravito-quasar-app',
    meta: { id: 'gravito-quasar-app', name: 'Quasar', type: PluginType.app, enabled: true, jsonData },
    query: {},
    path: '',
    onNavChanged: jest.fn(),
  } as unknown as AppRootProps<AppSettings>;
  return render(<App {...props} />);
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
});
