/**
 * The bull probe against queues driven by the real (legacy) Bull: a processor that completes,
 * fails and holds jobs, priorities, a delay and a global pause. Bull's own getJobCounts() is
 * the reference, MONITOR and a keyspace dump prove that a read writes nothing, and the
 * documented ACL is tried for real. Its options are tested in ../bull-family/keys.test.ts.
 */
import Bull from 'bull';
import Redis from 'ioredis';
import { bullProbe } from '../../../../src/queues/drivers/bull/probe';
import type { ProbeOptions } from '../../../../src/queues/types';
import { claimDatabase, describeWithRedis, eventually } from '../../../../../testing/redis';
import { auditRead, withAclUser } from '../../../support/read-only-audit';

const SECRET = 'card-4242-4242-4242-4242';
const LONG_REASON = `card declined by the issuer: ${'the bank gave no further detail. '.repeat(8)}`;
const TEN_MINUTES = 600_000;
/** The documented ACL: the probe's commands, then what ioredis sends on connect. */
const ACL_COMMANDS = [
  ...['+llen', '+lindex', '+zcard', '+zrevrange', '+exists', '+hmget'],
  ...['+info', '+select', '+client|setname'],
];
const READ_COMMANDS = ['llen', 'lindex', 'zcard', 'zrevrange', 'exists', 'hmget'];

