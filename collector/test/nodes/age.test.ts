import Redis from 'ioredis';
import { QuasarKeys, heartbeatTtlSeconds } from '@gravito/quasar/schema';
import type { Heartbeat } from '@gravito/quasar/schema';
import { beatAgeMs } from '../../src/nodes/age';
import { readNodes } from '../../src/nodes/read-nodes';
import { redisTimeMs } from '../../src/redis/server-time';
import { original } from '../support/fixtures';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';

describeWithRedis('beatAgeMs', () => {
  let redis: Redis;
  const key = QuasarKeys.node('worker-orders', 'worker-01-48213');

  beforeAll(async () => {
    redis = new Redis(await claimDatabase());
  });

  afterAll(async () => {
    await redis?.quit();
  });

  /** Writes a beat as the SDK does: `SET … EX ttl`, the TTL derived from the interval. */
  async function beat(heartbeat: Heartbeat, ttlSeconds?: number): Promise<void> {
    if (ttlSeconds === undefined) await redis.set(key, JSON.stringify(heartbeat));
    else await redis.set(key, JSON.stringify(heartbeat), 'EX', ttlSeconds);
  }

  async function read(): Promise<{ pttlMs: number; nowMs: number }> {
    const [node] = await readNodes(redis, [key], 256 * 1024);
    return { pttlMs: node?.pttlMs ?? -2, nowMs: await redisTimeMs(redis) };
  }

  it('is near zero right after a beat', async () => {
    const heartbeat = original('nodeBun', { interval: 1000 });
    expect(heartbeatTtlSeconds(1000)).toBe(30);
    await beat(heartbeat, heartbeatTtlSeconds(1000));
    const { pttlMs, nowMs } = await read();
    const age = beatAgeMs(heartbeat, pttlMs, nowMs);
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(1000);
  });

  it('is the expected TTL minus the remaining TTL, whatever the agent clock says', async () => {
    // A skewed agent clock must not matter while the key has a TTL.
    const heartbeat = original('nodeBun', { interval: 1000 }, Date.now() - 600_000);
    await beat(heartbeat, 30);
    await redis.pexpire(key, 21_000);
    const { pttlMs, nowMs } = await read();
    const age = beatAgeMs(heartbeat, pttlMs, nowMs);
    expect(age).toBe(30_000 - pttlMs);
    expect(age).toBeGreaterThanOrEqual(9000);
    expect(age).toBeLessThan(10_000);
  });

  it('derives the expected TTL from a long interval', async () => {
    const heartbeat = original('nodeBun', { interval: 20_000 });
    await beat(heartbeat, heartbeatTtlSeconds(20_000));
    await redis.pexpire(key, 45_000);
    const { pttlMs, nowMs } = await read();
    expect(beatAgeMs(heartbeat, pttlMs, nowMs)).toBe(60_000 - pttlMs);
  });

  it('falls back to the timestamp, on the Redis clock, when the key has no TTL', async () => {
    const nowMs = await redisTimeMs(redis);
    const heartbeat = original('goLaravel', {}, nowMs - 4000);
    await beat(heartbeat);
    const read1 = await read();
    expect(read1.pttlMs).toBe(-1);
    const age = beatAgeMs(heartbeat, read1.pttlMs, read1.nowMs);
    expect(age).toBeGreaterThanOrEqual(4000);
    expect(age).toBeLessThan(5000);
  });

  it('falls back to the timestamp when the TTL is longer than the protocol writes', async () => {
    const nowMs = await redisTimeMs(redis);
    const heartbeat = original('goLaravel', {}, nowMs - 7000);
    await beat(heartbeat, 3600);
    const { pttlMs, nowMs: later } = await read();
    expect(beatAgeMs(heartbeat, pttlMs, later)).toBeGreaterThanOrEqual(7000);
  });

  it('is never negative when the agent clock runs ahead', () => {
    const heartbeat = original('goLaravel', {}, 2_000_000);
    expect(beatAgeMs(heartbeat, -1, 1_000_000)).toBe(0);
  });
});
