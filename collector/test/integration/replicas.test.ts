/**
 * Three, then four, real `quasar-collector` processes on one real Redis share a fleet of 2,400
 * nodes over 48 services, each exporting to its own OTLP/HTTP receiver, so every export is
 * attributed to the replica that sent it. Shown here, in one run: each node is exported by
 * exactly one replica; a 4th replica takes about a quarter of the services, with no gap; a
 * `kill -9` leaves no node without an export for longer than one export interval plus the
 * lease TTL; a replica frozen past its TTL (SIGSTOP) loses its services, and once thawed
 * (SIGCONT) exports nothing it lost until it has its leases back; every replica's Pulse API
 * serves the same fleet, original agents found by one replica's SCAN included.
 *
 * The bounds allow a tolerance for what a loaded 2-core machine adds to the protocol's own
 * delays (see TOLERANCE_MS).
 */
import Redis from 'ioredis';
import { QuasarKeys, parseNodeKey } from '@gravito/quasar/schema';
import { Assignment } from '../../src/replicas/assignment';
import { membershipTiming } from '../../src/replicas/replica-coordinator';
import { startCollectorProcess } from '../../../testing/quasar-collector';
import type { CollectorProcess } from '../../../testing/quasar-collector';
import { startOtlpReceiver } from '../../../testing/otlp-receiver';
import type { OtlpReceiver } from '../../../testing/otlp-receiver';
import { describeWithRedis, eventually } from '../../../testing/redis';
import { startRedisServer } from '../../../testing/redis-server';
import type { RedisServer } from '../../../testing/redis-server';
import { templateBeat, writeFleet } from '../../bench/fleet';
import { httpGet } from '../api/pulse-fixture';
import { original } from '../support/fixtures';
import { ExportTimeline } from './replica-timeline';

const NODES = 2_400;
const SERVICES = 48;
const CYCLE_MS = 500;
const EXPORT_MS = 2_000;
/** At least 2 cycles, and TTL + one cycle under the export interval: what the config allows. */
const LEASE_TTL_MS = 1_200;
const { refreshMs: MEMBERSHIP_REFRESH_MS } = membershipTiming(LEASE_TTL_MS);
/**
 * What the machine adds to the protocol's delays: after a lease lapses, the survivors notice
 * at their next membership read (≤ MEMBERSHIP_REFRESH_MS) and take it at their next cycle
 * (≤ CYCLE_MS plus the cycle's own time, a few hundred ms for 2,400 nodes on a busy machine),
 * then the export is encoded and sent. One second on top of those covers the scheduling
 * delays of five busy processes on two cores.
 */
const TOLERANCE_MS = MEMBERSHIP_REFRESH_MS + CYCLE_MS + 1_000;
/** No node waits longer than this for an export, whatever happens to one replica. */
const GAP_BOUND_MS = EXPORT_MS + LEASE_TTL_MS + TOLERANCE_MS;
/** Two replicas export a node together for at most one interval (a handover), plus slack. */
const DOUBLE_BOUND_MS = EXPORT_MS + TOLERANCE_MS;
const TIMEOUT_MS = 150_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Replica {
  readonly id: string;
  readonly receiver: OtlpReceiver;
  readonly process: CollectorProcess;
}

/** The owner of every service as rendezvous hashing assigns it over `ids`. */
function owners(ids: readonly string[], services: readonly string[]): Map<string, string> {
  const assignment = new Assignment(ids[0]!);
  assignment.setMembers(ids);
  return new Map(services.map((s) => [s, assignment.ownerOf(s)]));
}

