/** The plain `laravel` executors, which reject: plain Laravel keeps failed jobs in SQL. */
import { CommandRejectedError } from '../../../../src/commands/executor';
import type { ExecutionTarget } from '../../../../src/commands/executor';
import {
  laravelDeleteExecutor,
  laravelRetryExecutor,
} from '../../../../src/queues/drivers/laravel/executors';

const one = (jobId: string): ExecutionTarget => ({
  queue: 'emails',
  scope: 'job',
  jobId,
  maxJobs: 1000,
});

describe('laravel executors', () => {
  it.each([
    ['retry', laravelRetryExecutor],
    ['delete', laravelDeleteExecutor],
  ])('reject %s: plain Laravel keeps failed jobs in its database', async (_verb, executor) => {
    const outcome = executor.execute({ redis: undefined, options: {} }, one('1'));
    await expect(outcome).rejects.toThrow(CommandRejectedError);
    await expect(outcome).rejects.toThrow(/php artisan queue:retry/);
  });
});
