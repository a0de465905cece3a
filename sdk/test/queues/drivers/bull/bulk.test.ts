/**
 * Bulk commands on a legacy bull queue against real Bull: a processor fails 15 jobs with three
 * kinds of application errors (7/5/3), the probe groups them, and the retry executor selects
 * the middle group by its key: a dry run counts exactly its 5 jobs, a run moves exactly them.
 */
import Bull from 'bull';
import Redis from 'ioredis';
import { bullProbe } from '../../../../src/queues/drivers/bull/probe';
import { bullRetryExecutor } from '../../../../src/queues/drivers/bull/retry';
import {
  claimDatabase,
  describeWithRedis,
  eventually,
  uniqueName,
} from '../../../../../testing/redis';
import { MESSAGES, failAs } from '../../failures/app-errors';
import type { Kind } from '../../failures/app-errors';

const prefix = '{bull}';
const MIX: Record<Kind, number> = { charge: 7, lookup: 5, sync: 3 };

describeWithRedis('bull bulk commands by failure group (real Bull)', () => {
  let url: string;
  let redis: Redis;
  let queue: Bull.Queue;

  beforeAll(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
    const name = uniqueName('orders');
    queue = new Bull(name, url, { prefix });
    const processor = new Bull(name, url, { prefix });
    void processor.process('*', 10, (job) => failAs(job.name, (job.data as { n: number }).n));
    try {
      await queue.addBulk(
        (Object.keys(MIX) as Kind[]).flatMap((kind) =>
          Array.from({ length: MIX[kind] }, (_, n) => ({ name: kind, data: { n } })),
        ),
      );
      await eventually(
        async () => ((await queue.getFailedCount()) === 15 ? true : undefined),
        30_000,
        '15 failed jobs',
      );
    } finally {
      // Retried jobs stay waiting: nothing processes them any more.
      await processor.close();
    }
  });

  afterAll(async () => {
    await queue?.close();
    await redis?.quit();
  });

  it('dry-runs, then retries exactly the jobs of the middle group', async () => {
    const reading = await bullProbe
      .create(queue.name, { prefix })
      .read({ redis, nowMs: Date.now() });
    expect(reading.failureGroups?.groups.map((g) => [g.message, g.count])).toEqual([
      [MESSAGES.charge, 7],
      [MESSAGES.lookup, 5],
      [MESSAGES.sync, 3],
    ]);
    const lookup = reading.failureGroups?.groups.find((g) => g.message === MESSAGES.lookup);
    const target = {
      queue: queue.name,
      scope: 'all-failed' as const,
      maxJobs: 1000,
      fingerprint: lookup?.key ?? '',
      batchPauseMs: 0,
    };
    const context = { redis, options: { prefix } };

    await expect(
      bullRetryExecutor.execute(context, { ...target, dryRun: true }),
    ).resolves.toMatchObject({ affected: 0, preview: { matched: 5, scanned: 15, complete: true } });
    expect(await queue.getFailedCount()).toBe(15);

    await expect(bullRetryExecutor.execute(context, target)).resolves.toMatchObject({
      affected: 5,
    });
    const failed = await queue.getFailed();
    const waiting = await queue.getWaiting();
    expect(failed.map((j) => j.name).sort()).toEqual([
      ...Array<string>(7).fill('charge'),
      ...Array<string>(3).fill('sync'),
    ]);
    expect(waiting.map((j) => j.name)).toEqual(Array<string>(5).fill('lookup'));
  });
});
