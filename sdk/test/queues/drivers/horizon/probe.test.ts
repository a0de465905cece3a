/**
 * The `horizon` probe against a real Redis holding a Laravel queue and Horizon's job
 * repository, written as Horizon writes them: app-wide indexes, per-queue failed samples,
 * prefixes, hash tags, and read-only access.
 */
import Redis from 'ioredis';
import { horizonProbe } from '../../../../src/queues/drivers/horizon/probe';
import type { ProbeOptions } from '../../../../src/queues/types';
import { claimDatabase, describeWithRedis } from '../../../../../testing/redis';
import { configErrorOf } from '../../../support/config-error';
import { auditRead, withAclUser } from '../../../support/read-only-audit';
import { HorizonRepository, phpExceptionString } from '../../layouts/horizon';
import { LaravelRedisQueue } from '../../layouts/laravel';
import type { LaravelConnection, LaravelJobSpec } from '../../layouts/laravel';

/** A job as an app dispatches it; `cardToken` must never reach a snapshot. */
const charge = (createdAt: number): LaravelJobSpec => ({
  className: 'App\\Jobs\\ChargeCard',
  createdAt: Math.floor(createdAt),
  properties: [
    ['orderId', 7],
    ['cardToken', 'tok_secret_4242'],
  ],
  tries: 1,
});

const exception = (message: string) =>
  phpExceptionString('RuntimeException', message, '/var/www/app/Jobs/ChargeCard.php');

