import React from 'react';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PluginType } from '@grafana/data';
import { BAD_GATEWAY, READY, fakeFetch, proxied } from '../../testing/fakeBackendSrv';
import { testIds } from '../testIds';
import AppConfig, { type AppConfigProps, isCollectorUrl } from './AppConfig';

// Grafana cannot run here: its backend is this fake fetch, and the page reload is a spy.
let mockFetch = fakeFetch({});
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (options: unknown) => mockFetch(options as never) }),
}));
jest.mock('../../api/pluginSettings', () => ({
  ...jest.requireActual('../../api/pluginSettings'),
  reloadPage: jest.fn(),
}));

const SETTINGS_URL = '/api/plugins/gravito-quasar-app/settings';
const SAVED = { status: 200, data: { message: 'Plugin settings updated' } };

function renderConfig(meta: Partial<AppConfigProps['plugin']['meta']> = {}) {
  const plugin = {
    meta: {
      id: 'gravito-quasar-app',
      name: 'Quasar',
      type: PluginType.app,
      enabled: true,
      pinned: true,
      jsonData: {},
      ...meta,
    },
  } as unknown as AppConfigProps['plugin'];
  return render(<AppConfig plugin={plugin} query={{}} />);
}

const postedSettings = () => {
  const call = mockFetch.mock.calls.find(([options]) => options.url === SETTINGS_URL);
  return call?.[0].data;
};

