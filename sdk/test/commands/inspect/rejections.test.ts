/**
 * The systems that cannot read one job by id reject `inspect` with a reason naming why, and
 * every queue system of the driver table has an inspect executor of its own.
 */
import { CommandRejectedError } from '../../../src/commands/executor';
import { executorFor } from '../../../src/commands/executor-registry';
import { QUEUE_DRIVERS } from '../../../src/queues/drivers/table';

const target = { queue: 'q', scope: 'job', jobId: '1', maxJobs: 10 } as const;

describe('inspect on every queue system', () => {
  it('has an inspect executor for every system of the table', () => {
    for (const { type } of QUEUE_DRIVERS) {
      const executor = executorFor(type, 'inspect');
      expect({ type, found: executor?.type === type && executor.verb === 'inspect' }).toEqual({
        type,
        found: true,
      });
    }
  });

  it.each([
    ['redis', /no index by job id/],
    ['laravel', /no job index by id in Redis/],
    ['sqs', /SQS cannot read a message by id/],
  ])('rejects inspect on %s with its reason', async (type, reason) => {
    const executor = executorFor(type, 'inspect');
    const result = executor?.execute({ redis: undefined, options: {} }, target);
    await expect(result).rejects.toBeInstanceOf(CommandRejectedError);
    await expect(result).rejects.toThrow(reason);
  });
});
