import React from 'react';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { Observable } from 'rxjs';
import { OrgRole } from '@grafana/data';
import { config, type BackendSrvRequest, type FetchResponse } from '@grafana/runtime';
import { testIds } from '../../components/testIds';
import { bunNode, nodesReply, queuesReply } from '../../testing/collectorReplies';
import { BAD_GATEWAY, fakeFetch, proxied, type FakeReply } from '../../testing/fakeBackendSrv';
import { FakeEventSource, installFakeEventSource } from '../../testing/fakeEventSource';
import { tileIds, tileOf } from '../../testing/overviewTiles';
import { OVERVIEW_THRESHOLD } from './layout';
import { PulsePage } from './PulsePage';
import { DELTA_EVENT, PULSE_EVENT, STREAM_URL } from './usePulseData';
import { DETAIL_PAGE_SIZE } from './useNodeDetail';

type Fetch = (options: BackendSrvRequest) => Observable<FetchResponse<unknown>>;
let mockFetch: jest.Mock<ReturnType<Fetch>, Parameters<Fetch>> = fakeFetch({});
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (options: unknown) => mockFetch(options as never) }),
}));

const nodesUrl = proxied('api/pulse/nodes');
const ok = (data: unknown): FakeReply => ({ status: 200, data });
const streams = () => FakeEventSource.instances;
const latest = () => streams()[streams().length - 1];

/** What a summary keeps of a node (see the collector's API reference). */
function summary(node: typeof bunNode) {
  const { id, service, hostname, language, cpu, memory, status, lastSeenAt, ageMs } = node;
  return { id, service, hostname, language, cpu, memory, status, lastSeenAt, ageMs };
}

/** `count` Bun nodes of `worker-orders`, whole. */
const fleet = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ ...bunNode, id: `node-${i}`, hostname: `host-${i}` }));

/**
 * The collector: list reads answer `list` (summaries when asked for them), a node's detail read
 * (the one with a `limit`) answers `detail`.
 */
function collector(nodes: Array<typeof bunNode>, detail: FakeReply | ((options: BackendSrvRequest) => FakeReply)) {
  return jest.fn((options: BackendSrvRequest) => {
    const params = (options.params ?? {}) as Record<string, unknown>;
    if (options.url === nodesUrl && params.limit !== undefined) {
      return fakeFetch({ [nodesUrl]: typeof detail === 'function' ? detail(options) : detail })(options);
    }
    const shown = params.fields === 'summary' ? nodes.map(summary) : nodes;
    return fakeFetch({ [nodesUrl]: ok({ nodes: { 'worker-orders': shown }, total: nodes.length, serverTime: 1 }) })(
      options
    );
  });
}

const detailCalls = () =>
  mockFetch.mock.calls.map(([options]) => options).filter((o) => (o.params as { limit?: number })?.limit !== undefined);
const tile = tileOf;

beforeEach(() => {
  installFakeEventSource();
});

describe('PulsePage asks only for what it shows', () => {
  it('streams summaries while the overview is shown, and whole nodes once the cards are chosen', async () => {
    mockFetch = collector(fleet(OVERVIEW_THRESHOLD + 1), ok({ nodes: {} }));
    render(<PulsePage />);
    await screen.findByTestId(testIds.overview.root);
    expect(latest().url).toBe(`${STREAM_URL}?delta=1&fields=summary`);
    expect(mockFetch.mock.calls[0][0].params).toEqual({ fields: 'summary' });

    fireEvent.click(screen.getByRole('radio', { name: 'Cards' }));
    await screen.findAllByTestId(testIds.pulse.group);
    expect(latest().url).toBe(`${STREAM_URL}?delta=1`);
    expect(
      streams()
        .slice(0, -1)
        .every((stream) => stream.closed)
    ).toBe(true);
    // The cards hold whole nodes: the runtime version a summary leaves out is there.
    expect(screen.getAllByTestId(testIds.nodeCard.card)[0]).toHaveTextContent('1.1.38');
  });

  it('starts a small fleet on summaries and turns to whole nodes once, when its total is known', async () => {
    mockFetch = fakeFetch({ [nodesUrl]: ok({ ...nodesReply, total: 3 }) });
    render(<PulsePage />);
    await screen.findAllByTestId(testIds.nodeCard.card);
    // The nodes reads only: the cards' queue rows also read their services' history.
    const nodeReads = mockFetch.mock.calls.filter(([options]) => options.url === nodesUrl);
    expect(nodeReads.map(([options]) => options.params)).toEqual([{ fields: 'summary' }, {}]);
    expect(streams().map((stream) => stream.url)).toEqual([
      `${STREAM_URL}?delta=1&fields=summary`,
      `${STREAM_URL}?delta=1`,
    ]);
    expect(streams()[0].closed).toBe(true);

    // Later events keep the fleet's total: the page stays on whole nodes.
    latest().emit(PULSE_EVENT, { ...nodesReply, total: 3, serverTime: 2 });
    latest().emit(DELTA_EVENT, { nodes: {}, left: {}, queues: {}, queuesLeft: [], total: 3, serverTime: 3 });
    expect(streams()).toHaveLength(2);
    expect(screen.getAllByTestId(testIds.nodeCard.card)).toHaveLength(3);
  });

  it("totals a service row from the collector's service queues, which summaries come with", async () => {
    mockFetch = collector(fleet(OVERVIEW_THRESHOLD + 1), ok({ nodes: {} }));
    render(<PulsePage />);
    await screen.findByTestId(testIds.overview.root);
    latest().emit(PULSE_EVENT, {
      nodes: { 'worker-orders': fleet(OVERVIEW_THRESHOLD + 1).map(summary) },
      queues: { 'worker-orders': queuesReply.queues['worker-orders'] },
      total: OVERVIEW_THRESHOLD + 1,
      serverTime: 2,
    });
    const totals = screen.getAllByTestId(testIds.overview.queueTotal).map((el) => el.textContent);
    expect(totals).toEqual(['120 waiting', '4 active', '2 failed', '7 delayed']);
    expect(screen.getByTestId(testIds.overview.queueErrors)).toHaveTextContent('1 unreadable');
  });
});

