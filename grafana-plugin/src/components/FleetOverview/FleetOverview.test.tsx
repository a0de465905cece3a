import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { createTheme } from '@grafana/data';
import { filterNodes, groupByService } from '../../pages/Pulse/filterNodes';
import { readQueuesByNode, reconcile } from '../../pages/Pulse/usePulseData';
import type { PulseNode } from '../../pulse/node';
import { bunNode, goNode, sdkNode } from '../../testing/collectorReplies';
import { testIds } from '../testIds';
import { FleetOverview, type FleetOverviewProps } from './FleetOverview';
import { paintedRings, paintedTile, recordCanvases, tileOf } from '../../testing/overviewTiles';
import { statusColors } from './tileStyles';

// Counts how often each node's tile fill is read: a row that repaints reads each of its tiles' once.
const reads = new Map<string, number>();
jest.mock('./summary', () => {
  const actual = jest.requireActual('./summary');
  return {
    ...actual,
    fillLevel(node: PulseNode, metric: string) {
      reads.set(node.id, (reads.get(node.id) ?? 0) + 1);
      return actual.fillLevel(node, metric);
    },
  };
});

const queue = (name: string, waiting: number) => ({
  name,
  driver: 'bullmq',
  size: { waiting, active: 2, delayed: 3, failed: 1 },
});

/** Two services: `shop` (two online, one stale, one offline, one queue both watch) and `mail`. */
function reply(stamp = 1767500000000) {
  return {
    nodes: {
      shop: [
        { ...bunNode, service: 'shop', id: 'shop-1', lastSeenAt: stamp, queues: [queue('orders', 10)] },
        { ...bunNode, service: 'shop', id: 'shop-2', lastSeenAt: stamp + 1, queues: [queue('orders', 12)] },
        { ...goNode, service: 'shop', id: 'shop-3' },
        { ...sdkNode, service: 'shop', id: 'shop-4', status: 'offline' },
      ],
      mail: [{ ...sdkNode, service: 'mail', id: 'mail-1', queues: [queue('emails', 5), queue('sms', 1)] }],
    },
  };
}

function propsOf(raw: unknown, previous: PulseNode[] = []): FleetOverviewProps & { nodes: PulseNode[] } {
  const nodes = reconcile(previous, raw);
  return {
    nodes,
    groups: groupByService(filterNodes(nodes, { search: '', status: 'all' })),
    queues: readQueuesByNode(raw),
    metric: 'cpu',
  };
}

const group = (service: string) =>
  screen.getAllByTestId(testIds.overview.group).find((g) => g.getAttribute('data-service') === service)!;
const tile = tileOf;
/** The nodes of a row, in order, as the keyboard walks its tiles. */
const walk = (service: string) => {
  const ids: string[] = [];
  const current = () => within(group(service)).getByTestId(testIds.overview.tile);
  fireEvent.keyDown(current(), { key: 'Home' });
  while (ids[ids.length - 1] !== current().getAttribute('data-node-id')) {
    ids.push(current().getAttribute('data-node-id')!);
    fireEvent.keyDown(current(), { key: 'ArrowRight' });
  }
  return ids;
};
const texts = (root: HTMLElement, testId: string, attr: string) =>
  Object.fromEntries(
    within(root)
      .queryAllByTestId(testId)
      .map((el) => [el.getAttribute(attr), el.textContent])
  );

beforeEach(() => reads.clear());
let restoreCanvases: () => void;
beforeAll(() => {
  restoreCanvases = recordCanvases();
});
afterAll(() => restoreCanvases());

