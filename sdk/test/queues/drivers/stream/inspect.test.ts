/**
 * The stream inspect executor: a failed Stream job found in the failed list by exact id, its
 * data redacted; a job that is not among the failed ones is not found, and the reason says why.
 */
import Redis from 'ioredis';
import { streamInspectExecutor } from '../../../../src/queues/drivers/stream/inspect';
import { CommandRejectedError } from '../../../../src/commands/executor';
import type { InspectedJob } from '../../../../src/schema/inspected-job';
import { claimDatabase, describeWithRedis } from '../../../../../testing/redis';
import { StreamQueue, streamJob } from '../../layouts/stream';

describeWithRedis('stream inspect executor (real Redis)', () => {
  let redis: Redis;

  const inspect = (jobId: string) =>
    streamInspectExecutor
      .execute({ redis, options: {} }, { queue: 'mail', scope: 'job', jobId, maxJobs: 1000 })
      .then((outcome) => outcome.job as InspectedJob);

  beforeEach(async () => {
    redis = new Redis(await claimDatabase());
  });
  afterEach(async () => {
    await redis.quit();
  });

  it('reads a failed job by exact id, its secrets redacted', async () => {
    const queue = new StreamQueue(redis, 'mail');
    const job = streamJob(
      'SendMail',
      { to: 'ada@example.com', smtpPassword: 'pw' },
      1_700_000_000_000,
    );
    const other = streamJob('SendMail', { to: 'bob@example.com' }, 1_700_000_000_001);
    await queue.fail(job, 'SMTP 550', 1_700_000_000_500);
    await queue.fail(other, 'SMTP 421', 1_700_000_000_600);

    const read = await inspect(job.id);
    expect(read).toMatchObject({
      queue: 'mail',
      id: job.id,
      name: 'SendMail',
      state: 'failed',
      attemptsMade: 3,
      maxAttempts: 3,
      failedReason: 'SMTP 550',
      timestamps: { createdAt: 1_700_000_000_000, finishedAt: 1_700_000_000_500 },
    });
    expect(read.data).toContain('ada@example.com');
    expect(read.data).not.toContain('"pw"');
    expect(read.redacted).toBe(1);
  });

  it('does not find a waiting job: only the failed list is searched', async () => {
    const queue = new StreamQueue(redis, 'mail');
    const waiting = streamJob('SendMail', {}, 1_700_000_000_000);
    await queue.push(waiting);
    await expect(inspect(waiting.id)).rejects.toThrow(
      new CommandRejectedError(
        `job ${waiting.id} not found in queue mail (Stream keeps no index by id: only its newest 1000 failed jobs were searched)`,
      ),
    );
  });
});
