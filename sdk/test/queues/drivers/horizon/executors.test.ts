/**
 * The `horizon` executors against a real Redis holding a Laravel queue and
 * Horizon's repository written as PHP writes them: byte-exact re-pushed payloads, Horizon's
 * bookkeeping, exact ids, the `all-failed` bound, prefixes, and rejections that change nothing.
 */
import Redis from 'ioredis';
import { horizonDeleteExecutor } from '../../../../src/queues/drivers/horizon/delete';
import { horizonRetryExecutor } from '../../../../src/queues/drivers/horizon/retry';
import { CommandRejectedError } from '../../../../src/commands/executor';
import type { ExecutionTarget } from '../../../../src/commands/executor';
import { claimDatabase, describeWithRedis } from '../../../../../testing/redis';
import { auditRead } from '../../../support/read-only-audit';
import { HorizonRepository, phpExceptionString } from '../../layouts/horizon';
import { LaravelRedisQueue } from '../../layouts/laravel';
import type { LaravelJobSpec } from '../../layouts/laravel';
import { phpJsonEncode } from '../../layouts/php';

const H = 'laravel_horizon:';
const job = (createdAt: number): LaravelJobSpec => ({
  className: 'App\\Jobs\\SendInvoice',
  createdAt,
  properties: [
    ['invoiceId', 42],
    ['note', 'Zoë/日本 – paid'],
  ],
  tries: 1,
});
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

/** PHP's `json_decode($text, true)`: an empty object becomes an (empty) array. */
const phpDecode = (text: string): Record<string, unknown> =>
  JSON.parse(text, (_key, value: unknown) =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !Object.keys(value).length
      ? []
      : value,
  ) as Record<string, unknown>;

