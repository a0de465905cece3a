/**
 * The plain `redis` list executors against a real Redis: failed elements move unchanged
 * between `{q}:failed` and `{q}`, the keys the probe reads, matched exactly (a whole element or
 * a JSON `id`), bounded, and rejections change nothing.
 */
import Redis from 'ioredis';
import { listDeleteExecutor } from '../../../../src/queues/drivers/redis/delete';
import { isJob } from '../../../../src/queues/drivers/redis/failed-elements';
import { redisListProbe } from '../../../../src/queues/drivers/redis/probe';
import { listRetryExecutor } from '../../../../src/queues/drivers/redis/retry';
import { CommandRejectedError } from '../../../../src/commands/executor';
import type { ExecutionTarget } from '../../../../src/commands/executor';
import { queueSelector } from '../../../../src/sidecar/acl/monitor-user';
import { claimDatabase, describeWithRedis } from '../../../../../testing/redis';
import { auditRead, withAclUser } from '../../../support/read-only-audit';

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

    it('moves jobs between the keys the probe counts', async () => {
      const probe = redisListProbe.create(queue, {});
      const counts = async () => {
        const { waiting, failed: failedCount } = (await probe.read({ redis, nowMs: 0 })).size;
        return { waiting, failed: failedCount };
      };
      expect(await counts()).toEqual({ waiting: 0, failed: 3 });

      await listRetryExecutor.execute(context(), one('1'));
      expect(await counts()).toEqual({ waiting: 1, failed: 2 });
      await listDeleteExecutor.execute(context(), one('10'));
      expect(await counts()).toEqual({ waiting: 1, failed: 1 });
    });

    it('retries and deletes through the monitor user quasar-agent acl prints for the queue', async () => {
      const selector = queueSelector(
        { name: queue, type: 'redis', options: {}, form: 'shorthand' },
        ['retry', 'delete'],
      );
      const rules = [
        'resetkeys',
        'resetchannels',
        '-@all',
        `(${[...(selector?.keys ?? []), ...(selector?.commands ?? []).map((c) => `+${c}`)].join(' ')})`,
      ];
      await withAclUser(redis, { url, rules }, async (limited) => {
        const target = { redis: limited, options: {} };
        expect(await listRetryExecutor.execute(target, one('1'))).toEqual({ affected: 1 });
        expect(await listDeleteExecutor.execute(target, one('10'))).toEqual({ affected: 1 });
        const reading = await redisListProbe.create(queue, {}).read({ redis: limited, nowMs: 0 });
        expect(reading.size).toMatchObject({ waiting: 1, failed: 1 });
      });
    });

    it('rejects a command on failed jobs kept in a sorted set, and changes nothing', async () => {
      await redis.del(failed);
      await redis.zadd(failed, 1, element('1'), 2, element('10'));
      for (const target of [one('1'), all(1000)]) {
        for (const executor of [listRetryExecutor, listDeleteExecutor]) {
          const audit = await auditRead(redis, url, async (r) => {
            const outcome = executor.execute({ redis: r, options: {} }, target);
            await expect(outcome).rejects.toThrow(CommandRejectedError);
            await expect(outcome).rejects.toThrow(`${failed} is not a list`);
          });
          expect(audit.after).toEqual(audit.before);
        }
      }
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
