/**
 * The plain `redis` list probe against a real Redis: it reads what the Go agent reads (`{q}`,
 * `{q}:active`, `{q}:failed`, `{q}:delayed`), each sub-key sized as the list or sorted set it
 * is, and reads only.
 */
import Redis from 'ioredis';
import { redisListProbe } from '../../../../src/queues/drivers/redis/probe';
import { claimDatabase, describeWithRedis } from '../../../../../testing/redis';
import { auditRead, withAclUser } from '../../../support/read-only-audit';

const STATES = ['active', 'failed', 'delayed'] as const;
type State = (typeof STATES)[number];

/** How a test lays out one sub-key: a list or a sorted set of `size` members, or nothing. */
type SubKey = { kind: 'list' | 'zset'; size: number } | { kind: 'missing' };

describeWithRedis('redis list probe (real Redis)', () => {
  let url: string;
  let redis: Redis;
  const nowMs = Date.now();

  beforeEach(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
  });
  afterEach(async () => {
    await redis.quit();
  });

  async function layOut(queue: string, waiting: number, subs: Record<State, SubKey>) {
    for (let i = 0; i < waiting; i++) await redis.lpush(queue, `job-${i}`);
    for (const state of STATES) {
      const sub = subs[state];
      const key = `${queue}:${state}`;
      if (sub.kind === 'missing') continue;
      for (let i = 0; i < sub.size; i++) {
        if (sub.kind === 'list') await redis.lpush(key, `${state}-${i}`);
        else await redis.zadd(key, nowMs + i, `${state}-${i}`);
      }
    }
  }

  /** What Redis itself says each key holds: `LLEN` of a list, `ZCARD` of a sorted set, else 0. */
  async function sizeInRedis(key: string): Promise<number> {
    const type = await redis.type(key);
    if (type === 'list') return redis.llen(key);
    if (type === 'zset') return redis.zcard(key);
    return 0;
  }

  it.each<[string, Record<State, SubKey>]>([
    [
      'lists everywhere, as the Go agent expects',
      {
        active: { kind: 'list', size: 2 },
        failed: { kind: 'list', size: 3 },
        delayed: { kind: 'list', size: 4 },
      },
    ],
    [
      'sorted sets everywhere',
      {
        active: { kind: 'zset', size: 5 },
        failed: { kind: 'zset', size: 6 },
        delayed: { kind: 'zset', size: 7 },
      },
    ],
    [
      'a mix, and a missing key',
      {
        active: { kind: 'missing' },
        failed: { kind: 'list', size: 1 },
        delayed: { kind: 'zset', size: 8 },
      },
    ],
  ])('counts each key as LLEN or ZCARD does with %s', async (_label, subs) => {
    await layOut('emails', 9, subs);
    const reading = await redisListProbe.create('emails', {}).read({ redis, nowMs });

    expect(reading.size).toEqual({
      waiting: await redis.llen('emails'),
      active: await sizeInRedis('emails:active'),
      failed: await sizeInRedis('emails:failed'),
      delayed: await sizeInRedis('emails:delayed'),
    });
    expect(reading.size.waiting).toBe(9);
    expect(reading.failedSample).toBeUndefined();
    expect(reading.oldestWaitingAgeMs).toBeUndefined();
  });

  it('counts a sub-key of any other type as 0, as the Go agent counts an error', async () => {
    await redis.rpush('emails', 'a');
    await redis.set('emails:active', 'not a list');
    await redis.hset('emails:delayed', 'a', '1');

    const reading = await redisListProbe.create('emails', {}).read({ redis, nowMs });

    expect(reading.size).toEqual({ waiting: 1, active: 0, failed: 0, delayed: 0 });
  });

  it('rejects the read when the queue itself is not a list', async () => {
    await redis.set('emails', 'not a list');

    await expect(redisListProbe.create('emails', {}).read({ redis, nowMs })).rejects.toThrow(
      /WRONGTYPE/,
    );
  });

  it('writes nothing and sends only LLEN and ZCARD', async () => {
    await layOut('emails', 2, {
      active: { kind: 'list', size: 1 },
      failed: { kind: 'zset', size: 1 },
      delayed: { kind: 'missing' },
    });
    const probe = redisListProbe.create('emails', {});
    const { commands, before, after } = await auditRead(redis, url, (reader) =>
      probe.read({ redis: reader, nowMs }),
    );

    expect(after).toEqual(before);
    expect(commands.sort()).toEqual([
      ['llen', 'emails'],
      ['llen', 'emails:active'],
      ['llen', 'emails:delayed'],
      ['llen', 'emails:failed'],
      ['zcard', 'emails:active'],
      ['zcard', 'emails:delayed'],
      ['zcard', 'emails:failed'],
    ]);
  });

  it('reads through a user holding only the documented read-only ACL rules', async () => {
    await layOut('emails', 3, {
      active: { kind: 'list', size: 1 },
      failed: { kind: 'list', size: 2 },
      delayed: { kind: 'zset', size: 4 },
    });
    // The documented line, less `on >password`.
    const rules = [
      'resetkeys',
      '%R~emails',
      '%R~emails:active',
      '%R~emails:failed',
      '%R~emails:delayed',
      'resetchannels',
      '-@all',
      '+llen',
      '+zcard',
    ];

    await withAclUser(redis, { url, rules }, async (limited) => {
      const reading = await redisListProbe.create('emails', {}).read({ redis: limited, nowMs });
      expect(reading.size).toEqual({ waiting: 3, active: 1, failed: 2, delayed: 4 });
      await expect(limited.lpop('emails')).rejects.toThrow(/NOPERM/);
    });
  });

  it('still reads the waiting jobs through a user made before the sub-keys were read', async () => {
    await layOut('emails', 3, {
      active: { kind: 'list', size: 1 },
      failed: { kind: 'list', size: 2 },
      delayed: { kind: 'zset', size: 4 },
    });
    const rules = ['resetkeys', '%R~emails', 'resetchannels', '-@all', '+llen'];

    await withAclUser(redis, { url, rules }, async (limited) => {
      const reading = await redisListProbe.create('emails', {}).read({ redis: limited, nowMs });
      expect(reading.size).toEqual({ waiting: 3, active: 0, failed: 0, delayed: 0 });
    });
  });
});
