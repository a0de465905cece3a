/**
 * The bullmq probe's throughput against the real BullMQ: jobs added, completed, retried and
 * failed between two reads give exact counts over the window Redis's clock measured; a stream
 * trimmed between reads is a gap, not a guess; a burst past the read bound is counted over
 * several windows without losing an entry.
 */
import { Queue, Worker } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';
import Redis from 'ioredis';
import { MAX_EVENTS_PER_READ } from '../../../../src/queues/drivers/bullmq/events-throughput';
import { bullmqProbe } from '../../../../src/queues/drivers/bullmq/probe';
import type { QueueProbe } from '../../../../src/queues/types';
import type { QueueThroughput } from '../../../../src/schema';
import { createRedisClient } from '../../../../src/redis/redis-client';
import type { RedisClient } from '../../../../src/redis/redis-client';
import {
  bullmqConnection,
  claimDatabase,
  describeWithRedis,
  describeWithRedisCluster,
  eventually,
  testClusterUrl,
  uniqueName,
} from '../../../../../testing/redis';

const prefix = '{bull}';
const MINUTE = 60_000;

/** Jobs per minute back to the count of jobs over the window. */
const jobs = (rate: number | undefined, t: QueueThroughput) =>
  Math.round(((rate ?? NaN) * (t.windowMs ?? NaN)) / MINUTE);

