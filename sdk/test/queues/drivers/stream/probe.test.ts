/**
 * The `stream` probe against a real Redis holding a Gravito Stream queue written as its Redis
 * driver writes it: lanes, pause flags, delayed zsets, the capped failed list, read only.
 */
import Redis from 'ioredis';
import { streamProbe } from '../../../../src/queues/drivers/stream/probe';
import type { ProbeOptions } from '../../../../src/queues/types';
import { claimDatabase, describeWithRedis } from '../../../../../testing/redis';
import { configErrorOf } from '../../../support/config-error';
import { auditRead, withAclUser } from '../../../support/read-only-audit';
import { StreamQueue, streamJob } from '../../layouts/stream';
import type { StreamJob } from '../../layouts/stream';

describeWithRedis('stream probe (real Redis)', () => {
  let url: string;
  let redis: Redis;
  const nowMs = Date.now();
  /** A job created `ago` ms before `nowMs`; `cardToken` must never reach a snapshot. */
  const job = (ago: number): StreamJob =>
    streamJob('SendReceipt', { orderId: 7, cardToken: 'tok_secret_4242' }, nowMs - ago);

  beforeEach(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
  });
  afterEach(async () => {
    await redis.quit();
  });

  /**
   * Base lane 3 jobs, `high` 2, `critical` 1 taken by a worker, `low` 2 and paused, one delayed
   * job on the base lane and one on `high`, 25 failures a second apart. The oldest job waits in
   * the paused `low` lane, created 70 s ago. Returns the failed jobs, oldest first.
   */
  async function fill(queue: StreamQueue): Promise<StreamJob[]> {
    for (const ago of [30_000, 20_000, 10_000]) await queue.push(job(ago));
    for (const ago of [50_000, 5_000]) await queue.push(job(ago), 'high');
    await queue.push(job(1_000), 'critical');
    await queue.pop('critical');
    for (const ago of [70_000, 60_000]) await queue.push(job(ago), 'low');
    await queue.pause('low');
    await queue.push({ ...job(0), delaySeconds: 60 });
    await queue.push({ ...job(0), delaySeconds: 120 }, 'high');
    const failed: StreamJob[] = [];
    for (let i = 0; i < 25; i++) {
      const failure = job(100_000 - i);
      await queue.fail(failure, `SMTP 554 refused #${i}`, nowMs - 60_000 + i * 1000);
      failed.push(failure);
    }
    return failed;
  }

  it('counts each lane, the paused lanes, the delayed zsets and the failed list', async () => {
    await fill(new StreamQueue(redis, 'emails'));
    expect(await redis.type('queue:emails:high')).toBe('list');
    expect(await redis.get('queue:emails:low:paused')).toBe('1');
    expect(await redis.type('queue:emails:high:delayed')).toBe('zset');

    const probe = streamProbe.create('emails', {});
    const reading = await probe.read({ redis, nowMs });

    expect(probe.driver).toBe('stream');
    expect(reading.size).toEqual({ waiting: 5, active: 0, failed: 25, delayed: 2, paused: 2 });
    expect(reading.oldestWaitingAgeMs).toBe(70_000);
    expect(reading.paused).toBe(false);
  });

  it('says the queue is paused when its base list is, counting that lane as paused', async () => {
    const queue = new StreamQueue(redis, 'emails');
    for (const ago of [30_000, 20_000]) await queue.push(job(ago));
    await queue.push(job(10_000), 'high');
    await queue.pause();

    const reading = await streamProbe.create('emails', {}).read({ redis, nowMs });

    expect(reading.paused).toBe(true);
    expect(reading.size).toEqual({ waiting: 1, active: 0, failed: 0, delayed: 0, paused: 2 });
  });

  it('samples the 20 newest failures with their class, time and error, never their data', async () => {
    const failed = await fill(new StreamQueue(redis, 'emails'));

    const { failedSample } = await streamProbe.create('emails', {}).read({ redis, nowMs });

    expect(failedSample).toHaveLength(20);
    expect(failedSample![0]).toEqual({
      id: failed[24]!.id,
      name: 'SendReceipt',
      failedAt: nowMs - 60_000 + 24_000,
      reason: 'SMTP 554 refused #24',
    });
    expect(failedSample!.map((entry) => entry.id)).toEqual(
      failed
        .slice(5)
        .reverse()
        .map((entry) => entry.id),
    );
    expect(JSON.stringify(failedSample)).not.toContain('tok_secret_4242');
  });

  it('cuts a long error to 200 characters and skips an entry that is not a JSON job', async () => {
    const queue = new StreamQueue(redis, 'emails');
    await queue.fail(job(0), 'e'.repeat(300), nowMs);
    await redis.lpush('queue:emails:failed', 'not json');

    const reading = await streamProbe.create('emails', {}).read({ redis, nowMs });

    expect(reading.size.failed).toBe(2);
    expect(reading.failedSample).toHaveLength(1);
    expect(reading.failedSample![0]!.reason).toBe('e'.repeat(200));
  });

  it('reports the failed list as Stream caps it, at 1000', async () => {
    const queue = new StreamQueue(redis, 'emails');
    for (let i = 0; i < 1003; i++) await queue.fail(job(i), 'boom', nowMs);

    const reading = await streamProbe.create('emails', {}).read({ redis, nowMs });

    expect(reading.size.failed).toBe(1000);
  });

  it('reads a custom prefix and only the configured priority lanes', async () => {
    const queue = new StreamQueue(redis, 'emails', 'jobs:');
    await queue.push(job(1_000));
    await queue.push(job(2_000), 'urgent');
    await queue.push(job(3_000), 'high');

    const probe = streamProbe.create('emails', { prefix: 'jobs:', priorities: ['urgent'] });
    const reading = await probe.read({ redis, nowMs });

    expect(reading.size).toEqual({ waiting: 2, active: 0, failed: 0, delayed: 0, paused: 0 });
    expect(reading.oldestWaitingAgeMs).toBe(2_000);
    expect(reading.failedSample).toEqual([]);
  });

  it('rejects unknown and mistyped options, naming the option', () => {
    const create = (options: ProbeOptions) => () => streamProbe.create('emails', options);

    expect(configErrorOf(create({ redisPrefix: 'queue:' })).message).toMatch(
      /unknown option "redisPrefix"/,
    );
    expect(configErrorOf(create({ prefix: 7 })).option).toBe('prefix');
    expect(configErrorOf(create({ priorities: 'high' })).option).toBe('priorities');
    expect(configErrorOf(create({ priorities: ['high', 'high'] })).option).toBe('priorities');
    expect(configErrorOf(create({ priorities: ['failed'] })).option).toBe('priorities');
    expect(configErrorOf(create({ priorities: [''] })).option).toBe('priorities');
  });

  it('rejects the read when Redis answers with an error', async () => {
    await redis.set('queue:emails:failed', 'not a list');

    await expect(streamProbe.create('emails', {}).read({ redis, nowMs })).rejects.toThrow(
      /WRONGTYPE/,
    );
  });

  it('writes nothing and sends only LLEN, GET, ZCARD, LINDEX and LRANGE', async () => {
    await fill(new StreamQueue(redis, 'emails'));
    const probe = streamProbe.create('emails', {});
    const { commands, before, after } = await auditRead(redis, url, (reader) =>
      probe.read({ redis: reader, nowMs }),
    );

    expect(after).toEqual(before);
    const lanes = [
      'queue:emails',
      'queue:emails:critical',
      'queue:emails:high',
      'queue:emails:low',
    ];
    expect(commands.sort()).toEqual(
      [
        ...lanes.flatMap((lane) => [
          ['llen', lane],
          ['get', `${lane}:paused`],
          ['zcard', `${lane}:delayed`],
          ['lindex', lane, '-1'],
        ]),
        ['llen', 'queue:emails:failed'],
        ['lrange', 'queue:emails:failed', '0', '19'],
      ].sort(),
    );
  });

  it('reads through a user holding only the documented read-only ACL rules', async () => {
    await fill(new StreamQueue(redis, 'emails'));
    const probe = streamProbe.create('emails', {});
    // The documented line, less `on >password`.
    const rules = [
      'resetkeys',
      '%R~queue:emails',
      '%R~queue:emails:*',
      'resetchannels',
      '-@all',
      '+llen',
      '+get',
      '+zcard',
      '+lindex',
      '+lrange',
    ];

    await withAclUser(redis, { url, rules }, async (limited) => {
      const reading = await probe.read({ redis: limited, nowMs });
      expect(reading.size).toEqual({ waiting: 5, active: 0, failed: 25, delayed: 2, paused: 2 });
      expect(reading.failedSample).toHaveLength(20);
      await expect(limited.rpop('queue:emails')).rejects.toThrow(/NOPERM/);
    });
  });
});
