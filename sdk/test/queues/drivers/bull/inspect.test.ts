/**
 * The bull inspect executor against a job a real (legacy) Bull processor logged from and
 * failed: Bull's hash and logs list read as BullMQ's are, secrets redacted.
 */
import Bull from 'bull';
import Redis from 'ioredis';
import { bullInspectExecutor } from '../../../../src/queues/drivers/bull/inspect';
import { CommandRejectedError } from '../../../../src/commands/executor';
import type { InspectedJob } from '../../../../src/schema/inspected-job';
import { claimDatabase, describeWithRedis, eventually } from '../../../../../testing/redis';

describeWithRedis('bull inspect executor (real Bull)', () => {
  let url: string;
  let redis: Redis;
  const queues: Bull.Queue[] = [];

  const inspect = (queue: string, jobId: string, options: Record<string, unknown> = {}) =>
    bullInspectExecutor
      .execute({ redis, options }, { queue, scope: 'job', jobId, maxJobs: 1000 })
      .then((outcome) => outcome.job as InspectedJob);

  beforeAll(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
  });
  afterAll(async () => {
    await Promise.all(queues.map((q) => q.close()));
    await redis?.quit();
  });

  it('reads a failed Bull job, its stack and its logs, with the secrets redacted', async () => {
    const queue = new Bull('payments', url, { prefix: 'legacy' });
    queues.push(queue);
    const processor = new Bull('payments', url, { prefix: 'legacy' });
    processor
      .process(async (job) => {
        await job.log('session cookie: sid=abc123');
        throw new Error('card declined');
      })
      .catch(() => undefined);
    let id: string;
    try {
      const job = await queue.add(
        { email: 'ada@example.com', cvv: '123', token: 'tok' },
        { attempts: 1 },
      );
      id = String(job.id);
      await eventually(async () => ((await job.getState()) === 'failed' ? true : undefined));
    } finally {
      await processor.close();
    }
    const job = await inspect('payments', id, { prefix: 'legacy' });
    expect(JSON.parse(job.data ?? '')).toEqual({
      email: 'ada@example.com',
      cvv: '[REDACTED]',
      token: '[REDACTED]',
    });
    expect(job).toMatchObject({
      queue: 'payments',
      id,
      name: '__default__',
      state: 'failed',
      attemptsMade: 1,
      maxAttempts: 1,
      failedReason: 'card declined',
      logs: ['session cookie: [REDACTED]'],
      truncated: [],
    });
    expect(job.stacktrace?.[0]).toMatch(/^Error: card declined/);
    expect(job.timestamps.finishedAt).toBeGreaterThanOrEqual(job.timestamps.createdAt ?? 0);
    await expect(inspect('payments', id)).rejects.toThrow(
      new CommandRejectedError(`job ${id} not found in queue payments`),
    );
  });
});
