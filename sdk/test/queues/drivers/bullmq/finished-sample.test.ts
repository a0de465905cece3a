/**
 * The bullmq probe's sampled wait and run per closed minute, over job hashes and finished sets
 * written as BullMQ writes them, so that `finishedOn` falls exactly where a test needs it: each
 * job in its bucket, the minute's edges, the sample bound, two nodes alike, trimmed and hostile
 * data, and the documented read-only ACL. Real workers are in ./finished-sample-workers.test.ts.
 */
import Redis from 'ioredis';
import { bullKeys } from '../../../../src/queues/drivers/bull-family/keys';
import {
  FinishedSample,
  MAX_SAMPLE_PERIODS,
  SAMPLE_PER_SET,
} from '../../../../src/queues/drivers/bullmq/finished-sample';
import { oneTrip } from '../../../../src/queues/read-batch';
import { bullmqProbe } from '../../../../src/queues/drivers/bullmq/probe';
import type { QueueProbe } from '../../../../src/queues/types';
import type { QueuePeriod } from '../../../../src/schema';
import { JOB_DURATION_BOUNDS_MS } from '../../../../src/schema';
import { keySlot } from '../../../../src/redis/key-slot';
import { createRedisClient } from '../../../../src/redis/redis-client';
import type { RedisClient } from '../../../../src/redis/redis-client';
import {
  claimDatabase,
  describeWithRedis,
  describeWithRedisCluster,
  testClusterUrl,
  uniqueName,
} from '../../../../../testing/redis';
import { auditRead, withAclUser } from '../../../support/read-only-audit';

const prefix = '{bull}';
const MINUTE = 60_000;
/** Reads enough for a new probe to reach every one of the last closed minutes. */
const READS = MAX_SAMPLE_PERIODS + 2;

/** Per-bucket counts over `JOB_DURATION_BOUNDS_MS` with `n` jobs in each bucket given. */
function buckets(...entries: [bucket: number, n: number][]): number[] {
  const counts = new Array<number>(JOB_DURATION_BOUNDS_MS.length + 1).fill(0);
  for (const [bucket, n] of entries) counts[bucket] = n;
  return counts;
}

interface Finished {
  set?: 'completed' | 'failed';
  added: number;
  started: number;
  finished: number;
  delay?: number;
  ats?: string;
  atm?: string;
}

