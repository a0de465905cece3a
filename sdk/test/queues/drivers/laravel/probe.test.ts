/**
 * The `laravel` probe against a real Redis holding queues written as Laravel's `RedisQueue`
 * writes them: with and without a connection prefix, hash-tagged for a Cluster, read only.
 */
import Redis from 'ioredis';
import { laravelProbe } from '../../../../src/queues/drivers/laravel/probe';
import type { ProbeOptions } from '../../../../src/queues/types';
import { claimDatabase, describeWithRedis } from '../../../../../testing/redis';
import { configErrorOf } from '../../../support/config-error';
import { auditRead, withAclUser } from '../../../support/read-only-audit';
import { LaravelRedisQueue, laravelPayloadJson } from '../../layouts/laravel';
import type { LaravelConnection, LaravelJobSpec } from '../../layouts/laravel';

/** A job as an app dispatches it; `cardToken` must never reach a snapshot. */
const invoice = (createdAt: number): LaravelJobSpec => ({
  className: 'App\\Jobs\\SendInvoice',
  createdAt,
  properties: [
    ['invoiceId', 42],
    ['customer', 'Zoë / ACME'],
    ['cardToken', 'tok_secret_4242'],
  ],
  tries: 3,
  timeout: 120,
  backoff: '10,60',
});

