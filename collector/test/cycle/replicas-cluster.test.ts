/**
 * The replica design on a real Redis Cluster (3 primaries, 3 replicas), unchanged: leases are
 * single keys, spread over the slots like any other key. Two collectors split a fleet of v2
 * agents' nodes (each node exported by exactly one), and when one stops the other exports
 * everything.
 */
import type { Cluster } from 'ioredis';
import { createRedisClient } from '@gravito/quasar';
import { QuasarKeys } from '@gravito/quasar/schema';
import { COLLECTOR_DEFAULTS } from '../../src/config/options';
import { QuasarCollector } from '../../src/cycle/quasar-collector';
import { Assignment } from '../../src/replicas/assignment';
import { MetricBatchExporter } from '../../src/otlp/metric-exporter';
import { describeUnless } from '../../../testing/gate';
import { startOtlpReceiver } from '../../../testing/otlp-receiver';
import type { OtlpReceiver } from '../../../testing/otlp-receiver';
import { eventually } from '../../../testing/redis';
import { redisClusterProblem, startRedisCluster } from '../../../testing/redis-cluster';
import type { RedisCluster } from '../../../testing/redis-cluster';
import { exportedResources } from '../support/exported-resources';
import { original } from '../support/fixtures';

const NODES = 60;
const SERVICES = 12;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const services = Array.from({ length: SERVICES }, (_, i) => `svc-${i}`);

interface Replica {
  id: string;
  collector: QuasarCollector;
  receiver: OtlpReceiver;
  dispose(): Promise<void>;
}

describeUnless(redisClusterProblem())('collectors sharing one Redis Cluster', () => {
  let cluster: RedisCluster;
  let redis: Cluster;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    cluster = await startRedisCluster();
    redis = createRedisClient(cluster.url) as Cluster;
    const now = Date.now();
    for (let i = 0; i < NODES; i++) {
      const service = services[i % SERVICES]!;
      const hb = { ...original('nodeBun', { id: `node-${i}`, service }), timestamp: now };
      const key = QuasarKeys.v2.node(service, hb.id);
      await redis.set(key, JSON.stringify(hb), 'EX', 120);
      await redis.zadd(QuasarKeys.v2.nodeIndex(service), now, key);
      await redis.zadd(QuasarKeys.services, now, service);
    }
  }, 60_000);

  afterAll(async () => {
    for (const r of replicas.splice(0)) await r.dispose();
    redis?.disconnect();
    await cluster?.stop();
  });

  async function replica(
    id: string,
    exportIntervalMs = 600,
    leaseTtlMs?: number,
  ): Promise<Replica> {
    const receiver = await startOtlpReceiver();
    const exporter = new MetricBatchExporter('http/json', { url: receiver.metricsUrl });
    const client = createRedisClient(cluster.url, { lazyConnect: true });
    const collector = new QuasarCollector(
      {
        ...COLLECTOR_DEFAULTS,
        cycleIntervalMs: 200,
        exportIntervalMs,
        forgetAfterMs: 60_000,
        skipSelfExporting: true,
        consumerName: id,
        ...(leaseTtlMs === undefined ? {} : { leaseTtlMs }),
      },
      { redis: client, metricExporter: exporter, logger: silent },
    );
    const r: Replica = {
      id,
      collector,
      receiver,
      dispose: async () => {
        await collector.stop();
        await exporter.shutdown();
        client.disconnect();
        await receiver.close();
      },
    };
    replicas.push(r);
    return r;
  }

  const nodesOf = (r: Replica) =>
    new Set(exportedResources(r.receiver.take()).flatMap((x) => (x.node ? [x.instance] : [])));

  /** Waits until every lease (each its own slot) is held by its rendezvous owner. */
  async function converged(group: readonly Replica[]): Promise<void> {
    const ids = group.map((r) => r.id);
    const assignment = new Assignment(ids[0]!);
    assignment.setMembers(ids);
    await eventually(
      async () => {
        const holders = await Promise.all(services.map((s) => redis.get(QuasarKeys.lease(s))));
        const settled = services.every((s, i) =>
          holders[i]?.startsWith(`${assignment.ownerOf(s)}#`),
        );
        const stats = await Promise.all(group.map((r) => r.collector.stats()));
        return settled && stats.every((st) => st.replicas.live === group.length) ? true : undefined;
      },
      20_000,
      'the services to be split between the replicas',
    );
  }

  /**
   * Waits until each replica of `group` completed one more metrics export: one it built before
   * the replicas converged (while it still held every lease) can be in flight until then.
   */
  async function exportedOnceMore(group: readonly Replica[]): Promise<void> {
    const done = async (r: Replica) => {
      const { exports, exportFailures } = await r.collector.stats();
      return exports.metrics + exportFailures.metrics;
    };
    const before = await Promise.all(group.map(done));
    await eventually(
      async () => {
        const now = await Promise.all(group.map(done));
        return now.every((n, i) => n > before[i]!) ? true : undefined;
      },
      20_000,
      'one more export of each replica',
    );
  }

  it('splits the fleet, then one takes over all of it when the other stops', async () => {
    // The lease keys are spread over the primaries: the lease step spans the cluster.
    const primaries = new Set(
      await Promise.all(
        services.map(async (s) => (await cluster.primaryFor(QuasarKeys.lease(s))).address),
      ),
    );
    expect(primaries.size).toBe(3);

    // Leases (and the membership's live window) that outlast a stall of a loaded machine,
    // which would otherwise hand a lapsed lease to the other replica mid-test.
    const a = await replica('a', 1_500, 1_000);
    const b = await replica('b', 1_500, 1_000);
    a.collector.start();
    b.collector.start();
    await converged([a, b]);
    await exportedOnceMore([a, b]);
    a.receiver.take();
    b.receiver.take();
    // Every node exported since, by one or the other: at most a full export interval of each.
    const ofA = new Set<string | undefined>();
    const ofB = new Set<string | undefined>();
    await eventually(
      () => {
        for (const n of nodesOf(a)) ofA.add(n);
        for (const n of nodesOf(b)) ofB.add(n);
        return new Set([...ofA, ...ofB]).size >= NODES ? true : undefined;
      },
      15_000,
      'every node to be exported',
    );
    expect([...ofA].filter((n) => ofB.has(n))).toEqual([]);
    expect(ofA.size + ofB.size).toBe(NODES);
    expect(ofA.size).toBeGreaterThan(0);
    expect(ofB.size).toBeGreaterThan(0);

    await b.collector.stop(); // leaves and releases: a takes every service over
    a.receiver.take();
    const all = await eventually(
      () => {
        const seen = nodesOf(a);
        return seen.size === NODES ? seen : undefined;
      },
      20_000,
      'a to export every node',
    );
    expect(all.size).toBe(NODES);
    expect((await a.collector.stats()).replicas.servicesOwned).toBe(SERVICES);
  });
});
