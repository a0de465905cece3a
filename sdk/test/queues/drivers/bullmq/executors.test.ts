/**
 * The bullmq retry and delete executors against queues whose jobs a real BullMQ worker failed.
 * The worker is closed before each test, so a retried job stays waiting; BullMQ's own
 * getters are the reference for where every job ends up.
 */
import { Job, Queue, Worker } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';
import Redis from 'ioredis';
import { bullmqDeleteExecutor } from '../../../../src/queues/drivers/bullmq/delete';
import { bullmqRetryExecutor } from '../../../../src/queues/drivers/bullmq/retry';
import { CommandRejectedError } from '../../../../src/commands/executor';
import type { CommandExecutor, ExecutionTarget } from '../../../../src/commands/executor';
import { bullKeys } from '../../../../src/queues/drivers/bull-family/keys';
import {
  bullmqConnection,
  claimDatabase,
  describeWithRedis,
  eventually,
} from '../../../../../testing/redis';
import { auditRead } from '../../../support/read-only-audit';

describeWithRedis('bullmq executors (real BullMQ)', () => {
  let url: string;
  let connection: ConnectionOptions;
  /** The application's connection, which the executors are given. */
  let redis: Redis;
  const queues: Queue[] = [];

  /**
   * A queue whose worker failed `failed` jobs (ids 1…failed) one at a time, so each failed at
   * its own moment, then completed `completed` more; the worker is closed afterwards. The
   * queue updates no meta itself, so only adding jobs and the executors write there.
   */
  async function queueWith(name: string, failed: number, completed = 0, prefix = 'bull') {
    const queue = new Queue(name, { connection, prefix, skipMetasUpdate: true });
    queues.push(queue);
    const worker = new Worker(
      name,
      (job) =>
        job.name === 'charge' ? Promise.reject(new Error('card declined')) : Promise.resolve(),
      { connection, prefix },
    );
    try {
      const settle = async (jobName: string, state: string) => {
        const job = await queue.add(jobName, {});
        await eventually(async () => ((await job.getState()) === state ? true : undefined));
      };
      for (let n = 0; n < failed; n++) await settle('charge', 'failed');
      for (let n = 0; n < completed; n++) await settle('welcome', 'completed');
    } finally {
      await worker.close();
    }
    return queue;
  }

  const run = (
    executor: CommandExecutor,
    target: Omit<ExecutionTarget, 'maxJobs'> & { maxJobs?: number },
    options: Record<string, unknown> = {},
  ) => executor.execute({ redis, options }, { maxJobs: 1000, ...target });

  async function stateOf(queue: Queue, id: string): Promise<string> {
    const job = await Job.fromId(queue, id);
    return job ? await job.getState() : 'gone';
  }

  async function statesOf(queue: Queue, ids: string[]): Promise<Record<string, string>> {
    const states = await Promise.all(ids.map((id) => stateOf(queue, id)));
    return Object.fromEntries(ids.map((id, n) => [id, states[n]!]));
  }

  beforeAll(async () => {
    url = await claimDatabase();
    connection = bullmqConnection(url);
    redis = new Redis(url);
  });

  afterAll(async () => {
    await Promise.all(queues.map((q) => q.close()));
    await redis?.quit();
  });

  it('retries exactly the failed job it names, and 10 and 11 stay failed', async () => {
    const queue = await queueWith('ids', 11);
    await expect(
      run(bullmqRetryExecutor, { queue: 'ids', scope: 'job', jobId: '1' }),
    ).resolves.toEqual({
      affected: 1,
    });
    expect(await statesOf(queue, ['1', '10', '11'])).toEqual({
      '1': 'waiting',
      '10': 'failed',
      '11': 'failed',
    });
    expect(await queue.getJobCounts('waiting', 'failed')).toEqual({ waiting: 1, failed: 10 });
  });

  it('deletes exactly the failed job it names', async () => {
    const queue = await queueWith('deletes', 3);
    await expect(
      run(bullmqDeleteExecutor, { queue: 'deletes', scope: 'job', jobId: '2' }),
    ).resolves.toEqual({ affected: 1 });
    expect(await Job.fromId(queue, '2')).toBeUndefined();
    expect(await statesOf(queue, ['1', '3'])).toEqual({ '1': 'failed', '3': 'failed' });
    expect(await queue.getFailedCount()).toBe(2);
  });

  it('rejects a completed, a waiting or an unknown job and changes nothing', async () => {
    const queue = await queueWith('not-failed', 1, 1);
    await queue.add('welcome', {});
    for (const executor of [bullmqRetryExecutor, bullmqDeleteExecutor]) {
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
      run(bullmqRetryExecutor, { queue: 'bulk-retry', scope: 'all-failed', maxJobs: 3 }),
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
      run(bullmqDeleteExecutor, { queue: 'bulk-delete', scope: 'all-failed', maxJobs: 3 }),
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

  it('reports none affected when no job failed', async () => {
    await queueWith('healthy', 0, 1);
    await expect(
      run(bullmqRetryExecutor, { queue: 'healthy', scope: 'all-failed' }),
    ).resolves.toEqual({
      affected: 0,
      preview: { matched: 0, scanned: 0, complete: true, sample: [] },
    });
  });

  it('rejects a job command without an id, and a bound below one, and moves nothing', async () => {
    const queue = await queueWith('bounds', 2);
    await expect(run(bullmqRetryExecutor, { queue: 'bounds', scope: 'job' })).rejects.toThrow(
      new CommandRejectedError('a command with scope job needs a job id'),
    );
    await expect(
      run(bullmqDeleteExecutor, { queue: 'bounds', scope: 'all-failed', maxJobs: 0 }),
    ).rejects.toThrow(new CommandRejectedError('maxJobs must be at least 1 (0)'));
    expect(await queue.getFailedCount()).toBe(2);
  });

  it('works under a hash-tag prefix', async () => {
    const queue = await queueWith('tagged', 2, 0, '{bull}');
    const options = { prefix: '{bull}' };
    await run(bullmqRetryExecutor, { queue: 'tagged', scope: 'job', jobId: '1' }, options);
    await run(bullmqDeleteExecutor, { queue: 'tagged', scope: 'job', jobId: '2' }, options);
    expect(await statesOf(queue, ['1', '2'])).toEqual({ '1': 'waiting', '2': 'gone' });
  });

  it('writes no meta: the meta hash is the same before and after, whoever wrote it', async () => {
    const queue = await queueWith('meta', 2);
    const meta = bullKeys('bull', 'meta').state('meta');
    // Adding a job writes only opts.maxLenEvents; a Queue that updated meta would add version.
    const added = await redis.hgetall(meta);
    expect(added).not.toHaveProperty('version');
    await run(bullmqRetryExecutor, { queue: 'meta', scope: 'job', jobId: '1' });
    expect(await redis.hgetall(meta)).toEqual(added);
    const olderVersion = { version: 'bullmq:5.1.0', 'opts.maxLenEvents': '500' };
    await redis.hset(meta, olderVersion);
    await run(bullmqRetryExecutor, { queue: 'meta', scope: 'job', jobId: '2' });
    expect(await redis.hgetall(meta)).toEqual(olderVersion);
    expect(await queue.getWaitingCount()).toBe(2);
  });

  it('writes nothing at all when it rejects', async () => {
    await queueWith('untouched', 1, 1);
    const audit = await auditRead(redis, url, (reader) =>
      bullmqRetryExecutor
        .execute(
          { redis: reader, options: {} },
          { queue: 'untouched', scope: 'job', jobId: '2', maxJobs: 1 },
        )
        .catch((error: unknown) => error),
    );
    expect(audit.after).toEqual(audit.before);
  });

  it("leaves the application's connection open and without its listeners", async () => {
    await queueWith('connection', 1);
    const listeners = () => ['error', 'close', 'ready'].map((e) => redis.listenerCount(e));
    const before = listeners();
    await run(bullmqRetryExecutor, { queue: 'connection', scope: 'all-failed' });
    expect(listeners()).toEqual(before);
    expect(redis.status).toBe('ready');
    expect(await redis.ping()).toBe('PONG');
  });
});