describeWithRedis('bullmq probe throughput (real BullMQ)', () => {
  let connection: ConnectionOptions;
  let redis: Redis;
  const closers: (() => Promise<unknown>)[] = [];
  const queue = (name: string) => {
    const q = new Queue(name, { connection, prefix });
    closers.push(() => q.close());
    return q;
  };
  /** Redis's clock, ms, the clock the window is measured on. */
  const redisMs = async () => {
    const [s, us] = await redis.time();
    return Number(s) * 1000 + Number(us) / 1000;
  };
  /** One probe read, with Redis's clock just before and just after it. */
  const read = async (probe: QueueProbe) => {
    const before = await redisMs();
    const reading = await probe.read({ redis, nowMs: Date.now() });
    return { reading, before, after: await redisMs() };
  };
  /** A worker: `ok` completes, `flaky` fails its first attempt, `bad` always fails. */
  const worker = (name: string, metrics: boolean) => {
    const w = new Worker(
      name,
      (job) => {
        if (job.name === 'bad') return Promise.reject(new Error('declined'));
        if (job.name === 'flaky' && job.attemptsMade === 0) {
          return Promise.reject(new Error('try again'));
        }
        return Promise.resolve('ok');
      },
      {
        connection,
        prefix,
        concurrency: 4,
        ...(metrics ? { metrics: { maxDataPoints: 60 } } : {}),
      },
    );
    closers.push(() => w.close());
    return w;
  };
  const settled = (q: Queue, completed: number, failed: number) =>
    eventually(
      async () => {
        const c = await q.getJobCounts('completed', 'failed');
        return c.completed === completed && c.failed === failed ? true : undefined;
      },
      15_000,
      `${completed} completed and ${failed} failed`,
    );

  beforeAll(async () => {
    const url = await claimDatabase();
    connection = bullmqConnection(url);
    redis = new Redis(url);
  });
  afterAll(async () => {
    for (const close of closers) await close();
    await redis?.quit();
  });

  it.each([
    ['events', false],
    ['metrics', true],
  ] as const)(
    'counts added, finished and failed jobs between two reads exactly (%s)',
    async (source, metrics) => {
      const name = uniqueName('flow');
      const q = queue(name);
      const probe = bullmqProbe.create(name, { prefix });
      worker(name, metrics);
      // Metrics counters exist only once a job finished: one before the window starts.
      await q.add('ok', {});
      await settled(q, 1, 0);
      const first = await read(probe);
      expect(first.reading.throughput).toBeUndefined();

      await q.addBulk([
        ...Array.from({ length: 6 }, () => ({ name: 'ok', data: {} })),
        ...Array.from({ length: 2 }, () => ({ name: 'flaky', data: {}, opts: { attempts: 2 } })),
        ...Array.from({ length: 3 }, () => ({ name: 'bad', data: {}, opts: { attempts: 1 } })),
        { name: 'later', data: {}, opts: { delay: 3_600_000 } },
      ]);
      await settled(q, 1 + 6 + 2, 3);
      const second = await read(probe);
      const t = second.reading.throughput as QueueThroughput;
      expect(t.source).toBe(source);
      // Whole ms of Redis's clock: within a ms of the span between the two reads.
      expect(t.windowMs).toBeGreaterThanOrEqual(second.before - first.after - 1);
      expect(t.windowMs).toBeLessThanOrEqual(second.after - first.before + 1);
      // 12 added; 8 completed (the flaky ones retried once, not counted as failed) and 3 failed.
      expect(jobs(t.in, t)).toBe(12);
      expect(jobs(t.out, t)).toBe(11);
      expect(jobs(t.failed, t)).toBe(3);
      expect(t.in).toBeCloseTo((12 * MINUTE) / (t.windowMs as number), 9);

      const third = await read(probe);
      const idle = third.reading.throughput as QueueThroughput;
      expect(idle).toMatchObject({ in: 0, out: 0, failed: 0 });
      expect(idle.windowMs).toBeLessThanOrEqual(third.after - second.before + 1);
    },
  );

  it('reports no window over entries trimmed before they were read, then counts again', async () => {
    const name = uniqueName('trim');
    const q = queue(name);
    const probe = bullmqProbe.create(name, { prefix });
    await q.add('a', {});
    await read(probe);
    await q.addBulk(Array.from({ length: 20 }, () => ({ name: 'a', data: {} })));
    await redis.xtrim(`${prefix}:${name}:events`, 'MAXLEN', 5);
    const trimmed = await read(probe);
    expect(trimmed.reading.throughput).toBeUndefined();
    expect(trimmed.reading.size.waiting).toBe(21);

    await q.addBulk(Array.from({ length: 4 }, () => ({ name: 'a', data: {} })));
    const after = await read(probe);
    const t = after.reading.throughput as QueueThroughput;
    expect(jobs(t.in, t)).toBe(4);
    expect(t.out).toBe(0);
  });

  it('keeps counting when only the entries already read were trimmed', async () => {
    const name = uniqueName('trim-read');
    const q = queue(name);
    const probe = bullmqProbe.create(name, { prefix });
    await q.addBulk(Array.from({ length: 10 }, () => ({ name: 'a', data: {} })));
    await read(probe);
    await redis.xtrim(`${prefix}:${name}:events`, 'MAXLEN', 0);
    await q.add('a', {});
    const t = (await read(probe)).reading.throughput as QueueThroughput;
    expect(jobs(t.in, t)).toBe(1);
  });

  it('reads a burst past the bound over several windows, losing no entry', async () => {
    const name = uniqueName('burst');
    const q = queue(name);
    const probe = bullmqProbe.create(name, { prefix });
    await read(probe);
    const added = 1200;
    // Each add writes two entries (`added`, `waiting`): 2,400 entries, more than two reads.
    await q.addBulk(Array.from({ length: added }, () => ({ name: 'a', data: {} })));
    const counted: number[] = [];
    for (let reads = 0; reads < 3; reads++) {
      const t = (await read(probe)).reading.throughput;
      // A window under one ms (the whole burst within a ms) carries its count to the next.
      if (t) counted.push(jobs(t.in, t));
    }
    expect(counted.reduce((a, b) => a + b, 0)).toBe(added);
    expect(counted.at(-1)).toBe(added % (MAX_EVENTS_PER_READ / 2));
  });

  it('reports zeros for a queue that has never had an event', async () => {
    const probe = bullmqProbe.create(uniqueName('silent'), { prefix });
    const first = await read(probe);
    // A window needs Redis's clock to move on by a millisecond: two reads within one ms give no
    // rate (the window carries to the next read), and these two reads can be that quick.
    await eventually(async () =>
      Math.floor(await redisMs()) > Math.floor(first.after) ? true : undefined,
    );
    const t = (await read(probe)).reading.throughput as QueueThroughput;
    expect(t).toMatchObject({ in: 0, out: 0, failed: 0, source: 'events' });
  });
});

describeWithRedisCluster('bullmq probe throughput on a Redis Cluster (real BullMQ)', () => {
  let redis: RedisClient;
  let q: Queue;

  beforeAll(async () => {
    redis = createRedisClient(testClusterUrl() as string, { lazyConnect: true });
    await redis.connect();
  });
  afterAll(async () => {
    await q?.close();
    await redis?.quit();
  });

  it('counts added jobs over a window on the node that holds the queue', async () => {
    const name = uniqueName('cluster-flow');
    // BullMQ on a cluster: a hash-tagged prefix keeps every key of the queue in one slot.
    q = new Queue(name, { connection: redis, prefix });
    const probe = bullmqProbe.create(name, { prefix });
    await q.add('a', {});
    await probe.read({ redis, nowMs: Date.now() });
    await q.addBulk(Array.from({ length: 5 }, () => ({ name: 'a', data: {} })));
    const t = (await probe.read({ redis, nowMs: Date.now() })).throughput as QueueThroughput;
    expect(jobs(t.in, t)).toBe(5);
    expect(t.out).toBe(0);
  });
});
