/**
 * The `stream` executors against a real Redis holding a Gravito Stream queue written as its
 * Redis driver writes it: the exact re-pushed JSON, lanes, delays and groups as Stream's own
 * retry routes them, exact ids, the `all-failed` bound, and rejections that change nothing.
 */
import Redis from 'ioredis';
import { streamDeleteExecutor } from '../../../../src/queues/drivers/stream/delete';
import { streamRetryExecutor } from '../../../../src/queues/drivers/stream/retry';
import { CommandRejectedError } from '../../../../src/commands/executor';
import type { ExecutionTarget } from '../../../../src/commands/executor';
import { claimDatabase, describeWithRedis } from '../../../../../testing/redis';
import { auditRead } from '../../../support/read-only-audit';
import { StreamQueue, streamJob } from '../../layouts/stream';
import type { StreamJob } from '../../layouts/stream';

const one = (jobId: string): ExecutionTarget => ({
  queue: 'emails',
  scope: 'job',
  jobId,
  maxJobs: 1000,
});
const all = (maxJobs: number): ExecutionTarget => ({
  queue: 'emails',
  scope: 'all-failed',
  maxJobs,
});

/** What Stream's `push()` writes for a retried job: its fields in push order, attempts 0. */
const retried = (job: StreamJob): string =>
  `{"id":${JSON.stringify(job.id)},"type":"class","data":${JSON.stringify(job.data)},` +
  `"className":${JSON.stringify(job.className)},"createdAt":${job.createdAt},` +
  `"attempts":0,"maxAttempts":3}`;

describe.each([
  ['with the default prefix', undefined],
  ['with the prefix app:jobs:', 'app:jobs:'],
])('stream executors (real Redis) %s', (_title, prefix) => {
  describeWithRedis('', () => {
    let url: string;
    let redis: Redis;
    let queue: StreamQueue;
    const options = prefix === undefined ? {} : { prefix };
    const t0 = Date.now() - 60_000;

    beforeEach(async () => {
      url = await claimDatabase();
      redis = new Redis(url);
      queue = new StreamQueue(redis, 'emails', prefix);
    });
    afterEach(async () => {
      await redis.quit();
    });

    /** Fails `count` jobs a second apart (with `extra` fields); returns them, oldest first. */
    async function failMany(
      count: number,
      extra: Partial<StreamJob> & object = {},
    ): Promise<StreamJob[]> {
      const jobs: StreamJob[] = [];
      for (let i = 0; i < count; i++) {
        const job = {
          ...streamJob('SendReceipt', { orderId: i, note: 'Zoë/a' }, t0 + i),
          ...extra,
        };
        await queue.fail(job, `SMTP 554 #${i}`, t0 + i + 500);
        jobs.push(job);
      }
      return jobs;
    }

    it('pushes the job back with attempts 0 and without error and failedAt, as Stream does', async () => {
      const [first, second] = (await failMany(2)) as [StreamJob, StreamJob];

      expect(await streamRetryExecutor.execute({ redis, options }, one(first.id))).toEqual({
        affected: 1,
      });

      expect(await redis.lrange(queue.key, 0, -1)).toEqual([retried(first)]);
      const left = await redis.lrange(`${queue.key}:failed`, 0, -1);
      expect(left.map((raw) => (JSON.parse(raw) as StreamJob).id)).toEqual([second.id]);
    });

    it('routes the job as push() does: its priority lane, its delay, its group', async () => {
      const [high] = (await failMany(1, { priority: 'high' } as Partial<StreamJob>)) as [StreamJob];
      const [later] = (await failMany(1, { delaySeconds: 30 })) as [StreamJob];
      const [grouped] = (await failMany(1, { groupId: 'tenant-7' })) as [StreamJob];
      const before = Date.now();

      for (const job of [high, later, grouped]) {
        await streamRetryExecutor.execute({ redis, options }, one(job.id));
      }

      expect(await redis.lrange(queue.lane('high'), 0, -1)).toEqual([retried(high)]);
      const [delayed, score] = await redis.zrange(`${queue.key}:delayed`, 0, -1, 'WITHSCORES');
      expect(JSON.parse(delayed as string)).toMatchObject({
        id: later.id,
        delaySeconds: 30,
        attempts: 0,
      });
      expect(Number(score)).toBeGreaterThanOrEqual(before + 30_000);
      expect(await redis.smembers(`${prefix ?? 'queue:'}active`)).toEqual(['tenant-7']);
      const [pushed] = await redis.lrange(queue.key, 0, -1);
      expect(JSON.parse(pushed as string)).toMatchObject({ id: grouped.id, groupId: 'tenant-7' });
    });

    it('matches the id exactly: of failed jobs 1, 10 and 11, only 1 is touched', async () => {
      for (const id of ['10', '1', '11']) {
        await queue.fail({ ...streamJob('SendReceipt', {}, t0), id }, 'boom', t0);
      }
      await streamRetryExecutor.execute({ redis, options }, one('1'));

      const pushed = await redis.lrange(queue.key, 0, -1);
      expect(pushed.map((raw) => (JSON.parse(raw) as StreamJob).id)).toEqual(['1']);
      await streamDeleteExecutor.execute({ redis, options }, one('10'));
      const left = await redis.lrange(`${queue.key}:failed`, 0, -1);
      expect(left.map((raw) => (JSON.parse(raw) as StreamJob).id)).toEqual(['11']);
    });

    it('retries the newest maxJobs failures, the oldest of them first in line', async () => {
      const jobs = await failMany(5);

      expect(await streamRetryExecutor.execute({ redis, options }, all(3))).toEqual({
        affected: 3,
      });

      // Workers pop the right end: the oldest retried job runs first.
      expect(await redis.lrange(queue.key, 0, -1)).toEqual(jobs.slice(2).reverse().map(retried));
      expect(await redis.llen(`${queue.key}:failed`)).toBe(2);
    });

    it('deletes one failed job by id, or the newest maxJobs of them', async () => {
      const jobs = (await failMany(4)) as [StreamJob, StreamJob, StreamJob, StreamJob];

      expect(await streamDeleteExecutor.execute({ redis, options }, one(jobs[1].id))).toEqual({
        affected: 1,
      });
      expect(await streamDeleteExecutor.execute({ redis, options }, all(2))).toEqual({
        affected: 2,
      });

      const left = await redis.lrange(`${queue.key}:failed`, 0, -1);
      expect(left.map((raw) => (JSON.parse(raw) as StreamJob).id)).toEqual([jobs[0].id]);
      expect(await redis.llen(queue.key)).toBe(0);
    });

    it('rejects an id that is not failed, or only a prefix of one, and changes nothing', async () => {
      const [job] = (await failMany(1)) as [StreamJob];
      for (const id of ['nope', job.id.slice(0, 5)]) {
        for (const executor of [streamRetryExecutor, streamDeleteExecutor]) {
          await expect(executor.execute({ redis, options }, one(id))).rejects.toThrow(
            CommandRejectedError,
          );
          const audit = await auditRead(redis, url, (r) =>
            executor.execute({ redis: r, options }, one(id)).catch((error: unknown) => error),
          );
          expect(audit.after).toEqual(audit.before);
        }
      }
    });
  });
});