describe('PulsePage: the card a summary tile opens', () => {
  const role = config.bootData.user.orgRole;
  afterEach(() => {
    config.bootData.user.orgRole = role;
  });

  it('reads the whole node once, shows a placeholder meanwhile, then the card with its queues and actions', async () => {
    config.bootData.user.orgRole = OrgRole.Editor;
    const nodes = fleet(OVERVIEW_THRESHOLD + 1);
    // The search matches node-1, node-10, …: the card picks the exact id.
    const [emails, reports] = queuesReply.queues['worker-orders'];
    const queues = [{ ...emails, actions: ['retry', 'delete'] }, reports];
    const whole = (id: string) => ({ ...nodes.find((n) => n.id === id)!, queues });
    mockFetch = collector(nodes, ok({ nodes: { 'worker-orders': [whole('node-10'), whole('node-1')] }, total: 201 }));
    render(<PulsePage />);
    await screen.findByTestId(testIds.overview.root);

    fireEvent.click(tile('node-1'));
    const card = screen.getByTestId(testIds.overview.card);
    expect(within(card).getByTestId(testIds.overview.cardLoading)).toBeInTheDocument();
    const nodeCard = await within(card).findByTestId(testIds.nodeCard.card);
    expect(nodeCard).toHaveAttribute('data-node-id', 'node-1');
    expect(nodeCard).toHaveTextContent('1.1.38');
    expect(
      within(nodeCard)
        .getAllByTestId(testIds.queueSection.queue)
        .map((q) => q.getAttribute('data-queue'))
    ).toEqual(['emails', 'reports']);
    expect(within(nodeCard).getByTestId(testIds.queueSection.retry)).toBeEnabled();
    expect(within(nodeCard).getByTestId(testIds.queueSection.delete)).toBeEnabled();
    expect(detailCalls().map((o) => o.params)).toEqual([
      { service: 'worker-orders', q: 'node-1', limit: DETAIL_PAGE_SIZE },
    ]);

    // The same beats again change nothing; a new beat of the node reads it again.
    latest().emit(PULSE_EVENT, {
      nodes: { 'worker-orders': nodes.map(summary) },
      queues: {},
      total: 201,
      serverTime: 2,
    });
    latest().emit(DELTA_EVENT, { nodes: {}, left: {}, queues: {}, queuesLeft: [], total: 201, serverTime: 3 });
    expect(detailCalls()).toHaveLength(1);
    latest().emit(DELTA_EVENT, {
      nodes: { 'worker-orders': [{ ...summary(nodes[1]), lastSeenAt: nodes[1].lastSeenAt + 5000 }] },
      left: {},
      queues: {},
      queuesLeft: [],
      total: 201,
      serverTime: 4,
    });
    await waitFor(() => expect(detailCalls()).toHaveLength(2));
    // Every event was applied on the one summary stream, none skipped.
    expect(streams().map((stream) => stream.url)).toEqual([`${STREAM_URL}?delta=1&fields=summary`]);
  });

  it('shows a failed read inside the card, and the rest of the page stays', async () => {
    mockFetch = collector(fleet(OVERVIEW_THRESHOLD + 1), BAD_GATEWAY);
    render(<PulsePage />);
    await screen.findByTestId(testIds.overview.root);
    fireEvent.click(tile('node-7'));
    const error = await within(screen.getByTestId(testIds.overview.card)).findByTestId(testIds.overview.cardError);
    expect(error).toHaveTextContent('Collector unreachable (Bad Gateway)');
    expect(screen.queryByTestId(testIds.pulse.error)).not.toBeInTheDocument();
    expect(tileIds()).toHaveLength(OVERVIEW_THRESHOLD + 1);
  });

  it('says so when the node is not in the reply any more', async () => {
    mockFetch = collector(fleet(OVERVIEW_THRESHOLD + 1), ok({ nodes: { 'worker-orders': [] }, total: 201 }));
    render(<PulsePage />);
    await screen.findByTestId(testIds.overview.root);
    fireEvent.click(tile('node-7'));
    expect(await screen.findByTestId(testIds.overview.cardError)).toHaveTextContent('no longer reported');
  });
});
