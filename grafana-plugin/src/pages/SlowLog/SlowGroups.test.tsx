// getBackendSrv is Grafana's; the fake in src/testing stands in for it, since no Grafana server
// runs in these tests.
import React from 'react';
import { render as renderRoot, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import userEvent from '@testing-library/user-event';
import { setDataSourceSrv } from '@grafana/runtime';
import { testIds } from '../../components/testIds';
import { slowGroupEntriesReply, slowGroupsReply, slowReply } from '../../testing/collectorReplies';
import { fakeFetch, proxied, type FakeReply } from '../../testing/fakeBackendSrv';
import { supportComboboxInJsdom } from './comboboxInJsdom';
import { SlowLogPage } from './SlowLog';
import { slowGroups } from './slowGroups';
import { exploreTraceUrl } from './TraceCell';

let mockFetch = fakeFetch({});
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (options: unknown) => mockFetch(options as never) }),
}));

const ROUTER_FUTURE = { v7_startTransition: true, v7_relativeSplatPath: true };
const render = (page: React.ReactElement) => renderRoot(<MemoryRouter future={ROUTER_FUTURE}>{page}</MemoryRouter>);

const GROUPS = proxied('api/pulse/slow/groups');
const ENTRIES = proxied('api/pulse/slow/groups/entries');
const SLOW = proxied('api/pulse/slow');
const ok = (data: unknown): FakeReply => ({ status: 200, data });

/** The groups table's body rows (the first table on the page), header excluded. */
async function groupRows() {
  const groups = await screen.findByTestId(testIds.slowLog.groups);
  const [table] = within(groups).getAllByRole('table');
  return within(table!).getAllByRole('row').slice(1);
}

beforeAll(supportComboboxInJsdom);

describe('SlowLogPage groups', () => {
  it('shows groups first: count, p50, p95, max, last seen, a sparkline and the last trace', async () => {
    mockFetch = fakeFetch({ [GROUPS]: ok(slowGroupsReply) });
    render(<SlowLogPage tracesDatasourceUid="tempo-uid" />);

    const [orders, receipt] = await groupRows();
    expect(orders).toHaveTextContent('checkout');
    expect(orders).toHaveTextContent('request');
    expect(orders).toHaveTextContent('POST /orders');
    expect(orders).toHaveTextContent('42');
    expect(orders).toHaveTextContent('1.52 s');
    expect(orders).toHaveTextContent('2.35 s');
    expect(orders).toHaveTextContent('4.10 s');
    expect(orders).toHaveTextContent('2026-01-04 04:13:20');
    const spark = within(orders!).getByTestId(testIds.slowLog.sparkline);
    expect(spark).toHaveAttribute('data-points', '60');
    expect(spark).toHaveAccessibleName('10 in the last 60 minutes, at most 5 a minute');
    expect(within(orders!).getByTestId(testIds.slowLog.traceLink)).toHaveAttribute(
      'href',
      exploreTraceUrl('tempo-uid', '4bf92f3577b34da6a3ce929d0e0e4736')
    );
    expect(receipt).toHaveTextContent('send-receipt');
    expect(receipt).toHaveTextContent('15.02 s');
    expect(within(receipt!).queryByTestId(testIds.slowLog.traceLink)).not.toBeInTheDocument();
    expect(screen.getByTestId(testIds.slowLog.groupsScope)).toHaveTextContent('2 groups held by collector collector-a');

    const { params } = mockFetch.mock.calls[0][0];
    expect(params).toMatchObject({ limit: 1000 });
    expect(mockFetch.mock.calls.map((call) => call[0].url)).not.toContain(SLOW);
  });

  it("reads a group's raw entries when it is expanded", async () => {
    mockFetch = fakeFetch({ [GROUPS]: ok(slowGroupsReply), [ENTRIES]: ok(slowGroupEntriesReply) });
    render(<SlowLogPage />);

    const [orders] = await groupRows();
    expect(screen.queryByTestId(testIds.slowLog.groupEntries)).not.toBeInTheDocument();
    await userEvent.click(within(orders!).getByRole('button', { name: /toggle row expanded/i }));

    const entries = await screen.findByTestId(testIds.slowLog.groupEntries);
    const rows = (await within(entries).findAllByRole('row')).slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('2.35 s');
    expect(rows[0]).toHaveTextContent('api-7f9c-1');
    expect(rows[0]).toHaveTextContent('checkout');
    expect(rows[1]).toHaveTextContent('1.18 s');
    const asked = mockFetch.mock.calls.find((call) => call[0].url === ENTRIES)![0];
    expect(asked.params).toEqual({ service: 'checkout', kind: 'request', name: 'POST /orders' });
  });

  it('asks the collector for one kind, and narrows groups by name and slowest duration', async () => {
    mockFetch = fakeFetch({ [GROUPS]: ok(slowGroupsReply) });
    render(<SlowLogPage />);
    expect(await groupRows()).toHaveLength(2);

    await userEvent.type(screen.getByTestId(testIds.slowLog.search), 'receipt');
    expect(await groupRows()).toHaveLength(1);
    await userEvent.clear(screen.getByTestId(testIds.slowLog.search));
    await userEvent.type(screen.getByTestId(testIds.slowLog.minDuration), '5000');
    const slow = await groupRows();
    expect(slow).toHaveLength(1);
    expect(slow[0]).toHaveTextContent('send-receipt');

    await userEvent.click(screen.getByRole('radio', { name: 'Jobs' }));
    await groupRows();
    const last = mockFetch.mock.calls[mockFetch.mock.calls.length - 1][0];
    expect(last.params).toMatchObject({ kind: 'job' });
  });

  it('shows hostile names as text, and reads __proto__ as a service like any other', async () => {
    const hostile = {
      ...slowGroupsReply,
      groups: [
        { ...slowGroupsReply.groups[0], service: '__proto__', name: '<img src=x onerror="alert(1)">' },
        { ...slowGroupsReply.groups[1], name: 'constructor', sparkline: { counts: '<svg onload=alert(1)>' } },
      ],
    };
    mockFetch = fakeFetch({ [GROUPS]: ok(hostile) });
    const { container } = render(<SlowLogPage />);

    const [img, ctor] = await groupRows();
    expect(img).toHaveTextContent('<img src=x onerror="alert(1)">');
    expect(img).toHaveTextContent('__proto__');
    expect(container.querySelector('img')).toBeNull();
    expect(ctor).toHaveTextContent('constructor');
    expect(within(ctor!).getByTestId(testIds.slowLog.sparkline)).toHaveAttribute('data-points', '0');
  });

  it('says when the collector builds no groups, and the entries are still a click away', async () => {
    mockFetch = fakeFetch({
      [GROUPS]: {
        status: 503,
        data: {
          error: { code: 'QUASAR_SLOW_GROUPS_OFF', message: 'slow-log groups are built by the slow-log consumer' },
        },
      },
      [SLOW]: ok(slowReply),
    });
    render(<SlowLogPage />);

    expect(await screen.findByTestId(testIds.slowLog.groupsOff)).toHaveTextContent('Groups are off on this collector');
    // The groups cover all the collector consumed: the time window is the entries' alone.
    expect(screen.queryByRole('radio', { name: '1h' })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('radio', { name: 'Entries' }));
    expect(await screen.findByText('POST /orders')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: '1h' })).toBeInTheDocument();
  });
});

