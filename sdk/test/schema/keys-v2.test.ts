import {
  QuasarKeys,
  isServiceName,
  parseNodeIndexKey,
  parseNodeKey,
  parseSlowLogKey,
  parseSlowLogStream,
  serviceKeys,
} from '../../src/schema';

describe('the v2 (cluster) key layout', () => {
  it('keeps the v1 prefixes and puts the service in a hash tag', () => {
    expect(QuasarKeys.v2.node('orders', 'web-1-123')).toBe(
      'gravito:quasar:node:{orders}:web-1-123',
    );
    expect(QuasarKeys.v2.nodeIndex('orders')).toBe('gravito:quasar:nodes:{orders}');
    expect(QuasarKeys.v2.queues('orders')).toBe('gravito:quasar:queues:{orders}');
    expect(QuasarKeys.v2.slowLog('orders')).toBe('gravito:quasar:slow:{orders}');
    expect(QuasarKeys.services).toBe('gravito:quasar:services');
    // The originals' SCAN pattern and the ACL key patterns still match v2 keys.
    expect(QuasarKeys.v2.node('orders', 'w').startsWith('gravito:quasar:node:')).toBe(true);
  });

  it('gives one agent its keys in either layout', () => {
    const v1 = serviceKeys('orders', 'v1');
    expect([v1.node('w-1'), v1.nodeIndex, v1.queues, v1.slowLog]).toEqual([
      'gravito:quasar:node:orders:w-1',
      'gravito:quasar:nodes',
      'gravito:quasar:queues:orders',
      'gravito:quasar:slow:orders',
    ]);
    const v2 = serviceKeys('orders', 'v2');
    expect([v2.node('w-1'), v2.nodeIndex, v2.queues, v2.slowLog]).toEqual([
      'gravito:quasar:node:{orders}:w-1',
      'gravito:quasar:nodes:{orders}',
      'gravito:quasar:queues:{orders}',
      'gravito:quasar:slow:{orders}',
    ]);
  });

  it('parses heartbeat keys of both layouts, and says which', () => {
    expect(parseNodeKey('gravito:quasar:node:{orders}:web-1:8080')).toEqual({
      service: 'orders',
      nodeId: 'web-1:8080',
      layout: 'v2',
    });
    expect(parseNodeKey('gravito:quasar:node:orders:web-1')).toEqual({
      service: 'orders',
      nodeId: 'web-1',
      layout: 'v1',
    });
    for (const bad of [
      'gravito:quasar:node:{orders:web-1',
      'gravito:quasar:node:{}:web-1',
      'gravito:quasar:node:{or}ders}:web-1',
      'gravito:quasar:node:{orders}web-1',
      'gravito:quasar:node:{orders}:',
      'gravito:quasar:node:{a:b}:web-1',
    ]) {
      expect(parseNodeKey(bad)).toBeUndefined();
    }
  });

  it('parses per-service indexes and slow-log streams of both layouts', () => {
    expect(parseNodeIndexKey('gravito:quasar:nodes:{orders}')).toBe('orders');
    expect(parseNodeIndexKey('gravito:quasar:nodes')).toBeUndefined();
    expect(parseNodeIndexKey('gravito:quasar:nodes:orders')).toBeUndefined();
    expect(parseSlowLogStream('gravito:quasar:slow:{orders}')).toEqual({
      service: 'orders',
      layout: 'v2',
    });
    expect(parseSlowLogStream('gravito:quasar:slow:orders')).toEqual({
      service: 'orders',
      layout: 'v1',
    });
    expect(parseSlowLogKey('gravito:quasar:slow:{orders}')).toBe('orders');
    expect(parseSlowLogKey('gravito:quasar:slow:{orders')).toBeUndefined();
    expect(parseSlowLogKey('gravito:quasar:slow:{}')).toBeUndefined();
  });

  it('refuses braces in service names, which would break the hash tag', () => {
    expect(isServiceName('orders')).toBe(true);
    expect(isServiceName('{orders}')).toBe(false);
    expect(isServiceName('ord{ers')).toBe(false);
    expect(isServiceName('ord}ers')).toBe(false);
  });
});
