/**
 * The plain `redis` list executors against a real Redis: failed elements move unchanged
 * between `{q}:failed` and `{q}`, matched exactly (a whole element or a JSON `id`), bounded, and
 * rejections change nothing.
 */
import Redis from 'ioredis';
import { listDeleteExecutor } from '../../../../src/queues/drivers/redis/delete';
import { isJob } from '../../../../src/queues/drivers/redis/failed-elements';
import { listRetryExecutor } from '../../../../src/queues/drivers/redis/retry';
import { CommandRejectedError } from '../../../../src/commands/executor';
import type { ExecutionTarget } from '../../../../src/commands/executor';
import { claimDatabase, describeWithRedis } from '../../../../../testing/redis';
import { auditRead } from '../../../support/read-only-audit';

describe('isJob', () => {
  it('matches a whole element or a JSON id exactly, never a substring', () => {
    expect(isJob('job-1', 'job-1')).toBe(true);
    expect(isJob('{"id":"1","to":"a@b.c"}', '1')).toBe(true);
    expect(isJob('{"id":1}', '1')).toBe(true);
    expect(isJob('{"id":"10"}', '1')).toBe(false);
    expect(isJob('job-10', 'job-1')).toBe(false);
    expect(isJob('{"data":{"id":"1"}}', '1')).toBe(false);
  });
});

describe.each([['emails'], ['app:emails']])('list executors on queue %s (real Redis)', (queue) => {
  describeWithRedis('', () => {
    let url: string;
    let redis: Redis;
    const failed = `${queue}:failed`;
    const context = () => ({ redis, options: {} });
    const one = (jobId: string): ExecutionTarget => ({ queue, scope: 'job', jobId, maxJobs: 1000 });
    const all = (maxJobs: number): ExecutionTarget => ({ queue, scope: 'all-failed', maxJobs });
    /** A failed element as an app might write it; `\/` and `é` stay as written. */
    const element = (id: string) =>
      `{"id":"${id}","to":"zo\\u00eb@example.com","url":"a\\/b","n":1.0}`;

    beforeEach(async () => {
      url = await claimDatabase();
      redis = new Redis(url);
      // Failures are pushed on the left: the last pushed is the newest.
      await redis.lpush(failed, element('11'), element('1'), element('10'));
    });
    afterEach(async () => {
      await redis.quit();
    });

    it('moves exactly the job 1, byte for byte, back onto the queue', async () => {
      expect(await listRetryExecutor.execute(context(), one('1'))).toEqual({ affected: 1 });

      expect(await redis.lrange(queue, 0, -1)).toEqual([element('1')]);
      expect(await redis.lrange(failed, 0, -1)).toEqual([element('10'), element('11')]);
    });

    it('deletes exactly the job 1', async () => {
      expect(await listDeleteExecutor.execute(context(), one('1'))).toEqual({ affected: 1 });

      expect(await redis.lrange(failed, 0, -1)).toEqual([element('10'), element('11')]);
      expect(await redis.exists(queue)).toBe(0);
    });

    it('matches an opaque element by its whole value', async () => {
      await redis.lpush(failed, 'send:42');

      await listRetryExecutor.execute(context(), one('send:42'));

      expect(await redis.lrange(queue, 0, -1)).toEqual(['send:42']);
    });

    it('retries the newest maxJobs failures, the oldest of them pushed first', async () => {
      expect(await listRetryExecutor.execute(context(), all(2))).toEqual({ affected: 2 });

      expect(await redis.lrange(queue, 0, -1)).toEqual([element('10'), element('1')]);
      expect(await redis.lrange(failed, 0, -1)).toEqual([element('11')]);
      expect(await listDeleteExecutor.execute(context(), all(1000))).toEqual({ affected: 1 });
      expect(await redis.exists(failed)).toBe(0);
    });

    it('rejects a job that is not failed, or a prefix of one, and changes nothing', async () => {
      for (const id of ['2', '{"id":"1"', '']) {
        for (const executor of [listRetryExecutor, listDeleteExecutor]) {
          await expect(executor.execute(context(), one(id))).rejects.toThrow(CommandRejectedError);
          const audit = await auditRead(redis, url, (r) =>
            executor.execute({ redis: r, options: {} }, one(id)).catch((error: unknown) => error),
          );
          expect(audit.after).toEqual(audit.before);
        }
      }
    });
  });
});
