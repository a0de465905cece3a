import Redis from 'ioredis';
import { QuasarKeys } from '@gravito/quasar/schema';
import {
  READ_AHEAD,
  READ_CHUNK,
  readNodeChunks,
  readNodes,
  withReadNodes,
} from '../../src/nodes/read-nodes';
import { redisTimeMs } from '../../src/redis/server-time';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';

/** The size limit the reads are given. */
const MAX_BYTES = 1024;

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
    const [node] = await readNodes(redis, [key], MAX_BYTES);
    expect(node?.key).toBe(key);
    expect(node?.value).toBe('{"id":"api-1"}');
    expect(node?.pttlMs).toBeGreaterThan(29_000);
    expect(node?.pttlMs).toBeLessThanOrEqual(30_000);
  });

  it("stamps each chunk with the server's TIME at its read", async () => {
    const keys = Array.from({ length: READ_CHUNK + 1 }, (_, i) => QuasarKeys.node('t', `n-${i}`));
    const before = await redisTimeMs(redis);
    const nodes = await readNodes(redis, keys, MAX_BYTES);
    const after = await redisTimeMs(redis);
    for (const node of nodes) {
      expect(node.readAtMs).toBeGreaterThanOrEqual(before);
      expect(node.readAtMs).toBeLessThanOrEqual(after);
    }
    // Chunks are read in order: the second chunk's TIME is never before the first's.
    expect(nodes[READ_CHUNK]!.readAtMs).toBeGreaterThanOrEqual(nodes[0]!.readAtMs);
  });

  it('returns null and -2 for a missing key', async () => {
    const key = QuasarKeys.node('billing', 'gone-1');
    expect(await readNodes(redis, [key], MAX_BYTES)).toEqual([
      { key, value: null, pttlMs: -2, bytes: 0, oversized: false, readAtMs: expect.any(Number) },
    ]);
  });

  it('returns -1 for a key without expiry', async () => {
    const key = QuasarKeys.node('billing', 'forever-1');
    await redis.set(key, 'x');
    expect(await readNodes(redis, [key], MAX_BYTES)).toEqual([
      { key, value: 'x', pttlMs: -1, bytes: 1, oversized: false, readAtMs: expect.any(Number) },
    ]);
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

    const nodes = await readNodes(redis, keys, MAX_BYTES);

    expect(nodes).toHaveLength(keys.length);
    nodes.forEach((node, i) => {
      expect(node.key).toBe(keys[i]);
      expect(node.value).toBe(i % 3 === 0 ? null : `value-${i}`);
      expect(node.pttlMs === -2).toBe(i % 3 === 0);
    });
  });

  it('leaves a value over the size limit unread, and says how long it is', async () => {
    const key = QuasarKeys.node('billing', 'huge-1');
    await redis.set(key, 'x'.repeat(MAX_BYTES + 1), 'EX', 30);
    const [node] = await readNodes(redis, [key], MAX_BYTES);
    expect(node).toMatchObject({ key, value: null, bytes: MAX_BYTES + 1, oversized: true });
    expect(node?.pttlMs).toBeGreaterThan(29_000);
  });

  it('reads a value of exactly the size limit', async () => {
    const key = QuasarKeys.node('billing', 'edge-1');
    await redis.set(key, 'x'.repeat(MAX_BYTES), 'EX', 30);
    const [node] = await readNodes(redis, [key], MAX_BYTES);
    expect(node).toMatchObject({ value: 'x'.repeat(MAX_BYTES), oversized: false });
  });

  it('reports a key of another type as bytes -1 without failing the other keys', async () => {
    const hashKey = QuasarKeys.node('billing', 'hash-1');
    const good = QuasarKeys.node('billing', 'good-1');
    await redis.hset(hashKey, 'a', '1');
    await redis.set(good, 'ok', 'EX', 30);
    const nodes = await readNodes(redis, [hashKey, good], MAX_BYTES);
    expect(nodes.map((n) => [n.value, n.bytes])).toEqual([
      [null, -1],
      ['ok', 2],
    ]);
  });

  it('reads nothing for no keys', async () => {
    expect(await readNodes(redis, [], MAX_BYTES)).toEqual([]);
  });

  it("sends the first chunk's MGET before the other chunks' scripts", async () => {
    const keys = Array.from({ length: READ_CHUNK * 3 }, (_, i) =>
      QuasarKeys.node('order', `n-${i}`),
    );
    const pipeline = redis.pipeline();
    keys.forEach((key, i) => pipeline.set(key, `value-${i}`, 'EX', 60));
    await pipeline.exec();
    const reader = new Redis(redis.options);
    await reader.ping();
    const sent: string[] = [];
    const send = reader.sendCommand.bind(reader);
    jest.spyOn(reader, 'sendCommand').mockImplementation((command, stream) => {
      sent.push(command.name);
      return send(command, stream);
    });
    try {
      await readNodes(reader, keys, MAX_BYTES);
      // The first chunk's values, which the parser waits for, are not queued behind the
      // later chunks' scripts.
      expect(sent.filter((name) => name !== 'eval').slice(0, 3)).toEqual([
        'evalsha',
        'mget',
        'evalsha',
      ]);
      expect(sent.filter((name) => name === 'mget')).toHaveLength(3);
    } finally {
      await reader.quit();
    }
  });

  it('reads chunks at most READ_AHEAD ahead of the chunk asked for', async () => {
    const chunks = READ_AHEAD + 3;
    const keys = Array.from({ length: READ_CHUNK * chunks }, (_, i) =>
      QuasarKeys.node('ahead', `node-${i}`),
    );
    const pipeline = redis.pipeline();
    keys.forEach((key, i) => pipeline.set(key, `value-${i}`, 'EX', 60));
    await pipeline.exec();
    const reader = withReadNodes(new Redis(redis.options));
    const meta = jest.spyOn(reader, 'quasarReadMeta');
    const mget = jest.spyOn(reader, 'mget');
    /** Lets the reads allowed so far go out and come back: one script, then its MGET, each. */
    const settle = async () => {
      for (let i = 0; i < 4 * READ_AHEAD; i++) await reader.ping();
    };
    try {
      const read = readNodeChunks(reader, keys, MAX_BYTES);
      // Only the first READ_AHEAD chunks go out before any is asked for.
      await settle();
      expect(meta).toHaveBeenCalledTimes(READ_AHEAD);
      expect(mget).toHaveBeenCalledTimes(READ_AHEAD);
      await read[0]!.raws;
      await settle();
      expect(meta).toHaveBeenCalledTimes(READ_AHEAD + 1);
      expect(mget).toHaveBeenCalledTimes(READ_AHEAD + 1);
      await read[1]!.raws;
      await settle();
      expect(mget).toHaveBeenCalledTimes(READ_AHEAD + 2);
      const all = (await Promise.all(read.map((chunk) => chunk.raws))).flat();
      expect(meta).toHaveBeenCalledTimes(chunks);
      expect(mget).toHaveBeenCalledTimes(chunks);
      expect(all.map((node) => node.value)).toEqual(keys.map((_, i) => `value-${i}`));
    } finally {
      await reader.quit();
    }
  });
});