describe('AppConfig', () => {
  beforeEach(() => {
    mockFetch = fakeFetch({ [SETTINGS_URL]: SAVED });
  });

  it('saves the collector URL in jsonData and the token in secureJsonData', async () => {
    renderConfig();
    await userEvent.type(screen.getByTestId(testIds.appConfig.collectorUrl), 'http://collector:8080/');
    await userEvent.type(screen.getByTestId(testIds.appConfig.apiToken), 's3cret');
    await userEvent.click(screen.getByTestId(testIds.appConfig.submit));

    await waitFor(() => expect(postedSettings()).toBeDefined());
    expect(postedSettings()).toEqual({
      enabled: true,
      pinned: true,
      jsonData: { collectorUrl: 'http://collector:8080', readOnly: false },
      secureJsonData: { apiToken: 's3cret' },
    });
  });

  it('saves the read-only switch in jsonData, and shows a saved one as on', async () => {
    renderConfig({ jsonData: { collectorUrl: 'http://collector:8080' }, secureJsonFields: { apiToken: true } });
    const toggle = screen.getByTestId(testIds.appConfig.readOnly);
    expect(toggle).not.toBeChecked();
    await userEvent.click(toggle);
    await userEvent.click(screen.getByTestId(testIds.appConfig.submit));
    await waitFor(() => expect(postedSettings()).toBeDefined());
    expect(postedSettings().jsonData).toEqual({ collectorUrl: 'http://collector:8080', readOnly: true });

    cleanup();
    mockFetch = fakeFetch({ [SETTINGS_URL]: SAVED });
    renderConfig({
      jsonData: { collectorUrl: 'http://collector:8080', readOnly: true },
      secureJsonFields: { apiToken: true },
    });
    expect(screen.getByTestId(testIds.appConfig.readOnly)).toBeChecked();
    await userEvent.click(screen.getByTestId(testIds.appConfig.readOnly));
    await userEvent.click(screen.getByTestId(testIds.appConfig.submit));
    await waitFor(() => expect(postedSettings()).toBeDefined());
    expect(postedSettings().jsonData.readOnly).toBe(false);
  });

  it('keeps a saved token: it shows as configured and is not sent again', async () => {
    renderConfig({ jsonData: { collectorUrl: 'http://collector:8080' }, secureJsonFields: { apiToken: true } });
    expect(screen.getByTestId(testIds.appConfig.apiToken)).toHaveValue('configured');

    await userEvent.click(screen.getByTestId(testIds.appConfig.submit));
    await waitFor(() => expect(postedSettings()).toBeDefined());
    expect(postedSettings()).not.toHaveProperty('secureJsonData.apiToken');
  });

  it('saves a write token only when one is typed, and clears a saved one on Reset', async () => {
    renderConfig({ jsonData: { collectorUrl: 'http://collector:8080' }, secureJsonFields: { apiToken: true } });
    await userEvent.type(screen.getByTestId(testIds.appConfig.apiWriteToken), 'w-r1te');
    await userEvent.click(screen.getByTestId(testIds.appConfig.submit));
    await waitFor(() => expect(postedSettings()).toBeDefined());
    expect(postedSettings().secureJsonData).toEqual({ apiWriteToken: 'w-r1te' });

    cleanup();
    mockFetch = fakeFetch({ [SETTINGS_URL]: SAVED });
    renderConfig({
      jsonData: { collectorUrl: 'http://collector:8080' },
      secureJsonFields: { apiToken: true, apiWriteToken: true },
    });
    const resets = screen.getAllByRole('button', { name: /reset/i });
    expect(resets).toHaveLength(2);
    await userEvent.click(resets[1]);
    await userEvent.click(screen.getByTestId(testIds.appConfig.submit));
    await waitFor(() => expect(postedSettings()).toBeDefined());
    expect(postedSettings().secureJsonData).toEqual({ apiWriteToken: '' });
  });

  it('asks for a new token after Reset and will not save without one', async () => {
    renderConfig({ jsonData: { collectorUrl: 'http://collector:8080' }, secureJsonFields: { apiToken: true } });
    await userEvent.click(screen.getByRole('button', { name: /reset/i }));

    expect(screen.getByTestId(testIds.appConfig.apiToken)).toHaveValue('');
    expect(screen.getByTestId(testIds.appConfig.submit)).toBeDisabled();
  });

  it('refuses a collector URL that is not http(s)', async () => {
    renderConfig();
    await userEvent.type(screen.getByTestId(testIds.appConfig.collectorUrl), 'collector:8080');

    expect(screen.getByText('Enter an http:// or https:// URL')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.appConfig.submit)).toBeDisabled();
    expect(isCollectorUrl('https://quasar.example:8443/base')).toBe(true);
    expect(isCollectorUrl('ftp://quasar.example')).toBe(false);
  });

  it('disables an enabled app and enables a disabled one', async () => {
    const { unmount } = renderConfig({ jsonData: { collectorUrl: 'http://collector:8080' } });
    await userEvent.click(screen.getByTestId(testIds.appConfig.disable));
    await waitFor(() => expect(postedSettings()).toMatchObject({ enabled: false, pinned: false }));
    unmount();

    mockFetch = fakeFetch({ [SETTINGS_URL]: SAVED });
    renderConfig({ enabled: false });
    await userEvent.click(screen.getByTestId(testIds.appConfig.enable));
    await waitFor(() => expect(postedSettings()).toMatchObject({ enabled: true, pinned: true }));
  });

  it('shows why saving failed', async () => {
    mockFetch = fakeFetch({ [SETTINGS_URL]: { status: 500, data: { message: 'db locked' } } });
    renderConfig({ jsonData: { collectorUrl: 'http://collector:8080' }, secureJsonFields: { apiToken: true } });
    await userEvent.click(screen.getByTestId(testIds.appConfig.submit));

    expect(await screen.findByText('Settings not saved')).toBeInTheDocument();
  });

  it('tests the saved connection through the proxy and shows success', async () => {
    mockFetch = fakeFetch({
      [proxied('readyz')]: READY,
      [proxied('api/pulse/audit')]: { status: 200, data: { entries: [] } },
    });
    renderConfig({ jsonData: { collectorUrl: 'http://collector:8080' }, secureJsonFields: { apiToken: true } });
    await userEvent.click(screen.getByTestId(testIds.appConfig.testConnection));

    const result = await screen.findByTestId(testIds.appConfig.testResult);
    expect(result).toHaveTextContent('Connected');
    expect(result).toHaveTextContent('API token accepted');
  });

  it('tests the saved connection and shows the error', async () => {
    mockFetch = fakeFetch({ [proxied('readyz')]: BAD_GATEWAY });
    renderConfig({ jsonData: { collectorUrl: 'http://collector:8080' } });
    await userEvent.click(screen.getByTestId(testIds.appConfig.testConnection));

    const result = await screen.findByTestId(testIds.appConfig.testResult);
    expect(result).toHaveTextContent('Connection failed');
    expect(result).toHaveTextContent('Collector unreachable (Bad Gateway)');
  });

  it('offers no connection test before a collector URL is saved', () => {
    renderConfig();
    // A button with a tooltip stays focusable, so Grafana marks it aria-disabled.
    expect(screen.getByTestId(testIds.appConfig.testConnection)).toHaveAttribute('aria-disabled', 'true');
  });
});
