/**
 * The horizon inspect executor against Horizon's repository written as PHP writes it: the job's
 * hash (payload, exception, times), attempts from the payload, the PHP-serialized command's
 * secrets redacted, and a record of another queue not found in this one.
 */
import Redis from 'ioredis';
import { horizonInspectExecutor } from '../../../../src/queues/drivers/horizon/inspect';
import { CommandRejectedError } from '../../../../src/commands/executor';
import type { InspectedJob } from '../../../../src/schema/inspected-job';
import { claimDatabase, describeWithRedis } from '../../../../../testing/redis';
import { auditRead } from '../../../support/read-only-audit';
import { HorizonRepository, phpExceptionString } from '../../layouts/horizon';
import { LaravelRedisQueue } from '../../layouts/laravel';

describeWithRedis('horizon inspect executor (real Redis)', () => {
  let url: string;
  let redis: Redis;
  const t0 = Math.floor(Date.now() / 1000) - 3600;

  const inspect = (queue: string, jobId: string, r: Redis = redis) =>
    horizonInspectExecutor
      .execute({ redis: r, options: {} }, { queue, scope: 'job', jobId, maxJobs: 1000 })
      .then((outcome) => outcome.job as InspectedJob);

  beforeEach(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
  });
  afterEach(async () => {
    await redis.quit();
  });

  it('reads a failed job from its Horizon record, the command secrets redacted', async () => {
    const emails = new LaravelRedisQueue(redis, 'emails', { prefix: '', cluster: false });
    const horizon = new HorizonRepository(redis, {
      horizonPrefix: 'laravel_horizon:',
      cluster: false,
    });
    const id = await horizon.push(
      emails,
      {
        className: 'App\\Jobs\\ChargeCard',
        createdAt: t0,
        properties: [
          ['email', 'ada@example.com'],
          ['apiToken', 'tok-live-123'],
        ],
        tries: 3,
      },
      t0,
    );
    const reserved = await horizon.reserve(emails, t0 + 1);
    const exception = phpExceptionString(
      'RuntimeException',
      'card declined',
      '/app/Jobs/ChargeCard.php',
    );
    await horizon.fail(emails, reserved, exception, t0 + 2);

    const job = await inspect('emails', id);
    expect(job).toMatchObject({
      queue: 'emails',
      id,
      name: 'App\\Jobs\\ChargeCard',
      state: 'failed',
      attemptsMade: 1,
      maxAttempts: 3,
      failedReason: 'RuntimeException: card declined in /app/Jobs/ChargeCard.php:31',
      stacktrace: [exception],
      timestamps: {
        createdAt: t0 * 1000,
        processedAt: (t0 + 1) * 1000,
        finishedAt: (t0 + 2) * 1000,
      },
    });
    expect(job.data).toContain('ada@example.com');
    expect(job.data).not.toContain('tok-live-123');
    expect(job.redacted).toBe(1);
  });

  it('does not find a job of another queue, nor an unknown one, and writes nothing', async () => {
    const reports = new LaravelRedisQueue(redis, 'reports', { prefix: '', cluster: false });
    const horizon = new HorizonRepository(redis, {
      horizonPrefix: 'laravel_horizon:',
      cluster: false,
    });
    const id = await horizon.push(
      reports,
      { className: 'App\\Jobs\\Report', createdAt: t0, properties: [], tries: 1 },
      t0,
    );
    await expect(inspect('emails', id)).rejects.toThrow(
      new CommandRejectedError(`job ${id} not found in queue emails`),
    );
    await expect(inspect('emails', 'nope')).rejects.toThrow(
      new CommandRejectedError('job nope not found in queue emails'),
    );
    const audit = await auditRead(redis, url, (reader) => inspect('reports', id, reader));
    expect(audit.after).toEqual(audit.before);
    expect((await inspect('reports', id)).state).toBe('pending');
  });
});
