import { bunNode, goNode, nodesReply, sdkNode } from '../../testing/collectorReplies';
import { EMPTY_FLEET, applyDelta, fromSnapshot, nodeKey, type FleetState } from './fleetState';

const queue = (waiting: number) => [{ name: 'mail', size: { waiting } }];

/** The snapshot a delta stream starts with: no ageMs, service queues included. */
const first = {
  ...nodesReply,
  serverTime: 1767500010000,
  queues: { checkout: queue(1), 'worker-orders': queue(2) },
  total: 3,
};

const delta = (patch: Record<string, unknown>) => ({
  serverTime: 1767500012000,
  cycle: 2,
  total: 3,
  nodes: {},
  left: {},
  queues: {},
  queuesLeft: [],
  ...patch,
});

const ids = (fleet: FleetState) => [...fleet.nodes.keys()].sort();

describe('the fleet state', () => {
  let base: FleetState;
  beforeEach(() => {
    base = fromSnapshot(EMPTY_FLEET, first);
  });

  it('takes a snapshot whole, with the service queues and the total', () => {
    expect(ids(base)).toEqual(
      [
        nodeKey('checkout', sdkNode.id),
        nodeKey('my-laravel-app', goNode.id),
        nodeKey('worker-orders', bunNode.id),
      ].sort()
    );
    expect(base.serviceQueues.get('worker-orders')).toEqual(queue(2));
    expect(base.total).toBe(3);
  });

  it('adds a new node and keeps every unchanged node object', () => {
    const next = applyDelta(base, delta({ nodes: { checkout: [{ ...sdkNode, id: 'api-9' }] } }));
    expect(next?.nodes.size).toBe(4);
    for (const [key, node] of base.nodes) {
      expect(next?.nodes.get(key)).toBe(node);
    }
  });

  it('replaces a changed node, and ages a node sent without ageMs from the server clock', () => {
    const { ageMs: _dropped, ...changed } = { ...bunNode, status: 'stale', lastSeenAt: 1767500011000 };
    const next = applyDelta(base, delta({ nodes: { 'worker-orders': [changed] } }));
    const node = next?.nodes.get(nodeKey('worker-orders', bunNode.id));
    expect(node?.status).toBe('stale');
    expect(node?.ageMs).toBe(1000);
    expect(next?.serverTime).toBe(1767500012000);
  });

  it("keeps a node's own queues with its beat, and drops them when its next beat carries none", () => {
    const own = [{ name: 'mail', size: { waiting: 3 } }];
    const withQueues = applyDelta(
      base,
      delta({ nodes: { checkout: [{ ...sdkNode, lastSeenAt: 1767500011000, queues: own }] } })
    );
    expect(withQueues?.nodeQueues.get(nodeKey('checkout', sdkNode.id))).toEqual(own);
    const without = applyDelta(
      withQueues!,
      delta({ nodes: { checkout: [{ ...sdkNode, lastSeenAt: 1767500012000 }] } })
    );
    expect(without?.nodeQueues.has(nodeKey('checkout', sdkNode.id))).toBe(false);
    expect(without?.nodes.get(nodeKey('checkout', sdkNode.id))?.lastSeenAt).toBe(1767500012000);
  });

  it('drops the nodes that left, with their queues', () => {
    const next = applyDelta(base, delta({ left: { 'my-laravel-app': [goNode.id], nowhere: ['x'] } }));
    expect(next?.nodes.has(nodeKey('my-laravel-app', goNode.id))).toBe(false);
    expect(next?.nodeQueues.has(nodeKey('my-laravel-app', goNode.id))).toBe(false);
    expect(next?.nodes.size).toBe(2);
  });

  it('replaces changed service queues and drops those that left', () => {
    const next = applyDelta(base, delta({ queues: { checkout: queue(7) }, queuesLeft: ['worker-orders'] }));
    expect(next?.serviceQueues.get('checkout')).toEqual(queue(7));
    expect(next?.serviceQueues.has('worker-orders')).toBe(false);
  });

  it.each([
    ['not an object', 'nope'],
    ['nodes that are a list', delta({ nodes: [] })],
    ['left ids that are not strings', delta({ left: { checkout: [1] } })],
    ['left that is a list', delta({ left: ['api-1'] })],
    ['queuesLeft that is not a list', delta({ queuesLeft: 'checkout' })],
    ['queues that are not a map', delta({ queues: null })],
    ['no server time', delta({ serverTime: 'soon' })],
  ])('refuses a delta with %s, changing nothing', (_what, bad) => {
    expect(applyDelta(base, bad)).toBeNull();
  });

  it('reads a service named __proto__ as data', () => {
    const next = applyDelta(
      base,
      JSON.parse(
        '{"serverTime":1,"nodes":{"__proto__":[{"id":"p-1"}]},"left":{},"queues":{"__proto__":[]},"queuesLeft":[]}'
      )
    );
    expect(next?.nodes.has(nodeKey('__proto__', 'p-1'))).toBe(true);
    expect(next?.serviceQueues.has('__proto__')).toBe(true);
  });
});
