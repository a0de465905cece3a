/**
 * Ownership moving while the slow log is written, through real crashes: replicas run in child
 * processes, and two of them are ended with SIGKILL in the middle of their exports. Every one of
 * 20,000 uniquely numbered entries arrives, with its own stream entry id; an entry arrives twice
 * only if a replica exported it and died before acknowledging it, which is bounded by the
 * batches it had in flight.
 */
import { QuasarKeys, slowEntryToFields } from '@gravito/quasar/schema';
import { attributeMap } from '../../../testing/otlp-receiver';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';
import { forkConsumerChild } from './consumer-child';
import type { ConsumerChild } from './consumer-child';
import { ConsumerRig, ENTRY_ID, GROUP, entryKey, pendingCount, slowJob } from './consumer-fixture';
import type { EntryKey } from './consumer-fixture';

const SERVICES = Array.from({ length: 10 }, (_, i) => `svc-${i}`);
const FIRST = SERVICES.slice(0, 5);
const SECOND = SERVICES.slice(5);
const TOTAL = 20_000;
const BATCH = 50;
const CLAIM_IDLE_MS = 500;
/** Entries written per round trip. */
const CHUNK = 250;
/** How far the writer runs ahead of what has arrived: the replicas always have work in flight. */
const LEAD = 2_000;
/**
 * Entries one replica can hold unacknowledged: the export awaited, the one started after it and
 * the batch read ahead, each at most `BATCH` per stream, over the five streams it owns.
 */
const IN_FLIGHT_BOUND = 3 * BATCH * FIRST.length;

/** Unacknowledged entries a consumer holds over `services`. */
async function heldBy(rig: ConsumerRig, consumer: string, services: readonly string[]) {
  let held = 0;
  for (const service of services) {
    const summary = (await rig.redis.xpending(QuasarKeys.slowLog(service), GROUP)) as [
      number,
      unknown,
      unknown,
      Array<[string, string]> | null,
    ];
    for (const [name, count] of summary[3] ?? []) if (name === consumer) held += Number(count);
  }
  return held;
}