describeWithRedis('replicas sharing a fleet (real collectors, real Redis)', () => {
  let server: RedisServer;
  let redis: Redis;
  const replicas = new Map<string, Replica>();
  const timeline = new ExportTimeline();
  let collecting: NodeJS.Timeout | undefined;
  const services = Array.from({ length: SERVICES }, (_, i) => `svc-${i}`);
  const serviceOfNode = new Map<string, string>();
  const measured: Record<string, number> = {};

  async function startReplica(id: string): Promise<Replica> {
    const receiver = await startOtlpReceiver();
    const proc = await startCollectorProcess({
      redisUrl: server.urlFor(0),
      refreshIntervalMs: CYCLE_MS,
      args: [
        ...['--export-metrics', 'true', '--metrics-protocol', 'http/json'],
        ...['--export-interval', String(EXPORT_MS), '--lease-ttl', String(LEASE_TTL_MS)],
        ...['--scan-interval', '1s', '--consumer-name', id],
      ],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint },
    });
    const replica = { id, receiver, process: proc };
    replicas.set(id, replica);
    timeline.follow(id, receiver);
    return replica;
  }

  const nodesOf = (svcs: Iterable<string>) => {
    const wanted = new Set(svcs);
    return [...serviceOfNode].filter(([, s]) => wanted.has(s)).map(([n]) => n);
  };

  /** Waits until every service's lease is held by its owner over `ids`. */
  async function leasesSettleOn(ids: readonly string[], timeoutMs = 20_000): Promise<void> {
    const expected = owners(ids, services);
    await eventually(
      async () => {
        const holders = await redis.mget(...services.map((s) => QuasarKeys.lease(s)));
        return services.every((s, i) => holders[i]?.startsWith(`${expected.get(s)}#`))
          ? true
          : undefined;
      },
      timeoutMs,
      `the leases to settle on ${ids.join(', ')}`,
    );
  }

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.urlFor(0));
    // A beat interval of a minute: keys live 3 minutes, longer than the test.
    const template = { ...(await templateBeat(server.urlFor(0))), interval: 60_000 };
    await redis.flushdb();
    for (const key of await writeFleet(redis, template, NODES, SERVICES)) {
      const { service, nodeId } = parseNodeKey(key)!;
      serviceOfNode.set(nodeId, service);
    }
    await Promise.all(['r1', 'r2', 'r3'].map((id) => startReplica(id)));
    collecting = setInterval(() => timeline.collect(), 100);
  }, TIMEOUT_MS);

  afterAll(async () => {
    if (collecting) clearInterval(collecting);
    for (const r of replicas.values()) {
      if (r.process.process.pid !== undefined && r.process.process.alive()) {
        process.kill(r.process.process.pid, 'SIGCONT');
      }
      await r.process.stop();
      await r.receiver.close();
    }
    await redis?.quit();
    await server?.stop();
    // The figures this run measured, for docs/scaling.md.
    console.log(`replicas test measured: ${JSON.stringify(measured)}`);
  });

  it(
    'exports every node from exactly one replica in steady state: its service’s owner',
    async () => {
      await leasesSettleOn(['r1', 'r2', 'r3']);
      // Handovers of the start (a replica alone for a moment) have played out.
      await sleep(EXPORT_MS + CYCLE_MS);
      const from = Date.now();
      await sleep(2 * EXPORT_MS + CYCLE_MS);
      timeline.collect();
      const expected = owners(['r1', 'r2', 'r3'], services);
      const exporters = timeline.exportersIn(from, Date.now(), serviceOfNode.keys());
      const wrong = [...exporters].filter(
        ([node, by]) => by.size !== 1 || !by.has(expected.get(serviceOfNode.get(node)!)!),
      );
      expect(wrong.slice(0, 5)).toEqual([]);
      const perReplica = ['r1', 'r2', 'r3'].map(
        (id) => [...expected.values()].filter((o) => o === id).length,
      );
      expect(perReplica.every((n) => n > 0)).toBe(true);
      for (const r of replicas.values()) {
        const text = (await httpGet(r.process.port, '/metrics')).body;
        expect(text).toMatch(/^quasar_collector_live_replicas 3$/m);
      }
    },
    TIMEOUT_MS,
  );

  it(
    'moves about a quarter of the services to a 4th replica, and nothing else, with no gap',
    async () => {
      const before = owners(['r1', 'r2', 'r3'], services);
      const after = owners(['r1', 'r2', 'r3', 'r4'], services);
      const moved = services.filter((s) => before.get(s) !== after.get(s));
      // A quarter of 48 is 12; the hash decides the exact count, deterministically.
      expect(moved.length).toBeGreaterThanOrEqual(6);
      expect(moved.length).toBeLessThanOrEqual(20);
      expect(moved.every((s) => after.get(s) === 'r4')).toBe(true);
      const from = Date.now();
      await startReplica('r4');
      await leasesSettleOn(['r1', 'r2', 'r3', 'r4']);
      // An export built before the leases settled may still land just after.
      const settledAt = Date.now() + 300;
      await sleep(EXPORT_MS + CYCLE_MS);
      timeline.collect();
      const to = Date.now();
      const all = [...serviceOfNode.keys()];
      const gap = timeline.maxGap(from, to, all);
      const double = timeline.maxDoubleExport(from, to, EXPORT_MS, all);
      measured.joinMaxGapMs = gap.gapMs;
      measured.joinMaxDoubleMs = double.overlapMs;
      measured.servicesMoved = moved.length;
      expect(gap.gapMs).toBeLessThanOrEqual(GAP_BOUND_MS);
      expect(double.overlapMs).toBeLessThanOrEqual(DOUBLE_BOUND_MS);
      // What stayed was exported by its owner alone, throughout.
      const stayed = nodesOf(services.filter((s) => !moved.includes(s)));
      const exporters = timeline.exportersIn(from, to, stayed);
      const strays = stayed.filter((n) => {
        const by = exporters.get(n)!;
        return by.size !== 1 || !by.has(before.get(serviceOfNode.get(n)!)!);
      });
      expect(strays.slice(0, 5)).toEqual([]);
      // And r4 exports what moved, alone since the settling. A node not exported yet since
      // then (a late cycle on a busy machine) is waited for, within the gap bound; a second
      // exporter never goes away.
      let notR4: Array<[string, ReadonlySet<string>]> = [];
      await eventually(
        () => {
          timeline.collect();
          const since = timeline.exportersIn(settledAt, Date.now(), nodesOf(moved));
          notR4 = [...since].filter(([, by]) => by.size !== 1 || !by.has('r4'));
          return notR4.length === 0 ? true : undefined;
        },
        GAP_BOUND_MS,
        'every moved node exported by r4 alone',
      ).catch(() => undefined);
      expect(notR4.slice(0, 5)).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it(
    'after kill -9 of a replica, no node goes longer than an export interval plus the lease TTL',
    async () => {
      const victim = replicas.get('r1')!;
      const from = Date.now() - EXPORT_MS;
      process.kill(victim.process.process.pid!, 'SIGKILL');
      await leasesSettleOn(['r2', 'r3', 'r4']);
      // An export built before the leases settled may still land just after.
      const settledAt = Date.now() + 300;
      await sleep(EXPORT_MS + CYCLE_MS);
      timeline.collect();
      const to = Date.now();
      const gap = timeline.maxGap(from, to, serviceOfNode.keys());
      measured.killMaxGapMs = gap.gapMs;
      expect(gap.gapMs).toBeLessThanOrEqual(GAP_BOUND_MS);
      // The dead replica's membership lapsed; its services are exported by their new owners,
      // and by nobody else. A node not exported yet since the settling (a late cycle on a busy
      // machine) is waited for, within the gap bound; a second exporter never goes away.
      expect(await redis.zscore(QuasarKeys.collectors, 'r1')).toBeNull();
      const expected = owners(['r2', 'r3', 'r4'], services);
      let wrong: Array<[string, ReadonlySet<string>]> = [];
      await eventually(
        () => {
          timeline.collect();
          const since = timeline.exportersIn(settledAt, Date.now(), serviceOfNode.keys());
          wrong = [...since].filter(
            ([node, by]) => by.size !== 1 || !by.has(expected.get(serviceOfNode.get(node)!)!),
          );
          return wrong.length === 0 ? true : undefined;
        },
        GAP_BOUND_MS,
        'every node exported by its new owner alone',
      ).catch(() => undefined);
      expect(wrong.slice(0, 5)).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it(
    'a replica frozen past its TTL loses its services, and once thawed exports none it lost until it has them back',
    async () => {
      const frozen = replicas.get('r2')!;
      const pid = frozen.process.process.pid!;
      const live = ['r2', 'r3', 'r4'];
      const ofR2 = services.filter((s) => owners(live, services).get(s) === 'r2');
      const frozenAt = Date.now();
      const from = frozenAt - EXPORT_MS;
      process.kill(pid, 'SIGSTOP');
      let thawedAt = 0;
      try {
        // The others take every service of r2 once its leases lapse.
        await leasesSettleOn(['r3', 'r4']);
      } finally {
        process.kill(pid, 'SIGCONT');
        thawedAt = Date.now();
      }
      measured.frozenMs = thawedAt - frozenAt;
      // Its leases lapsed while it was frozen: they can only have moved once expired, a TTL
      // after their last renewal, which came at most one cycle before the freeze.
      expect(measured.frozenMs).toBeGreaterThan(LEASE_TTL_MS - CYCLE_MS);
      // Thawed, r2 rejoins; rendezvous hashing gives it its services back.
      await leasesSettleOn(live);
      await sleep(EXPORT_MS + CYCLE_MS);
      timeline.collect();
      const to = Date.now();
      const all = [...serviceOfNode.keys()];
      const gap = timeline.maxGap(from, to, all);
      const double = timeline.maxDoubleExport(from, to, EXPORT_MS, all);
      measured.freezeMaxGapMs = gap.gapMs;
      measured.freezeMaxDoubleMs = double.overlapMs;
      expect(gap.gapMs).toBeLessThanOrEqual(GAP_BOUND_MS);
      expect(double.overlapMs).toBeLessThanOrEqual(DOUBLE_BOUND_MS);
      // After the thaw, r2 exported each of its nodes only once it had the lease back: the
      // other replica's exports all come first (a request r2 was writing when it froze may land
      // just after the thaw: data from before the freeze, within its lease).
      const settle = thawedAt + 300;
      const interleaved = nodesOf(ofR2).filter((n) => {
        const sequence = timeline.sequenceAfter(n, settle);
        const firstR2 = sequence.indexOf('r2');
        return firstR2 >= 0 && sequence.slice(firstR2).some((r) => r !== 'r2');
      });
      expect(interleaved.slice(0, 5)).toEqual([]);
      // And nothing that was never its own.
      const others = nodesOf(services.filter((s) => !ofR2.includes(s)));
      const exporters = timeline.exportersIn(from, to, others);
      expect(others.filter((n) => exporters.get(n)!.has('r2')).slice(0, 5)).toEqual([]);
      // Steady again: one replica per node (over two intervals, as in steady state above, so
      // that an interval a busy machine stretches cannot leave a node unexported in it).
      const steadyFrom = Date.now();
      await sleep(2 * EXPORT_MS + CYCLE_MS);
      timeline.collect();
      const steady = timeline.exportersIn(steadyFrom, Date.now(), all);
      expect([...steady].filter(([, by]) => by.size !== 1).slice(0, 5)).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it(
    'serves the same fleet from every replica’s Pulse API, original agents found by one SCAN included',
    async () => {
      // An original agent never writes the node index: only the scan lease's holder finds it.
      const hb = original('goLaravel', { service: 'legacy', id: 'legacy-1' }, Date.now());
      const written = Date.now();
      await redis.set(QuasarKeys.node('legacy', 'legacy-1'), JSON.stringify(hb), 'EX', 60);
      const live = ['r2', 'r3', 'r4'].map((id) => replicas.get(id)!);
      const seenAt = new Map<string, number>();
      await eventually(
        async () => {
          await Promise.all(
            live.map(async (r) => {
              if (seenAt.has(r.id)) return;
              const reply = await httpGet(r.process.port, '/api/pulse/nodes?service=legacy');
              const nodes = reply.json<{ nodes: Record<string, unknown[]> }>().nodes;
              if ((nodes.legacy ?? []).length === 1) seenAt.set(r.id, Date.now());
            }),
          );
          return seenAt.size === live.length ? true : undefined;
        },
        30_000,
        'every replica to serve the original agent',
      );
      const times = [...seenAt.values()];
      measured.originalFoundMs = Math.max(...times) - written;
      measured.originalSpreadMs = Math.max(...times) - Math.min(...times);
      // Each replica read it at its next cycle: within one cycle period of each other (the
      // interval, plus the cycle's own time, well under another interval here), as seen by
      // polls whose replies a busy replica delays: the second a loaded machine adds on top.
      expect(measured.originalSpreadMs).toBeLessThanOrEqual(2 * CYCLE_MS + 1_000);
      expect(
        await redis.zscore(QuasarKeys.nodeIndex, QuasarKeys.node('legacy', 'legacy-1')),
      ).not.toBeNull();
      // The whole fleet, the same on every replica.
      const sets = await Promise.all(
        live.map(async (r) => {
          const reply = await httpGet(r.process.port, '/api/pulse/nodes');
          const nodes = reply.json<{ nodes: Record<string, Array<{ id: string }>> }>().nodes;
          return Object.values(nodes)
            .flat()
            .map((n) => n.id)
            .sort();
        }),
      );
      expect(sets[0]).toHaveLength(NODES + 1);
      expect(sets[1]).toEqual(sets[0]);
      expect(sets[2]).toEqual(sets[0]);
    },
    TIMEOUT_MS,
  );
});
