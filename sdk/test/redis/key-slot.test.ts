/** `keySlot` agrees with the server's `CLUSTER KEYSLOT`, hash tags and multi-byte keys included. */
import { CLUSTER_SLOTS, crossSlotPair, isCrossSlotError, keySlot } from '../../src/redis/key-slot';
import { createRedisClient } from '../../src/redis/redis-client';
import type { RedisClient } from '../../src/redis/redis-client';
import { describeWithRedisCluster, testClusterUrl } from '../../../testing/redis';

const KEYS = [
  '',
  'a',
  'queues:default',
  'queues:default:reserved',
  'gravito:quasar:node:{orders}:web-1',
  'gravito:quasar:nodes:{orders}',
  '{bull}:payments:wait',
  'empty{}tag',
  '{}{later}',
  'open{only',
  '{a}{b}',
  'ünïcødé:ключ:鍵',
  'x'.repeat(300),
  'gravito:quasar:nodes',
  'x}{y}',
  ...Array.from({ length: 200 }, (_, i) => `key-${i}-${(i * 7919).toString(36)}`),
];

describe('keySlot', () => {
  it('hashes only a non-empty hash tag', () => {
    expect(keySlot('{orders}:a')).toBe(keySlot('orders'));
    expect(keySlot('{a}{b}')).toBe(keySlot('a'));
    expect(keySlot('x{}y')).not.toBe(keySlot(''));
  });

  it('names two keys of different slots, or none', () => {
    expect(crossSlotPair(['{q}', '{q}:failed'])).toBeUndefined();
    expect(crossSlotPair([])).toBeUndefined();
    expect(crossSlotPair(['q', 'q', 'q:failed'])).toEqual(['q', 'q:failed']);
  });

  it('tells a cross-slot refusal from other errors', () => {
    expect(
      isCrossSlotError(new Error("CROSSSLOT Keys in request don't hash to the same slot")),
    ).toBe(true);
    expect(isCrossSlotError(new Error('WRONGTYPE Operation'))).toBe(false);
  });
});

describeWithRedisCluster('keySlot against a real Redis Cluster', () => {
  let redis: RedisClient;
  beforeAll(async () => {
    redis = createRedisClient(testClusterUrl() as string, { lazyConnect: true });
    await redis.connect();
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('matches CLUSTER KEYSLOT for every key', async () => {
    for (const key of KEYS) {
      const slot = keySlot(key);
      expect(slot).toBeGreaterThanOrEqual(0);
      expect(slot).toBeLessThan(CLUSTER_SLOTS);
      expect([key, slot]).toEqual([key, Number(await redis.call('CLUSTER', 'KEYSLOT', key))]);
    }
  });
});
