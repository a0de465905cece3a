/**
 * Bulk commands on a `horizon` queue against a real Redis holding Horizon's repository as PHP
 * writes it: 15 jobs of `emails` failed with three exceptions (7/5/3), and 2 of another queue
 * with the middle one's. The agent groups the probe's failed sample; a dry run of the middle group counts exactly
 * its 5 jobs of `emails`, and the grouped retry and delete act on exactly those.
 */
import Redis from 'ioredis';
import { horizonDeleteExecutor } from '../../../../src/queues/drivers/horizon/delete';
import { horizonRetryExecutor } from '../../../../src/queues/drivers/horizon/retry';
import { horizonProbe } from '../../../../src/queues/drivers/horizon/probe';
import { groupSample } from '../../../../src/queues/failures/groups';
import type { ExecutionTarget } from '../../../../src/commands/executor';
import { claimDatabase, describeWithRedis } from '../../../../../testing/redis';
import { HorizonRepository, phpExceptionString } from '../../layouts/horizon';
import { LaravelRedisQueue } from '../../layouts/laravel';

const H = 'laravel_horizon:';
const ERRORS = {
  card: (n: number) => `Card ${4000 + n} declined`,
  user: (n: number) => `User ${n} not found`,
  stock: (n: number) => `Timeout after ${3000 + n} ms`,
};
const MIX: Array<[keyof typeof ERRORS, number]> = [
  ['card', 7],
  ['user', 5],
  ['stock', 3],
];

describeWithRedis('horizon bulk commands by failure group (real Redis)', () => {
  let redis: Redis;
  let emails: LaravelRedisQueue;
  let horizon: HorizonRepository;
  /** The failed ids of `emails` per error kind, and those of the other queue. */
  let ids: Record<keyof typeof ERRORS, string[]>;
  let others: string[];
  const t0 = Math.floor(Date.now() / 1000) - 3600;

  async function fail(on: LaravelRedisQueue, kind: keyof typeof ERRORS, n: number, at: number) {
    const id = await horizon.push(
      on,
      { className: 'App\\Jobs\\Charge', createdAt: at, properties: [['n', n]], tries: 1 },
      at,
    );
    const reserved = await horizon.reserve(on, at + 0.25);
    const error = phpExceptionString('RuntimeException', ERRORS[kind](n), '/app/Jobs/Charge.php');
    await horizon.fail(on, reserved, error, at + 0.5);
    return id;
  }

  beforeEach(async () => {
    redis = new Redis(await claimDatabase());
    emails = new LaravelRedisQueue(redis, 'emails', { prefix: '', cluster: false });
    const reports = new LaravelRedisQueue(redis, 'reports', { prefix: '', cluster: false });
    horizon = new HorizonRepository(redis, { horizonPrefix: H, cluster: false });
    ids = { card: [], user: [], stock: [] };
    let at = t0;
    for (const [kind, count] of MIX) {
      for (let n = 0; n < count; n++) ids[kind].push(await fail(emails, kind, n, at++));
    }
    others = [await fail(reports, 'user', 90, at++), await fail(reports, 'user', 91, at++)];
  });
  afterEach(() => redis.quit());

  async function userGroupKey(): Promise<string> {
    const reading = await horizonProbe.create('emails', {}).read({ redis, nowMs: Date.now() });
    // The agent groups the failed sample of a probe that sends no groups of its own.
    const groups = groupSample(reading.failedSample ?? []);
    expect(groups.groups.map((g) => g.count)).toEqual([7, 5, 3]);
    return groups.groups.find((g) => g.count === 5)?.key ?? '';
  }
  const target = (fingerprint: string, more: Partial<ExecutionTarget> = {}): ExecutionTarget => ({
    queue: 'emails',
    scope: 'all-failed',
    maxJobs: 1000,
    fingerprint,
    batchPauseMs: 0,
    ...more,
  });
  const stillFailed = async (list: string[]) =>
    (await Promise.all(list.map((id) => redis.zscore(`${H}failed_jobs`, id)))).filter(
      (score) => score !== null,
    ).length;

  it("dry-runs the middle group: exactly its 5 jobs of this queue, none of the other queue's", async () => {
    const key = await userGroupKey();
    const outcome = await horizonRetryExecutor.execute(
      { redis, options: {} },
      target(key, { dryRun: true }),
    );
    expect(outcome).toMatchObject({
      affected: 0,
      preview: { matched: 5, scanned: 15, complete: true },
    });
    expect(outcome.preview?.sample.map((s) => s.id).sort()).toEqual([...ids.user].sort());
    expect(await redis.llen(emails.key)).toBe(0);
  });

  it('retries exactly the jobs of the group, at most maxJobs of them', async () => {
    const key = await userGroupKey();
    const outcome = await horizonRetryExecutor.execute(
      { redis, options: {} },
      target(key, { maxJobs: 4, jobsPerBatch: 2 }),
    );
    expect(outcome).toMatchObject({
      affected: 4,
      skipped: [{ reason: 'over maxJobsPerCommand', count: 1 }],
    });
    const retried = (await redis.lrange(emails.key, 0, -1)).map(
      (p) => (JSON.parse(p) as { retry_of: string }).retry_of,
    );
    // The newest four of the group: Horizon's index puts the newest first.
    expect(retried.sort()).toEqual(ids.user.slice(1).sort());
  });

  it('deletes exactly the jobs of the group, and leaves the other queue alone', async () => {
    const key = await userGroupKey();
    await expect(
      horizonDeleteExecutor.execute({ redis, options: {} }, target(key)),
    ).resolves.toMatchObject({ affected: 5 });
    expect(await stillFailed(ids.user)).toBe(0);
    expect(await stillFailed([...ids.card, ...ids.stock])).toBe(10);
    expect(await stillFailed(others)).toBe(2);
  });
});
