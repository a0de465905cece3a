/**
 * The systems with no pause or no promotion refuse with a reason naming why: a Horizon layout
 * (whose pause is per supervisor), plain Laravel (whose pause lives in the cache store), plain
 * lists and SQS. Nothing is read or written: the refusal needs no connection.
 */
import { CommandRejectedError } from '../../../src/commands/executor';
import { executorFor } from '../../../src/commands/executor-registry';

const target = {
  queue: 'default',
  scope: 'queue' as const,
  maxJobs: 10,
  type: 'PAUSE_QUEUE' as const,
};

describe('pause and promote refusals', () => {
  it.each([
    ['laravel', 'pause', /pause lives in the cache store.*php artisan queue:pause/],
    ['horizon', 'pause', /Horizon pauses supervisors, not queues/],
    ['laravel', 'promote', /Laravel has no promotion/],
    ['horizon', 'promote', /Laravel has no promotion/],
    ['redis', 'pause', /plain Redis list has no pause/],
    ['redis', 'promote', /no delayed jobs/],
    ['sqs', 'pause', /SQS has no pause/],
    ['sqs', 'promote', /SQS cannot promote/],
  ] as const)('%s refuses %s', async (type, verb, reason) => {
    const executor = executorFor(type, verb);
    const outcome = executor!.execute({ redis: undefined, options: {} }, target);
    await expect(outcome).rejects.toBeInstanceOf(CommandRejectedError);
    await expect(outcome).rejects.toThrow(reason);
  });
});
