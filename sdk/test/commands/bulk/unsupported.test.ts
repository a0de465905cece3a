/**
 * The systems that cannot select a failure group or preview a command refuse one that asks,
 * before they touch anything: none of them may take a fingerprint for "every failed job".
 */
import { CommandRejectedError } from '../../../src/commands/executor';
import type { CommandExecutor, ExecutionTarget } from '../../../src/commands/executor';
import { listRetryExecutor } from '../../../src/queues/drivers/redis/retry';
import { listDeleteExecutor } from '../../../src/queues/drivers/redis/delete';
import { sqsRetryExecutor } from '../../../src/queues/drivers/sqs/retry';
import { sqsDeleteExecutor } from '../../../src/queues/drivers/sqs/delete';

const EXECUTORS: CommandExecutor[] = [
  listRetryExecutor,
  listDeleteExecutor,
  sqsRetryExecutor,
  sqsDeleteExecutor,
];
const base: ExecutionTarget = { queue: 'q', scope: 'all-failed', maxJobs: 10 };

describe('bulk selections a system cannot make', () => {
  it.each(EXECUTORS.map((e) => [`${e.type} ${e.verb}`, e] as const))(
    '%s refuses a fingerprint and a dry run, with the reason, before any I/O',
    async (_name, executor) => {
      // No connection and no options: anything past the refusal would fail differently.
      const context = { redis: undefined, options: {} };
      const fingerprint = executor.execute(context, { ...base, fingerprint: '0123456789abcdef' });
      await expect(fingerprint).rejects.toThrow(CommandRejectedError);
      await expect(fingerprint).rejects.toThrow(
        /cannot select failed jobs by error fingerprint: ./,
      );
      const dryRun = executor.execute(context, { ...base, dryRun: true });
      await expect(dryRun).rejects.toThrow(/cannot preview a command: ./);
    },
  );

  it('says why SQS cannot preview: its counts are approximate', async () => {
    await expect(
      sqsRetryExecutor.execute({ redis: undefined, options: {} }, { ...base, dryRun: true }),
    ).rejects.toThrow(/ApproximateNumberOfMessages/);
  });
});
