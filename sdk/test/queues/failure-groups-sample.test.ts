/**
 * Failure groups of the systems whose probe reads no more than the failed sample: a Stream
 * queue and a Horizon queue, each written as its system writes it, with jobs failing with three
 * kinds of errors. The monitor groups their sample; the groups and counts are exact.
 */
import Redis from 'ioredis';
import { horizonProbe } from '../../src/queues/drivers/horizon/probe';
import { streamProbe } from '../../src/queues/drivers/stream/probe';
import { QueueMonitor } from '../../src/queues/queue-monitor';
import type { QueueProbe } from '../../src/queues/types';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';
import { HorizonRepository, phpExceptionString } from './layouts/horizon';
import { LaravelRedisQueue } from './layouts/laravel';
import { StreamQueue, streamJob } from './layouts/stream';

/** Three kinds of failure, six, four and two of each; within a kind only values differ. */
const KINDS = [
  { count: 6, message: (n: number) => `SMTP 554 refused for user ${n}@example.com` },
  { count: 4, message: (n: number) => `Deadlock on row ${n * 17} of "orders"` },
  { count: 2, message: (n: number) => `Carrier 10.0.3.${n}:8443 timed out after ${3000 + n} ms` },
];
/** Twelve failures, interleaved: the kinds do not come in runs. */
const FAILURES = Array.from({ length: 6 }, (_, n) =>
  KINDS.filter((k) => n < k.count).map((k) => k.message(n)),
).flat();

describeWithRedis('failure groups from the failed sample (Stream, Horizon)', () => {
  let redis: Redis;
  const nowMs = Date.now();

  beforeEach(async () => {
    redis = new Redis(await claimDatabase());
  });
  afterEach(async () => {
    await redis.quit();
  });

  async function groupsOf(probe: QueueProbe) {
    const monitor = new QueueMonitor();
    monitor.add(probe.queue, probe, true);
    const [snapshot] = await monitor.snapshot(redis, 5_000);
    expect(snapshot?.error).toBeUndefined();
    return snapshot?.failureGroups;
  }

  it('groups a Stream queue’s failed list', async () => {
    const queue = new StreamQueue(redis, 'emails');
    for (const [i, error] of FAILURES.entries()) {
      await queue.fail(
        streamJob('SendReceipt', { i }, nowMs - 60_000),
        error,
        nowMs - 30_000 + i * 1000,
      );
    }

    const groups = await groupsOf(streamProbe.create('emails', {}));

    expect(groups).toMatchObject({ others: 0, scanned: 12 });
    expect(groups?.groups.map((g) => [g.message, g.count])).toEqual([
      ['SMTP <n> refused for user <email>', 6],
      ['Deadlock on row <n> of <str>', 4],
      ['Carrier <ip> timed out after <n> ms', 2],
    ]);
    expect(groups?.groups[0]).toMatchObject({
      firstSeen: nowMs - 30_000,
      lastSeen: nowMs - 30_000 + 11_000, // the last SMTP failure is the twelfth
    });
  });

  it('groups a Horizon queue’s failed jobs, the PHP exception’s first line as its message', async () => {
    const horizon = new HorizonRepository(redis, {
      horizonPrefix: 'laravel_horizon:',
      cluster: false,
    });
    const queue = new LaravelRedisQueue(redis, 'emails', { prefix: '', cluster: false });
    const t0 = Math.floor(nowMs / 1000) - 600;
    for (const [i, error] of FAILURES.entries()) {
      const spec = { className: 'App\\Jobs\\SendReceipt', createdAt: t0 + i, tries: 1 };
      await horizon.push(queue, spec, t0 + i);
      const reserved = await horizon.reserve(queue, t0 + i + 0.25);
      const exception = phpExceptionString(
        'RuntimeException',
        error,
        '/var/www/app/Jobs/SendReceipt.php',
      );
      await horizon.fail(queue, reserved, exception, t0 + i + 0.5);
    }

    const groups = await groupsOf(horizonProbe.create('emails', {}));

    expect(groups).toMatchObject({ others: 0, scanned: 12 });
    const where = 'in /var/www/app/Jobs/SendReceipt.php:<n>';
    expect(groups?.groups.map((g) => [g.message, g.count])).toEqual([
      [`RuntimeException: SMTP <n> refused for user <email> ${where}`, 6],
      [`RuntimeException: Deadlock on row <n> of <str> ${where}`, 4],
      [`RuntimeException: Carrier <ip> timed out after <n> ms ${where}`, 2],
    ]);
  });
});
