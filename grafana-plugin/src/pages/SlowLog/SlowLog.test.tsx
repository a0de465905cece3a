// getBackendSrv is Grafana's; the fake in src/testing stands in for it, since no Grafana server
// runs in these tests.
import React from 'react';
import { render as renderRoot, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import userEvent from '@testing-library/user-event';
import { testIds } from '../../components/testIds';
import { slowReply, slowReplyThreeEntries } from '../../testing/collectorReplies';
import { BAD_GATEWAY, UNAUTHORIZED, fakeFetch, proxied, type FakeReply } from '../../testing/fakeBackendSrv';
import { supportComboboxInJsdom } from './comboboxInJsdom';
import { SLOW_LIMIT, SlowLogPage } from './SlowLog';
import { exploreTraceUrl } from './TraceCell';

let mockFetch = fakeFetch({});
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (options: unknown) => mockFetch(options as never) }),
}));

const ROUTER_FUTURE = { v7_startTransition: true, v7_relativeSplatPath: true };

/** Grafana renders app pages inside its router; trace links need one. */
const render = (page: React.ReactElement) => renderRoot(<MemoryRouter future={ROUTER_FUTURE}>{page}</MemoryRouter>);

const SLOW = proxied('api/pulse/slow');
const ok = (data: unknown): FakeReply => ({ status: 200, data });

/** The table's body rows, header excluded. */
async function bodyRows() {
  const table = await screen.findByRole('table');
  return within(table).getAllByRole('row').slice(1);
}

beforeAll(supportComboboxInJsdom);

