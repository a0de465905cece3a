/**
 * One collector cycle on a real Redis Cluster over both key layouts at once: v1 nodes in the
 * fleet index (spread over every primary), original agents in no index (found by a SCAN of
 * every primary), v2 nodes of several services, a node migrating between layouts, and bad
 * entries. Its own cluster: the test writes the fleet-wide v1 keys and asserts on them.
 */
import { createRedisClient } from '@gravito/quasar';
import type { RedisClient } from '@gravito/quasar';
import { QuasarKeys } from '@gravito/quasar/schema';
import { COLLECTOR_DEFAULTS } from '../../src/config/options';
import { QuasarCollector } from '../../src/cycle/quasar-collector';
import { MetricBatchExporter } from '../../src/otlp/metric-exporter';
import { openRedis } from '../../src/redis/connection';
import { startOtlpReceiver } from '../../../testing/otlp-receiver';
import type { OtlpReceiver } from '../../../testing/otlp-receiver';
import { describeWithRedisCluster } from '../../../testing/redis';
import { startRedisCluster } from '../../../testing/redis-cluster';
import type { RedisCluster } from '../../../testing/redis-cluster';
import { beat, queueField, writeV1, writeV2 } from '../support/beats';
import { exportedResources } from '../support/exported-resources';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const V2_SERVICES = { orders: 12, billing: 5, search: 3 } as const;

