/**
 * The bullmq probe against queues driven by the real BullMQ: a worker that completes, fails
 * and holds jobs, a flow, a pause. BullMQ's own getJobCounts() is the reference, MONITOR and a
 * keyspace dump prove that a read writes nothing, and the documented ACL is tried for real.
 * Its options are tested in ../bull-family/keys.test.ts.
 */
import { FlowProducer, Queue, Worker } from 'bullmq';
import type { ConnectionOptions, Job, JobType } from 'bullmq';
import Redis from 'ioredis';
import { bullmqProbe } from '../../../../src/queues/drivers/bullmq/probe';
import type { ProbeOptions } from '../../../../src/queues/types';
import {
  bullmqConnection,
  claimDatabase,
  describeWithRedis,
  eventually,
} from '../../../../../testing/redis';
import { auditRead, withAclUser } from '../../../support/read-only-audit';

const SECRET = 'card-4242-4242-4242-4242';
const LONG_REASON = `card declined by the issuer: ${'the bank gave no further detail. '.repeat(8)}`;
const TEN_MINUTES = 600_000;
/** The documented ACL: the probe's commands, then what ioredis sends on connect. */
const ACL_COMMANDS = [
  ...['+llen', '+lindex', '+zcard', '+zrevrange', '+hexists', '+hmget'],
  ...['+xrange', '+xinfo|stream', '+time', '+zcount', '+zrangebyscore'],
  ...['+info', '+select', '+client|setname'],
];
const READ_COMMANDS = [
  ...['llen', 'lindex', 'zcard', 'zrevrange', 'hexists', 'hmget'],
  ...['xrange', 'xinfo', 'time'],
  // The second read samples the oldest closed minute's finished jobs (./finished-sample.test.ts).
  ...['zcount', 'zrangebyscore'],
];
/** getJobCounts() states; v6 no longer lists `paused` among its types but still counts it. */
const STATES = [
  'waiting',
  'active',
  'delayed',
  'failed',
  'completed',
  'prioritized',
  'paused',
  'waiting-children',
] as JobType[];

/** getJobCounts() of every state the probe reports, under the probe's names. */
async function jobCounts(queue: Queue): Promise<Record<string, number>> {
  const counts = await queue.getJobCounts(...STATES);
  return Object.fromEntries(
    Object.entries(counts).map(([state, n]) => [
      state.replace('waiting-children', 'waitingChildren'),
      n,
    ]),
  );
}

