/**
 * On a single Redis the v2 layout is read too, with no configuration: the services index, each
 * service's node index, their pruning, and services idle past the grace period dropped.
 */
import Redis from 'ioredis';
import { QuasarKeys } from '@gravito/quasar/schema';
import { COLLECTOR_DEFAULTS } from '../../src/config/options';
import { QuasarCollector } from '../../src/cycle/quasar-collector';
import { dropIdleServices } from '../../src/discovery/index-chores';
import { NodeDiscovery } from '../../src/discovery/node-discovery';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';
import { beat, queueField, writeV1, writeV2 } from '../support/beats';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describeWithRedis('both key layouts on a single Redis', () => {
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

  it('reads v2 nodes and queue hashes beside v1 ones', async () => {
    await writeV1(redis, beat('legacy', 'a'));
    await writeV2(redis, beat('orders', 'p-1'), { pttlMs: 26_000 });
    await writeV2(redis, beat('orders', 'p-2'));
    await writeV2(redis, beat('billing', 'b-1'));
    await redis.hset(QuasarKeys.v2.queues('orders'), 'payments', queueField('payments', 4));
    const collector = new QuasarCollector(
      { ...COLLECTOR_DEFAULTS, forgetAfterMs: 60_000, skipSelfExporting: true, consumerName: 's' },
      { redis, logger: silent },
    );
    const snapshot = await collector.read();
    const nodes = snapshot.nodes.map((v) => `${v.heartbeat.service}/${v.heartbeat.id}`);
    expect(nodes.sort()).toEqual(['billing/b-1', 'legacy/a', 'orders/p-1', 'orders/p-2']);
    const p1 = snapshot.nodes.find((v) => v.heartbeat.id === 'p-1')!;
    expect(p1.ageMs).toBeGreaterThanOrEqual(4_000);
    // Plus the time from the write to the read: a slack for a loaded machine.
    expect(p1.ageMs).toBeLessThan(9_000);
    const orders = snapshot.queues.find((s) => s.service === 'orders');
    expect(orders?.queues.map((q) => [q.name, q.size.waiting])).toEqual([['payments', 4]]);
  });

  it('prunes an expired v2 key from its own service index', async () => {
    const gone = await writeV2(redis, beat('orders', 'gone'));
    const kept = await writeV2(redis, beat('orders', 'kept'));
    await redis.del(gone);
    const discovery = new NodeDiscovery(redis, 60_000);
    expect((await discovery.keys()).sort()).toEqual([gone, kept].sort());
    expect(await discovery.prune([gone])).toBe(1);
    expect(await redis.zrange(QuasarKeys.v2.nodeIndex('orders'), 0, -1)).toEqual([kept]);
  });

  it('drops a service whose index is empty only once its score is past the grace period', async () => {
    const now = Date.now();
    await redis.zadd(QuasarKeys.services, now - 11 * 60_000, 'old', now - 60_000, 'recent');
    const discovery = new NodeDiscovery(redis, 60_000);
    expect(await discovery.keys()).toEqual([]);
    await discovery.tidy([]);
    expect(await redis.zrange(QuasarKeys.services, 0, -1)).toEqual(['recent']);
    // A shorter grace drops the other too.
    expect(await dropIdleServices(redis, ['recent'], 30_000)).toBe(1);
  });

  it('keeps a service whose index still has members, however old its score', async () => {
    await writeV2(redis, beat('orders', 'p-1'));
    await redis.zadd(QuasarKeys.services, Date.now() - 60 * 60_000, 'orders');
    const discovery = new NodeDiscovery(redis, 60_000);
    await discovery.keys();
    await discovery.tidy([]);
    expect(await redis.zrange(QuasarKeys.services, 0, -1)).toEqual(['orders']);
  });
});
