/**
 * Three real `quasar-collector` processes on one real Redis consume the slow log of a fleet
 * they share by service leases, each exporting logs and metrics to its own OTLP/HTTP receiver,
 * so every record is attributed to the replica that sent it. 20,000 uniquely numbered entries
 * are written over a few seconds while one replica is ended with `kill -9` mid-stream. Shown
 * here: every entry arrives, each record with its own stream entry id; an entry arrives twice
 * only if the dead replica exported it and never acknowledged it, which is bounded by the
 * batches it had in flight; its pending entries move to their services' new owners once its
 * leases lapse (the acquisition claim, not the periodic reclaim); and each service's
 * `quasar.slow.duration` histogram has one writer, before the kill and after.
 *
 * The bounds allow a tolerance for what a loaded 2-core machine adds to the protocol's own
 * delays (see TOLERANCE_MS).
 */
import Redis from 'ioredis';
import { QuasarKeys, parseNodeKey, slowEntryToFields } from '@gravito/quasar/schema';
import type { SlowEntry } from '@gravito/quasar/schema';
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
import { SlowLogArrivals } from './slowlog-arrivals';

const NODES = 300;
const SERVICES = 20;
const REPLICAS = ['r1', 'r2', 'r3'] as const;
const CYCLE_MS = 500;
const EXPORT_MS = 2_000;
const LEASE_TTL_MS = 1_200;
const { refreshMs: MEMBERSHIP_REFRESH_MS } = membershipTiming(LEASE_TTL_MS);
/** What the collector blocks in XREADGROUP for: a claim waits for the read in progress. */
const READ_BLOCK_MS = 1_000;
/** Small, so that each replica has many batches in flight. */
const BATCH = 20;
/**
 * Each receiver answers this much later, like a backend a network away: a replica's exports
 * are in flight that long, so the kill finds it holding entries, some of them already received.
 */
const RECEIVER_DELAY_MS = 50;
const TOTAL = 20_000;
/** Entries per XADD pipeline, and the pause between two: 20,000 entries in about 8 s. */
const CHUNK = 200;
const CHUNK_PAUSE_MS = 80;
/** The victim dies once this many entries were written: mid-stream. */
const KILL_AT = 8_000;
/** The SDK's default `MAXLEN ~`: far above what one stream holds here, so nothing is trimmed. */
const SDK_MAX_LEN = 10_000;
/** As in replicas.test.ts: a membership read, a cycle, and a second of scheduling delays. */
const TOLERANCE_MS = MEMBERSHIP_REFRESH_MS + CYCLE_MS + 1_000;
/**
 * From the kill until no entry is pending under the dead replica's name: its leases lapse one
 * TTL after their last renewal (its entries are idle that long by then too), a survivor takes
 * them at its next cycle and claims at its next read step, after the read it may be blocked in.
 */
const MOVE_BOUND_MS = LEASE_TTL_MS + TOLERANCE_MS + READ_BLOCK_MS;
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

/** Entry `n`, as `recordSlow()` stamps a slow request: its number is in its name only. */
function numberedEntry(n: number, nodeId: string): SlowEntry {
  return {
    kind: 'request',
    name: `GET /orders/${n}`,
    durationMs: 1_000 + (n % 5_000),
    thresholdMs: 1_000,
    nodeId,
    timestamp: Date.now(),
    method: 'GET',
    route: '/orders/:id',
    status: 200,
  };
}

const numberOf = (name: string): number | undefined => {
  const match = /^GET \/orders\/(\d+)$/.exec(name);
  return match ? Number(match[1]) : undefined;
};

/** A counter of a replica's `/metrics`. */
async function counter(replica: Replica, name: string): Promise<number> {
  const text = (await httpGet(replica.process.port, '/metrics')).body;
  const match = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
  if (!match) throw new Error(`${name} is missing from the metrics of ${replica.id}`);
  return Number(match[1]);
}