describeWithRedis('bullmq probe (real BullMQ)', () => {
  const prefix = '{bull}';
  let url: string;
  let connection: ConnectionOptions;
  let redis: Redis;
  let release: () => void = () => undefined;
  let firstWaiting: Job;
  const queues: Queue[] = [];
  let worker: Worker;
  let flows: FlowProducer;
  const queue = (name: string, queuePrefix = prefix) => {
    const q = new Queue(name, { connection, prefix: queuePrefix });
    queues.push(q);
    return q;
  };
  const read = (name: string, options: ProbeOptions = { prefix }, nowMs = Date.now()) =>
    bullmqProbe.create(name, options).read({ redis, nowMs });

  beforeAll(async () => {
    url = await claimDatabase();
    connection = bullmqConnection(url);
    redis = new Redis(url);
    const emails = queue('emails');
    const held = new Promise<void>((resolve) => (release = resolve));
    worker = new Worker(
      'emails',
      async (job) => {
        if (job.name === 'charge')
          throw new Error(`${LONG_REASON}#${(job.data as { n: number }).n}`);
        if (job.name === 'hold') await held;
        return 'sent';
      },
      {
        connection,
        prefix,
        concurrency: 1,
        lockDuration: TEN_MINUTES,
        stalledInterval: TEN_MINUTES,
      },
    );
    flows = new FlowProducer({ connection, prefix });

    await emails.addBulk([
      { name: 'welcome', data: {} },
      { name: 'welcome', data: {} },
      ...Array.from({ length: 25 }, (_, n) => ({ name: 'charge', data: { card: SECRET, n } })),
    ]);
    await eventually(
      async () => {
        const c = await emails.getJobCounts('completed', 'failed');
        return c.completed === 2 && c.failed === 25 ? true : undefined;
      },
      15_000,
      'jobs to complete and fail',
    );
    await emails.add('hold', {});
    await eventually(async () => ((await emails.getActiveCount()) === 1 ? true : undefined));
    firstWaiting = await emails.add('digest', { card: SECRET });
    await emails.addBulk([
      { name: 'digest', data: {} },
      { name: 'digest', data: {} },
    ]);
    await emails.add('reminder', {}, { delay: 3_600_000 });
    await emails.add('urgent', {}, { priority: 5 });
    await emails.add('urgent', {}, { priority: 1 });
    await flows.add({
      name: 'batch',
      queueName: 'emails',
      prefix,
      children: [{ name: 'render', queueName: 'emails-render', prefix }],
    });
  }, 60_000);

  afterAll(async () => {
    release();
    await worker?.close();
    await flows?.close();
    await Promise.all(queues.map((q) => q.close()));
    await redis?.quit();
  });

  it('names its queue and driver', () => {
    const probe = bullmqProbe.create('emails', {});
    expect(probe.queue).toBe('emails');
    expect(probe.driver).toBe('bullmq');
  });

  it('reports every state with the counts getJobCounts() gives', async () => {
    const reading = await read('emails');
    expect(reading.size).toEqual(await jobCounts(queues[0]!));
    expect(reading.size).toEqual({
      waiting: 3,
      active: 1,
      delayed: 1,
      failed: 25,
      completed: 2,
      prioritized: 2,
      paused: 0,
      waitingChildren: 1,
    });
    expect(reading.paused).toBe(false);
  });

  it('samples the 20 newest failures, newest first, with name, time and a cut reason', async () => {
    const { failedSample } = await read('emails');
    const newest = await queues[0]!.getFailed(0, 19);
    expect(failedSample).toEqual(
      newest.map((job) => ({
        id: job.id,
        name: 'charge',
        failedAt: job.finishedOn,
        reason: job.failedReason.slice(0, 200),
      })),
    );
    expect(failedSample).toHaveLength(20);
    expect(failedSample!.every((s) => s.reason!.length === 200)).toBe(true);
    const times = failedSample!.map((s) => s.failedAt!);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('never carries job data in the failed sample', async () => {
    const { failedSample } = await read('emails');
    expect(JSON.stringify(failedSample)).not.toContain(SECRET);
  });

  it('reports the age of the oldest waiting job, growing with the clock', async () => {
    const nowMs = Date.now();
    const now = await read('emails', { prefix }, nowMs);
    const later = await read('emails', { prefix }, nowMs + 60_000);
    expect(now.oldestWaitingAgeMs).toBe(nowMs - firstWaiting.timestamp);
    expect(now.oldestWaitingAgeMs).toBeGreaterThanOrEqual(0);
    expect(later.oldestWaitingAgeMs).toBe(now.oldestWaitingAgeMs! + 60_000);
  });

  it('sends only read commands and leaves the keyspace as it was', async () => {
    // Two reads: the second also reads the events stream from where the first left it.
    const { commands, before, after } = await auditRead(redis, url, async (reader) => {
      const probe = bullmqProbe.create('emails', { prefix });
      await probe.read({ redis: reader, nowMs: Date.now() });
      return probe.read({ redis: reader, nowMs: Date.now() });
    });
    expect(after).toEqual(before);
    expect(new Set(commands.map(([name]) => name))).toEqual(new Set(READ_COMMANDS));
  });

  it('reads with the documented read-only ACL user, which can do nothing else', async () => {
    const rules = [`~${prefix}:*`, ...ACL_COMMANDS];
    // Connected as ioredis does by default (a ready check), under a name: INFO, CLIENT SETNAME.
    const connection = { connectionName: 'quasar:monitor', enableReadyCheck: true };
    await withAclUser(redis, { url, rules, connection }, async (limited, username) => {
      const probe = bullmqProbe.create('emails', { prefix });
      await probe.read({ redis: limited, nowMs: Date.now() });
      const reading = await probe.read({ redis: limited, nowMs: Date.now() });
      expect(reading.size).toEqual(await jobCounts(queues[0]!));
      expect(reading.throughput).toMatchObject({ in: 0, out: 0, source: 'events' });
      expect(await redis.client('LIST')).toMatch(
        new RegExp(`name=quasar:monitor .*user=${username}`),
      );
      await expect(limited.set(`${prefix}:emails:x`, '1')).rejects.toThrow(/NOPERM/);
      await expect(limited.llen('other:emails:wait')).rejects.toThrow(/NOPERM/);
    });
  });

  it('says a paused queue is paused and counts its jobs as waiting, as BullMQ 6 does', async () => {
    const newsletters = queue('newsletters', 'bull');
    await newsletters.addBulk([
      { name: 'issue', data: {} },
      { name: 'issue', data: {} },
    ]);
    await newsletters.pause();
    await newsletters.add('issue', {});
    expect(await newsletters.isPaused()).toBe(true);
    const reading = await read('newsletters', {});
    expect(reading.paused).toBe(true);
    expect(reading.size).toEqual(await jobCounts(newsletters));
    expect(reading.size).toMatchObject({ waiting: 3, paused: 0 });
  });

  it('says a resumed queue is no longer paused, its counts unchanged', async () => {
    const digests = queue('digests', 'bull');
    await digests.addBulk([
      { name: 'digest', data: {} },
      { name: 'digest', data: {} },
    ]);
    await digests.pause();
    expect((await read('digests', {})).paused).toBe(true);
    await digests.resume();
    expect(await digests.isPaused()).toBe(false);
    const reading = await read('digests', {});
    expect(reading.paused).toBe(false);
    expect(reading.size).toEqual(await jobCounts(digests));
    expect(reading.size).toMatchObject({ waiting: 2, paused: 0 });
  });

  it('counts jobs left in the paused list of a queue paused by BullMQ 5 or older', async () => {
    const legacy = queue('legacy', 'acme-jobs');
    const first = await legacy.add('old', {});
    await legacy.add('old', {});
    // What BullMQ ≤ 5 did on pause; BullMQ 6 still counts and resumes such a list.
    await redis.rename('acme-jobs:legacy:wait', 'acme-jobs:legacy:paused');
    await redis.hset('acme-jobs:legacy:meta', 'paused', '1');
    const nowMs = Date.now();
    const reading = await read('legacy', { prefix: 'acme-jobs' }, nowMs);
    expect(reading.size).toEqual(await jobCounts(legacy));
    expect(reading.size).toMatchObject({ waiting: 0, paused: 2 });
    expect(reading.paused).toBe(true);
    expect(reading.oldestWaitingAgeMs).toBe(nowMs - first.timestamp);
  });

  it('leaves a BullMQ 4 marker out of the waiting count, as getJobCounts() does', async () => {
    const marked = queue('marked', 'acme-jobs');
    // BullMQ 4 pushed `0:<delay>` into an empty wait list; later jobs land on its left.
    await redis.lpush('acme-jobs:marked:wait', '0:1000');
    const first = await marked.add('job', {});
    await marked.add('job', {});
    const nowMs = Date.now();
    const reading = await read('marked', { prefix: 'acme-jobs' }, nowMs);
    expect(reading.size.waiting).toBe(2);
    expect(reading.oldestWaitingAgeMs).toBe(nowMs - first.timestamp);
    expect(reading.size).toEqual(await jobCounts(marked));
  });

  it('reports zeros and no age for a queue that does not exist', async () => {
    const reading = await read('nothing-here');
    expect(reading).toEqual({
      size: {
        waiting: 0,
        active: 0,
        delayed: 0,
        failed: 0,
        completed: 0,
        prioritized: 0,
        paused: 0,
        waitingChildren: 0,
      },
      paused: false,
      failedSample: [],
    });
  });

  it('rejects when Redis answers with an error', async () => {
    await redis.set(`${prefix}:broken:wait`, 'not a list');
    await expect(read('broken')).rejects.toThrow(/WRONGTYPE/);
  });
});