describeWithRedis('bull probe (real Bull)', () => {
  const prefix = '{bull}';
  let url: string;
  let redis: Redis;
  let release: () => void = () => undefined;
  let processing: Promise<void> | undefined;
  const queues: Bull.Queue[] = [];
  const queue = (name: string, queuePrefix = prefix) => {
    const q = new Bull(name, url, {
      prefix: queuePrefix,
      settings: { lockDuration: TEN_MINUTES, stalledInterval: TEN_MINUTES },
    });
    queues.push(q);
    return q;
  };
  const read = (name: string, options: ProbeOptions = { prefix }, nowMs = Date.now()) =>
    bullProbe.create(name, options).read({ redis, nowMs });

  beforeAll(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
    const emails = queue('emails');
    const held = new Promise<void>((resolve) => (release = resolve));
    processing = emails.process('*', 1, async (job) => {
      if (job.name === 'charge') throw new Error(`${LONG_REASON}#${(job.data as { n: number }).n}`);
      if (job.name === 'hold') await held;
      return 'sent';
    });

    await emails.addBulk([
      { name: 'welcome', data: {} },
      { name: 'welcome', data: {} },
      ...Array.from({ length: 25 }, (_, n) => ({ name: 'charge', data: { card: SECRET, n } })),
    ]);
    await eventually(
      async () => {
        const c = await emails.getJobCounts();
        return c.completed === 2 && c.failed === 25 ? true : undefined;
      },
      15_000,
      'jobs to complete and fail',
    );
    await emails.add('hold', {});
    await eventually(async () => ((await emails.getActiveCount()) === 1 ? true : undefined));
    await emails.addBulk([
      { name: 'digest', data: {} },
      { name: 'digest', data: {} },
      { name: 'digest', data: {} },
      { name: 'urgent', data: {}, opts: { priority: 5 } },
      { name: 'urgent', data: {}, opts: { priority: 1 } },
    ]);
    await emails.add('reminder', {}, { delay: 3_600_000 });
  }, 60_000);

  afterAll(async () => {
    release();
    await Promise.all(queues.map((q) => q.close()));
    await processing;
    await redis?.quit();
  });

  it('names its queue and driver', () => {
    const probe = bullProbe.create('emails', {});
    expect(probe.queue).toBe('emails');
    expect(probe.driver).toBe('bull');
  });

  it('reports every state as getJobCounts() does, prioritised jobs as waiting', async () => {
    const reading = await read('emails');
    expect(reading.size).toEqual(await queues[0]!.getJobCounts());
    expect(reading.size).toEqual({
      waiting: 5,
      active: 1,
      delayed: 1,
      failed: 25,
      completed: 2,
      paused: 0,
    });
    expect(reading.paused).toBe(false);
  });

  it('samples the 20 newest failures, newest first, with name, time and a cut reason', async () => {
    const { failedSample } = await read('emails');
    const newest = await queues[0]!.getFailed(0, 19);
    expect(failedSample).toEqual(
      newest.map((job) => ({
        id: String(job.id),
        name: 'charge',
        failedAt: job.finishedOn,
        reason: job.failedReason!.slice(0, 200),
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

  it('gives no age while prioritised jobs wait, since they are then out of age order', async () => {
    expect((await read('emails')).oldestWaitingAgeMs).toBeUndefined();
  });

  it('reports the age of the oldest waiting job, growing with the clock', async () => {
    const digests = queue('digests', 'acme-jobs');
    const first = await digests.add('digest', {});
    await digests.add('digest', {});
    const nowMs = Date.now();
    const now = await read('digests', { prefix: 'acme-jobs' }, nowMs);
    const later = await read('digests', { prefix: 'acme-jobs' }, nowMs + 60_000);
    expect(now.size).toEqual(await digests.getJobCounts());
    expect(now.oldestWaitingAgeMs).toBe(nowMs - first.timestamp);
    expect(now.oldestWaitingAgeMs).toBeGreaterThanOrEqual(0);
    expect(later.oldestWaitingAgeMs).toBe(now.oldestWaitingAgeMs! + 60_000);
  });

  it('says a paused queue is paused and counts its jobs as paused, as getJobCounts() does', async () => {
    const newsletters = queue('newsletters', 'bull');
    const first = await newsletters.add('issue', {});
    await newsletters.add('issue', {});
    await newsletters.pause();
    await newsletters.add('issue', {});
    expect(await newsletters.isPaused()).toBe(true);
    const nowMs = Date.now();
    const reading = await read('newsletters', {}, nowMs);
    expect(reading.paused).toBe(true);
    expect(reading.size).toEqual(await newsletters.getJobCounts());
    expect(reading.size).toMatchObject({ waiting: 0, paused: 3 });
    expect(reading.oldestWaitingAgeMs).toBe(nowMs - first.timestamp);

    await newsletters.resume();
    const resumed = await read('newsletters', {});
    expect(resumed.paused).toBe(false);
    expect(resumed.size).toEqual(await newsletters.getJobCounts());
  });

  it('sends only read commands and leaves the keyspace as it was', async () => {
    const { commands, before, after } = await auditRead(redis, url, (reader) =>
      bullProbe.create('emails', { prefix }).read({ redis: reader, nowMs: Date.now() }),
    );
    expect(after).toEqual(before);
    expect(new Set(commands.map(([name]) => name))).toEqual(new Set(READ_COMMANDS));
  });

  it('reads with the documented read-only ACL user, which can do nothing else', async () => {
    const rules = [`~${prefix}:*`, ...ACL_COMMANDS];
    // Connected as ioredis does by default (a ready check), under a name: INFO, CLIENT SETNAME.
    const connection = { connectionName: 'quasar:monitor', enableReadyCheck: true };
    await withAclUser(redis, { url, rules, connection }, async (limited, username) => {
      const reading = await bullProbe
        .create('emails', { prefix })
        .read({ redis: limited, nowMs: Date.now() });
      expect(reading.size).toEqual(await queues[0]!.getJobCounts());
      expect(await redis.client('LIST')).toMatch(
        new RegExp(`name=quasar:monitor .*user=${username}`),
      );
      await expect(limited.set(`${prefix}:emails:x`, '1')).rejects.toThrow(/NOPERM/);
      await expect(limited.llen('other:emails:wait')).rejects.toThrow(/NOPERM/);
    });
  });

  it('does not read the "waiting" key the original probe read', async () => {
    await redis.rpush(`${prefix}:ghost:waiting`, 'a', 'b');
    expect((await read('ghost')).size.waiting).toBe(0);
  });

  it('reports zeros and no age for a queue that does not exist', async () => {
    expect(await read('nothing-here')).toEqual({
      size: { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0, paused: 0 },
      paused: false,
      failedSample: [],
    });
  });

  it('rejects when Redis answers with an error', async () => {
    await redis.set(`${prefix}:broken:wait`, 'not a list');
    await expect(read('broken')).rejects.toThrow(/WRONGTYPE/);
  });
});
