import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import type { QueueSectionProps } from '../../components/QueueSection';
import { testIds } from '../../components/testIds';
import { nodesReply } from '../../testing/collectorReplies';
import { hostileNodesReply, nodeWithFailedAtOutOfRange, PROTOTYPE_SERVICES } from '../../testing/hostileReplies';
import { fakeFetch, proxied } from '../../testing/fakeBackendSrv';
import { paintedTile, recordCanvases, tileIds, tileOf } from '../../testing/overviewTiles';
import { PulsePage } from './PulsePage';

// Grafana's backendSrv, replaced by the stand-in that answers like the app's proxy.
let mockFetch = fakeFetch({});
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (options: unknown) => mockFetch(options as never) }),
}));

// The real queues section, except for the node the test names: its section throws while rendering.
let mockThrowFor: string | null = null;
jest.mock('../../components/QueueSection', () => {
  const actual = jest.requireActual('../../components/QueueSection');
  return {
    ...actual,
    QueueSection(props: QueueSectionProps) {
      if (props.nodeId === mockThrowFor) {
        throw new RangeError('Invalid time value');
      }
      return <actual.QueueSection {...props} />;
    },
  };
});

const cardIds = () => screen.getAllByTestId(testIds.nodeCard.card).map((c) => c.getAttribute('data-node-id'));

async function renderReply(reply: unknown) {
  mockFetch = fakeFetch({ [proxied('api/pulse/nodes')]: { status: 200, data: reply } });
  render(<PulsePage collectorUrl="http://collector:8080" />);
  await screen.findAllByTestId(testIds.pulse.group);
}

afterEach(() => {
  jest.restoreAllMocks();
});

beforeEach(() => {
  mockThrowFor = null;
  // No EventSource in the test browser: the page falls back to polling, which these tests never reach.
  Object.defineProperty(window, 'EventSource', { value: undefined, configurable: true, writable: true });
});

describe('PulsePage against a reply a hostile or older collector sends', () => {
  it('renders every node when a failed job failed at an instant no Date can hold', async () => {
    await renderReply(hostileNodesReply());
    expect(cardIds()).toHaveLength(3 + 1 + PROTOTYPE_SERVICES.length);
    const card = screen
      .getAllByTestId(testIds.nodeCard.card)
      .find((c) => c.getAttribute('data-node-id') === nodeWithFailedAtOutOfRange.id)!;
    const job = within(card).getByTestId(testIds.queueSection.failedJob);
    expect(job).toHaveTextContent('#982 send-receipt');
    expect(job).toHaveTextContent('SMTP 421');
    expect(job).not.toHaveTextContent('ago');
  });

  it('groups services named constructor, __proto__, toString and hasOwnProperty as themselves', async () => {
    await renderReply(hostileNodesReply());
    const groups = screen.getAllByTestId(testIds.pulse.group);
    const services = groups.map((g) => g.getAttribute('data-service'));
    expect([...services].sort()).toEqual([...PROTOTYPE_SERVICES, 'checkout', 'my-laravel-app', 'worker-orders'].sort());
    for (const service of PROTOTYPE_SERVICES) {
      const group = groups[services.indexOf(service)];
      expect(within(group).getByRole('heading')).toHaveTextContent(`${service}1 node`);
      const card = within(group).getByTestId(testIds.nodeCard.card);
      expect(card).toHaveAttribute('data-node-id', `${service}-node-1`);
      // Its runtime is named like the service: a generic badge, not one found on Object.prototype.
      expect(within(card).getByTestId(testIds.nodeCard.runtimeIcon)).toHaveAttribute('data-runtime', 'generic');
    }
  });

  it('shows "could not be shown" with the reason on the one card that throws, and every other card', async () => {
    const broken = nodesReply.nodes['worker-orders'][0].id;
    mockThrowFor = broken;
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await renderReply(nodesReply);

    const fallback = screen.getByTestId(testIds.nodeCard.fallback);
    expect(fallback).toHaveAttribute('data-node-id', broken);
    expect(fallback).toHaveTextContent('This node could not be shown');
    expect(fallback).toHaveTextContent(broken);
    expect(fallback).toHaveTextContent('Invalid time value');
    expect(cardIds()).toEqual([nodesReply.nodes.checkout[0].id, nodesReply.nodes['my-laravel-app'][0].id]);
    expect(screen.getByTestId(testIds.pulse.page)).toBeInTheDocument();
  });
});

