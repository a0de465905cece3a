/**
 * `delete` on an `sqs` queue: `PurgeQueue` on the queue's dead-letter queue, deleting every
 * failed message at once. A single message is rejected: deleting one needs the receipt handle
 * of a receive, and receiving it would hide it from everyone else for its visibility timeout.
 *
 * SQS allows one purge of a queue per 60 seconds, and a purge may take up to 60 seconds to
 * finish. `affected` is the dead-letter queue's approximate count just before (visible,
 * in flight and delayed, since a purge deletes all three).
 */
import { CommandRejectedError } from '../../../commands/executor';
import type { CommandExecutor, ExecutionOutcome } from '../../../commands/executor';
import { SqsCommands, checkBound } from './commands';
import { refuseBulkGaps } from '../../../commands/bulk/unsupported';
import { SQS_GAPS } from './bulk-gaps';

const PURGED_COUNTS = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
];

/** Deletes an SQS queue's failed messages by purging its dead-letter queue. */
export const sqsDeleteExecutor: CommandExecutor = {
  type: 'sqs',
  verb: 'delete',
  async execute({ options }, target): Promise<ExecutionOutcome> {
    const { queue, scope, maxJobs } = target;
    refuseBulkGaps(target, 'sqs', SQS_GAPS);
    if (scope === 'job') {
      throw new CommandRejectedError(
        'SQS cannot delete one message without receiving it, which would hide it from its ' +
          'consumers; use scope all-failed to purge the dead-letter queue',
      );
    }
    const sqs = SqsCommands.open(queue, options);
    try {
      const { dlqUrl } = await sqs.deadLetteredQueue();
      const affected = await sqs.approximateCount(dlqUrl, PURGED_COUNTS);
      checkBound(affected, maxJobs, 'purge');
      // Nothing to delete: skip the purge rather than spend the once-a-minute allowance.
      if (affected > 0) await sqs.purge(dlqUrl);
      return { affected };
    } finally {
      sqs.close();
    }
  },
};
