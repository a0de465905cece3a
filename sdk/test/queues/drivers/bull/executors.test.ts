/**
 * The bull retry and delete executors against queues whose jobs a real (legacy) Bull processor
 * failed. The processing queue is closed before each test, so a retried job stays waiting;
 * Bull's own getters are the reference for where every job ends up.
 */
import Bull from 'bull';
import Redis from 'ioredis';
import { bullDeleteExecutor } from '../../../../src/queues/drivers/bull/delete';
import { bullRetryExecutor } from '../../../../src/queues/drivers/bull/retry';
import { CommandRejectedError } from '../../../../src/commands/executor';
import type { CommandExecutor, ExecutionTarget } from '../../../../src/commands/executor';
import { claimDatabase, describeWithRedis, eventually } from '../../../../../testing/redis';
import { auditRead } from '../../../support/read-only-audit';

describeWithRedis('bull executors (real Bull)', () => {
  let url: string;
  /** The application's connection, which the executors are given. */
  let redis: Redis;
  const queues: Bull.Queue[] = [];

  /**
   * A queue whose processor failed `failed` jobs (ids 1…failed) one at a time, so each failed
   * at its own moment, then completed `completed` more; the processing queue is closed
   * afterwards and the returned one only adds and inspects.
   */
  async function queueWith(name: string, failed: number, completed = 0, prefix = 'bull') {
    const queue = new Bull(name, url, { prefix });
    queues.push(queue);
    const processor = new Bull(name, url, { prefix });
    processor
      .process((job) =>
        (job.data as { charge: boolean }).charge
          ? Promise.reject(new Error('card declined'))
          : Promise.resolve(),
      )
      .catch(() => undefined);
    try {
      const settle = async (charge: boolean, state: string) => {
        const job = await queue.add({ charge });
        await eventually(async () => ((await job.getState()) === state ? true : undefined));
      };
      for (let n = 0; n < failed; n++) await settle(true, 'failed');
      for (let n = 0; n < completed; n++) await settle(false, 'completed');
    } finally {
      await processor.close();
    }
    return queue;
  }

  const run = (
    executor: CommandExecutor,
    target: Omit<ExecutionTarget, 'maxJobs'> & { maxJobs?: number },
    options: Record<string, unknown> = {},
  ) => executor.execute({ redis, options }, { maxJobs: 1000, ...target });

  async function statesOf(queue: Bull.Queue, ids: string[]): Promise<Record<string, string>> {
    const states = await Promise.all(
      ids.map(async (id) => {
        const job = await queue.getJob(id);
        return job ? await job.getState() : 'gone';
      }),
    );
    return Object.fromEntries(ids.map((id, n) => [id, states[n]!]));
  }

  beforeAll(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
  });

  afterAll(async () => {
    await Promise.all(queues.map((q) => q.close()));
    await redis?.quit();
  });

  it('retries exactly the failed job it names, and 10 and 11 stay failed', async () => {
    const queue = await queueWith('ids', 11);
    await expect(
      run(bullRetryExecutor, { queue: 'ids', scope: 'job', jobId: '1' }),
    ).resolves.toEqual({
      affected: 1,
    });
    expect(await statesOf(queue, ['1', '10', '11'])).toEqual({
      '1': 'waiting',
      '10': 'failed',
      '11': 'failed',
    });
    const { waiting, failed } = await queue.getJobCounts();
    expect({ waiting, failed }).toEqual({ waiting: 1, failed: 10 });
  });

  it('deletes exactly the failed job it names', async () => {
    const queue = await queueWith('deletes', 3);
    await expect(
      run(bullDeleteExecutor, { queue: 'deletes', scope: 'job', jobId: '2' }),
    ).resolves.toEqual({
      affected: 1,
    });
    expect(await queue.getJob('2')).toBeNull();
    expect(await statesOf(queue, ['1', '3'])).toEqual({ '1': 'failed', '3': 'failed' });
    expect(await queue.getFailedCount()).toBe(2);
  });

  it('rejects a completed, a waiting or an unknown job and changes nothing', async () => {
    const queue = await queueWith('not-failed', 1, 1);
    await queue.add({ charge: false });
    for (const executor of [bullRetryExecutor, bullDeleteExecutor]) {
      const target = (jobId: string) => ({ queue: 'not-failed', scope: 'job', jobId }) as const;
      await expect(run(executor, target('2'))).rejects.toThrow(
        new CommandRejectedError('job 2 is not failed (state: completed)'),
      );
      await expect(run(executor, target('3'))).rejects.toThrow(
        new CommandRejectedError('job 3 is not failed (state: waiting)'),
      );
      await expect(run(executor, target('99'))).rejects.toThrow(
        new CommandRejectedError('job 99 not found'),
      );
    }
    expect(await statesOf(queue, ['1', '2', '3'])).toEqual({
      '1': 'failed',
      '2': 'completed',
      '3': 'waiting',
    });
  });

  it('retries the newest maxJobs failed jobs and counts them', async () => {
    const queue = await queueWith('bulk-retry', 5);
    await expect(
      run(bullRetryExecutor, { queue: 'bulk-retry', scope: 'all-failed', maxJobs: 3 }),
    ).resolves.toMatchObject({
      affected: 3,
      skipped: [{ reason: 'over maxJobsPerCommand', count: 2 }],
      preview: { matched: 5, scanned: 5, complete: true },
    });
    expect(await statesOf(queue, ['1', '2', '3', '4', '5'])).toEqual({
      '1': 'failed',
      '2': 'failed',
      '3': 'waiting',
      '4': 'waiting',
      '5': 'waiting',
    });
  });

  it('deletes the newest maxJobs failed jobs and counts them', async () => {
    const queue = await queueWith('bulk-delete', 5);
    await expect(
      run(bullDeleteExecutor, { queue: 'bulk-delete', scope: 'all-failed', maxJobs: 3 }),
    ).resolves.toMatchObject({
      affected: 3,
      skipped: [{ reason: 'over maxJobsPerCommand', count: 2 }],
      preview: { matched: 5, scanned: 5, complete: true },
    });
    expect(await statesOf(queue, ['1', '2', '3', '4', '5'])).toEqual({
      '1': 'failed',
      '2': 'failed',
      '3': 'gone',
      '4': 'gone',
      '5': 'gone',
    });
  });

  it('works under a hash-tag prefix', async () => {
    const queue = await queueWith('tagged', 2, 0, '{bull}');
    const options = { prefix: '{bull}' };
    await run(bullRetryExecutor, { queue: 'tagged', scope: 'job', jobId: '1' }, options);
    await run(bullDeleteExecutor, { queue: 'tagged', scope: 'job', jobId: '2' }, options);
    expect(await statesOf(queue, ['1', '2'])).toEqual({ '1': 'waiting', '2': 'gone' });
  });

  it('writes nothing at all when it rejects', async () => {
    await queueWith('untouched', 1, 1);
    const audit = await auditRead(redis, url, (reader) =>
      bullRetryExecutor
        .execute(
          { redis: reader, options: {} },
          { queue: 'untouched', scope: 'job', jobId: '2', maxJobs: 1 },
        )
        .catch((error: unknown) => error),
    );
    expect(audit.after).toEqual(audit.before);
  });

  it("leaves the application's connection open and without Bull's listeners", async () => {
    await queueWith('connection', 1);
    const listeners = () => ['error', 'close', 'ready', 'end'].map((e) => redis.listenerCount(e));
    const before = listeners();
    await run(bullRetryExecutor, { queue: 'connection', scope: 'all-failed' });
    expect(listeners()).toEqual(before);
    expect(redis.status).toBe('ready');
    expect(await redis.ping()).toBe('PONG');
  });
});
