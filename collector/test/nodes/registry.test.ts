import Redis from 'ioredis';
import { QuasarKeys, heartbeatTtlSeconds, statusOf } from '@gravito/quasar/schema';
import type { Heartbeat } from '@gravito/quasar/schema';
import type { NodeView } from '../../src/nodes/node-view';
import { readNodes } from '../../src/nodes/read-nodes';
import { NodeRegistry } from '../../src/nodes/registry';
import type { RegistryUpdate } from '../../src/nodes/registry';
import { Rejections } from '../../src/nodes/rejections';
import type { RejectionLogger } from '../../src/nodes/rejections';
import { redisTimeMs } from '../../src/redis/server-time';
import { original } from '../support/fixtures';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';

const FORGET_AFTER_MS = 10_000;

class SilentLogger implements RejectionLogger {
  warn(): void {}
}

describeWithRedis('NodeRegistry', () => {
  let redis: Redis;
  let registry: NodeRegistry;
  const key = QuasarKeys.node('worker-orders', 'worker-01-48213');

  beforeAll(async () => {
    redis = new Redis(await claimDatabase());
  });

  afterAll(async () => {
    await redis?.quit();
  });

  beforeEach(async () => {
    await redis.flushdb();
    registry = new NodeRegistry(new Rejections(new SilentLogger()), 256 * 1024, FORGET_AFTER_MS);
  });

  /** One cycle as the collector runs it: read the keys, then update at Redis's TIME. */
  async function cycle(
    keys: string[] = [key],
    atMs?: number,
  ): Promise<{ update: RegistryUpdate; views: NodeView[]; nowMs: number }> {
    const raws = await readNodes(redis, keys, 256 * 1024);
    const nowMs = atMs ?? (await redisTimeMs(redis));
    const update = registry.update(raws, nowMs);
    return { update, views: registry.views(nowMs), nowMs };
  }

  async function beat(heartbeat: Heartbeat = original('nodeBun', { interval: 1000 })) {
    await redis.set(key, JSON.stringify(heartbeat), 'EX', 30);
  }

  it('reports a node that just beat as online', async () => {
    await beat();
    const { views, update } = await cycle();
    expect(update).toMatchObject({ missing: [], parsed: 1 });
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ key, status: 'online' });
    expect(views[0]?.heartbeat.id).toBe('worker-01-48213');
    expect(views[0]?.ageMs).toBeLessThan(1000);
  });

  it('reports a node as stale once its beat is two intervals old', async () => {
    await beat();
    await cycle();
    await redis.pexpire(key, 27_000);
    const { views, update } = await cycle();
    expect(update.parsed).toBe(0);
    expect(views[0]?.status).toBe('stale');
    expect(views[0]?.ageMs).toBeGreaterThanOrEqual(3000);
  });

  it('judges staleness by the Redis clock, not the agent timestamp', async () => {
    await beat(original('nodeBun', { interval: 1000 }, Date.now() - 3_600_000));
    const { views } = await cycle();
    expect(views[0]?.status).toBe('online');
  });

  it("ages a beat by its expected TTL minus the PTTL read beside it, at that read's TIME", async () => {
    await beat(original('nodeBun', { interval: 1000 }, Date.now() - 600_000));
    await redis.pexpire(key, 21_000);
    const [raw] = await readNodes(redis, [key], 256 * 1024);
    const nowMs = await redisTimeMs(redis);
    registry.update(raw ? [raw] : [], nowMs);
    const [view] = registry.views(nowMs);
    // The age at the PTTL's read, plus the time since that read.
    expect(view?.ageMs).toBeCloseTo(
      30_000 - (raw?.pttlMs ?? 0) + (nowMs - (raw?.readAtMs ?? 0)),
      6,
    );
    expect(nowMs - (raw?.readAtMs ?? 0)).toBeGreaterThanOrEqual(0);
    expect(view?.ageMs).toBeGreaterThanOrEqual(9000);
    expect(view?.status).toBe('stale');
  });

  it("derives the expected TTL from the node's own interval and judges it by the schema's rule", async () => {
    const heartbeat = original('nodeBun', { interval: 20_000 });
    await redis.set(key, JSON.stringify(heartbeat), 'EX', heartbeatTtlSeconds(20_000));
    await redis.pexpire(key, 35_000);
    const { views } = await cycle();
    const [view] = views;
    expect(view?.ageMs).toBeGreaterThanOrEqual(25_000);
    // Plus the time from the PEXPIRE to the cycle's read: a slack for a loaded machine.
    expect(view?.ageMs).toBeLessThan(30_000);
    // 25 s: stale for the originals' 10 s interval, online for this node's 20 s.
    expect(view?.status).toBe('online');
    expect(view && statusOf(view.heartbeat, { ageMs: view.ageMs, present: true })).toBe('online');
  });

  it('falls back to the beat timestamp, on the Redis clock, when the key has no TTL', async () => {
    const nowMs = await redisTimeMs(redis);
    // The Go agent's beat, under this suite's key (the body must name the key's node).
    const go = original(
      'goLaravel',
      { service: 'worker-orders', id: 'worker-01-48213' },
      nowMs - 4000,
    );
    await redis.set(key, JSON.stringify(go));
    const { views } = await cycle();
    expect(views[0]?.ageMs).toBeGreaterThanOrEqual(4000);
    // Plus the time from the TIME read above to the cycle's: a slack for a loaded machine.
    expect(views[0]?.ageMs).toBeLessThan(8000);
    expect(views[0]?.status).toBe('online');
  });

  it('reports a node whose key was deleted as offline, and lists the key as missing', async () => {
    await beat();
    await cycle();
    await redis.del(key);
    const { views, update } = await cycle();
    expect(update.missing).toEqual([key]);
    expect(views[0]?.status).toBe('offline');
  });

  it('reports a node that is no longer discovered as offline', async () => {
    await beat();
    await cycle();
    const { views } = await cycle([]);
    expect(views[0]?.status).toBe('offline');
  });

  it('forgets an offline node after forgetAfterMs, and not before', async () => {
    await beat();
    await cycle();
    await redis.del(key);
    const { nowMs } = await cycle();
    expect((await cycle([key], nowMs + FORGET_AFTER_MS - 1000)).views).toHaveLength(1);
    expect((await cycle([key], nowMs + FORGET_AFTER_MS + 1000)).views).toEqual([]);
    expect(registry.size).toBe(0);
  });

  it('never forgets a node whose key still exists', async () => {
    await beat();
    const { nowMs } = await cycle();
    const { views } = await cycle([key], nowMs + FORGET_AFTER_MS * 10);
    expect(views).toHaveLength(1);
  });

  it('brings an offline node back online when it beats again', async () => {
    await beat();
    await cycle();
    await redis.del(key);
    await cycle();
    await beat(original('nodeBun', { interval: 1000, pid: 48214 }));
    const { views } = await cycle();
    expect(views[0]?.status).toBe('online');
    expect(views[0]?.heartbeat.pid).toBe(48214);
  });

  it('keeps each node under its own key', async () => {
    const other = QuasarKeys.node('my-laravel-app', 'app-server-01-3121');
    await beat();
    await redis.set(other, JSON.stringify(original('goLaravel')), 'EX', 30);
    const { views } = await cycle([key, other]);
    expect(views.map((v) => [v.key, v.heartbeat.service]).sort()).toEqual([
      [other, 'my-laravel-app'],
      [key, 'worker-orders'],
    ]);
  });
});
