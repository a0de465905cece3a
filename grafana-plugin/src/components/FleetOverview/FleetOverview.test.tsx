import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { createTheme } from '@grafana/data';
import { filterNodes, groupByService } from '../../pages/Pulse/filterNodes';
import { readQueuesByNode, reconcile } from '../../pages/Pulse/usePulseData';
import type { PulseNode } from '../../pulse/node';
import { bunNode, goNode, sdkNode } from '../../testing/collectorReplies';
import { testIds } from '../testIds';
import { FleetOverview, type FleetOverviewProps } from './FleetOverview';
import { tileFillPixels } from '../../testing/tileFill';
import { getOverviewStyles, statusColors } from './tileStyles';

// Counts how often each node's tile fill is read: a tile that renders reads its own, once.
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
const tile = (id: string) =>
  screen.getAllByTestId(testIds.overview.tile).find((t) => t.getAttribute('data-node-id') === id)!;
const texts = (root: HTMLElement, testId: string, attr: string) =>
  Object.fromEntries(
    within(root)
      .queryAllByTestId(testId)
      .map((el) => [el.getAttribute(attr), el.textContent])
  );

beforeEach(() => reads.clear());

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
    expect(
      within(group('shop'))
        .getAllByTestId(testIds.overview.tile)
        .map((t) => t.getAttribute('data-node-id'))
    ).toEqual(['shop-1', 'shop-2', 'shop-3', 'shop-4']);
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
    const styles = getOverviewStyles(theme);
    expect(tile('shop-1')).toHaveClass(styles.tile.online);
    expect(tile('shop-3')).toHaveClass(styles.tile.stale);
    expect(tile('shop-4')).toHaveClass(styles.tile.offline);
    expect(tile('shop-4')).not.toHaveClass(styles.tile.online);
    const colors = statusColors(theme);
    expect([colors.online.main, colors.stale.main, colors.offline.main]).toEqual([
      theme.colors.success.main,
      theme.colors.warning.main,
      theme.colors.error.main,
    ]);
  });

  it('fills each tile to its CPU or its memory use, as chosen, to the pixel, with classes alone', () => {
    const props = propsOf(reply());
    const { rerender } = render(<FleetOverview {...props} />);
    // A 12 px tile: 23% is 2.76 px, 37.45% is 4.49 px.
    expect(tileFillPixels(tile('shop-1'))).toBe(3);
    expect(tileFillPixels(tile('shop-3'))).toBe(4);
    rerender(<FleetOverview {...props} metric="memory" />);
    // 7,650,410,496 of 16,777,216,000 bytes: 45.6%, 5.47 px.
    expect(tileFillPixels(tile('shop-1'))).toBe(5);
    for (const each of screen.getAllByTestId(testIds.overview.tile)) {
      expect(each).not.toHaveAttribute('style');
    }
  });

  it('names each tile by node, status, CPU and memory, for screen readers and as its tooltip', () => {
    render(<FleetOverview {...propsOf(reply())} />);
    const shop3 = screen.getByRole('button', { name: /^shop-3, stale/ });
    expect(shop3).toBe(tile('shop-3'));
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
    fireEvent.click(tile('shop-3'));
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

  it('renders only the tiles whose figures changed on an update, in the rows whose nodes changed', () => {
    const first = propsOf(reply());
    const { rerender } = render(<FleetOverview {...first} />);
    const before = new Map(reads);
    const next = reply();
    next.nodes.shop[0] = { ...next.nodes.shop[0], lastSeenAt: 1767500005000, cpu: { ...bunNode.cpu, system: 80 } };
    rerender(<FleetOverview {...propsOf(next, first.nodes)} />);
    expect(tileFillPixels(tile('shop-1'))).toBe(10); // 80% of 12 px
    expect(tile('shop-1')).toHaveAttribute('aria-label', expect.stringContaining('CPU 80%'));
    expect(reads.get('shop-1')).toBe(before.get('shop-1')! + 1);
    expect(reads.get('shop-2')).toBe(before.get('shop-2'));
    expect(reads.get('mail-1')).toBe(before.get('mail-1'));
  });

  it('renders no tile when every node beats again with the same figures, and the open card follows', () => {
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
    expect(tileFillPixels(tile('mail-1'))).toBe(3); // 25% of 12 px
  });
});
