/**
 * The bullmq probe's closed minutes against the real BullMQ: workers complete, retry and fail
 * known jobs within one minute of Redis's clock, one job runs over into the next, and two
 * probes that began reading at different times report that minute alike and exactly. The
 * test waits for one minute boundary of Redis's clock (up to about 80 s).
 */
import { Queue, Worker } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';
import Redis from 'ioredis';
import { bullmqProbe } from '../../../../src/queues/drivers/bullmq/probe';
import type { QueueProbe } from '../../../../src/queues/types';
import { startMonitor } from '../../../support/monitor';
import {
  bullmqConnection,
  claimDatabase,
  describeWithRedis,
  eventually,
  uniqueName,
} from '../../../../../testing/redis';

const prefix = '{bull}';
const MINUTE = 60_000;
/** The first batch starts no later than this into a minute, so it ends within it. */
const LATEST_START_MS = 40_000;

describeWithRedis('bullmq probe periods (real BullMQ)', () => {
  let connection: ConnectionOptions;
  let redis: Redis;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    const url = await claimDatabase();
    connection = bullmqConnection(url);
    redis = new Redis(url);
  });
  afterAll(async () => {
    for (const close of closers) await close();
    await redis?.quit();
  });

  /** Redis's clock, ms: the clock stream ids, and so the minutes, are made from. */
  const redisMs = async () => {
    const [s, us] = await redis.time();
    return Number(s) * 1000 + Number(us) / 1000;
  };
  const untilRedisMs = (ms: number) =>
    eventually(async () => ((await redisMs()) >= ms ? true : undefined), 65_000, `Redis at ${ms}`);
  const read = (probe: QueueProbe) => probe.read({ redis, nowMs: Date.now() });
  const settled = (q: Queue, completed: number, failed: number, timeoutMs = 15_000) =>
    eventually(
      async () => {
        const c = await q.getJobCounts('completed', 'failed');
        return c.completed === completed && c.failed === failed ? true : undefined;
      },
      timeoutMs,
      `${completed} completed and ${failed} failed`,
    );

  it('sends TIME before the XRANGE, and XINFO after it', async () => {
    const probe = bullmqProbe.create(uniqueName('order'), { prefix });
    // The probe's connection, as MONITOR names it: other test files share the server.
    await redis.ping();
    const client = `:${redis.stream.localPort}`;
    const monitor = await startMonitor(redis);
    const sent: string[] = [];
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      const command = args[0]?.toLowerCase() ?? '';
      if (source.endsWith(client) && ['time', 'xrange', 'xinfo'].includes(command)) {
        sent.push(command);
      }
    });
    try {
      await read(probe);
      await read(probe);
      // MONITOR shows a command once it ran: wait for the second read's three.
      await eventually(() => (sent.length >= 6 ? true : undefined), 5_000, 'six commands');
    } finally {
      monitor.disconnect();
    }
    expect(sent).toEqual(['time', 'xrange', 'xinfo', 'time', 'xrange', 'xinfo']);
  });

  it('reports the jobs a minute added, completed and failed exactly, alike from two probes', async () => {
    const name = uniqueName('periods');
    const q = new Queue(name, { connection, prefix });
    closers.push(() => q.close());
    if ((await redisMs()) % MINUTE > LATEST_START_MS) {
      await untilRedisMs(Math.ceil((await redisMs()) / MINUTE) * MINUTE);
    }
    const startMs = Math.floor((await redisMs()) / MINUTE) * MINUTE;
    const endMs = startMs + MINUTE;
    // A queue whose stream exists: with none, the probe cannot tell that none was deleted
    // earlier in the minute, and counts from the next one.
    await q.add('ok', {});
    const early = bullmqProbe.create(name, { prefix });
    await read(early);

    const worker = new Worker(
      name,
      (job) => {
        if (job.name === 'bad') return Promise.reject(new Error('declined'));
        if (job.name === 'flaky' && job.attemptsMade === 0) {
          return Promise.reject(new Error('try again'));
        }
        return Promise.resolve('ok');
      },
      { connection, prefix, concurrency: 4 },
    );
    closers.push(() => worker.close());
    // Added in this minute; runs just after its end, so it is completed in the next one.
    const overrun = endMs + 1_000 - Date.now();
    await q.addBulk([
      ...Array.from({ length: 5 }, () => ({ name: 'ok', data: {} })),
      ...Array.from({ length: 2 }, () => ({ name: 'flaky', data: {}, opts: { attempts: 2 } })),
      ...Array.from({ length: 3 }, () => ({ name: 'bad', data: {}, opts: { attempts: 1 } })),
      { name: 'ok', data: {}, opts: { delay: overrun } },
    ]);
    await settled(q, 8, 3);
    expect(await redisMs()).toBeLessThan(endMs);
    // A probe that begins mid-minute counts that minute from its start all the same.
    const late = bullmqProbe.create(name, { prefix });
    await read(late);
    expect((await read(early)).periods).toBeUndefined();

    await settled(q, 9, 3, MINUTE + 15_000);
    await q.addBulk([
      ...Array.from({ length: 4 }, () => ({ name: 'ok', data: {} })),
      { name: 'bad', data: {}, opts: { attempts: 1 } },
    ]);
    await settled(q, 13, 4);
    const expected = [
      // 12 added; the 2 flaky jobs retried once count as completed, never as failed; the
      // delayed job completed after the minute's end; the last batch is in the next minute.
      { startMs, endMs, in: 12, completed: 8, failed: 3, source: 'events' },
    ];
    expect((await read(early)).periods).toEqual(expected);
    expect((await read(late)).periods).toEqual(expected);
  }, 150_000);
});