/** Nodes with odd or missing fields, as an older agent or a hostile writer leaves them. */
function oddNodesReply(): unknown {
  return {
    nodes: {
      odd: [
        { id: 'bare' },
        {
          id: 'words',
          status: 'online',
          cpu: { system: 'high' },
          memory: { system: { total: 0, used: 5 } },
          queues: 'none',
        },
        { id: 'negative', status: 'stale', cpu: { system: -5 }, memory: { system: { total: -1, used: '7' } } },
        {
          id: 'huge',
          status: 'offline',
          cpu: { system: 1e308 },
          memory: { system: { total: 1e308, used: 1e308 } },
          queues: [{ name: 'q', size: { waiting: 1e300, active: -1, failed: 2, delayed: '3' } }, { name: {} }, null, 7],
        },
        { id: 'zombie', status: 'zombie', cpu: null, memory: [] },
        null,
        42,
        'node',
        [],
        { status: 'online' },
        { id: 'x'.repeat(300), status: 'online' },
      ],
      '': [{ id: 'nameless', status: 'online' }],
      broken: 'not a list',
    },
  };
}

describe('the fleet overview against a reply a hostile or older collector sends', () => {
  const overview = async (reply: unknown) => {
    await renderReply(reply);
    fireEvent.click(screen.getByRole('radio', { name: 'Overview' }));
    return screen.getByTestId(testIds.overview.root);
  };
  let restoreCanvases: () => void;
  beforeAll(() => {
    restoreCanvases = recordCanvases();
  });
  afterAll(() => restoreCanvases());

  it('groups services named constructor, __proto__, toString and hasOwnProperty as themselves', async () => {
    const root = await overview(hostileNodesReply());
    const groups = within(root).getAllByTestId(testIds.overview.group);
    const services = groups.map((g) => g.getAttribute('data-service'));
    expect([...services].sort()).toEqual([...PROTOTYPE_SERVICES, 'checkout', 'my-laravel-app', 'worker-orders'].sort());
    for (const service of PROTOTYPE_SERVICES) {
      const group = groups[services.indexOf(service)];
      expect(within(group).getByTestId(testIds.overview.nodeCount)).toHaveTextContent('1 node');
      expect(tileIds(group)).toEqual([`${service}-node-1`]);
    }
    // The node whose failed job failed at an instant no Date can hold opens its card.
    fireEvent.click(tileOf(nodeWithFailedAtOutOfRange.id));
    expect(
      within(screen.getByTestId(testIds.overview.card)).getByTestId(testIds.queueSection.failedJob)
    ).toHaveTextContent('SMTP 421');
  });

  it('shows a tile for every readable node with odd or missing fields, and opens each card', async () => {
    const root = await overview(oddNodesReply());
    expect(tileIds(root)).toEqual(['nameless', 'bare', 'huge', 'negative', 'words', 'zombie']);
    const odd = within(root)
      .getAllByTestId(testIds.overview.group)
      .find((g) => g.getAttribute('data-service') === 'odd')!;
    expect(
      Object.fromEntries(
        within(odd)
          .getAllByTestId(testIds.overview.statusCount)
          .map((c) => [c.getAttribute('data-status'), c.textContent])
      )
    ).toEqual({ online: '1 online', stale: '1 stale', offline: '1 offline', unknown: '2 unknown' });
    // Only the readable counts of the one readable queue.
    expect(
      within(odd)
        .getAllByTestId(testIds.overview.queueTotal)
        .map((c) => c.textContent)
    ).toEqual(['0 waiting', '0 active', '2 failed', '0 delayed']);
    const bare = tileOf('bare');
    expect(bare).toHaveAttribute('aria-label', 'bare, unknown, CPU not reported, memory not reported');
    expect(paintedTile(bare).fill).toBe(0);
    for (const id of tileIds(root)) {
      const tile = tileOf(id);
      expect(paintedTile(tile).fill).toBeGreaterThanOrEqual(0);
      expect(paintedTile(tile).fill).toBeLessThanOrEqual(12);
      fireEvent.click(tile);
      expect(screen.getByTestId(testIds.overview.card)).toHaveTextContent(id);
    }
    expect(screen.queryByTestId(testIds.nodeCard.fallback)).not.toBeInTheDocument();
  });
});
