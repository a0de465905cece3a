import { createRedisClient } from '@gravito/quasar';
import type { RedisClient } from '@gravito/quasar';
import { QuasarKeys } from '@gravito/quasar/schema';
import { keySlot } from '../../src/redis/key-slot';
import { describeWithRedisCluster, testClusterUrl } from '../../../testing/redis';

describeWithRedisCluster('keySlot', () => {
  let cluster: RedisClient;

  beforeAll(() => {
    cluster = createRedisClient(testClusterUrl()!);
  });

  afterAll(async () => {
    await cluster?.quit();
  });

  it('agrees with CLUSTER KEYSLOT, hash tags and odd keys included', async () => {
    const keys = [
      QuasarKeys.nodeIndex,
      QuasarKeys.node('orders', 'api-1'),
      QuasarKeys.v2.node('orders', 'api-1'),
      QuasarKeys.v2.nodeIndex('orders'),
      'a{}b',
      '{}',
      '{a',
      'x}{y}',
      'ünïcødé{tåg}',
      '',
      ...Array.from({ length: 200 }, (_, i) => `key-${i}-${(i * 7919).toString(36)}`),
    ];
    for (const key of keys) {
      expect([key, keySlot(key)]).toEqual([key, await cluster.call('CLUSTER', 'KEYSLOT', key)]);
    }
  });

  it('puts every v2 key of one service in one slot', () => {
    const slot = keySlot(QuasarKeys.v2.nodeIndex('billing'));
    expect(keySlot(QuasarKeys.v2.node('billing', 'b-7'))).toBe(slot);
    expect(keySlot(QuasarKeys.v2.queues('billing'))).toBe(slot);
  });
});