describe('slowGroups', () => {
  it('skips groups without a valid service, kind or name, and bounds the sparkline', () => {
    const read = slowGroups({
      groups: [
        { service: 'a', kind: 'cron', name: 'x' },
        { service: 'a', kind: 'job', name: '' },
        { service: 7, kind: 'job', name: 'x' },
        { service: 'a', kind: 'job', name: 'x'.repeat(513) },
        { service: 'a', kind: 'job', name: 'ok', count: -1, p50Ms: 'NaN', sparkline: { counts: Array(500).fill(1) } },
        null,
      ],
      total: 'many',
    });
    expect(read.groups).toHaveLength(1);
    expect(read.groups[0]).toMatchObject({ name: 'ok', count: 0, p50Ms: null });
    expect(read.groups[0]!.counts).toHaveLength(120);
    expect(read.total).toBe(1);
    expect(slowGroups('<html>')).toEqual({ groups: [], total: 0, replica: null, services: [] });
  });
});

describe('the trace link without a configured tracing data source', () => {
  afterEach(() => setDataSourceSrv(undefined as never));

  it('links to the first Tempo, Jaeger or Zipkin data source Grafana has', async () => {
    setDataSourceSrv({
      getList: (filters?: { tracing?: boolean }) =>
        filters?.tracing
          ? [
              { uid: 'loki-uid', type: 'loki' },
              { uid: 'jaeger-uid', type: 'jaeger' },
            ]
          : [],
    } as never);
    mockFetch = fakeFetch({ [GROUPS]: ok(slowGroupsReply) });
    render(<SlowLogPage />);

    const [orders] = await groupRows();
    expect(within(orders!).getByTestId(testIds.slowLog.traceLink)).toHaveAttribute(
      'href',
      exploreTraceUrl('jaeger-uid', '4bf92f3577b34da6a3ce929d0e0e4736')
    );
  });

  it('offers the id for copying when Grafana has none, or no data source service at all', async () => {
    setDataSourceSrv({ getList: () => [{ uid: 'prom', type: 'prometheus' }] } as never);
    mockFetch = fakeFetch({ [GROUPS]: ok(slowGroupsReply) });
    const { unmount } = render(<SlowLogPage />);
    const [orders] = await groupRows();
    expect(within(orders!).getByTestId(testIds.slowLog.traceId)).toBeInTheDocument();
    unmount();

    setDataSourceSrv(undefined as never);
    render(<SlowLogPage />);
    const [again] = await groupRows();
    expect(within(again!).getByTestId(testIds.slowLog.traceId)).toBeInTheDocument();
  });
});