describeWithRedis('slow-log ownership moving between replicas that crash', () => {
  let url: string;
  let rig: ConsumerRig;
  const children: ConsumerChild[] = [];

  beforeAll(async () => {
    url = await claimDatabase();
  });

  beforeEach(async () => {
    rig = await ConsumerRig.start(url);
  });

  afterEach(async () => {
    await Promise.all(children.splice(0).map((child) => child.kill()));
    await rig?.dispose();
  });

  it('delivers each of 20,000 entries written while ownership moves and two replicas are killed', async () => {
    const replica = async (consumer: string) => {
      const child = await forkConsumerChild({
        redisUrl: url,
        logsUrl: rig.receiver.logsUrl,
        consumer,
        batchSize: BATCH,
        exportDelayMs: 20,
      });
      children.push(child);
      return child;
    };
    /** Entry number → its service and stream id. */
    const written: EntryKey[] = [];
    const arrived = () => {
      const numbers = new Set<string>();
      for (const { record } of rig.receiver.logRecords()) {
        numbers.add(String(attributeMap(record.attributes)['quasar.slow.name']));
      }
      return numbers.size;
    };
    /** Writes up to one chunk, without waiting for it to arrive. */
    const writeChunk = async (target = Math.min(written.length + CHUNK, TOTAL)) => {
      const pipeline = rig.redis.pipeline();
      const services: string[] = [];
      for (let i = 0; i < CHUNK && written.length + i < target; i++) {
        const n = written.length + i;
        const service = SERVICES[n % SERVICES.length]!;
        const entry = slowJob({ name: `entry-${n}`, nodeId: `worker-${n % 3}` });
        pipeline.xadd(QuasarKeys.slowLog(service), '*', ...slowEntryToFields(entry));
        services.push(service);
      }
      const results = (await pipeline.exec()) ?? [];
      results.forEach(([error, id], i) => {
        if (error) throw error;
        written.push(entryKey(services[i]!, String(id)));
      });
    };
    const writeUpTo = async (target: number) => {
      while (written.length < target) {
        await writeChunk(target);
        await rig.receiver.waitFor(() => arrived() >= written.length - LEAD, 30_000);
      }
    };

    const a = await replica('replica-a');
    const b = await replica('replica-b');
    await a.own(FIRST, FIRST, CLAIM_IDLE_MS);
    await b.own(SECOND, SECOND, CLAIM_IDLE_MS);
    await writeUpTo(5_000);

    // a dies mid-export; its lease goes to b.
    await a.kill();
    const heldByA = await heldBy(rig, 'replica-a', FIRST);
    await b.own(SERVICES, FIRST, CLAIM_IDLE_MS);
    // Moved once idle for CLAIM_IDLE_MS, not after the periodic reclaim's 60 s.
    await eventually(
      async () => ((await heldBy(rig, 'replica-a', FIRST)) === 0 ? true : undefined),
      10_000,
      "the dead replica's entries to move to b",
    );
    await writeUpTo(10_000);

    // A new replica joins and b hands it half of the services, alive.
    const c = await replica('replica-c');
    await b.own(FIRST, [], CLAIM_IDLE_MS);
    await c.own(SECOND, SECOND, CLAIM_IDLE_MS);
    await writeUpTo(15_000);
    // Each service's durations are counted by its owner alone.
    const [bMid, cMid] = await Promise.all([b.report(), c.report()]);
    expect(bMid.histogramServices).toEqual(FIRST);
    expect(cMid.histogramServices).toEqual(SECOND);

    // c dies mid-export; its lease goes back to b. Chunks are written without waiting for their
    // arrival until c is seen holding entries it read and has not acknowledged, then it is killed
    // at once (waiting for arrival first could let c finish everything before the kill).
    await eventually(
      async () => {
        await writeChunk();
        return (await heldBy(rig, 'replica-c', SECOND)) > 0 ? true : undefined;
      },
      10_000,
      'replica c to hold entries',
    );
    await c.kill();
    const heldByC = await heldBy(rig, 'replica-c', SECOND);
    await b.own(SERVICES, SECOND, CLAIM_IDLE_MS);
    await writeUpTo(TOTAL);

    // Well within the 60 s after which the periodic reclaim would take a dead replica's entries.
    await rig.receiver.waitFor(() => arrived() === TOTAL, 30_000);
    await eventually(
      async () => {
        for (const service of SERVICES) if ((await pendingCount(rig.redis, service)) > 0) return;
        return true;
      },
      10_000,
      'every entry to be acknowledged',
    );

    const records = rig.receiver.logRecords();
    const byNumber = new Map<number, Set<string>>();
    for (const { resource, record } of records) {
      const attributes = attributeMap(record.attributes);
      const n = Number(String(attributes['quasar.slow.name']).slice('entry-'.length));
      const key = entryKey(String(resource['service.name']), String(attributes[ENTRY_ID]));
      byNumber.set(n, (byNumber.get(n) ?? new Set()).add(key));
    }
    // Every entry arrived, and each of its copies carries its own stream entry id.
    expect(byNumber.size).toBe(TOTAL);
    for (const [n, keys] of byNumber) expect([...keys]).toEqual([written[n]]);

    const end = await b.report();
    expect(end.histogramServices).toEqual(SERVICES);
    // The killed replicas held entries; b claimed each of them on acquiring their services.
    expect(heldByA).toBeGreaterThan(0);
    expect(heldByC).toBeGreaterThan(0);
    expect(heldByA).toBeLessThanOrEqual(IN_FLIGHT_BOUND);
    expect(heldByC).toBeLessThanOrEqual(IN_FLIGHT_BOUND);
    expect(end.counts.claimedOnAcquire).toBe(heldByA + heldByC);
    expect(end.counts.reclaimed).toBe(0);
    // A duplicate is an entry exported, then claimed from its exporter before it was acknowledged.
    const duplicates = records.length - TOTAL;
    expect(duplicates).toBeLessThanOrEqual(
      end.counts.claimedOnAcquire + cMid.counts.claimedOnAcquire,
    );
  }, 120_000);
});
