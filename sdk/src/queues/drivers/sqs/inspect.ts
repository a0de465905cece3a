/**
 * `inspect` on an `sqs` queue: rejected. SQS has no API to read a message by its id: a message
 * is only seen by receiving it, which hides it from consumers for the visibility timeout.
 */
import { CommandRejectedError } from '../../../commands/executor';
import type { CommandExecutor } from '../../../commands/executor';

/** Why an SQS message cannot be inspected. */
export const SQS_INSPECT_REASON =
  'SQS cannot read a message by id: receiving it would hide it from the consumers';

/** Rejects: SQS has no read-by-id. */
export const sqsInspectExecutor: CommandExecutor = {
  type: 'sqs',
  verb: 'inspect',
  execute() {
    return Promise.reject(new CommandRejectedError(SQS_INSPECT_REASON));
  },
};
