import React, { memo } from 'react';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { NodeCardProps } from '../../components/NodeCard';
import { testIds } from '../../components/testIds';
import { bunNode, goNode, nodesReply, sdkNode } from '../../testing/collectorReplies';
import { BAD_GATEWAY, fakeFetch, proxied, type FakeReply } from '../../testing/fakeBackendSrv';
import { FakeEventSource, installFakeEventSource } from '../../testing/fakeEventSource';
import { GROUP_PAGE_SIZE } from './ServiceGroup';
import { PulsePage } from './PulsePage';
import { SEARCH_DEBOUNCE_MS } from './PulseView';
import { DELTA_EVENT, POLL_INTERVAL_MS, PULSE_EVENT, STREAM_URL } from './usePulseData';

// Grafana's backendSrv, replaced by the stand-in that answers like the app's proxy.
let mockFetch = fakeFetch({});
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (options: unknown) => mockFetch(options as never) }),
}));

// Counts the renders of each card, keeping the real card and its real memo comparison.
const renders = new Map<string, number>();
jest.mock('../../components/NodeCard', () => {
  const actual = jest.requireActual('../../components/NodeCard');
  function CountingCard(props: NodeCardProps) {
    renders.set(props.node.id, (renders.get(props.node.id) ?? 0) + 1);
    return <actual.NodeCard {...props} />;
  }
  return { ...actual, NodeCard: memo(CountingCard, actual.nodeCardPropsEqual) };
});

const nodesUrl = proxied('api/pulse/nodes');
const ok = (data: unknown): FakeReply => ({ status: 200, data });
const latest = () => FakeEventSource.instances[FakeEventSource.instances.length - 1];
const cards = () => screen.queryAllByTestId(testIds.nodeCard.card);

beforeEach(() => {
  installFakeEventSource();
  renders.clear();
});

afterEach(() => {
  jest.useRealTimers();
});

async function renderLoaded(reply: unknown = nodesReply) {
  mockFetch = fakeFetch({ [nodesUrl]: ok(reply) });
  render(<PulsePage collectorUrl="http://collector:8080" />);
  await screen.findAllByTestId(testIds.nodeCard.card);
}