describe('SlowLogPage', () => {
  it('lists each slow request and job with its formatted duration, node and status or queue', async () => {
    mockFetch = fakeFetch({ [SLOW]: ok(slowReply) });
    render(<SlowLogPage initialView="entries" collectorUrl="http://collector:8080" />);

    const [request, job] = await bodyRows();
    expect(request).toHaveTextContent('2026-01-04 04:13:20');
    expect(request).toHaveTextContent('checkout');
    expect(request).toHaveTextContent('POST /orders');
    expect(request).toHaveTextContent('2.35 s');
    expect(request).toHaveTextContent('api-7f9c-1');
    expect(request).toHaveTextContent('201');
    expect(job).toHaveTextContent('send-receipt');
    expect(job).toHaveTextContent('15.02 s');
    expect(job).toHaveTextContent('worker-01-48213');
    expect(job).toHaveTextContent('emails');
  });

  it('asks the collector for the last hour, up to its limit', async () => {
    mockFetch = fakeFetch({ [SLOW]: ok(slowReply) });
    const before = Date.now();
    render(<SlowLogPage initialView="entries" />);
    await bodyRows();

    const { params } = mockFetch.mock.calls[0][0];
    expect(params).toMatchObject({ limit: SLOW_LIMIT });
    expect(params?.service).toBeUndefined();
    expect(params?.since).toBeGreaterThanOrEqual(before - 3_600_000);
    expect(params?.since).toBeLessThanOrEqual(Date.now() - 3_600_000);
  });

  it('narrows the rows by kind, minimum duration and name', async () => {
    mockFetch = fakeFetch({ [SLOW]: ok(slowReplyThreeEntries) });
    render(<SlowLogPage initialView="entries" />);
    expect(await bodyRows()).toHaveLength(3);

    await userEvent.click(screen.getByRole('radio', { name: 'Jobs' }));
    expect(await bodyRows()).toHaveLength(1);
    expect(screen.getByRole('table')).toHaveTextContent('send-receipt');

    await userEvent.click(screen.getByRole('radio', { name: 'Requests' }));
    await userEvent.type(screen.getByTestId(testIds.slowLog.minDuration), '2000');
    const slowRequests = await bodyRows();
    expect(slowRequests).toHaveLength(1);
    expect(slowRequests[0]).toHaveTextContent('POST /orders');

    await userEvent.clear(screen.getByTestId(testIds.slowLog.minDuration));
    await userEvent.type(screen.getByTestId(testIds.slowLog.search), 'invoices');
    const invoices = await bodyRows();
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toHaveTextContent('GET /invoices/:id');
  });

  it('asks the collector for one service once it is picked', async () => {
    mockFetch = fakeFetch({ [SLOW]: ok(slowReplyThreeEntries) });
    render(<SlowLogPage initialView="entries" />);
    await bodyRows();

    await userEvent.type(screen.getByRole('combobox'), 'billing{Enter}');

    const last = mockFetch.mock.calls[mockFetch.mock.calls.length - 1][0];
    expect(last.params).toMatchObject({ service: 'billing' });
    const rows = await bodyRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent('billing');
  });

  it('links a trace id to Explore on the configured tracing data source', async () => {
    mockFetch = fakeFetch({ [SLOW]: ok(slowReply) });
    render(<SlowLogPage initialView="entries" tracesDatasourceUid="tempo-uid" />);

    const link = await screen.findByTestId(testIds.slowLog.traceLink);
    expect(link).toHaveAttribute('href', exploreTraceUrl('tempo-uid', '4bf92f3577b34da6a3ce929d0e0e4736'));
    expect(screen.getAllByTestId(testIds.slowLog.traceLink)).toHaveLength(1);
    expect(screen.queryByTestId(testIds.slowLog.traceId)).not.toBeInTheDocument();
  });

  it('offers the trace id for copying when no tracing data source is set', async () => {
    mockFetch = fakeFetch({ [SLOW]: ok(slowReply) });
    render(<SlowLogPage initialView="entries" />);

    const id = await screen.findByTestId(testIds.slowLog.traceId);
    expect(within(id).getByTitle('4bf92f3577b34da6a3ce929d0e0e4736')).toHaveTextContent('4bf92f3577b3…');
    expect(within(id).getByRole('button', { name: /copy trace id/i })).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.slowLog.traceLink)).not.toBeInTheDocument();
  });

  it('shows the collector unreachable, with the URL tried', async () => {
    mockFetch = fakeFetch({ [SLOW]: BAD_GATEWAY });
    render(<SlowLogPage initialView="entries" collectorUrl="http://collector:8080" />);

    const error = await screen.findByTestId(testIds.slowLog.error);
    expect(error).toHaveTextContent('Could not read from the collector at http://collector:8080');
    expect(error).toHaveTextContent('Collector unreachable (Bad Gateway)');
  });

  it("shows the collector's own message when it refuses the token", async () => {
    mockFetch = fakeFetch({ [SLOW]: UNAUTHORIZED });
    render(<SlowLogPage initialView="entries" collectorUrl="http://collector:8080" />);

    expect(await screen.findByTestId(testIds.slowLog.error)).toHaveTextContent(
      'missing or invalid bearer token: check the API token in the app configuration (QUASAR_UNAUTHORIZED)'
    );
  });

  it('explains how to record slow work when the log is empty', async () => {
    mockFetch = fakeFetch({ [SLOW]: ok({ entries: [], skipped: 0 }) });
    render(<SlowLogPage initialView="entries" />);

    const empty = await screen.findByTestId(testIds.slowLog.empty);
    expect(empty).toHaveTextContent('No slow requests or jobs recorded');
    expect(empty).toHaveTextContent('agent.recordSlow(');
    expect(empty).toHaveTextContent('agent.instrumentHttpServer(server)');
  });

  it('reads the log again on refresh', async () => {
    mockFetch = fakeFetch({ [SLOW]: ok({ entries: [], skipped: 0 }) });
    render(<SlowLogPage initialView="entries" />);
    await screen.findByTestId(testIds.slowLog.empty);

    mockFetch = fakeFetch({ [SLOW]: ok(slowReply) });
    await userEvent.click(screen.getByTestId(testIds.slowLog.refresh));
    expect(await bodyRows()).toHaveLength(2);
  });
});
