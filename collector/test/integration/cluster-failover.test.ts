/**
 * A primary of a real Redis Cluster (3 primaries, 3 replicas) is killed with SIGKILL while
 * real SDK agents beat into it (the v2 layout, the default on a cluster), slow-log entries
 * stream into it, and the built `quasar-collector` exports both to an OTLP receiver. Shown in
 * one run:
 * - the agents and the collector carry on without a restart and with no unhandled rejection;
 * - no node's metrics pause for longer than one export interval plus the failover (the
 *   cluster's node timeout and the replica's election) plus one cycle, and the nodes the other
 *   primaries serve miss no export;
 * - every slow-log entry whose `XADD` was acknowledged arrives, except those Redis's own
 *   asynchronous replication lost (acknowledged by the old primary, absent from the promoted
 *   replica), which are counted and printed.
 */
import { QuasarAgent, createRedisClient } from '@gravito/quasar';
import type { Cluster } from 'ioredis';
import { QuasarKeys, slowEntryToFields } from '@gravito/quasar/schema';
import type { SlowEntry } from '@gravito/quasar/schema';
import { startCollectorProcess } from '../../../testing/quasar-collector';
import type { CollectorProcess } from '../../../testing/quasar-collector';
import { startOtlpReceiver } from '../../../testing/otlp-receiver';
import type { OtlpReceiver, ReceivedRequest } from '../../../testing/otlp-receiver';
import { eventually } from '../../../testing/redis';
import { redisClusterProblem, startRedisCluster } from '../../../testing/redis-cluster';
import type { ClusterNode, RedisCluster } from '../../../testing/redis-cluster';
import { describeUnless } from '../../../testing/gate';
import { ExportTimeline } from './replica-timeline';
import { SlowLogArrivals } from './slowlog-arrivals';

const SERVICES = 6;
const AGENTS_PER_SERVICE = 3;
const BEAT_MS = 500;
const CYCLE_MS = 500;
const EXPORT_MS = 5_000;
/**
 * Longer than a cycle stalled by the failover: until the slot map moves, each step that
 * touches the dead primary waits out its command timeout (1 s), and a lease left unrenewed
 * that long would lapse and pause every service, not only the dead primary's.
 */
const LEASE_TTL_MS = 4_000;
const NODE_TIMEOUT_MS = 1_000;
/** Entries per write round, and the pause between rounds. */
const ROUND = 30;
const ROUND_PAUSE_MS = 40;
/** Writing runs this long before the kill, and this long after it. */
const BEFORE_KILL_MS = 3_000;
const AFTER_KILL_MS = 8_000;
/** What a loaded 2-core machine adds: scheduling delays of the agents, the collector, Redis. */
const TOLERANCE_MS = 1_500;
const TIMEOUT_MS = 120_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const silent = { debug() {}, info() {}, warn() {}, error() {} };

function numberedEntry(n: number, nodeId: string): SlowEntry {
  return {
    kind: 'job',
    name: `job-${n}`,
    durationMs: 2_000 + (n % 1_000),
    thresholdMs: 1_000,
    nodeId,
    timestamp: Date.now(),
  };
}
const numberOf = (name: string): number | undefined => {
  const match = /^job-(\d+)$/.exec(name);
  return match ? Number(match[1]) : undefined;
};