describeWithRedis('replicas sharing the slow log (real collectors, real Redis)', () => {
  let server: RedisServer;
  let redis: Redis;
  const replicas = new Map<string, Replica>();
  const arrivals = new SlowLogArrivals(numberOf);
  let collecting: NodeJS.Timeout | undefined;
  const services = Array.from({ length: SERVICES }, (_, i) => `svc-${i}`);
  const nodesOf = new Map<string, string[]>(services.map((s) => [s, []]));
  /** Entry number → the service and stream id it was written with. */
  const written: Array<{ service: string; id: string }> = [];
  const measured: Record<string, number> = {};

  /** XADDs entries `from` to `to - 1`, spread over the services and their nodes. */
  async function write(from: number, to: number): Promise<void> {
    const pipeline = redis.pipeline();
    const targets: string[] = [];
    for (let n = from; n < to; n++) {
      const service = services[n % SERVICES]!;
      const nodes = nodesOf.get(service)!;
      const entry = numberedEntry(n, nodes[Math.floor(n / SERVICES) % nodes.length]!);
      pipeline.xadd(
        QuasarKeys.slowLog(service),
        'MAXLEN',
        '~',
        SDK_MAX_LEN,
        '*',
        ...slowEntryToFields(entry),
      );
      targets.push(service);
    }
    const results = (await pipeline.exec()) ?? [];
    results.forEach(([error, id], i) => {
      if (error) throw error;
      written[from + i] = { service: targets[i]!, id: String(id) };
    });
  }

  /** Unacknowledged entries `consumer` holds, over every stream. */
  async function heldBy(consumer: string): Promise<number> {
    let held = 0;
    for (const service of services) {
      const summary = (await redis.xpending(QuasarKeys.slowLog(service), 'quasar-collector')) as [
        number,
        unknown,
        unknown,
        Array<[string, string]> | null,
      ];
      for (const [name, count] of summary[3] ?? []) if (name === consumer) held += Number(count);
    }
    return held;
  }

  async function startReplica(id: string): Promise<Replica> {
    const receiver = await startOtlpReceiver({ responseDelayMs: RECEIVER_DELAY_MS });
    const proc = await startCollectorProcess({
      redisUrl: server.urlFor(0),
      refreshIntervalMs: CYCLE_MS,
      args: [
        ...['--export-metrics', 'true', '--metrics-protocol', 'http/json'],
        ...['--export-logs', 'true', '--logs-protocol', 'http/json'],
        ...['--export-interval', String(EXPORT_MS), '--lease-ttl', String(LEASE_TTL_MS)],
        ...['--slow-batch-size', String(BATCH), '--scan-interval', '1s', '--consumer-name', id],
      ],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint },
    });
    const replica = { id, receiver, process: proc };
    replicas.set(id, replica);
    arrivals.follow(id, receiver);
    return replica;
  }

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

  /** Services whose slow durations in [from, to) were not exported by their owner alone. */
  function strayWriters(from: number, to: number, ids: readonly string[]) {
    arrivals.collect();
    const expected = owners(ids, services);
    const writers = arrivals.histogramWritersIn(from, to);
    return services
      .map((s) => ({ service: s, owner: expected.get(s)!, by: [...(writers.get(s) ?? [])] }))
      .filter(({ owner, by }) => by.length !== 1 || by[0] !== owner);
  }

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.urlFor(0));
    // A beat interval of a minute: keys live 3 minutes, longer than the test.
    const template = { ...(await templateBeat(server.urlFor(0))), interval: 60_000 };
    await redis.flushdb();
    for (const key of await writeFleet(redis, template, NODES, SERVICES)) {
      const { service, nodeId } = parseNodeKey(key)!;
      nodesOf.get(service)!.push(nodeId);
    }
    // Every service has a slow log before the collectors start, as with agents already running.
    await write(0, SERVICES);
    await Promise.all(REPLICAS.map((id) => startReplica(id)));
    collecting = setInterval(() => arrivals.collect(), 100);
    await leasesSettleOn(REPLICAS);
  }, TIMEOUT_MS);

  afterAll(async () => {
    if (collecting) clearInterval(collecting);
    for (const r of replicas.values()) {
      await r.process.stop();
      await r.receiver.close();
    }
    await redis?.quit();
    await server?.stop();
    console.log(`replicas slow-log test measured: ${JSON.stringify(measured)}`);
  });

  it(
    'counts each service’s slow durations on one replica, its owner, while entries stream in',
    async () => {
      // Handovers of the start (a replica alone for a moment) have played out.
      await sleep(EXPORT_MS + CYCLE_MS);
      const from = Date.now();
      await write(SERVICES, 2_000);
      await sleep(2 * EXPORT_MS + CYCLE_MS);
      expect(strayWriters(from, Date.now(), REPLICAS)).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it(
    'delivers each of 20,000 entries through a kill -9 mid-stream, twice only what the dead replica had in flight',
    async () => {
      const byOwner = owners(REPLICAS, services);
      // The replica with the most services: the most streams in flight when it dies.
      const victimId = [...REPLICAS].sort(
        (a, b) =>
          [...byOwner.values()].filter((o) => o === b).length -
          [...byOwner.values()].filter((o) => o === a).length,
      )[0]!;
      const victim = replicas.get(victimId)!;
      const survivors = REPLICAS.filter((id) => id !== victimId).map((id) => replicas.get(id)!);
      const victimStreams = services.filter((s) => byOwner.get(s) === victimId).length;
      /**
       * Entries one replica can hold unacknowledged: the export awaited, the one started after
       * it and the batch read ahead, each at most BATCH per stream, over the streams it owns.
       */
      const inFlightBound = 3 * BATCH * victimStreams;
      const claimedBefore = await Promise.all(
        survivors.map((r) => counter(r, 'quasar_collector_slowlog_claimed_on_acquire_total')),
      );
      const started = Date.now();

      let writing = true;
      const writer = (async () => {
        try {
          for (let n = written.length; n < TOTAL; n += CHUNK) {
            await write(n, Math.min(TOTAL, n + CHUNK));
            await sleep(CHUNK_PAUSE_MS);
          }
        } finally {
          writing = false;
        }
      })();

      // Mid-stream: the victim has exported some of its entries and holds more.
      await eventually(
        async () =>
          written.length >= KILL_AT &&
          arrivals.byNumber.size > 0 &&
          [...arrivals.byNumber.values()].some((c) => c[0]!.replica === victimId) &&
          (await heldBy(victimId)) > 0
            ? true
            : undefined,
        60_000,
        'the victim to hold entries mid-stream',
      );
      process.kill(victim.process.process.pid!, 'SIGKILL');
      const killedAt = Date.now();
      await eventually(() => (victim.process.process.alive() ? undefined : true), 10_000);
      const heldByVictim = await heldBy(victimId);
      const writtenAtKill = written.length;
      expect(writing).toBe(true);

      await eventually(
        async () => ((await heldBy(victimId)) === 0 ? true : undefined),
        30_000,
        "the dead replica's entries to move",
      );
      measured.victimEntriesMovedMs = Date.now() - killedAt;
      await writer;
      measured.writeMs = Date.now() - started;

      // Well within the 60 s after which the periodic reclaim would take them.
      await eventually(
        () => {
          arrivals.collect();
          return arrivals.distinct === TOTAL ? true : undefined;
        },
        45_000,
        'every entry to arrive',
      );
      measured.allArrivedMs = Date.now() - started;
      await eventually(
        async () => {
          for (const service of services) {
            const summary = (await redis.xpending(
              QuasarKeys.slowLog(service),
              'quasar-collector',
            )) as [number, ...unknown[]];
            if (summary[0] > 0) return undefined;
          }
          return true;
        },
        10_000,
        'every entry to be acknowledged',
      );
      arrivals.collect();

      measured.entries = arrivals.distinct;
      measured.records = arrivals.records;
      measured.duplicates = arrivals.duplicates;
      measured.heldByVictim = heldByVictim;
      measured.inFlightBound = inFlightBound;
      measured.writtenAtKill = writtenAtKill;

      // Every entry arrived, and each of its copies carries its own service and stream id.
      expect(arrivals.unnumbered).toBe(0);
      expect(arrivals.distinct).toBe(TOTAL);
      const wrongIds: number[] = [];
      for (const [n, copies] of arrivals.byNumber) {
        const w = written[n]!;
        if (copies.some((c) => c.entryId !== w.id || c.service !== w.service)) wrongIds.push(n);
      }
      expect(wrongIds.slice(0, 5)).toEqual([]);

      // The dead replica held entries, no more than its batches in flight, and they moved to
      // their services' new owners by the acquisition claim, not by the periodic reclaim.
      expect(heldByVictim).toBeGreaterThan(0);
      expect(heldByVictim).toBeLessThanOrEqual(inFlightBound);
      expect(measured.victimEntriesMovedMs).toBeLessThanOrEqual(MOVE_BOUND_MS);
      const claimedAfter = await Promise.all(
        survivors.map((r) => counter(r, 'quasar_collector_slowlog_claimed_on_acquire_total')),
      );
      const claimed = claimedAfter.reduce((a, b, i) => a + b - claimedBefore[i]!, 0);
      expect(claimed).toBe(heldByVictim);
      for (const r of survivors) {
        expect(await counter(r, 'quasar_collector_slowlog_reclaimed_total')).toBe(0);
      }

      // A copy is an entry the dead replica exported and died before acknowledging: one copy
      // from it, one from the survivor that claimed it, and no more of them than it held.
      const duplicated = [...arrivals.byNumber].filter(([, copies]) => copies.length > 1);
      const strays = duplicated.filter(
        ([, copies]) =>
          copies.length !== 2 || copies.filter((c) => c.replica === victimId).length !== 1,
      );
      expect(strays.slice(0, 5)).toEqual([]);
      expect(arrivals.duplicates).toBeLessThanOrEqual(heldByVictim);
    },
    TIMEOUT_MS,
  );

  it(
    'counts each service’s slow durations on one surviving replica once the leases settle',
    async () => {
      const survivors = REPLICAS.filter((id) => replicas.get(id)!.process.process.alive());
      expect(survivors).toHaveLength(2);
      await leasesSettleOn(survivors);
      await sleep(EXPORT_MS + CYCLE_MS);
      const from = Date.now();
      await sleep(2 * EXPORT_MS + CYCLE_MS);
      expect(strayWriters(from, Date.now(), survivors)).toEqual([]);
    },
    TIMEOUT_MS,
  );
});
