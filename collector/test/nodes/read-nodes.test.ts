import Redis from 'ioredis';
import { QuasarKeys } from '@gravito/quasar/schema';
import { READ_CHUNK, readNodes } from '../../src/nodes/read-nodes';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';

describeWithRedis('readNodes', () => {
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(await claimDatabase());
  });

  afterAll(async () => {
    await redis?.quit();
  });

  beforeEach(async () => {
    await redis.flushdb();
  });

  it('returns the value and remaining TTL of each present key', async () => {
    const key = QuasarKeys.node('billing', 'api-1');
    await redis.set(key, '{"id":"api-1"}', 'EX', 30);
    const [node] = await readNodes(redis, [key]);
    expect(node?.key).toBe(key);
    expect(node?.value).toBe('{"id":"api-1"}');
    expect(node?.pttlMs).toBeGreaterThan(29_000);
    expect(node?.pttlMs).toBeLessThanOrEqual(30_000);
  });

  it('returns null and -2 for a missing key', async () => {
    const key = QuasarKeys.node('billing', 'gone-1');
    expect(await readNodes(redis, [key])).toEqual([{ key, value: null, pttlMs: -2 }]);
  });

  it('returns -1 for a key without expiry', async () => {
    const key = QuasarKeys.node('billing', 'forever-1');
    await redis.set(key, 'x');
    expect(await readNodes(redis, [key])).toEqual([{ key, value: 'x', pttlMs: -1 }]);
  });

  it('keeps each value with its key across chunks, missing keys included', async () => {
    const keys = Array.from({ length: READ_CHUNK * 2 + 7 }, (_, i) =>
      QuasarKeys.node('bulk', `node-${i}`),
    );
    const pipeline = redis.pipeline();
    keys.forEach((key, i) => {
      if (i % 3 !== 0) pipeline.set(key, `value-${i}`, 'EX', 60);
    });
    await pipeline.exec();

    const nodes = await readNodes(redis, keys);

    expect(nodes).toHaveLength(keys.length);
    nodes.forEach((node, i) => {
      expect(node.key).toBe(keys[i]);
      expect(node.value).toBe(i % 3 === 0 ? null : `value-${i}`);
      expect(node.pttlMs === -2).toBe(i % 3 === 0);
    });
  });

  it('reads nothing for no keys', async () => {
    expect(await readNodes(redis, [])).toEqual([]);
  });
});
