import { readNodes } from '../../pulse/node';
import { nodesReply } from '../../testing/collectorReplies';
import { filterNodes, groupByService } from './filterNodes';

const nodes = readNodes({
  nodes: {
    ...nodesReply.nodes,
    checkout: [
      { ...nodesReply.nodes.checkout[0], id: 'api-10', checks: [{ name: 'db', up: false }] },
      { ...nodesReply.nodes.checkout[0], id: 'api-2' },
    ],
  },
});
const all = { search: '', status: 'all' } as const;

describe('filterNodes', () => {
  it('sorts by service, then by node id in natural order', () => {
    expect(filterNodes(nodes, all).map((n) => `${n.service}/${n.id}`)).toEqual([
      'checkout/api-2',
      'checkout/api-10',
      'my-laravel-app/app-server-01-3121',
      'worker-orders/worker-01-48213',
    ]);
  });

  it.each([
    ['service', 'LARAVEL', ['app-server-01-3121']],
    ['node id', 'api-1', ['api-10']],
    ['hostname', 'worker-01', ['worker-01-48213']],
    ['runtime', 'bun', ['worker-01-48213']],
  ])('searches by %s', (_field, search, ids) => {
    expect(filterNodes(nodes, { search, status: 'all' }).map((n) => n.id)).toEqual(ids);
  });

  it('filters by the server status', () => {
    expect(filterNodes(nodes, { search: '', status: 'stale' }).map((n) => n.id)).toEqual(['app-server-01-3121']);
    expect(filterNodes(nodes, { search: 'bun', status: 'stale' })).toEqual([]);
  });

  it('keeps two services whose names differ only in case apart, each in one run', () => {
    const [node] = nodes;
    const mixed = ['a-3', 'a-1', 'a-2'].flatMap((id, i) => [
      { ...node, service: 'Shop', id },
      { ...node, service: i === 1 ? 'shop' : 'Shop', id: `${id}-x` },
      { ...node, service: 'shop', id: `${id}-y` },
    ]);
    const services = groupByService(filterNodes(mixed, all)).map((g) => [g.service, g.nodes.length]);
    expect(services.map(([service]) => service).sort()).toEqual(['Shop', 'shop']);
    expect(Object.fromEntries(services)).toEqual({ Shop: 5, shop: 4 });
  });

  it('leaves its input alone', () => {
    const before = nodes.map((n) => n.id);
    filterNodes(nodes, all);
    expect(nodes.map((n) => n.id)).toEqual(before);
  });
});

describe('groupByService', () => {
  it('groups with counts and marks a service with a check down', () => {
    const groups = groupByService(filterNodes(nodes, all));
    expect(groups.map((g) => [g.service, g.nodes.length, g.checkDown])).toEqual([
      ['checkout', 2, true],
      ['my-laravel-app', 1, false],
      ['worker-orders', 1, false],
    ]);
  });
});