describe('FleetOverview', () => {
  it('shows a row per service, in order, with its node count and its nodes by status', () => {
    render(<FleetOverview {...propsOf(reply())} />);
    const rows = screen.getAllByTestId(testIds.overview.group);
    expect(rows.map((g) => g.getAttribute('data-service'))).toEqual(['mail', 'shop']);
    expect(within(group('shop')).getByTestId(testIds.overview.nodeCount)).toHaveTextContent('4 nodes');
    expect(texts(group('shop'), testIds.overview.statusCount, 'data-status')).toEqual({
      online: '2 online',
      stale: '1 stale',
      offline: '1 offline',
    });
    expect(texts(group('mail'), testIds.overview.statusCount, 'data-status')).toEqual({ online: '1 online' });
    expect(walk('shop')).toEqual(['shop-1', 'shop-2', 'shop-3', 'shop-4']);
    expect(walk('mail')).toEqual(['mail-1']);
  });

  it("totals each service's queues, counting a queue several nodes watch once", () => {
    render(<FleetOverview {...propsOf(reply())} />);
    // shop-2 beat last: its `orders` snapshot counts, once; shop-3 (the Go agent) adds `default`.
    expect(texts(group('shop'), testIds.overview.queueTotal, 'data-state')).toEqual({
      waiting: '17 waiting',
      active: '4 active',
      failed: '1 failed',
      delayed: '6 delayed',
    });
    expect(group('shop')).toHaveTextContent('2 queues:');
    expect(texts(group('mail'), testIds.overview.queueTotal, 'data-state')).toMatchObject({
      waiting: '6 waiting',
      active: '4 active',
    });
    expect(group('mail')).toHaveTextContent('2 queues:');
  });

  it("totals a service from the collector's service queues when it has them, from its nodes' otherwise", () => {
    const serviceQueues = new Map([['shop', [queue('orders', 40), queue('refunds', 2)]]]);
    render(<FleetOverview {...propsOf(reply())} serviceQueues={serviceQueues} />);
    expect(texts(group('shop'), testIds.overview.queueTotal, 'data-state')).toEqual({
      waiting: '42 waiting',
      active: '4 active',
      failed: '2 failed',
      delayed: '6 delayed',
    });
    expect(group('shop')).toHaveTextContent('2 queues:');
    // `mail` is not in the list: its nodes' own queues count.
    expect(texts(group('mail'), testIds.overview.queueTotal, 'data-state')).toMatchObject({ waiting: '6 waiting' });
  });

  it('renders the open card with renderCard when given, in place of the node it holds', () => {
    const renderCard = jest.fn((node: PulseNode) => <p data-testid="detail">{`whole ${node.id}`}</p>);
    render(<FleetOverview {...propsOf(reply())} renderCard={renderCard} />);
    fireEvent.click(tile('shop-3'));
    const card = within(group('shop')).getByTestId(testIds.overview.card);
    expect(within(card).getByTestId('detail')).toHaveTextContent('whole shop-3');
    expect(within(card).queryByTestId(testIds.nodeCard.card)).not.toBeInTheDocument();
  });

  it("colours each tile by the collector's verdict with the theme's status colours", () => {
    render(<FleetOverview {...propsOf(reply())} />);
    const theme = createTheme();
    const colors = statusColors(theme);
    expect(paintedTile(tile('shop-1'))).toMatchObject({ weak: colors.online.weak, main: colors.online.main });
    expect(paintedTile(tile('shop-3'))).toMatchObject({ weak: colors.stale.weak, main: colors.stale.main });
    expect(paintedTile(tile('shop-4')).weak).toBe(colors.offline.weak);
    expect(paintedTile(tile('shop-4')).weak).not.toBe(colors.online.weak);
    expect([colors.online.main, colors.stale.main, colors.offline.main]).toEqual([
      theme.colors.success.main,
      theme.colors.warning.main,
      theme.colors.error.main,
    ]);
  });

  it('paints each tile filled to its CPU or its memory use, as chosen, to the pixel', () => {
    const props = propsOf(reply());
    const { rerender } = render(<FleetOverview {...props} />);
    // A 12 px tile: 23% is 2.76 px, 37.45% is 4.49 px.
    expect(paintedTile(tile('shop-1')).fill).toBe(3);
    expect(paintedTile(tile('shop-3')).fill).toBe(4);
    rerender(<FleetOverview {...props} metric="memory" />);
    // 7,650,410,496 of 16,777,216,000 bytes: 45.6%, 5.47 px.
    expect(paintedTile(tile('shop-1')).fill).toBe(5);
    // One canvas and one focusable tile per row, not an element per node.
    expect(screen.getAllByTestId(testIds.overview.tileCanvas)).toHaveLength(2);
    expect(screen.getAllByTestId(testIds.overview.tile)).toHaveLength(2);
  });

  it('names the current tile by node, status, CPU and memory, for screen readers and as its tooltip', () => {
    render(<FleetOverview {...propsOf(reply())} />);
    expect(screen.queryByRole('button', { name: /^shop-3, stale/ })).not.toBeInTheDocument();
    const current = tile('shop-3');
    const shop3 = screen.getByRole('button', { name: /^shop-3, stale/ });
    expect(shop3).toBe(current);
    expect(shop3).toHaveAttribute('aria-label', 'shop-3, stale, CPU 37.5%, memory 32.7%');
    expect(shop3).toHaveAttribute('title', shop3.getAttribute('aria-label'));
    expect(shop3).toHaveAttribute('tabindex', '0');
  });

  it("opens the node's card below its row on a click, and closes it on a second click or Close", () => {
    render(<FleetOverview {...propsOf(reply())} />);
    expect(screen.queryByTestId(testIds.overview.card)).not.toBeInTheDocument();
    fireEvent.click(tile('shop-3'));
    const card = within(group('shop')).getByTestId(testIds.nodeCard.card);
    expect(card).toHaveAttribute('data-node-id', 'shop-3');
    expect(card).toHaveAttribute('data-status', 'stale');
    expect(tile('shop-3')).toHaveAttribute('aria-expanded', 'true');
    expect(paintedRings(tile('shop-3'))).toEqual([
      expect.objectContaining({ x: Number.parseFloat(tile('shop-3').style.left) - 2 }),
    ]);
    fireEvent.click(tile('shop-3'));
    expect(paintedRings(tile('shop-3'))).toEqual([]);
    expect(screen.queryByTestId(testIds.overview.card)).not.toBeInTheDocument();

    fireEvent.click(tile('mail-1'));
    fireEvent.click(screen.getByTestId(testIds.overview.close));
    expect(screen.queryByTestId(testIds.overview.card)).not.toBeInTheDocument();
  });

  it('opens the card with Enter or Space on a focused tile, one card at a time', () => {
    render(<FleetOverview {...propsOf(reply())} />);
    tile('shop-1').focus();
    fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    expect(screen.getByTestId(testIds.nodeCard.card)).toHaveAttribute('data-node-id', 'shop-1');
    fireEvent.keyDown(tile('mail-1'), { key: ' ' });
    expect(screen.getAllByTestId(testIds.nodeCard.card).map((c) => c.getAttribute('data-node-id'))).toEqual(['mail-1']);
    fireEvent.keyDown(tile('shop-2'), { key: 'a' });
    expect(screen.getByTestId(testIds.nodeCard.card)).toHaveAttribute('data-node-id', 'mail-1');
  });

  it('keeps the open card current as its node beats again', () => {
    const first = propsOf(reply());
    const { rerender } = render(<FleetOverview {...first} />);
    fireEvent.click(tile('shop-4'));
    const next = reply();
    next.nodes.shop[3] = { ...next.nodes.shop[3], status: 'online', lastSeenAt: 1767500009000 };
    rerender(<FleetOverview {...propsOf(next, first.nodes)} />);
    expect(screen.getByTestId(testIds.nodeCard.card)).toHaveAttribute('data-status', 'online');
  });

  it('repaints only the rows whose tiles changed on an update', () => {
    const first = propsOf(reply());
    const { rerender } = render(<FleetOverview {...first} />);
    const before = new Map(reads);
    const next = reply();
    next.nodes.shop[0] = { ...next.nodes.shop[0], lastSeenAt: 1767500005000, cpu: { ...bunNode.cpu, system: 80 } };
    rerender(<FleetOverview {...propsOf(next, first.nodes)} />);
    expect(paintedTile(tile('shop-1')).fill).toBe(10); // 80% of 12 px
    expect(tile('shop-1')).toHaveAttribute('aria-label', expect.stringContaining('CPU 80%'));
    expect(reads.get('shop-1')).toBe(before.get('shop-1')! + 1);
    expect(reads.get('shop-2')).toBe(before.get('shop-2')! + 1);
    expect(reads.get('mail-1')).toBe(before.get('mail-1'));
  });

  it('repaints no tile when every node beats again with the same figures, and the open card follows', () => {
    const first = propsOf(reply());
    const { rerender } = render(<FleetOverview {...first} />);
    fireEvent.click(tile('shop-2'));
    const before = new Map(reads);
    const beats = Object.entries(reply().nodes).map(([service, list]) => [
      service,
      list.map((node, i) => ({ ...node, lastSeenAt: 1767500007000 + i })),
    ]);
    const next = propsOf({ nodes: Object.fromEntries(beats) }, first.nodes);
    expect(next.nodes.some((node) => first.nodes.includes(node))).toBe(false);
    rerender(<FleetOverview {...next} />);
    expect(reads).toEqual(before);
    expect(tile('shop-2')).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByTestId(testIds.nodeCard.card)).toHaveAttribute('data-node-id', 'shop-2');
  });

  it("updates a tile's label when only its memory figure changed, and its fill when that is the metric", () => {
    const first = propsOf(reply());
    const { rerender } = render(<FleetOverview {...first} metric="memory" />);
    const next = reply();
    next.nodes.mail[0] = {
      ...next.nodes.mail[0],
      lastSeenAt: 1767500005000,
      memory: { ...sdkNode.memory, system: { ...sdkNode.memory.system, total: 1000, used: 250, available: 750 } },
    };
    rerender(<FleetOverview {...propsOf(next, first.nodes)} metric="memory" />);
    expect(tile('mail-1')).toHaveAttribute('aria-label', expect.stringContaining('memory 25%'));
    expect(paintedTile(tile('mail-1')).fill).toBe(3); // 25% of 12 px
  });
});