describeUnless(redisClusterProblem())('a primary of a Redis Cluster killed mid-run', () => {
  let cluster: RedisCluster;
  let redis: Cluster;
  let receiver: OtlpReceiver;
  let collector: CollectorProcess;
  const agents: QuasarAgent[] = [];
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  const services = Array.from({ length: SERVICES }, (_, i) => `fo-${i}`);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    cluster = await startRedisCluster({ nodeTimeoutMs: NODE_TIMEOUT_MS });
    redis = createRedisClient(cluster.url, { lazyConnect: true }) as Cluster;
    redis.on('error', () => undefined);
    await redis.connect();
    receiver = await startOtlpReceiver();
    collector = await startCollectorProcess({
      redisUrl: cluster.url,
      refreshIntervalMs: CYCLE_MS,
      args: [
        ...['--export-metrics', 'true', '--metrics-protocol', 'http/json'],
        ...['--export-logs', 'true', '--logs-protocol', 'http/json'],
        ...['--export-interval', String(EXPORT_MS), '--lease-ttl', String(LEASE_TTL_MS)],
        ...['--scan-interval', '1s'],
        ...['--slow-batch-size', '50', '--consumer-name', 'fo-collector'],
      ],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint },
    });
    for (const service of services) {
      for (let i = 0; i < AGENTS_PER_SERVICE; i++) {
        const agent = new QuasarAgent({
          service,
          name: `${service}-n${i}`,
          interval: BEAT_MS,
          transport: { url: cluster.url },
          logger: silent,
          otel: { enabled: false },
        });
        agents.push(agent);
      }
    }
    await Promise.all(agents.map((agent) => agent.start()));
  }, TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop().catch(() => undefined)));
    await collector?.stop();
    await receiver?.close();
    redis?.disconnect();
    await cluster?.stop();
    process.off('unhandledRejection', onRejection);
  });

  it(
    'carries on without restarts; gaps and lost entries stay within what the failover allows',
    async () => {
      const timeline = new ExportTimeline();
      const arrivals = new SlowLogArrivals(numberOf);
      // Both follow the one receiver: its requests are split between them by signal.
      const pending: Record<string, ReceivedRequest[]> = { metrics: [], logs: [] };
      const side = (signal: string) => ({ take: () => pending[signal]!.splice(0) });
      timeline.follow('collector', side('metrics') as unknown as OtlpReceiver);
      arrivals.follow('collector', side('logs') as unknown as OtlpReceiver);
      const drain = () => {
        for (const request of receiver.take()) pending[request.signal]?.push(request);
        timeline.collect();
        arrivals.collect();
      };
      const nodeIds = agents.map(
        (_, i) => `${services[Math.floor(i / AGENTS_PER_SERVICE)]}-n${i % AGENTS_PER_SERVICE}`,
      );
      const exportedNodes = () =>
        new Set([...timeline.byNode.keys()].filter((id) => nodeIds.some((n) => id.startsWith(n))));

      await eventually(
        () => {
          drain();
          return exportedNodes().size === agents.length ? true : undefined;
        },
        20_000,
        'every agent exported',
      );

      // The victim: the primary serving the first service's slot.
      const victim: ClusterNode = await cluster.primaryFor(QuasarKeys.v2.nodeIndex(services[0]!));
      // Services served by the other primaries: a dead primary must not pause them.
      const elsewhere: string[] = [];
      for (const service of services) {
        const primary = await cluster.primaryFor(QuasarKeys.v2.nodeIndex(service));
        if (primary !== victim) elsewhere.push(service);
      }
      const acked = new Map<number, { service: string; id: string; at: number }>();
      let failedWrites = 0;
      let next = 0;
      let killAt = 0;
      const started = Date.now();
      const writing = (async () => {
        while (Date.now() - started < BEFORE_KILL_MS + AFTER_KILL_MS) {
          const round = Array.from({ length: ROUND }, () => next++);
          await Promise.all(
            round.map(async (n) => {
              const service = services[n % SERVICES]!;
              const node = `${service}-n${n % AGENTS_PER_SERVICE}`;
              try {
                const id = await redis.xadd(
                  QuasarKeys.v2.slowLog(service),
                  '*',
                  ...slowEntryToFields(numberedEntry(n, node)),
                );
                acked.set(n, { service, id: String(id), at: Date.now() });
              } catch {
                failedWrites++;
              }
            }),
          );
          drain();
          await sleep(ROUND_PAUSE_MS);
        }
      })();
      await sleep(BEFORE_KILL_MS);
      killAt = Date.now();
      await victim.kill();
      // The failover: a replica of the victim is promoted and the cluster serves every slot.
      await eventually(
        async () => {
          const probe = await cluster.primaryFor(QuasarKeys.v2.nodeIndex(services[0]!));
          return probe !== victim ? probe : undefined;
        },
        20_000,
        'a replica to take over',
      );
      const failoverMs = Date.now() - killAt;
      await writing;

      // What Redis kept: every acknowledged entry still in its stream after the failover.
      const kept = new Set<string>();
      for (const service of services) {
        const entries = await redis.xrange(QuasarKeys.v2.slowLog(service), '-', '+');
        for (const [id] of entries) kept.add(`${service}/${id}`);
      }
      const lostByReplication = [...acked.values()].filter(
        (a) => !kept.has(`${a.service}/${a.id}`),
      );
      const expected = [...acked.keys()].filter((n) => {
        const a = acked.get(n)!;
        return kept.has(`${a.service}/${a.id}`);
      });
      await eventually(
        () => {
          drain();
          return expected.every((n) => arrivals.byNumber.has(n)) ? true : undefined;
        },
        30_000,
        'every entry Redis kept to arrive',
      );
      // A few more exports, so that each node's gap after the failover is closed.
      await sleep(3 * EXPORT_MS);
      drain();

      const end = Date.now();
      const gap = timeline.maxGap(killAt - EXPORT_MS, end, exportedNodes());
      const unaffected = [...exportedNodes()].filter((node) =>
        elsewhere.some((service) => node.startsWith(`${service}-`)),
      );
      const gapElsewhere = timeline.maxGap(killAt - EXPORT_MS, end, unaffected);
      const measured = {
        nodes: agents.length,
        failoverMs,
        maxGapMs: gap.gapMs,
        servicesElsewhere: elsewhere.length,
        maxGapElsewhereMs: gapElsewhere.gapMs,
        worstNode: gap.node,
        written: next,
        acked: acked.size,
        failedWrites,
        ackedBeforeKill: [...acked.values()].filter((a) => a.at < killAt).length,
        lostByReplication: lostByReplication.length,
        arrived: arrivals.distinct,
        duplicates: arrivals.duplicates,
      };
      console.log(`cluster failover measured: ${JSON.stringify(measured)}`);

      expect(collector.process.alive()).toBe(true);
      expect(collector.process.output()).not.toMatch(/unhandled|uncaught/i);
      expect(rejections).toEqual([]);
      expect(exportedNodes().size).toBe(agents.length);
      // The gap is bounded by Redis's own failover (node timeout, then the replica's election),
      // measured above, plus one cycle: the collector adds no more than the cycle that notices.
      expect(gap.gapMs).toBeLessThanOrEqual(EXPORT_MS + failoverMs + CYCLE_MS + TOLERANCE_MS);
      // The nodes on the surviving primaries miss no export: a cycle waiting on the dead
      // primary may delay one, never skip it.
      expect(elsewhere.length).toBeGreaterThan(0);
      expect(gapElsewhere.gapMs).toBeLessThan(2 * EXPORT_MS);
      for (const n of expected) expect(arrivals.byNumber.has(n)).toBe(true);
      // Only what was acknowledged shortly before the kill can have been lost by replication.
      for (const lost of lostByReplication) expect(lost.at).toBeGreaterThan(killAt - 1_000);
      expect(acked.size).toBeGreaterThan(0);
      // Every agent still beats into the cluster after the failover.
      const after = Date.now();
      await eventually(
        () => {
          drain();
          const fresh = [...exportedNodes()].filter((node) =>
            (timeline.byNode.get(node) ?? []).some((e) => e.t > after),
          );
          return fresh.length === agents.length ? true : undefined;
        },
        // Two export intervals and the slack a loaded machine needs.
        4 * EXPORT_MS,
        'every node exported after the failover',
      );
    },
    TIMEOUT_MS,
  );
});