describeWithRedisCluster('a collector cycle on a Redis Cluster, both key layouts', () => {
  let cluster: RedisCluster;
  let admin: RedisClient;
  let receiver: OtlpReceiver;
  /** `service/node` of every node written, with the age its TTL says. */
  const expected = new Map<string, number>();
  const originals: string[] = [];

  beforeAll(async () => {
    cluster = await startRedisCluster();
    admin = createRedisClient(cluster.url);
    receiver = await startOtlpReceiver();
    // v1 nodes in the fleet index: 30 keys, over every primary (asserted below).
    for (let i = 0; i < 30; i++) {
      const service = `legacy-${i % 3}`;
      await writeV1(admin, beat(service, `node-${i}`), { pttlMs: 30_000 - 2_000 });
      expected.set(`${service}/node-${i}`, 2_000);
    }
    // Original agents: the key only.
    for (let i = 0; i < 5; i++) {
      const key = await writeV1(admin, beat(`original-${i}`, 'solo'), { indexed: false });
      originals.push(key);
      expected.set(`original-${i}/solo`, 0);
    }
    // v2 services, each node aged by its TTL.
    for (const [service, count] of Object.entries(V2_SERVICES)) {
      for (let i = 0; i < count; i++) {
        await writeV2(admin, beat(service, `pod-${i}`), { pttlMs: 30_000 - 5_000 });
        expected.set(`${service}/pod-${i}`, 5_000);
      }
    }
    // A node migrating from v1 to v2: its old key (10 s old) and its new one (1 s old).
    await writeV1(admin, beat('mover', 'm-1'), { pttlMs: 20_000 });
    await writeV2(admin, beat('mover', 'm-1'), { pttlMs: 29_000 });
    expected.set('mover/m-1', 1_000);
    await writeV1(admin, beat('mover', 'm-2'), { pttlMs: 30_000 });
    expected.set('mover/m-2', 0);
    // Queue hashes of both layouts; `mover` has both, the v2 snapshot of `jobs` newer.
    await admin.hset(QuasarKeys.queues('legacy-0'), 'emails', queueField('emails', 7));
    await admin.hset(QuasarKeys.v2.queues('orders'), 'payments', queueField('payments', 11));
    await admin.hset(QuasarKeys.queues('mover'), 'jobs', queueField('jobs', 1, Date.now() - 2000));
    await admin.hset(QuasarKeys.v2.queues('mover'), 'jobs', queueField('jobs', 2));
    // Bad entries: a member of another namespace in a service index, a bad payload, a hash
    // where a heartbeat key should be, a service name the grammar refuses.
    await admin.zadd(QuasarKeys.v2.nodeIndex('orders'), Date.now(), 'not-a-heartbeat-key');
    await admin.set(QuasarKeys.v2.node('billing', 'broken'), '{"not":"a heartbeat"}', 'EX', 30);
    await admin.zadd(
      QuasarKeys.v2.nodeIndex('billing'),
      Date.now(),
      QuasarKeys.v2.node('billing', 'broken'),
    );
    await admin.hset(QuasarKeys.node('legacy-0', 'a-hash'), 'f', 'v');
    await admin.zadd(QuasarKeys.nodeIndex, Date.now(), QuasarKeys.node('legacy-0', 'a-hash'));
    await admin.zadd(QuasarKeys.services, Date.now(), 'bad{name}');
  }, 60_000);

  afterAll(async () => {
    await admin?.quit();
    await receiver?.close();
    await cluster?.stop();
  });

  it('spreads the v1 keys and the original agents over every primary', async () => {
    const primaries = new Set<string>();
    const members = await admin.zrange(QuasarKeys.nodeIndex, 0, -1);
    for (const key of members) primaries.add((await cluster.primaryFor(key)).address);
    expect(primaries.size).toBe(3);
    const ofOriginals = new Set<string>();
    for (const key of originals) ofOriginals.add((await cluster.primaryFor(key)).address);
    expect(ofOriginals.size).toBeGreaterThan(1);
  });

  it('reads every node exactly once, at the age its TTL tells, and exports each once', async () => {
    const client = openRedis(cluster.url, 'test');
    const exporter = new MetricBatchExporter('http/json', { url: receiver.metricsUrl });
    const collector = new QuasarCollector(
      { ...COLLECTOR_DEFAULTS, forgetAfterMs: 60_000, skipSelfExporting: true, consumerName: 'c' },
      { redis: client, metricExporter: exporter, logger: silent },
    );
    try {
      const outcome = await collector.runOnce();
      expect(outcome.error).toBeUndefined();
      expect(outcome.ok).toBe(true);
      const snapshot = collector.state.snapshot!;
      const seen = snapshot.nodes.map((v) => `${v.heartbeat.service}/${v.heartbeat.id}`);
      expect(seen.sort()).toEqual([...expected.keys()].sort());
      for (const view of snapshot.nodes) {
        const age = expected.get(`${view.heartbeat.service}/${view.heartbeat.id}`)!;
        expect(view.ageMs).toBeGreaterThanOrEqual(age);
        expect(view.ageMs).toBeLessThan(age + 3_000);
        expect(view.status).toBe('online');
      }
      // The migrating node is its newer, v2, beat.
      const mover = snapshot.nodes.find((v) => v.heartbeat.id === 'm-1')!;
      expect(mover.key).toBe(QuasarKeys.v2.node('mover', 'm-1'));

      const exported = exportedResources(receiver.requests).filter((r) => r.node);
      const instances = exported.map((r) => `${r.service}/${r.instance}`);
      expect(instances.sort()).toEqual([...expected.keys()].sort());

      const queues = new Map(snapshot.queues.map((s) => [s.service, s.queues]));
      expect(queues.get('legacy-0')?.map((q) => [q.name, q.size.waiting, q.source])).toEqual([
        ['emails', 7, 'hash'],
      ]);
      expect(queues.get('orders')?.map((q) => [q.name, q.size.waiting])).toEqual([
        ['payments', 11],
      ]);
      expect(queues.get('mover')?.map((q) => [q.name, q.size.waiting])).toEqual([['jobs', 2]]);

      const stats = await collector.stats();
      expect(stats.rejected.invalid).toBe(2);
      expect(stats.rejected.index).toBe(2);
      // The chores removed the bad index members; the original agents joined the fleet index.
      expect(await admin.zrange(QuasarKeys.v2.nodeIndex('orders'), 0, -1)).toHaveLength(12);
      expect(await admin.zscore(QuasarKeys.services, 'bad{name}')).toBeNull();
      const fleet = new Set(await admin.zrange(QuasarKeys.nodeIndex, 0, -1));
      expect(originals.filter((key) => fleet.has(key))).toEqual(originals);
    } finally {
      await collector.stop();
      await exporter.shutdown();
      await client.quit();
    }
  }, 30_000);
});
