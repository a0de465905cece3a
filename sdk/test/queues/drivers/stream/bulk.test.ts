/**
 * Bulk commands on a `stream` queue against a real Redis holding a Gravito Stream queue as its
 * Redis driver writes it: 15 failed jobs with three errors (7/5/3). The agent groups the
 * probe's failed sample; a dry run of the middle group counts exactly its 5 entries and
 * changes nothing, and the grouped retry and delete act on exactly those, newest first within
 * `maxJobs`, the oldest of them first in line.
 */
import Redis from 'ioredis';
import { streamDeleteExecutor } from '../../../../src/queues/drivers/stream/delete';
import { streamRetryExecutor } from '../../../../src/queues/drivers/stream/retry';
import { streamProbe } from '../../../../src/queues/drivers/stream/probe';
import { groupSample } from '../../../../src/queues/failures/groups';
import type { CommandExecutor, ExecutionTarget } from '../../../../src/commands/executor';
import { claimDatabase, describeWithRedis, eventually } from '../../../../../testing/redis';
import { auditRead } from '../../../support/read-only-audit';
import { StreamQueue, streamJob } from '../../layouts/stream';
import type { StreamJob } from '../../layouts/stream';

const ERRORS = {
  card: (n: number) => `Card ${4000 + n} declined`,
  user: (n: number) => `User ${n} not found`,
  stock: (n: number) => `Timeout after ${3000 + n} ms`,
};
type Kind = keyof typeof ERRORS;
const MIX: Array<[Kind, number]> = [
  ['card', 7],
  ['user', 5],
  ['stock', 3],
];