describe('PulsePage', () => {
  it('shows a loading state, then the nodes grouped by service with counts, in order', async () => {
    mockFetch = fakeFetch({ [nodesUrl]: ok(nodesReply) });
    render(<PulsePage />);
    expect(screen.getByTestId(testIds.pulse.loading)).toBeInTheDocument();

    const groups = await screen.findAllByTestId(testIds.pulse.group);
    expect(groups.map((g) => g.getAttribute('data-service'))).toEqual(['checkout', 'my-laravel-app', 'worker-orders']);
    expect(within(groups[0]).getByTestId(testIds.pulse.groupCount)).toHaveTextContent('1 node');
    expect(cards().map((c) => c.getAttribute('data-node-id'))).toEqual([sdkNode.id, goNode.id, bunNode.id]);
    // Each card carries its queues section in the slot.
    expect(screen.getAllByTestId(testIds.nodeCard.slot)).toHaveLength(3);
  });

  it("draws each queue's sparklines from its service's history, read through the app's proxy", async () => {
    const historyUrl = proxied('api/pulse/queues/history');
    const t = [1767499990000, 1767500000000];
    const history = (waiting: number[]) => ({
      resolutionMs: 10_000,
      windowMs: 3_600_000,
      queues: { default: { t, waiting, failureRate: [null, 0], failureRateFrom: 'failed-count' } },
    });
    const replies: Record<string, unknown> = { 'my-laravel-app': history([4, 5]), 'worker-orders': history([9, 12]) };
    const asked: unknown[] = [];
    mockFetch = jest.fn((options: Parameters<typeof mockFetch>[0]) => {
      if (options.url !== historyUrl) {
        return fakeFetch({ [nodesUrl]: ok(nodesReply) })(options);
      }
      asked.push(options.params);
      const service = (options.params as { service: string }).service;
      return fakeFetch({ [historyUrl]: ok(replies[service] ?? history([])) })(options);
    }) as typeof mockFetch;
    render(<PulsePage />);
    const waitingLines = () => screen.getAllByRole('img', { name: /^waiting: \d+ → \d+ over 20 s$/ });
    await waitFor(() => expect(waitingLines()).toHaveLength(2));
    expect(
      waitingLines()
        .map((svg) => svg.getAttribute('aria-label'))
        .sort()
    ).toEqual(['waiting: 4 → 5 over 20 s', 'waiting: 9 → 12 over 20 s']);
    // One whole read per shown service, whatever number of its queue rows are shown.
    expect(asked).toContainEqual({ service: 'worker-orders' });
    expect(asked).toContainEqual({ service: 'my-laravel-app' });
    expect(asked.filter((params) => (params as { service: string }).service === 'worker-orders')).toHaveLength(1);
    // A service without queues (checkout) is never asked about.
    expect(asked).not.toContainEqual({ service: 'checkout' });
  });

  it('marks a service red when a check is down', async () => {
    await renderLoaded({
      nodes: {
        checkout: [
          { ...sdkNode, checks: [{ name: 'db', up: false }] },
          { ...sdkNode, id: 'api-2' },
        ],
        x: [bunNode],
      },
    });
    const [checkout, other] = screen.getAllByTestId(testIds.pulse.group);
    expect(within(checkout).getByTestId(testIds.pulse.groupCount)).toHaveTextContent('2 nodes');
    expect(within(checkout).getByTestId(testIds.pulse.groupCheckDown)).toBeInTheDocument();
    expect(within(other).queryByTestId(testIds.pulse.groupCheckDown)).not.toBeInTheDocument();
  });

  it('searches and filters by status', async () => {
    await renderLoaded();
    fireEvent.change(screen.getByLabelText('Search nodes'), { target: { value: 'bun' } });
    expect(cards().map((c) => c.getAttribute('data-node-id'))).toEqual([bunNode.id]);

    fireEvent.change(screen.getByLabelText('Search nodes'), { target: { value: '' } });
    fireEvent.click(screen.getByLabelText('Stale'));
    expect(cards().map((c) => c.getAttribute('data-node-id'))).toEqual([goNode.id]);

    fireEvent.change(screen.getByLabelText('Search nodes'), { target: { value: 'bun' } });
    expect(screen.getByTestId(testIds.pulse.noMatch)).toBeInTheDocument();
  });

  it('shows "no nodes reporting" with the how-to snippet', async () => {
    mockFetch = fakeFetch({ [nodesUrl]: ok({ nodes: {}, serverTime: 1 }) });
    render(<PulsePage />);
    const empty = await screen.findByTestId(testIds.pulse.empty);
    expect(empty).toHaveTextContent(/no nodes reporting/i);
    expect(empty).toHaveTextContent('new QuasarAgent({ service, transport: { url } }).start()');
  });

  it('shows "collector unreachable" with the URL it tried', async () => {
    mockFetch = fakeFetch({ [nodesUrl]: BAD_GATEWAY });
    render(<PulsePage collectorUrl="http://collector:8080" />);
    const error = await screen.findByTestId(testIds.pulse.error);
    expect(error).toHaveTextContent(/collector unreachable/i);
    expect(error).toHaveTextContent('http://collector:8080');
    expect(error).toHaveTextContent('Collector unreachable (Bad Gateway)');
  });

  it('applies a live event to the changed card only', async () => {
    await renderLoaded();
    const stream = latest();
    expect(stream.url).toBe(`${STREAM_URL}?delta=1`);
    expect(screen.getByTestId(testIds.pulse.liveState)).toHaveTextContent('Live');
    const before = new Map(renders);

    stream.emit(PULSE_EVENT, {
      ...nodesReply,
      nodes: { ...nodesReply.nodes, 'worker-orders': [{ ...bunNode, status: 'offline', lastSeenAt: 1767500005000 }] },
      cycle: 2,
    });

    const bun = cards().find((c) => c.getAttribute('data-node-id') === bunNode.id);
    expect(bun).toHaveAttribute('data-status', 'offline');
    expect(renders.get(bunNode.id)).toBe((before.get(bunNode.id) ?? 0) + 1);
    expect(renders.get(sdkNode.id)).toBe(before.get(sdkNode.id));
    expect(renders.get(goNode.id)).toBe(before.get(goNode.id));
  });

  it("names who paused a queue, from the service's queues in the stream, on the node's card", async () => {
    await renderLoaded();
    const pausedNode = { ...bunNode, queues: [{ ...bunNode.queues[0], paused: true }] };
    const paused = { ...bunNode.queues[0], paused: true, pausedBy: 'ada', pausedAt: Date.now() - 600_000 };
    latest().emit(PULSE_EVENT, {
      ...nodesReply,
      nodes: { ...nodesReply.nodes, 'worker-orders': [pausedNode] },
      queues: { 'worker-orders': [paused] },
      cycle: 2,
    });
    const bun = cards().find((c) => c.getAttribute('data-node-id') === bunNode.id)!;
    expect(within(bun).getByTestId(testIds.queueSection.pausedBy)).toHaveTextContent(/^by ada, (9|10)m ago$/);
    // Another service's record never lands on this card.
    const go = cards().find((c) => c.getAttribute('data-node-id') === goNode.id)!;
    expect(within(go).queryByTestId(testIds.queueSection.pausedBy)).not.toBeInTheDocument();
  });

  it('stops applying events while paused, and shows it', async () => {
    await renderLoaded();
    fireEvent.click(screen.getByTestId(testIds.pulse.liveToggle));
    expect(screen.getByTestId(testIds.pulse.liveState)).toHaveTextContent('Paused');

    const offline = {
      ...nodesReply,
      nodes: { ...nodesReply.nodes, 'worker-orders': [{ ...bunNode, status: 'offline' }] },
    };
    latest().emit(PULSE_EVENT, offline);
    expect(cards().find((c) => c.getAttribute('data-node-id') === bunNode.id)).toHaveAttribute('data-status', 'online');

    fireEvent.click(screen.getByTestId(testIds.pulse.liveToggle));
    latest().emit(PULSE_EVENT, offline);
    expect(cards().find((c) => c.getAttribute('data-node-id') === bunNode.id)).toHaveAttribute(
      'data-status',
      'offline'
    );
  });

  it('falls back to polling every 5 s when the stream fails', async () => {
    jest.useFakeTimers();
    await renderLoaded();
    const stream = latest();
    stream.fail();
    expect(stream.closed).toBe(true);
    expect(screen.getByTestId(testIds.pulse.liveState)).toHaveTextContent(/polling/);

    mockFetch = fakeFetch({ [nodesUrl]: ok({ nodes: { 'worker-orders': [{ ...bunNode, status: 'stale' }] } }) });
    await act(async () => {
      jest.advanceTimersByTime(POLL_INTERVAL_MS);
    });
    expect(mockFetch).toHaveBeenCalledTimes(1);
    expect(cards().map((c) => c.getAttribute('data-status'))).toEqual(['stale']);
  });

  it('applies delta events: a new node, a changed one, one that left', async () => {
    await renderLoaded();
    const stream = latest();
    stream.emit(PULSE_EVENT, { ...nodesReply, serverTime: 1767500010000, cycle: 1 });
    const before = new Map(renders);
    stream.emit(DELTA_EVENT, {
      serverTime: 1767500012000,
      cycle: 2,
      nodes: {
        checkout: [{ ...sdkNode, id: 'api-9' }],
        'worker-orders': [{ ...bunNode, status: 'stale', lastSeenAt: 1767500011000 }],
      },
      left: { 'my-laravel-app': [goNode.id] },
      queues: {},
      queuesLeft: [],
    });
    expect(cards().map((c) => `${c.getAttribute('data-node-id')}:${c.getAttribute('data-status')}`)).toEqual([
      `${sdkNode.id}:online`,
      'api-9:online',
      `${bunNode.id}:stale`,
    ]);
    expect(renders.get(sdkNode.id)).toBe(before.get(sdkNode.id));
  });

  it('shows a stream event by the time its handler returns, without a task of its own', async () => {
    await renderLoaded();
    const stream = latest();
    stream.emit(PULSE_EVENT, { ...nodesReply, serverTime: 1767500010000, cycle: 1 });
    const delta = {
      serverTime: 1767500012000,
      cycle: 2,
      nodes: { 'worker-orders': [{ ...bunNode, status: 'stale', lastSeenAt: 1767500011000 }] },
      left: {},
      queues: {},
      queuesLeft: [],
    };
    // Delivered outside `act`, which would flush React's queue itself: only the page can.
    const data = JSON.stringify(delta);
    stream.listeners.get(DELTA_EVENT)?.forEach((listener) => listener(new MessageEvent(DELTA_EVENT, { data })));
    expect(cards().find((c) => c.getAttribute('data-node-id') === bunNode.id)).toHaveAttribute('data-status', 'stale');
  });

  it('skips a malformed delta without breaking the page, and reopens the stream for a whole snapshot', async () => {
    await renderLoaded();
    const stream = latest();
    stream.emit(PULSE_EVENT, nodesReply);
    stream.emitRaw(DELTA_EVENT, '{"nodes": not json');
    expect(cards()).toHaveLength(3);
    expect(stream.closed).toBe(true);
    const fresh = latest();
    expect(fresh).not.toBe(stream);
    // Deltas mean nothing until the new stream's snapshot: this one is skipped too.
    fresh.emit(DELTA_EVENT, { serverTime: 1, nodes: {}, left: { checkout: [sdkNode.id] }, queues: {}, queuesLeft: [] });
    expect(cards()).toHaveLength(3);
    fresh.emit(PULSE_EVENT, { nodes: { 'worker-orders': [bunNode] }, serverTime: 1767500010000 });
    expect(cards().map((c) => c.getAttribute('data-node-id'))).toEqual([bunNode.id]);
    // A second bad delta within the resync interval is only counted: no reconnect loop.
    fresh.emitRaw(DELTA_EVENT, '[]');
    expect(latest()).toBe(fresh);
    expect(cards()).toHaveLength(1);
  });

  it('asks the collector for the status and the search, once typing rests', async () => {
    jest.useFakeTimers();
    await renderLoaded();
    fireEvent.click(screen.getByLabelText('Stale'));
    await act(async () => {
      jest.advanceTimersByTime(0);
    });
    expect(latest().url).toBe(`${STREAM_URL}?delta=1&status=stale`);
    fireEvent.change(screen.getByLabelText('Search nodes'), { target: { value: 'b' } });
    fireEvent.change(screen.getByLabelText('Search nodes'), { target: { value: 'bun' } });
    await act(async () => {
      jest.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    });
    expect(latest().url).toBe(`${STREAM_URL}?delta=1&status=stale&q=bun`);
    const params = mockFetch.mock.calls.map(([options]) => (options as { params?: unknown }).params);
    expect(params).toContainEqual({ status: 'stale', q: 'bun' });
    expect(params).not.toContainEqual({ status: 'stale', q: 'b' });
  });

  it('renders 1,000 nodes as cards one page per service at a time', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({
      ...bunNode,
      id: `node-${i}`,
      service: i < 900 ? 'big' : 'small',
    }));
    mockFetch = fakeFetch({ [nodesUrl]: ok({ nodes: { big: many.slice(0, 900), small: many.slice(900) } }) });
    render(<PulsePage />);
    // Past the overview's threshold: the cards are the user's choice here.
    fireEvent.click(await screen.findByRole('radio', { name: 'Cards' }));
    // The overview's summaries are not cards: the whole nodes are read first.
    await screen.findAllByTestId(testIds.pulse.group);

    expect(cards()).toHaveLength(2 * GROUP_PAGE_SIZE);
    const [big] = screen.getAllByTestId(testIds.pulse.group);
    expect(within(big).getByTestId(testIds.pulse.groupCount)).toHaveTextContent('900 nodes');
    expect(within(big).getAllByTestId(testIds.nodeCard.card)[1]).toHaveAttribute('data-node-id', 'node-1');

    fireEvent.click(within(big).getByTestId(testIds.pulse.showMore));
    expect(within(big).getAllByTestId(testIds.nodeCard.card)).toHaveLength(2 * GROUP_PAGE_SIZE);
  });
});