describeWithRedis('horizon probe (real Redis)', () => {
  let url: string;
  let redis: Redis;
  const now = Math.floor(Date.now() / 1000);
  const nowMs = now * 1000 + 250;
  /** An hour ago; every time below is `t0` plus an offset exact in binary (.125, .25, …). */
  const t0 = now - 3600;
  const ms = (seconds: number) => seconds * 1000;

  beforeEach(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
  });
  afterEach(async () => {
    await redis.quit();
  });

  /** Pushes `count` jobs at `start`, `start + 1`, …, reserves and fails each one. */
  async function failMany(
    horizon: HorizonRepository,
    queue: LaravelRedisQueue,
    count: number,
    start: number,
  ): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      ids.push(await horizon.push(queue, charge(start + i), start + i));
      const reserved = await horizon.reserve(queue, start + i + 0.25);
      await horizon.fail(queue, reserved, exception(`Card declined #${i}`), start + i + 0.5);
    }
    return ids;
  }

  /**
   * `emails`: 8 pushes, 4 reserved (2 failed, 1 completed, 1 still held), 1 delayed push.
   * `billing`: 3 pushes, all failed after `emails`' failures. The head of `emails` is its 5th
   * push, at `t0 + 4.25`. Returns the ids of `emails`' failures, oldest first.
   */
  async function fill(
    connection: LaravelConnection,
    horizon: HorizonRepository,
  ): Promise<string[]> {
    const emails = new LaravelRedisQueue(redis, 'emails', connection);
    const billing = new LaravelRedisQueue(redis, 'billing', connection);
    for (let i = 0; i < 8; i++) await horizon.push(emails, charge(t0 + i), t0 + i + 0.25);
    await horizon.push(emails, charge(t0 + 8), t0 + 8.25, now + 600);
    const failed: string[] = [];
    for (let i = 0; i < 4; i++) {
      const reserved = await horizon.reserve(emails, t0 + 50 + i);
      const id = (JSON.parse(reserved) as { id: string }).id;
      if (i < 2) {
        await horizon.fail(emails, reserved, exception(`Card declined #${i}`), t0 + 100.125 + i);
        failed.push(id);
      } else if (i === 2) {
        await horizon.complete(emails, reserved, t0 + 110.5);
      }
    }
    await failMany(horizon, billing, 3, t0 + 200);
    return failed;
  }

  describe.each([
    ['no connection prefix', ''],
    ['the Laravel ≤ 12 prefix', 'laravel_database_'],
    ['the Laravel 13 prefix', 'laravel-database-'],
  ])('with %s', (_label, prefix) => {
    it('counts the queue, the app-wide indexes, and this queue’s newest failures', async () => {
      const horizon = new HorizonRepository(redis, {
        horizonPrefix: 'laravel_horizon:',
        cluster: false,
      });
      const [first, second] = await fill({ prefix, cluster: false }, horizon);
      expect(await redis.type(`${prefix}queues:emails`)).toBe('list');
      expect(await redis.zcard('laravel_horizon:failed_jobs')).toBe(5);
      expect(await redis.hget(`laravel_horizon:${first!}`, 'status')).toBe('failed');
      expect(await redis.lindex(`${prefix}queues:emails`, 0)).toMatch(
        /^\{"uuid":"([0-9a-f-]{36})",.*"id":"\1",.*"type":"job","tags":\[\],"silenced":false,"pushedAt":"\d+\.25"\}$/,
      );

      const probe = horizonProbe.create('emails', { redisPrefix: prefix });
      const reading = await probe.read({ redis, nowMs });

      expect(probe.driver).toBe('horizon');
      expect(reading.size).toEqual({
        waiting: 4,
        active: 1,
        failed: 2,
        delayed: 1,
        failedAllQueues: 5,
        completedAllQueues: 1,
      });
      expect(reading.failedSample).toEqual([
        {
          id: second,
          name: 'App\\Jobs\\ChargeCard',
          failedAt: ms(t0 + 101.125),
          reason: 'RuntimeException: Card declined #1 in /var/www/app/Jobs/ChargeCard.php:31',
        },
        {
          id: first,
          name: 'App\\Jobs\\ChargeCard',
          failedAt: ms(t0 + 100.125),
          reason: 'RuntimeException: Card declined #0 in /var/www/app/Jobs/ChargeCard.php:31',
        },
      ]);
      expect(reading.oldestWaitingAgeMs).toBe(nowMs - ms(t0 + 4.25));
      expect(JSON.stringify(reading)).not.toMatch(/tok_secret_4242|Stack trace/);
    });
  });

  it('samples only the app’s 20 newest failures, so older ones of this queue drop out', async () => {
    const horizon = new HorizonRepository(redis, {
      horizonPrefix: 'laravel_horizon:',
      cluster: false,
    });
    const emails = new LaravelRedisQueue(redis, 'emails', { prefix: '', cluster: false });
    const billing = new LaravelRedisQueue(redis, 'billing', { prefix: '', cluster: false });
    const probe = horizonProbe.create('emails', {});

    const ids = await failMany(horizon, emails, 22, t0);
    const mine = await probe.read({ redis, nowMs });
    expect(mine.size.failed).toBe(20);
    expect(mine.size.failedAllQueues).toBe(22);
    expect(mine.failedSample?.map((job) => job.id)).toEqual(ids.slice(2).reverse());

    await failMany(horizon, billing, 25, t0 + 100);
    const crowded = await probe.read({ redis, nowMs });
    expect(crowded.size.failed).toBe(0);
    expect(crowded.size.failedAllQueues).toBe(47);
    expect(crowded.failedSample).toEqual([]);
  });

  it('cuts a failure to its first line and 200 characters', async () => {
    const horizon = new HorizonRepository(redis, {
      horizonPrefix: 'laravel_horizon:',
      cluster: false,
    });
    const emails = new LaravelRedisQueue(redis, 'emails', { prefix: '', cluster: false });
    await horizon.push(emails, charge(t0), t0);
    const reserved = await horizon.reserve(emails, t0 + 1);
    await horizon.fail(emails, reserved, exception('x'.repeat(300)), t0 + 2);

    const [job] = (await horizonProbe.create('emails', {}).read({ redis, nowMs })).failedSample!;

    expect(job!.reason).toBe(`RuntimeException: ${'x'.repeat(300)}`.slice(0, 200));
  });

  it('leaves out a failed job whose hash Horizon already expired', async () => {
    const horizon = new HorizonRepository(redis, {
      horizonPrefix: 'laravel_horizon:',
      cluster: false,
    });
    const emails = new LaravelRedisQueue(redis, 'emails', { prefix: '', cluster: false });
    const [expired, kept] = await failMany(horizon, emails, 2, t0);
    await redis.del(`laravel_horizon:${expired!}`);

    const reading = await horizonProbe.create('emails', {}).read({ redis, nowMs });

    expect(reading.failedSample?.map((job) => job.id)).toEqual([kept]);
    expect(reading.size.failed).toBe(1);
    expect(reading.size.failedAllQueues).toBe(2);
  });

  it('reads a custom Horizon prefix and the hash-tagged keys of a Cluster', async () => {
    const connection = { prefix: 'laravel-database-', cluster: true };
    const horizon = new HorizonRepository(redis, { horizonPrefix: 'shop_horizon:', cluster: true });
    await fill(connection, horizon);
    expect(await redis.exists('laravel-database-queues:{emails}')).toBe(1);
    expect(await redis.zcard('{shop_horizon:}failed_jobs')).toBe(5);

    const probe = horizonProbe.create('emails', {
      redisPrefix: 'laravel-database-',
      horizonPrefix: 'shop_horizon:',
      hashTags: true,
    });
    const reading = await probe.read({ redis, nowMs });

    expect(reading.size).toMatchObject({ waiting: 4, active: 1, failed: 2, failedAllQueues: 5 });
  });

  it('rejects unknown and mistyped options, naming the option', () => {
    const create = (options: ProbeOptions) => () => horizonProbe.create('emails', options);

    expect(configErrorOf(create({ prefix: 'laravel_horizon:' })).message).toMatch(
      /unknown option "prefix"/,
    );
    expect(configErrorOf(create({ horizonPrefix: '' })).option).toBe('horizonPrefix');
    expect(configErrorOf(create({ horizonPrefix: 5 })).option).toBe('horizonPrefix');
    expect(configErrorOf(create({ redisPrefix: false })).option).toBe('redisPrefix');
    expect(configErrorOf(create({ hashTags: 1 })).option).toBe('hashTags');
  });

  it('writes nothing and sends only LLEN, ZCARD, LINDEX, ZRANGE, HMGET and GET', async () => {
    const horizon = new HorizonRepository(redis, {
      horizonPrefix: 'laravel_horizon:',
      cluster: false,
    });
    const [first, second] = await fill({ prefix: 'laravel_database_', cluster: false }, horizon);
    const probe = horizonProbe.create('emails', { redisPrefix: 'laravel_database_' });
    const { commands, before, after } = await auditRead(redis, url, (reader) =>
      probe.read({ redis: reader, nowMs }),
    );

    expect(after).toEqual(before);
    const fields = ['queue', 'name', 'failed_at', 'exception'];
    const hmgets = commands.filter(([name]) => name === 'hmget');
    expect(hmgets).toHaveLength(6);
    expect(hmgets).toEqual(
      expect.arrayContaining([
        ['hmget', `laravel_horizon:${first!}`, ...fields],
        ['hmget', `laravel_horizon:${second!}`, ...fields],
        ['hmget', 'laravel_horizon:queue:emails', 'throughput', 'runtime'],
      ]),
    );
    expect(commands.filter(([name]) => name !== 'hmget').sort()).toEqual([
      ['get', 'laravel_horizon:last_snapshot_at'],
      ['lindex', 'laravel_database_queues:emails', '0'],
      ['llen', 'laravel_database_queues:emails'],
      ['zcard', 'laravel_database_queues:emails:delayed'],
      ['zcard', 'laravel_database_queues:emails:reserved'],
      ['zcard', 'laravel_horizon:completed_jobs'],
      ['zcard', 'laravel_horizon:failed_jobs'],
      ['zrange', 'laravel_horizon:failed_jobs', '0', '19'],
      ['zrange', 'laravel_horizon:snapshot:queue:emails', '-6', '-1'],
    ]);
  });

  it('reads through a user holding only the documented read-only ACL rules', async () => {
    const horizon = new HorizonRepository(redis, {
      horizonPrefix: 'laravel_horizon:',
      cluster: false,
    });
    await fill({ prefix: 'laravel_database_', cluster: false }, horizon);
    const probe = horizonProbe.create('emails', { redisPrefix: 'laravel_database_' });
    // The documented line, less `on >password`.
    const rules = [
      'resetkeys',
      '%R~laravel_database_queues:emails',
      '%R~laravel_database_queues:emails:*',
      '%R~laravel_horizon:*',
      'resetchannels',
      '-@all',
      '+llen',
      '+zcard',
      '+lindex',
      '+zrange',
      '+hmget',
      '+get',
    ];

    await withAclUser(redis, { url, rules }, async (limited) => {
      const reading = await probe.read({ redis: limited, nowMs });
      expect(reading.size).toMatchObject({ waiting: 4, active: 1, failed: 2, failedAllQueues: 5 });
      expect(reading.failedSample).toHaveLength(2);
      await expect(limited.zadd('laravel_horizon:failed_jobs', -1, 'x')).rejects.toThrow(/NOPERM/);
    });
  });
});