describeWithRedis('bullmq probe sampled wait and run (written jobs)', () => {
  let url: string;
  let redis: Redis;

  beforeAll(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
  });
  afterAll(async () => {
    await redis?.quit();
  });

  /** A minute among the last closed ones whatever the queue's offset: 3 before this one. */
  const pastMinute = async () => {
    const [seconds] = await redis.time();
    return Math.floor((Number(seconds) * 1000) / MINUTE) * MINUTE - 3 * MINUTE;
  };
  /** Writes a finished job as `moveToFinished` leaves it. */
  const finish = async (queue: string, id: string, job: Finished) => {
    await redis.hset(`${prefix}:${queue}:${id}`, {
      name: 'work',
      data: '{}',
      opts: JSON.stringify({ attempts: 1, delay: job.delay ?? 0 }),
      timestamp: job.added,
      delay: 0,
      processedOn: job.started,
      finishedOn: job.finished,
      atm: job.atm ?? '1',
      ats: job.ats ?? '1',
    });
    await redis.zadd(`${prefix}:${queue}:${job.set ?? 'completed'}`, job.finished, id);
  };
  /** An hour-old job in each set: trimming has not reached the minutes read. */
  const history = async (queue: string, minute: number) => {
    for (const set of ['completed', 'failed'] as const) {
      const at = minute - 60 * MINUTE;
      await finish(queue, `old-${set}`, { set, added: at, started: at, finished: at });
    }
  };
  /** The periods after enough reads to reach every closed minute. */
  const periods = async (probe: QueueProbe, client: Redis = redis) => {
    let last: QueuePeriod[] | undefined;
    for (let i = 0; i < READS; i++) {
      last = (await probe.read({ redis: client, nowMs: Date.now() })).periods;
    }
    return last ?? [];
  };
  const periodAt = (all: QueuePeriod[], startMs: number) => all.find((p) => p.startMs === startMs);

  it('puts each job of a minute in its bucket, by finishedOn, and leaves the edges to their minutes', async () => {
    const queue = uniqueName('sample');
    const m = await pastMinute();
    await history(queue, m);
    // Runs 40 ms, 300 ms and, failed, 7 ms; waits 2,020 ms, below 0 (clocks differ), 3,000 ms.
    await finish(queue, 'a', { added: m - 1_000, started: m + 1_020, finished: m + 1_060 });
    await finish(queue, 'b', { added: m + 5_000, started: m + 4_990, finished: m + 5_290 });
    await finish(queue, 'c', { set: 'failed', added: m, started: m + 3_000, finished: m + 3_007 });
    // Added with a 10 s delay, started 20 ms after it was due: waited 20 ms.
    await finish(queue, 'd', {
      added: m,
      started: m + 10_020,
      finished: m + 10_060,
      delay: 10_000,
    });
    // Retried: its last start follows an earlier attempt, so it has a run and no wait.
    await finish(queue, 'e', {
      added: m,
      started: m + 30_000,
      finished: m + 30_040,
      ats: '2',
      atm: '2',
    });
    // On the edges: the minute's first ms is in, its end is the next minute's.
    await finish(queue, 'first', { added: m, started: m, finished: m });
    await finish(queue, 'next', { added: m, started: m + MINUTE - 5, finished: m + MINUTE });
    await finish(queue, 'before', { added: m, started: m - 10, finished: m - 1 });

    const all = await periods(bullmqProbe.create(queue, { prefix }));
    const period = periodAt(all, m);
    expect(period).toEqual({
      startMs: m,
      endMs: m + MINUTE,
      // 'a' 2,020 (≤ 2,500), 'b' 0, 'c' 3,000 (≤ 5,000), 'd' 20 (≤ 25), 'first' 0.
      wait: { count: 5, sum: 2_020 + 3_000 + 20, counts: buckets([0, 2], [2, 1], [8, 1], [9, 1]) },
      // 'a' 40 (≤ 50), 'b' 300 (≤ 500), 'c' 7 (≤ 10), 'd' 40, 'e' 40, 'first' 0.
      run: {
        count: 6,
        sum: 40 + 300 + 7 + 40 + 40,
        counts: buckets([0, 1], [1, 1], [3, 3], [6, 1]),
      },
      source: 'sample',
    });
    expect(periodAt(all, m + MINUTE)?.run?.count).toBe(1);
    expect(periodAt(all, m - MINUTE)?.run?.count).toBe(1);
    // Oldest first, never more than the last few, all closed.
    const starts = all.map((p) => p.startMs);
    expect(starts).toEqual([...starts].sort((x, y) => x - y));
    expect(all.length).toBeLessThanOrEqual(MAX_SAMPLE_PERIODS);
  });

  it('reads at most a bound of jobs per set and says the period is a sample', async () => {
    const queue = uniqueName('busy');
    const m = await pastMinute();
    await history(queue, m);
    // 120 completed, one every 500 ms, each run 100 ms; 30 failed, run 1,000 ms.
    for (let i = 0; i < 120; i++) {
      const at = m + i * 500;
      await finish(queue, `ok-${i}`, { added: at, started: at, finished: at + 100 });
    }
    for (let i = 0; i < 30; i++) {
      const at = m + i * 1_000;
      await finish(queue, `ko-${i}`, {
        set: 'failed',
        added: at,
        started: at,
        finished: at + 1_000,
      });
    }
    const period = periodAt(await periods(bullmqProbe.create(queue, { prefix })), m);
    expect(period?.run).toEqual({
      count: SAMPLE_PER_SET + 30,
      sum: SAMPLE_PER_SET * 100 + 30 * 1_000,
      counts: buckets([4, SAMPLE_PER_SET], [7, 30]),
      sampled: true,
    });
    expect(period?.wait).toMatchObject({ count: SAMPLE_PER_SET + 30, sum: 0, sampled: true });
  });

  it('reports a minute identically from two probes reading it at different times, the sets changed around it', async () => {
    const queue = uniqueName('nodes');
    const m = await pastMinute();
    await history(queue, m);
    for (let i = 0; i < 90; i++) {
      const at = m + ((i * 7_919) % MINUTE);
      await finish(queue, `j-${i}`, { added: at - i, started: at, finished: at + i * 13 });
    }
    const one = await periods(bullmqProbe.create(queue, { prefix }));
    // Meanwhile: later jobs finish, and trimming removes some of the oldest, not this minute's.
    await finish(queue, 'older', { added: m - 2, started: m - 2, finished: m - 2 });
    for (let i = 0; i < 20; i++) {
      const at = m + MINUTE + i * 100;
      await finish(queue, `later-${i}`, { added: at, started: at, finished: at + 5 });
    }
    await redis.zrem(`${prefix}:${queue}:completed`, 'old-completed');
    await redis.del(`${prefix}:${queue}:old-completed`);
    const other = await periods(bullmqProbe.create(queue, { prefix }));
    expect(periodAt(one, m)).toBeDefined();
    expect(periodAt(other, m)).toEqual(periodAt(one, m));
  });

  it('reports nothing for a minute the finished sets were trimmed into, or that held no job', async () => {
    const queue = uniqueName('trimmed');
    const m = await pastMinute();
    // No older job is held: `removeOnComplete: {count}` may have removed some of this minute's.
    await finish(queue, 'a', { added: m, started: m, finished: m + 100 });
    const probe = bullmqProbe.create(queue, { prefix });
    const trimmed = await periods(probe);
    expect(periodAt(trimmed, m)).toBeUndefined();
    expect(trimmed).toEqual([]);

    await history(queue, m);
    expect(periodAt(await periods(bullmqProbe.create(queue, { prefix })), m)?.run?.count).toBe(1);
  });

  it('leaves out a minute whose jobs changed between its two round trips', async () => {
    const queue = uniqueName('late');
    const m = await pastMinute();
    await history(queue, m);
    await finish(queue, 'a', { added: m, started: m, finished: m + 100 });
    /** One probe read's worth of `sample`, with `between` run after the first round trip. */
    const once = async (
      sample: FinishedSample,
      between: () => Promise<unknown> = () => Promise.resolve(),
    ) => {
      const [time] = await oneTrip(redis, (r) => [r.time('any'), sample.start(r)]);
      await between();
      return sample.finish(redis, time);
    };
    const sample = new FinishedSample(bullKeys(prefix, queue), queue);
    const control = new FinishedSample(bullKeys(prefix, queue), queue);
    await once(sample);
    await once(control);
    // A late finish lands in the minute between every read's two round trips, so also between
    // those of the read that reads the minute.
    const late = (i: number) => () =>
      finish(queue, `late-${i}`, { added: m, started: m, finished: m + 200 + i });
    let held: QueuePeriod[] = [];
    let controlled: QueuePeriod[] = [];
    for (let i = 1; i < READS; i++) {
      controlled = await once(control);
      held = await once(sample, late(i));
    }
    expect(periodAt(held, m)).toBeUndefined();
    expect(held).toEqual([]);
    // Read alike but with nothing landing between its round trips, the minute is reported.
    expect(periodAt(controlled, m)?.run?.count).toBeGreaterThan(0);
    // A fresh sample sees the minute as it now stands.
    const fresh = await periods(bullmqProbe.create(queue, { prefix }));
    expect(periodAt(fresh, m)?.run?.count).toBe(READS);
  });

  it('reads at most one minute, and a bounded number of jobs, per read', async () => {
    const queue = uniqueName('cost');
    const m = await pastMinute();
    await history(queue, m);
    for (const minute of [m - MINUTE, m, m + MINUTE]) {
      for (let i = 0; i < 3 * SAMPLE_PER_SET; i++) {
        const at = minute + i * 400;
        await finish(queue, `${minute}-${i}`, { added: at, started: at, finished: at + 1 });
        await finish(queue, `${minute}-f${i}`, {
          set: 'failed',
          added: at,
          started: at,
          finished: at + 1,
        });
      }
    }
    const probe = bullmqProbe.create(queue, { prefix });
    const sampled: number[] = [];
    for (let i = 0; i < READS; i++) {
      const { commands } = await auditRead(redis, url, (reader) =>
        probe.read({ redis: reader, nowMs: Date.now() }),
      );
      const minutes = new Set(
        commands.filter(([name]) => name === 'zcount').map(([, , min]) => min),
      );
      minutes.delete('-inf');
      expect(minutes.size).toBeLessThanOrEqual(1);
      const hashes = commands.filter(
        ([name, , field]) => name === 'hmget' && field === 'timestamp',
      );
      expect(hashes.length).toBeLessThanOrEqual(2 * SAMPLE_PER_SET);
      sampled.push(hashes.length);
    }
    // Three busy minutes, each read in full sample once.
    expect(sampled.filter((n) => n === 2 * SAMPLE_PER_SET)).toHaveLength(3);
  });

  it('skips job hashes that are gone, malformed or inconsistent, and counts the rest', async () => {
    const queue = uniqueName('hostile');
    const m = await pastMinute();
    await history(queue, m);
    await finish(queue, 'good', { added: m, started: m + 10, finished: m + 70 });
    // Gone between the two reads (only its member is left).
    await redis.zadd(`${prefix}:${queue}:completed`, m + 1, 'gone');
    // Not numbers, a run below zero, a finishedOn outside the minute its score says.
    await finish(queue, 'letters', { added: m, started: m, finished: m + 2 });
    await redis.hset(`${prefix}:${queue}:letters`, 'processedOn', '12abc');
    await finish(queue, 'backwards', { added: m, started: m + 500, finished: m + 3 });
    await finish(queue, 'elsewhere', { added: m, started: m, finished: m + 4 });
    await redis.hset(`${prefix}:${queue}:elsewhere`, 'finishedOn', String(m + 10 * MINUTE));
    await finish(queue, 'huge', { added: m, started: m, finished: m + 5 });
    await redis.hset(`${prefix}:${queue}:huge`, 'finishedOn', '9'.repeat(40));
    // A member too long to be an id; `opts` too long, negative or not JSON: a run, no wait.
    await redis.zadd(`${prefix}:${queue}:completed`, m + 6, 'x'.repeat(300));
    await finish(queue, 'bulky', { added: m, started: m + 20, finished: m + 30 });
    await redis.hset(
      `${prefix}:${queue}:bulky`,
      'opts',
      JSON.stringify({ pad: 'p'.repeat(5_000) }),
    );
    await finish(queue, 'negative', { added: m, started: m + 20, finished: m + 30 });
    await redis.hset(`${prefix}:${queue}:negative`, 'opts', '{"delay":-5}');
    await finish(queue, 'proto', { added: m, started: m + 20, finished: m + 30 });
    await redis.hset(`${prefix}:${queue}:proto`, 'opts', '{"__proto__":{"delay":1}}');
    await finish(queue, 'garbled', { added: m, started: m + 20, finished: m + 30 });
    await redis.hset(`${prefix}:${queue}:garbled`, 'opts', '{"delay":');
    // Written before `ats` existed: `atm` alone tells a first attempt from a retried one.
    await finish(queue, 'legacy', { added: m, started: m + 20, finished: m + 30 });
    await finish(queue, 'legacy-retried', {
      added: m,
      started: m + 20,
      finished: m + 30,
      atm: '2',
    });
    await redis.hdel(`${prefix}:${queue}:legacy`, 'ats');
    await redis.hdel(`${prefix}:${queue}:legacy-retried`, 'ats');
    // A job hash that is not a hash.
    await redis.zadd(`${prefix}:${queue}:completed`, m + 7, 'string');
    await redis.set(`${prefix}:${queue}:string`, 'x');

    const period = periodAt(await periods(bullmqProbe.create(queue, { prefix })), m);
    // 'good', 'bulky', 'negative', 'proto', 'garbled' and both 'legacy' run; 'good', 'proto'
    // (no delay of its own) and 'legacy' wait.
    expect(period?.run).toMatchObject({ count: 7, sum: 60 + 6 * 10, sampled: true });
    expect(period?.wait).toMatchObject({ count: 3, sum: 10 + 20 + 20, sampled: true });
  });

  it('reads with the documented ACL and writes nothing', async () => {
    const queue = uniqueName('acl');
    const m = await pastMinute();
    await history(queue, m);
    await finish(queue, 'a', { added: m, started: m + 10, finished: m + 70 });
    const { commands, before, after } = await auditRead(redis, url, (reader) =>
      periods(bullmqProbe.create(queue, { prefix }), reader),
    );
    expect(after).toEqual(before);
    const names = new Set(commands.map(([name]) => name));
    for (const name of ['zcount', 'zrangebyscore', 'hmget', 'zcard']) expect(names).toContain(name);

    const rules = [
      `~${prefix}:*`,
      ...['+llen', '+lindex', '+zcard', '+zrevrange', '+zcount', '+zrangebyscore', '+hexists'],
      ...['+hmget', '+xrange', '+xinfo|stream', '+time', '+info', '+select', '+client|setname'],
    ];
    await withAclUser(redis, { url, rules }, async (limited) => {
      const period = periodAt(await periods(bullmqProbe.create(queue, { prefix }), limited), m);
      expect(period?.run).toMatchObject({ count: 1, sum: 60 });
    });
  });
});

