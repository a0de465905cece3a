/**
 * `retry` on an `sqs` queue: a dead-letter redrive, as the SQS console's "Start DLQ redrive"
 * does. `StartMessageMoveTask` moves every message of the queue's dead-letter queue back to
 * the queue itself.
 *
 * The move is asynchronous: the command succeeds once SQS has accepted the task, and messages
 * arrive in the queue over the following seconds. `affected` is the dead-letter queue's
 * `ApproximateNumberOfMessages` read just before, so it is approximate: messages dead-lettered
 * meanwhile move too, and messages a consumer of the DLQ holds in flight stay where they are.
 */
import { CommandRejectedError } from '../../../commands/executor';
import type { CommandExecutor, ExecutionOutcome } from '../../../commands/executor';
import { SqsCommands, checkBound } from './commands';
import { refuseBulkGaps } from '../../../commands/bulk/unsupported';
import { SQS_GAPS } from './bulk-gaps';

/** Retries an SQS queue's failed messages by redriving its dead-letter queue. */
export const sqsRetryExecutor: CommandExecutor = {
  type: 'sqs',
  verb: 'retry',
  async execute({ options }, target): Promise<ExecutionOutcome> {
    const { queue, scope, maxJobs } = target;
    refuseBulkGaps(target, 'sqs', SQS_GAPS);
    if (scope === 'job') {
      throw new CommandRejectedError(
        'SQS cannot retry one message: a dead-letter redrive moves all of them; use scope all-failed',
      );
    }
    const sqs = SqsCommands.open(queue, options);
    try {
      const { queueArn, dlqArn, dlqUrl } = await sqs.deadLetteredQueue();
      const affected = await sqs.approximateCount(dlqUrl, ['ApproximateNumberOfMessages']);
      checkBound(affected, maxJobs, 'redrive');
      // An empty DLQ needs no task; starting one would only block a real redrive meanwhile
      // (SQS runs one move task per source queue at a time).
      if (affected > 0) await sqs.startMessageMove(dlqArn, queueArn);
      return { affected };
    } finally {
      sqs.close();
    }
  },
};