describeWithRedis('laravel probe (real Redis)', () => {
  let url: string;
  let redis: Redis;
  const now = Math.floor(Date.now() / 1000);
  const nowMs = now * 1000 + 250;

  beforeEach(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
  });
  afterEach(async () => {
    await redis.quit();
  });

  /**
   * Six pushes, two pops (one then released for a retry), two delayed pushes: 4 waiting,
   * 1 reserved, 3 delayed. The head is the third push, created 580 s before `now`.
   */
  async function fill(queue: LaravelRedisQueue): Promise<void> {
    for (let i = 0; i < 6; i++)
      await queue.push(laravelPayloadJson(invoice(now - 600 + i * 10), queue.name));
    await queue.pop(now + 90);
    const released = await queue.pop(now + 90);
    await queue.release(released!, now + 10);
    for (let i = 0; i < 2; i++) {
      await queue.later(now + 300, laravelPayloadJson({ ...invoice(now), delay: 300 }, queue.name));
    }
  }

  describe.each([
    ['no connection prefix', ''],
    ['the Laravel ≤ 12 prefix', 'laravel_database_'],
    ['the Laravel 13 prefix', 'laravel-database-'],
  ])('with %s', (_label, prefix) => {
    const connection: LaravelConnection = { prefix, cluster: false };

    it('counts waiting, reserved and delayed jobs as Laravel stores them, and 0 failed', async () => {
      const queue = new LaravelRedisQueue(redis, 'emails', connection);
      await fill(queue);
      expect(await redis.type(`${prefix}queues:emails`)).toBe('list');
      expect(await redis.type(`${prefix}queues:emails:reserved`)).toBe('zset');
      expect(await redis.type(`${prefix}queues:emails:delayed`)).toBe('zset');
      expect(await redis.llen(`${prefix}queues:emails:notify`)).toBe(4);

      const probe = laravelProbe.create('emails', { redisPrefix: prefix });
      const reading = await probe.read({ redis, nowMs });

      expect(probe.driver).toBe('laravel');
      expect(reading.size).toEqual({ waiting: 4, active: 1, failed: 0, delayed: 3 });
      expect(reading.oldestWaitingAgeMs).toBe(580_000 + 250);
      expect(reading.failedSample).toBeUndefined();
    });

    it('finds nothing when told the wrong prefix', async () => {
      await fill(new LaravelRedisQueue(redis, 'emails', connection));
      const probe = laravelProbe.create('emails', { redisPrefix: `${prefix}other_` });

      const reading = await probe.read({ redis, nowMs });

      expect(reading.size).toEqual({ waiting: 0, active: 0, failed: 0, delayed: 0 });
      expect(reading.oldestWaitingAgeMs).toBeUndefined();
    });
  });

  it('stores the payload as PHP encodes it, which the probe reads only createdAt of', async () => {
    const queue = new LaravelRedisQueue(redis, 'emails', { prefix: '', cluster: false });
    await queue.push(laravelPayloadJson(invoice(now - 42), 'emails'));
    const head = (await redis.lindex('queues:emails', 0))!;

    expect(head.startsWith('{"uuid":"')).toBe(true);
    expect(head).toContain('"job":"Illuminate\\\\Queue\\\\CallQueuedHandler@call"');
    expect(head).toContain('Zoë \\/ ACME');
    expect(head).toContain(`"createdAt":${now - 42},"id":"`);
    const reading = await laravelProbe.create('emails', {}).read({ redis, nowMs });
    expect(reading.oldestWaitingAgeMs).toBe(42_250);
    expect(JSON.stringify(reading)).not.toContain('tok_secret_4242');
  });

  it('leaves the age out for payloads older than Laravel 11, which have no createdAt', async () => {
    const payload = JSON.parse(laravelPayloadJson(invoice(now), 'emails')) as Record<
      string,
      unknown
    >;
    delete payload.createdAt;
    await redis.rpush('queues:emails', JSON.stringify(payload));

    const reading = await laravelProbe.create('emails', {}).read({ redis, nowMs });

    expect(reading.size.waiting).toBe(1);
    expect(reading.oldestWaitingAgeMs).toBeUndefined();
  });

  it('reads the hash-tagged keys Laravel 13 writes on a Cluster when hashTags is set', async () => {
    const cluster = { prefix: 'laravel-database-', cluster: true };
    await fill(new LaravelRedisQueue(redis, 'emails', cluster));
    expect(await redis.exists('laravel-database-queues:{emails}')).toBe(1);

    const tagged = laravelProbe.create('emails', {
      redisPrefix: 'laravel-database-',
      hashTags: true,
    });
    const untagged = laravelProbe.create('emails', { redisPrefix: 'laravel-database-' });

    expect((await tagged.read({ redis, nowMs })).size).toEqual({
      waiting: 4,
      active: 1,
      failed: 0,
      delayed: 3,
    });
    expect((await untagged.read({ redis, nowMs })).size.waiting).toBe(0);
  });

  it('reads a queue the app itself named {emails}, with or without hashTags', async () => {
    // Before Laravel 13, Cluster users configure the queue name with its hash tag.
    await fill(
      new LaravelRedisQueue(redis, '{emails}', { prefix: 'laravel_database_', cluster: true }),
    );
    expect(await redis.exists('laravel_database_queues:{emails}')).toBe(1);
    const expected = { waiting: 4, active: 1, failed: 0, delayed: 3 };

    for (const hashTags of [false, true]) {
      const probe = laravelProbe.create('{emails}', { redisPrefix: 'laravel_database_', hashTags });
      expect((await probe.read({ redis, nowMs })).size).toEqual(expected);
    }
  });

  it("reads the keys under queueKeyPrefix, as the Go agent's name:laravel:prefix does", async () => {
    await fill(
      new LaravelRedisQueue(redis, 'emails', { prefix: 'shop-database-', cluster: false }),
    );
    const probe = laravelProbe.create('emails', { queueKeyPrefix: 'shop-database-queues' });
    const { commands } = await auditRead(redis, url, (reader) =>
      probe.read({ redis: reader, nowMs }),
    );

    expect((await probe.read({ redis, nowMs })).size).toEqual({
      waiting: 4,
      active: 1,
      failed: 0,
      delayed: 3,
    });
    expect(commands.map(([, key]) => key).sort()).toEqual([
      'shop-database-queues:emails',
      'shop-database-queues:emails',
      'shop-database-queues:emails:delayed',
      'shop-database-queues:emails:reserved',
    ]);
  });

  it('puts the connection prefix before queueKeyPrefix', async () => {
    await fill(new LaravelRedisQueue(redis, 'emails', { prefix: 'app_', cluster: false }));
    await redis.rename('app_queues:emails', 'app_jobs:emails');
    const probe = laravelProbe.create('emails', { redisPrefix: 'app_', queueKeyPrefix: 'jobs' });
    expect((await probe.read({ redis, nowMs })).size.waiting).toBe(4);
  });

  it('rejects unknown and mistyped options, naming the option', () => {
    const create = (options: ProbeOptions) => () => laravelProbe.create('emails', options);

    expect(configErrorOf(create({ prefix: 'laravel_database_' })).option).toBe('prefix');
    expect(configErrorOf(create({ prefix: 'x' })).message).toMatch(/unknown option "prefix"/);
    expect(configErrorOf(create({ redisPrefix: 42 })).option).toBe('redisPrefix');
    expect(configErrorOf(create({ redisPrefix: 42 })).message).toMatch(
      /"redisPrefix" must be a string/,
    );
    expect(configErrorOf(create({ hashTags: 'yes' })).option).toBe('hashTags');
    expect(configErrorOf(create({ queueKeyPrefix: '' })).message).toMatch(
      /"queueKeyPrefix" must be a non-empty string/,
    );
  });

  it('rejects the read when Redis answers with an error', async () => {
    await redis.set('queues:emails', 'not a list');

    await expect(laravelProbe.create('emails', {}).read({ redis, nowMs })).rejects.toThrow(
      /WRONGTYPE/,
    );
  });

  it('writes nothing and sends only LLEN, ZCARD and LINDEX', async () => {
    await fill(
      new LaravelRedisQueue(redis, 'emails', { prefix: 'laravel_database_', cluster: false }),
    );
    const probe = laravelProbe.create('emails', { redisPrefix: 'laravel_database_' });
    const { commands, before, after } = await auditRead(redis, url, (reader) =>
      probe.read({ redis: reader, nowMs }),
    );

    expect(after).toEqual(before);
    expect(commands.sort()).toEqual([
      ['lindex', 'laravel_database_queues:emails', '0'],
      ['llen', 'laravel_database_queues:emails'],
      ['zcard', 'laravel_database_queues:emails:delayed'],
      ['zcard', 'laravel_database_queues:emails:reserved'],
    ]);
  });

  it('reads through a user holding only the documented read-only ACL rules', async () => {
    await fill(
      new LaravelRedisQueue(redis, 'emails', { prefix: 'laravel_database_', cluster: false }),
    );
    const probe = laravelProbe.create('emails', { redisPrefix: 'laravel_database_' });
    // The documented line, less `on >password`.
    const rules = [
      'resetkeys',
      '%R~laravel_database_queues:emails',
      '%R~laravel_database_queues:emails:*',
      'resetchannels',
      '-@all',
      '+llen',
      '+zcard',
      '+lindex',
    ];

    await withAclUser(redis, { url, rules }, async (limited) => {
      const reading = await probe.read({ redis: limited, nowMs });
      expect(reading.size).toEqual({ waiting: 4, active: 1, failed: 0, delayed: 3 });
      expect(reading.oldestWaitingAgeMs).toBe(580_250);
      await expect(limited.lpop('laravel_database_queues:emails')).rejects.toThrow(/NOPERM/);
    });
  });
});
