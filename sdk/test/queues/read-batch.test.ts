/**
 * `oneTrip` on a real Redis Cluster: reads of keys in different slots go as one pipeline per
 * slot, and each promise gets its own key's reply.
 */
import { keySlot } from '../../src/redis/key-slot';
import { createRedisClient } from '../../src/redis/redis-client';
import type { RedisClient } from '../../src/redis/redis-client';
import { oneTrip } from '../../src/queues/read-batch';
import { describeWithRedisCluster, testClusterUrl, uniqueName } from '../../../testing/redis';

describeWithRedisCluster('oneTrip on a Redis Cluster', () => {
  let redis: RedisClient;
  beforeAll(async () => {
    redis = createRedisClient(testClusterUrl() as string, { lazyConnect: true });
    await redis.connect();
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('reads keys of many slots in one call, each reply with its own key', async () => {
    const base = uniqueName('batch');
    const keys = Array.from({ length: 20 }, (_, i) => `${base}:${i}`);
    expect(new Set(keys.map(keySlot)).size).toBeGreaterThan(10);
    for (const [i, key] of keys.entries()) await redis.rpush(key, ...Array(i + 1).fill('x'));
    const lengths = await oneTrip(redis, (r) => keys.map((key) => r.llen(key)));
    expect(lengths).toEqual(keys.map((_, i) => i + 1));
    const [heads, missing] = await oneTrip(redis, (r) => [
      Promise.all(keys.slice(0, 3).map((key) => r.lindex(key, 0))),
      r.get(`${base}:absent`),
    ]);
    expect(heads).toEqual(['x', 'x', 'x']);
    expect(missing).toBeNull();
    for (const key of keys) await redis.del(key);
  });

  it('rejects only the reads of the key Redis refused', async () => {
    const base = uniqueName('batch-type');
    await redis.set(`${base}:string`, 'v');
    await redis.rpush(`${base}:list`, 'a', 'b');
    const [wrong, right] = await oneTrip(redis, (r) => [
      r.llen(`${base}:string`).catch((error: Error) => error.message),
      r.llen(`${base}:list`),
    ]);
    expect(wrong).toMatch(/^WRONGTYPE/);
    expect(right).toBe(2);
    await redis.del(`${base}:string`);
    await redis.del(`${base}:list`);
  });

  it('reads streams and the clock of each stream node, and a missing stream as null', async () => {
    const base = uniqueName('batch-stream');
    const streams = Array.from({ length: 6 }, (_, i) => `${base}:${i}`);
    expect(new Set(streams.map(keySlot)).size).toBeGreaterThan(3);
    for (const key of streams) await redis.xadd(key, '*', 'event', 'added');
    const [ranges, infos, clocks, missing] = await oneTrip(redis, (r) => [
      Promise.all(streams.map((key) => r.xrange(key, '-', '+', 10))),
      Promise.all(streams.map((key) => r.xinfoStream(key))),
      Promise.all(streams.map((key) => r.time(key))),
      r.xinfoStream(`${base}:absent`),
    ]);
    expect(ranges.map((entries) => (entries as unknown[]).length)).toEqual(streams.map(() => 1));
    for (const info of infos) expect(info).toEqual(expect.arrayContaining(['length', 1]));
    for (const clock of clocks) expect(clock).toEqual([expect.any(String), expect.any(String)]);
    expect(missing).toBeNull();
    for (const key of streams) await redis.del(key);
  });
});