describe.each<[string, string, Record<string, string>]>([
  ['without a connection prefix', '', {}],
  [
    'with the connection prefix laravel_database_',
    'laravel_database_',
    { redisPrefix: 'laravel_database_' },
  ],
  [
    "with the Go agent's key base laravel_database_queues",
    'laravel_database_',
    { queueKeyPrefix: 'laravel_database_queues' },
  ],
])('horizon executors (real Redis) %s', (_title, redisPrefix, options) => {
  describeWithRedis('', () => {
    let url: string;
    let redis: Redis;
    let queue: LaravelRedisQueue;
    let horizon: HorizonRepository;
    const t0 = Math.floor(Date.now() / 1000) - 3600;

    beforeEach(async () => {
      url = await claimDatabase();
      redis = new Redis(url);
      queue = new LaravelRedisQueue(redis, 'emails', { prefix: redisPrefix, cluster: false });
      horizon = new HorizonRepository(redis, { horizonPrefix: H, cluster: false });
    });
    afterEach(async () => {
      await redis.quit();
    });

    /** Pushes, reserves and fails `count` jobs a second apart; returns their ids, oldest first. */
    async function failMany(count: number, on = queue): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const at = t0 + i;
        ids.push(await horizon.push(on, job(at), at));
        const reserved = await horizon.reserve(on, at + 0.25);
        const error = phpExceptionString('RuntimeException', 'SMTP down', '/app/Jobs/Send.php');
        await horizon.fail(on, reserved, error, at + 0.5);
      }
      return ids;
    }

    it('re-pushes the failed payload as PHP would encode it, with attempts 0 and a notify token', async () => {
      const [id] = (await failMany(1)) as [string];
      const failed = (await redis.hget(`${H}${id}`, 'payload')) as string;
      // The worker's pop re-encoded it with cjson (`"tags":{}`, raw UTF-8), unlike PHP.
      expect(failed).not.toBe(phpJsonEncode(phpDecode(failed), { unescapedUnicode: false }));
      expect(await redis.llen(`${queue.key}:notify`)).toBe(0);
      const before = Date.now();

      const outcome = await horizonRetryExecutor.execute({ redis, options }, one(id));

      expect(outcome).toEqual({ affected: 1 });
      const pushed = await redis.lrange(queue.key, 0, -1);
      expect(pushed).toHaveLength(1);
      const fresh = JSON.parse(pushed[0] as string) as { id: string; pushedAt: string };
      expect(fresh.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(fresh.id).not.toBe(id);
      expect(Number(fresh.pushedAt) * 1000).toBeGreaterThanOrEqual(before - 1);
      const expected = phpJsonEncode(
        {
          ...phpDecode(failed),
          ...{ id: fresh.id, uuid: fresh.id, attempts: 0, retry_of: id, retryUntil: null },
          pushedAt: fresh.pushedAt,
        },
        { unescapedUnicode: false },
      );
      expect(pushed[0]).toBe(expected);
      expect(await redis.lrange(`${queue.key}:notify`, 0, -1)).toEqual(['1']);
    });

    it('records the retry as Horizon does: a pending job, and retried_by on the failed one', async () => {
      const [id] = (await failMany(1)) as [string];
      await horizonRetryExecutor.execute({ redis, options }, one(id));
      const fresh = JSON.parse((await redis.lindex(queue.key, 0)) as string) as { id: string };

      const record = await redis.hgetall(`${H}${fresh.id}`);
      expect(record).toMatchObject({
        id: fresh.id,
        connection: 'redis',
        queue: 'emails',
        name: 'App\\Jobs\\SendInvoice',
        status: 'pending',
        payload: await redis.lindex(queue.key, 0),
      });
      expect(await redis.ttl(`${H}${fresh.id}`)).toBeGreaterThan(3500);
      expect(await redis.zscore(`${H}pending_jobs`, fresh.id)).not.toBeNull();
      expect(await redis.zscore(`${H}recent_jobs`, fresh.id)).not.toBeNull();
      expect(await redis.zscore(`${H}failed_jobs`, id)).not.toBeNull();
      const retriedBy = JSON.parse((await redis.hget(`${H}${id}`, 'retried_by')) as string);
      expect(retriedBy).toEqual([
        { id: fresh.id, status: 'pending', retried_at: expect.any(Number) as number },
      ]);
    });

    it('moves retryUntil as far ahead of now as it was ahead of the push', async () => {
      const [id] = (await failMany(1)) as [string];
      const failed = (await redis.hget(`${H}${id}`, 'payload')) as string;
      const { pushedAt } = JSON.parse(failed) as { pushedAt: string };
      const until = Math.floor(Number(pushedAt)) + 300;
      await redis.hset(
        `${H}${id}`,
        'payload',
        failed.replace('"retryUntil":null', `"retryUntil":${until}`),
      );

      // As many seconds from the retry as it had from its push: the retry's second lies
      // between the clock's reads around it, however long a busy machine takes over it.
      const ahead = Math.ceil(until - Number(pushedAt));
      const before = Math.floor(Date.now() / 1000) + ahead;
      await horizonRetryExecutor.execute({ redis, options }, one(id));
      const after = Math.floor(Date.now() / 1000) + ahead;

      const { retryUntil } = JSON.parse((await redis.lindex(queue.key, 0)) as string) as {
        retryUntil: number;
      };
      expect(retryUntil).toBeGreaterThanOrEqual(before);
      expect(retryUntil).toBeLessThanOrEqual(after);
    });

    it('forgets a failed job as Horizon does: out of failed_jobs, its hash deleted', async () => {
      const [first, second] = (await failMany(2)) as [string, string];

      expect(await horizonDeleteExecutor.execute({ redis, options }, one(first))).toEqual({
        affected: 1,
      });
      expect(await redis.zrange(`${H}failed_jobs`, 0, -1)).toEqual([second]);
      expect(await redis.exists(`${H}${first}`)).toBe(0);
      expect(await redis.llen(queue.key)).toBe(0);
    });

    it('matches the id exactly: of failed jobs 1, 10 and 11, only 1 is touched', async () => {
      for (const id of ['1', '10', '11']) {
        await redis.zadd(`${H}failed_jobs`, -t0, id);
        const payload = phpJsonEncode(
          { uuid: id, id, attempts: 1, pushedAt: String(t0) },
          {
            unescapedUnicode: false,
          },
        );
        await redis.hset(`${H}${id}`, { id, queue: 'emails', connection: 'redis', payload });
      }
      await horizonRetryExecutor.execute({ redis, options }, one('1'));
      await horizonDeleteExecutor.execute({ redis, options }, one('1'));

      const pushed = await redis.lrange(queue.key, 0, -1);
      expect(pushed.map((p) => (JSON.parse(p) as { retry_of: string }).retry_of)).toEqual(['1']);
      expect((await redis.zrange(`${H}failed_jobs`, 0, -1)).sort()).toEqual(['10', '11']);
      expect(await redis.hexists(`${H}10`, 'retried_by')).toBe(0);
    });

    it("retries at most maxJobs of this queue's newest failures, leaving other queues' alone", async () => {
      const other = new LaravelRedisQueue(redis, 'reports', {
        prefix: redisPrefix,
        cluster: false,
      });
      const ids = await failMany(4);
      await failMany(2, other);

      const outcome = await horizonRetryExecutor.execute({ redis, options }, all(3));

      expect(outcome).toMatchObject({
        affected: 3,
        skipped: [{ reason: 'over maxJobsPerCommand', count: 1 }],
        preview: { matched: 4, scanned: 4, complete: true },
      });
      const retried = (await redis.lrange(queue.key, 0, -1)).map(
        (p) => (JSON.parse(p) as { retry_of: string }).retry_of,
      );
      expect(retried.sort()).toEqual(ids.slice(1).sort());
      expect(await redis.llen(other.key)).toBe(0);
      expect(await horizonDeleteExecutor.execute({ redis, options }, all(1000))).toMatchObject({
        affected: 4,
      });
      expect(await redis.zcard(`${H}failed_jobs`)).toBe(2);
    });

    it.each([
      ['an unknown id', 'no-such-job'],
      ['a prefix of a failed id', 'x'],
    ])('rejects %s and changes nothing', async (_what, suffix) => {
      const [id] = (await failMany(1)) as [string];
      const missing = suffix === 'x' ? id.slice(0, 8) : suffix;
      for (const executor of [horizonRetryExecutor, horizonDeleteExecutor]) {
        const audit = await auditRead(redis, url, (r) =>
          executor.execute({ redis: r, options }, one(missing)).then(
            () => undefined,
            (error: unknown) => error,
          ),
        );
        expect(audit.after).toEqual(audit.before);
      }
      await expect(horizonRetryExecutor.execute({ redis, options }, one(missing))).rejects.toThrow(
        CommandRejectedError,
      );
    });

    it('rejects a failed job of another queue, and changes nothing', async () => {
      const other = new LaravelRedisQueue(redis, 'reports', {
        prefix: redisPrefix,
        cluster: false,
      });
      const [id] = (await failMany(1, other)) as [string];
      const before = await redis.dump(`${H}${id}`);

      await expect(horizonRetryExecutor.execute({ redis, options }, one(id))).rejects.toThrow(
        /belongs to queue reports, not emails/,
      );
      await expect(horizonDeleteExecutor.execute({ redis, options }, one(id))).rejects.toThrow(
        CommandRejectedError,
      );
      expect(await redis.dump(`${H}${id}`)).toBe(before);
      expect(await redis.llen(queue.key)).toBe(0);
    });
  });
});