describeWithRedis('stream bulk commands by failure group (real Redis)', () => {
  let url: string;
  let redis: Redis;
  let queue: StreamQueue;
  /** The failed jobs per error kind, oldest first. */
  let jobs: Record<Kind, StreamJob[]>;
  const t0 = Date.now() - 60_000;
  const failedKey = () => `${queue.key}:failed`;
  const failedIds = async () =>
    (await redis.lrange(failedKey(), 0, -1)).map((raw) => (JSON.parse(raw) as StreamJob).id);
  const laneIds = async () =>
    (await redis.lrange(queue.key, 0, -1)).map((raw) => (JSON.parse(raw) as StreamJob).id);
  const idsOf = (list: StreamJob[]) => list.map((job) => job.id);

  beforeEach(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
    queue = new StreamQueue(redis, 'emails');
    jobs = { card: [], user: [], stock: [] };
    let at = t0;
    // Interleaved, so that a group is no run of adjacent entries.
    for (let n = 0; n < 7; n++) {
      for (const [kind, count] of MIX) {
        if (n >= count) continue;
        const job = streamJob('App\\Jobs\\Charge', { n }, at);
        await queue.fail(job, ERRORS[kind](n), at + 500);
        jobs[kind].push(job);
        at += 1000;
      }
    }
  });
  afterEach(() => redis.quit());

  /** The key of the group of `kind`, as the agent groups the probe's failed sample. */
  async function groupKey(kind: Kind): Promise<string> {
    const reading = await streamProbe.create('emails', {}).read({ redis, nowMs: Date.now() });
    const groups = groupSample(reading.failedSample ?? []);
    expect(groups.groups.map((g) => g.count)).toEqual([7, 5, 3]);
    const group = groups.groups.find((g) => g.count === jobs[kind].length);
    return group?.key ?? '';
  }
  const target = (fingerprint: string, more: Partial<ExecutionTarget> = {}): ExecutionTarget => ({
    queue: 'emails',
    scope: 'all-failed',
    maxJobs: 1000,
    fingerprint,
    batchPauseMs: 0,
    ...more,
  });
  const run = (executor: CommandExecutor, t: ExecutionTarget) =>
    executor.execute({ redis, options: {} }, t);

  it('dry-runs the middle group: exactly its 5 entries, newest first, and changes nothing', async () => {
    const key = await groupKey('user');
    for (const executor of [streamRetryExecutor, streamDeleteExecutor]) {
      const audit = await auditRead(redis, url, (r) =>
        executor.execute({ redis: r, options: {} }, target(key, { dryRun: true })),
      );
      expect(audit.after).toEqual(audit.before);
      const outcome = await run(executor, target(key, { dryRun: true }));
      expect(outcome).toMatchObject({
        affected: 0,
        preview: { matched: 5, scanned: 15, complete: true },
      });
      expect(outcome.skipped).toBeUndefined();
      expect(outcome.preview?.sample.map((s) => s.id)).toEqual(idsOf(jobs.user).reverse());
      expect(outcome.preview?.sample[0]).toMatchObject({
        name: 'App\\Jobs\\Charge',
        reason: 'User 4 not found',
      });
    }
    expect(await redis.llen(failedKey())).toBe(15);
    expect(await redis.llen(queue.key)).toBe(0);
  });

  it('retries exactly the 5 jobs of the group, the oldest first in line; the others stay failed', async () => {
    const key = await groupKey('user');
    await expect(run(streamRetryExecutor, target(key, { jobsPerBatch: 2 }))).resolves.toEqual({
      affected: 5,
      preview: expect.objectContaining({ matched: 5 }) as unknown,
    });
    // Workers pop the right end: the oldest retried job runs first, as Stream's retry orders it.
    expect((await laneIds()).reverse()).toEqual(idsOf(jobs.user));
    const left = await failedIds();
    expect(left).toHaveLength(10);
    expect(left.sort()).toEqual([...idsOf(jobs.card), ...idsOf(jobs.stock)].sort());
    const [pushed] = await redis.lrange(queue.key, 0, 0);
    expect(JSON.parse(pushed!)).not.toHaveProperty('error');
  });

  it('deletes exactly the 3 entries of the smallest group, and nothing else', async () => {
    const key = await groupKey('stock');
    await expect(run(streamDeleteExecutor, target(key))).resolves.toMatchObject({ affected: 3 });
    const left = await failedIds();
    expect(left.sort()).toEqual([...idsOf(jobs.card), ...idsOf(jobs.user)].sort());
    expect(await redis.llen(queue.key)).toBe(0);
  });

  it('moves at most maxJobs, the newest of the group, and reports the rest over maxJobsPerCommand', async () => {
    const key = await groupKey('card');
    const preview = await run(streamRetryExecutor, target(key, { dryRun: true, maxJobs: 3 }));
    expect(preview).toMatchObject({
      affected: 0,
      skipped: [{ reason: 'over maxJobsPerCommand', count: 4 }],
      preview: { matched: 7, complete: true },
    });

    const outcome = await run(streamRetryExecutor, target(key, { maxJobs: 3 }));
    expect(outcome).toMatchObject({
      affected: 3,
      skipped: [{ reason: 'over maxJobsPerCommand', count: 4 }],
      preview: { matched: 7 },
    });
    const newest = idsOf(jobs.card).slice(4);
    // The moved set is the preview's sample's head: the newest three of the group.
    expect(preview.preview?.sample.slice(0, 3).map((s) => s.id)).toEqual([...newest].reverse());
    expect((await laneIds()).sort()).toEqual([...newest].sort());
    expect(await failedIds()).toHaveLength(12);
  });

  it('a scan bound leaves the preview incomplete; a dry run without a fingerprint counts every job', async () => {
    const key = await groupKey('card');
    const bounded = await run(streamRetryExecutor, target(key, { dryRun: true, maxScan: 6 }));
    // The newest 6 entries: card 6, card 5, then the rounds n = 4 and 3 (card and user each).
    expect(bounded.preview).toMatchObject({ matched: 4, scanned: 6, complete: false });

    const every = await run(streamDeleteExecutor, {
      queue: 'emails',
      scope: 'all-failed',
      maxJobs: 10,
      dryRun: true,
    });
    expect(every).toMatchObject({
      affected: 0,
      skipped: [{ reason: 'over maxJobsPerCommand', count: 5 }],
      preview: { matched: 15, scanned: 15, complete: true },
    });
    expect(every.preview?.sample).toHaveLength(10);
    expect(await redis.llen(failedKey())).toBe(15);
  });

  it('dry-runs a command on one job: that job, and nothing moves', async () => {
    const [job] = jobs.stock;
    const outcome = await run(streamRetryExecutor, {
      queue: 'emails',
      scope: 'job',
      jobId: job!.id,
      maxJobs: 1000,
      dryRun: true,
    });
    expect(outcome).toEqual({
      affected: 0,
      preview: {
        matched: 1,
        scanned: 1,
        complete: true,
        sample: [
          {
            id: job!.id,
            name: 'App\\Jobs\\Charge',
            failedAt: job!.createdAt + 500,
            reason: 'Timeout after 3000 ms',
          },
        ],
      },
    });
    expect(await redis.llen(failedKey())).toBe(15);
  });

  it('skips an entry removed after the selection, and moves the others', async () => {
    const key = await groupKey('user');
    const running = run(streamRetryExecutor, target(key, { jobsPerBatch: 1, batchPauseMs: 300 }));
    // The oldest moves first; meanwhile someone deletes the newest, which would move last.
    await eventually(async () => ((await redis.llen(queue.key)) >= 1 ? true : undefined));
    const newest = (await redis.lrange(failedKey(), 0, -1)).find(
      (raw) => (JSON.parse(raw) as StreamJob).id === jobs.user[4]!.id,
    );
    expect(await redis.lrem(failedKey(), 1, newest!)).toBe(1);

    await expect(running).resolves.toMatchObject({
      affected: 4,
      skipped: [{ reason: 'no longer failed', count: 1 }],
    });
    expect((await laneIds()).reverse()).toEqual(idsOf(jobs.user).slice(0, 4));
    expect(await failedIds()).toHaveLength(10);
  });
});