describeWithRedisCluster('bullmq probe sampled wait and run on a Redis Cluster', () => {
  let redis: RedisClient;
  beforeAll(async () => {
    redis = createRedisClient(testClusterUrl() as string, { lazyConnect: true });
    await redis.connect();
  });
  afterAll(async () => {
    await redis?.quit();
  });

  it('reads a minute whose sets and job hashes sit in different slots', async () => {
    // No hash tag: the queue's keys spread over the cluster's nodes.
    const queue = uniqueName('spread');
    const clusterPrefix = 'bull';
    const [seconds] = await redis.time();
    const m = Math.floor((Number(seconds) * 1000) / MINUTE) * MINUTE - 3 * MINUTE;
    const jobs = [
      { id: 'old', set: 'completed', finished: m - 60 * MINUTE },
      { id: 'old-f', set: 'failed', finished: m - 60 * MINUTE },
      ...Array.from({ length: 8 }, (_, i) => ({ id: `j${i}`, set: 'completed', finished: m + i })),
      { id: 'f', set: 'failed', finished: m + 100 },
    ];
    for (const { id, set, finished } of jobs) {
      await redis.hset(`${clusterPrefix}:${queue}:${id}`, {
        opts: '{}',
        timestamp: finished - 30,
        processedOn: finished - 20,
        finishedOn: finished,
        atm: '1',
        ats: '1',
      });
      await redis.zadd(`${clusterPrefix}:${queue}:${set}`, finished, id);
    }
    const keys = jobs.flatMap(({ id, set }) =>
      [id, set].map((k) => `${clusterPrefix}:${queue}:${k}`),
    );
    expect(new Set(keys.map(keySlot)).size).toBeGreaterThan(3);
    const probe = bullmqProbe.create(queue, { prefix: clusterPrefix });
    let periods: QueuePeriod[] | undefined;
    for (let i = 0; i < READS; i++)
      periods = (await probe.read({ redis, nowMs: Date.now() })).periods;
    expect(periods?.find((p) => p.startMs === m)).toMatchObject({
      wait: { count: 9, sum: 9 * 10 },
      run: { count: 9, sum: 9 * 20 },
      source: 'sample',
    });
    for (const { id, set } of jobs) {
      await redis.del(`${clusterPrefix}:${queue}:${id}`);
      await redis.del(`${clusterPrefix}:${queue}:${set}`);
    }
  });
});
