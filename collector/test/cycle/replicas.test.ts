/**
 * Collectors sharing one Redis, in this process: each exports only the services whose lease it
 * holds, a service it acquires goes out at once, `--once` takes only free leases, and a
 * collector that exports no metrics takes no part.
 */
import Redis from 'ioredis';
import { QuasarKeys } from '@gravito/quasar/schema';
import { COLLECTOR_DEFAULTS } from '../../src/config/options';
import { QuasarCollector } from '../../src/cycle/quasar-collector';
import { Assignment } from '../../src/replicas/assignment';
import { MetricBatchExporter } from '../../src/otlp/metric-exporter';
import { renderPrometheus } from '../../src/self/prometheus-text';
import { statsFamilies } from '../../src/self/stats';
import { startOtlpReceiver } from '../../../testing/otlp-receiver';
import type { OtlpReceiver } from '../../../testing/otlp-receiver';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';
import { exportedResources } from '../support/exported-resources';
import { original } from '../support/fixtures';

const NODES = 60;
const SERVICES = 12;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface Replica {
  id: string;
  collector: QuasarCollector;
  receiver: OtlpReceiver;
  dispose(): Promise<void>;
}

describeWithRedis('collectors sharing one Redis', () => {
  let url: string;
  let redis: Redis;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
  });

  afterAll(async () => {
    await redis?.quit();
  });

  beforeEach(async () => {
    await redis.flushdb();
    for (let i = 0; i < NODES; i++) {
      const hb = original('nodeBun', { id: `node-${i}`, service: `svc-${i % SERVICES}` });
      const key = QuasarKeys.node(hb.service, hb.id);
      await redis.set(key, JSON.stringify(hb), 'EX', 60);
      await redis.zadd(QuasarKeys.nodeIndex, hb.timestamp, key);
    }
  });

  afterEach(async () => {
    for (const r of replicas.splice(0)) await r.dispose();
  });

  async function replica(
    id: string,
    exportIntervalMs: number,
    metrics = true,
    leaseTtlMs?: number,
  ): Promise<Replica> {
    const receiver = await startOtlpReceiver();
    const exporter = metrics
      ? new MetricBatchExporter('http/json', { url: receiver.metricsUrl })
      : undefined;
    const client = new Redis(url);
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
        await exporter?.shutdown();
        await client.quit();
        await receiver.close();
      },
    };
    replicas.push(r);
    return r;
  }

  const nodesOf = (r: Replica) =>
    new Set(exportedResources(r.receiver.take()).flatMap((x) => (x.node ? [x.instance] : [])));

  /** Waits until every service's lease is held by its rendezvous owner among `group`. */
  async function converged(group: readonly Replica[]): Promise<void> {
    const ids = group.map((r) => r.id);
    const assignment = new Assignment(ids[0]!);
    assignment.setMembers(ids);
    const services = Array.from({ length: SERVICES }, (_, i) => `svc-${i}`);
    await eventually(
      async () => {
        const holders = await redis.mget(...services.map((s) => QuasarKeys.lease(s)));
        const settled = services.every((s, i) =>
          holders[i]?.startsWith(`${assignment.ownerOf(s)}#`),
        );
        const stats = await Promise.all(group.map((r) => r.collector.stats()));
        const live = stats.every((st) => st.replicas.live === group.length);
        return settled && live ? true : undefined;
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

  it('splits the fleet: each node exported by exactly one of two replicas', async () => {
    // Leases (and the membership's live window) that outlast a stall of a loaded machine,
    // which would otherwise hand a lapsed lease to the other replica mid-test.
    const a = await replica('a', 1_500, true, 1_000);
    const b = await replica('b', 1_500, true, 1_000);
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
    const text = renderPrometheus(statsFamilies(await a.collector.stats()));
    expect(text).toMatch(/^quasar_collector_live_replicas 2$/m);
    expect(text).toMatch(/^quasar_collector_lease_changes_total\{change="acquired"\} [1-9]/m);
    expect(text).toMatch(/^quasar_collector_services_owned [1-9]/m);
    expect(text).toMatch(/^quasar_collector_leases_held [1-9]/m);
    expect(text).toMatch(/^quasar_collector_lease_renewal_failures_total 0$/m);
  });

  it('exports the services it takes over at once, and only those, within the interval', async () => {
    // An interval longer than the test: only the first export of each replica is a full one.
    // Leases that outlast a stall of a loaded machine (a lapsed one changes hands early).
    const a = await replica('a', 60_000, true, 5_000);
    const b = await replica('b', 60_000, true, 5_000);
    a.collector.start();
    b.collector.start();
    await converged([a, b]);
    // A exported everything at its first cycle, alone, and gave B's services away since.
    // Both first exports are in before the slate is wiped (on a loaded machine A's can land
    // after B's, and would then be counted as a take-over).
    let seenA = false;
    let seenB = false;
    await eventually(
      () => {
        seenA ||= nodesOf(a).size > 0;
        seenB ||= nodesOf(b).size > 0;
        return seenA && seenB ? true : undefined;
      },
      15_000,
      'a and b to export',
    );
    const ofB = (await b.collector.stats()).replicas.servicesOwned;
    expect(ofB).toBeGreaterThan(0);
    a.receiver.take();
    await b.collector.stop(); // leaves and releases: a takes over at its next cycles
    const taken = await eventually(
      () => {
        const nodes = nodesOf(a);
        return nodes.size > 0 ? nodes : undefined;
      },
      15_000,
      'a to export what b released',
    );
    // B's nodes only: A's own were exported in this interval already.
    const services = new Set([...taken].map((n) => Number(n!.split('-')[1]) % SERVICES));
    expect(services.size).toBe(ofB);
    expect(taken.size).toBe((NODES / SERVICES) * ofB);
    expect((await a.collector.stats()).replicas.servicesOwned).toBe(SERVICES);
  });

  it('--once beside a running replica takes only the leases nobody holds', async () => {
    const a = await replica('a', 60_000, true, 5_000);
    a.collector.start();
    await converged([a]);
    const once = await replica('once', 60_000);
    const outcome = await once.collector.runOnce();
    expect(outcome).toMatchObject({ ok: true, nodes: NODES, skippedServices: SERVICES });
    expect(nodesOf(once).size).toBe(0);
    expect(await redis.zscore(QuasarKeys.collectors, 'once')).toBeNull();
  });

  it('--once alone exports everything, then releases its leases', async () => {
    const once = await replica('once', 60_000);
    const outcome = await once.collector.runOnce();
    expect(outcome).toMatchObject({ ok: true, nodes: NODES, skippedServices: 0 });
    expect(nodesOf(once).size).toBe(NODES);
    expect(await redis.keys(QuasarKeys.leasePattern)).toEqual([]);
    expect(await redis.zcard(QuasarKeys.collectors)).toBe(0);
  });

  it('holds its leases through an export that outlasts their TTL, and delivers every node', async () => {
    // A slow receiver: 3 requests in flight, each answered after 250 ms; one node a request.
    const receiver = await startOtlpReceiver({ responseDelayMs: 250 });
    const exporter = new MetricBatchExporter(
      'http/json',
      { url: receiver.metricsUrl },
      { maxRequestBytes: 1024, logger: silent },
    );
    const client = new Redis(url);
    // A 1.5 s TTL (renewed every 500 ms, so a stall of a loaded machine does not let it
    // lapse): the export of 60 requests, 3 at a time, takes 5 s.
    const collector = new QuasarCollector(
      {
        ...COLLECTOR_DEFAULTS,
        cycleIntervalMs: 200,
        leaseTtlMs: 1_500,
        forgetAfterMs: 60_000,
        skipSelfExporting: true,
        consumerName: 'slow',
      },
      { redis: client, metricExporter: exporter, logger: silent },
    );
    try {
      const outcome = await collector.runOnce();
      expect(outcome).toMatchObject({ ok: true, nodes: NODES, skippedServices: 0 });
      const nodes = new Set(
        exportedResources(receiver.take()).flatMap((r) => (r.node ? [r.instance] : [])),
      );
      expect(nodes.size).toBe(NODES);
      expect((await collector.stats()).replicas.renewalFailures).toBe(0);
    } finally {
      await collector.stop();
      await exporter.shutdown();
      await client.quit();
      await receiver.close();
    }
  });

  it('--once fails, naming the leases, when Redis refuses them (an older collector ACL user)', async () => {
    const user = `quasar-no-lease-${process.pid}`;
    await redis.call('ACL', 'SETUSER', user, 'on', '>pw', '~*', '&*', '+@all', '-set');
    try {
      const noLease = new URL(url);
      noLease.username = user;
      noLease.password = 'pw';
      const receiver = await startOtlpReceiver();
      const exporter = new MetricBatchExporter('http/json', { url: receiver.metricsUrl });
      const client = new Redis(noLease.toString());
      const collector = new QuasarCollector(
        {
          ...COLLECTOR_DEFAULTS,
          forgetAfterMs: 60_000,
          skipSelfExporting: true,
          consumerName: 'x',
        },
        { redis: client, metricExporter: exporter, logger: silent },
      );
      const outcome = await collector.runOnce();
      await collector.stop();
      await exporter.shutdown();
      await client.quit();
      await receiver.close();
      expect(outcome.ok).toBe(false);
      expect(outcome.error).toMatch(/^leases: .*NOPERM/);
      expect(outcome.skippedServices).toBe(SERVICES);
    } finally {
      await redis.call('ACL', 'DELUSER', user);
    }
  });

  it('takes no part without a metrics exporter: no lease, no membership', async () => {
    const api = await replica('api-only', 60_000, false);
    api.collector.start();
    await eventually(() => api.collector.state.snapshot, 15_000, 'a first read');
    expect(await redis.keys(QuasarKeys.leasePattern)).toEqual([]);
    expect(await redis.zcard(QuasarKeys.collectors)).toBe(0);
    expect((await api.collector.stats()).replicas).toMatchObject({ live: 1, leasesHeld: 0 });
  });
});
